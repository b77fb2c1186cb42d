import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { fileURLToPath } from 'node:url';

/** Builds the example host pages into `examples/<name>/dist/`, bundling everything they import. */
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// The examples import the package by name, as a host would.
const packageByName = {
  name: 'converse-desk-by-name',
  resolveId(id) {
    if (id === 'converse-desk') return here('./src/index.ts');
    if (id === 'converse-desk/embedded') return here('./src/embedded/index.ts');
    if (id === 'converse-desk/http') return here('./src/http/index.ts');
    if (id === 'converse-desk/components') return here('./components/index.ts');
    return null;
  },
};

const page = (name) => ({
  input: `examples/${name}/main.ts`,
  output: { dir: `examples/${name}/dist`, format: 'es', sourcemap: true },
  plugins: [
    packageByName,
    resolve({ browser: true }),
    typescript({
      tsconfig: './tsconfig.json',
      noEmit: false,
      declaration: false,
      outDir: `examples/${name}/dist`,
      include: ['src/**/*.ts', 'components/**/*.ts', 'examples/**/*.ts'],
      exclude: ['**/*.test.ts', 'examples/server/**'],
    }),
  ],
  onwarn(warning, warn) {
    // Lit's decorators and idb use `this` at the top level of ES modules harmlessly.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
});

export default [page('demo')];
