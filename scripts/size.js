/**
 * `npm run size`: min+gzip of what a host's bundle gets from the built package (`dist/`, through its
 * `exports` and `sideEffects`, dependencies included), counting the first load (the entry and its
 * static imports); lazy chunks are listed apart. Fails above a budget, or when libphonenumber-js
 * reaches a first load. Run `npm run build` first; `npm run size -- desk` measures only the entries
 * whose name contains `desk`.
 */
import resolve from '@rollup/plugin-node-resolve';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { minify } from 'terser';

const KB = 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// What a host writes, and what it may cost on first load.
const entries = [
  {
    name: 'SDK with DeskClient',
    code: "export { createDeskClient } from 'converse-desk';",
    budget: 12 * KB,
  },
  {
    name: 'full desk: components + client + HTTP adapter',
    code: "import 'converse-desk/components'; export { createDeskClient } from 'converse-desk'; export { createHttpAdapter } from 'converse-desk/http';",
    // What the desk does not show on first paint (conversation, compose, new-conversation form,
    // dialogs, the list's virtualizer) loads lazily; see components/shared/lazy.ts.
    budget: 57 * KB,
  },
  {
    name: 'embedded backend (converse-desk/embedded)',
    code: "export { EmbeddedBackend } from 'converse-desk/embedded';",
  },
  {
    name: 'HTTP adapter (converse-desk/http)',
    code: "export { createHttpAdapter } from 'converse-desk/http';",
  },
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
    code: `import 'converse-desk/components/${name}';`,
  })),
];

if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  console.error('No dist/: run `npm run build` first.');
  process.exit(1);
}

// `converse-desk/…` resolves through package.json's `exports`, as a host's bundler would; the
// resolved file then goes through node-resolve, which applies `sideEffects`.
const selfReference = {
  name: 'self-reference',
  async resolveId(id, importer, options) {
    if (id === 'entry') return id;
    if (id !== pkg.name && !id.startsWith(`${pkg.name}/`)) return null;
    const target = exported(`.${id.slice(pkg.name.length)}`);
    if (!target) throw new Error(`${id} is not exported`);
    return this.resolve(`${root}${target.slice(2)}`, importer, { ...options, skipSelf: true });
  },
  load(id) {
    return id === 'entry' ? current.code : null;
  },
};

function exported(subpath) {
  for (const [key, value] of Object.entries(pkg.exports)) {
    const [head, tail] = key.split('*');
    if (tail === undefined) {
      if (key === subpath) return value.import;
    } else if (subpath.startsWith(head) && subpath.endsWith(tail)) {
      return value.import?.replaceAll(
        '*',
        subpath.slice(head.length, subpath.length - tail.length),
      );
    }
  }
  return undefined;
}

// Terser's defaults, once per distinct chunk (the lazy phone metadata recurs in many entries).
const minified = new Map();
async function minGzip(code) {
  if (!minified.has(code)) {
    const { code: min } = await minify(code, { module: true, format: { comments: false } });
    minified.set(code, gzipSync(min, { level: 9 }).length);
  }
  return minified.get(code);
}

// `npm run size -- desk`: only the entries whose name contains one of the words given.
const only = process.argv.slice(2);
const chosen = entries.filter((e) => only.length === 0 || only.some((w) => e.name.includes(w)));

let current;
let failed = false;
for (const entry of chosen) {
  current = entry;
  const bundle = await rollup({
    input: 'entry',
    onwarn: (warning, warn) => warning.code !== 'CIRCULAR_DEPENDENCY' && warn(warning),
    plugins: [selfReference, resolve({ browser: true })],
  });
  const { output } = await bundle.generate({ format: 'es', dir: '.size' });
  await bundle.close();
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const sizes = new Map();
  for (const chunk of chunks.values()) sizes.set(chunk.fileName, await minGzip(chunk.code));
  const gz = (chunk) => sizes.get(chunk.fileName);
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
  const phoneData = [...first].some((f) =>
    chunks.get(f).moduleIds.some((id) => id.includes('libphonenumber-js')),
  );
  const over = entry.budget !== undefined && firstLoad > entry.budget;
  const pastCeiling = entry.ceiling !== undefined && firstLoad > entry.ceiling;
  failed ||= (over && entry.ceiling === undefined) || pastCeiling || phoneData;
  let budget = entry.budget ? ` (budget ${(entry.budget / KB).toFixed(0)} KB` : '';
  if (over) budget += entry.ceiling && !pastCeiling ? ' NOT MET yet' : ' EXCEEDED';
  if (entry.budget) budget += ')';
  console.log(
    `${entry.name.padEnd(48)} ${(firstLoad / KB).toFixed(1).padStart(6)} KB first load${budget}; lazy ${(lazy / KB).toFixed(1)} KB${phoneData ? '; libphonenumber-js in the first load!' : ''}`,
  );
}
if (failed) {
  console.error('Size budget exceeded.');
  process.exitCode = 1;
}
