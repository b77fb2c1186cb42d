/**
 * Bundles a bench page (TypeScript from src/ and bench/, plus `include`) with rollup into `out`,
 * as the browser benches load it.
 */
import commonjs from '@rollup/plugin-commonjs';
import replace from '@rollup/plugin-replace';
import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { mkdirSync } from 'node:fs';
import { rollup } from 'rollup';

export async function bundlePage(input, out, include = ['src/**/*.ts', 'bench/*.ts']) {
  mkdirSync(out, { recursive: true });
  const bundle = await rollup({
    input,
    onwarn: (w, warn) => w.code !== 'THIS_IS_UNDEFINED' && warn(w),
    plugins: [
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': '"production"' } }),
      resolve({ browser: true }),
      commonjs(),
      typescript({
        tsconfig: './tsconfig.json',
        noEmit: false,
        declaration: false,
        outDir: out,
        include,
        exclude: ['**/*.test.ts'],
      }),
    ],
  });
  await bundle.write({ dir: out, format: 'es' });
  await bundle.close();
}
