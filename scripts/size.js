/**
 * `npm run size`: min+gzip per entry, counting what a first load fetches (the entry and its static
 * imports, dependencies included; lazy chunks are listed apart). Fails above the budget.
 */
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';

const KB = 1024;
const entries = [
  { name: 'SDK core (converse-desk)', input: 'src/index.ts', budget: 15 * KB },
  { name: 'embedded backend (converse-desk/embedded)', input: 'src/embedded/index.ts' },
  { name: 'HTTP adapter (converse-desk/http)', input: 'src/http/index.ts' },
  { name: 'all components + SDK + lit', input: 'components/index.ts', budget: 60 * KB },
  // Each element on its own path, as a host that imports just one gets it.
  ...[
    'desk',
    'inbox',
    'conversation',
    'compose',
    'assign-dialog',
    'new-conversation',
    'provider',
  ].map((name) => ({
    name: `  converse-desk/components/${name}`,
    input: `components/${name}/${name}.ts`,
  })),
].filter((e) => existsSync(e.input));

const quiet = (warning, warn) => {
  if (warning.code !== 'THIS_IS_UNDEFINED' && warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
};

let failed = false;
for (const entry of entries) {
  const bundle = await rollup({
    input: entry.input,
    onwarn: quiet,
    plugins: [
      resolve({ browser: true }),
      typescript({
        tsconfig: './tsconfig.json',
        noEmit: false,
        declaration: false,
        outDir: '.size',
        include: ['src/**/*.ts', 'components/**/*.ts'],
        exclude: ['**/*.test.ts'],
      }),
      terser({ format: { comments: false } }),
    ],
  });
  const { output } = await bundle.generate({ format: 'es', dir: '.size' });
  await bundle.close();
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const gz = (chunk) => gzipSync(chunk.code, { level: 9 }).length;
  // The first load: the entry chunk and everything it imports statically.
  const first = new Set();
  const visit = (file) => {
    if (first.has(file)) return;
    first.add(file);
    for (const imported of chunks.get(file).imports) visit(imported);
  };
  visit([...chunks.values()].find((c) => c.isEntry).fileName);
  const firstLoad = [...first].reduce((sum, f) => sum + gz(chunks.get(f)), 0);
  const lazy = [...chunks.values()]
    .filter((c) => !first.has(c.fileName))
    .reduce((sum, c) => sum + gz(c), 0);
  const over = entry.budget !== undefined && firstLoad > entry.budget;
  failed ||= over;
  const budget = entry.budget
    ? ` (budget ${(entry.budget / KB).toFixed(0)} KB${over ? ' EXCEEDED' : ''})`
    : '';
  console.log(
    `${entry.name.padEnd(44)} ${(firstLoad / KB).toFixed(1).padStart(6)} KB min+gzip first load${budget}; lazy ${(lazy / KB).toFixed(1)} KB`,
  );
}
if (failed) {
  console.error('Size budget exceeded.');
  process.exitCode = 1;
}
