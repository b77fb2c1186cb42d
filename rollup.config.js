import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from './package.json' with { type: 'json' };

const ELEMENTS = [
  'provider',
  'desk',
  'inbox',
  'conversation',
  'compose',
  'assign-dialog',
  'new-conversation',
];

// Dependencies stay external: the host's bundler dedupes lit, idb and friends.
const deps = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
const componentsDir = fileURLToPath(new URL('./components/', import.meta.url));
const external = (id) =>
  id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

const input = {
  index: 'src/index.ts',
  embedded: 'src/embedded/index.ts',
  http: 'src/http/index.ts',
  // Node only: no browser entry imports it.
  server: 'src/server/index.ts',
  offline: 'src/offline/index.ts',
  engine: 'src/engine/index.ts',
  conformance: 'src/conformance/index.ts',
  components: 'components/index.ts',
  react: './react/index.ts',
  // Each element on its own path: `converse-desk/components/inbox`, …
  ...Object.fromEntries(
    ELEMENTS.map((name) => [`components/${name}`, `components/${name}/${name}.ts`]),
  ),
  // Languages are opt-in: `converse-desk/components/translations/fr`.
  'components/translations/fr': 'components/translations/fr.ts',
};
const root = fileURLToPath(new URL('./', import.meta.url));
const entryIds = new Set(Object.values(input).map((file) => resolvePath(root, file)));

export default {
  input,
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    // Chunks that hold elements go to `chunks/elements/`, which package.json marks as having side
    // effects (they define tags); the SDK's chunks stay droppable by the host's bundler.
    chunkFileNames: (chunk) =>
      chunk.moduleIds.some((id) => id.startsWith(componentsDir))
        ? 'chunks/elements/[name]-[hash].js'
        : 'chunks/[name]-[hash].js',
    // One chunk per shared module, as in the source: a host's bundler then splits and drops our
    // code module by module. Coarser chunks put lazy code (the send guard behind the first send)
    // in the same file as first-load code, and the host had to load both on first paint.
    manualChunks: (id) => {
      if (entryIds.has(id)) return undefined;
      // Bundled helpers (tslib's `__decorate`) in a chunk of their own, not in the first
      // element's chunk, which every other element would then import.
      const dependency = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1];
      if (dependency) return dependency.replace('/', '-');
      if (!id.startsWith(root)) return undefined;
      return relative(root, id)
        .replace(/^src\//, '')
        .replace(/\.ts$/, '')
        .replaceAll('/', '-');
    },
  },
  external,
  plugins: [
    // Our own package.json's `sideEffects` describes dist/ for hosts. Applied here, it would depend
    // on which plugin resolved a module first (an entry resolves through node-resolve, the same file
    // imported resolves through TypeScript), and the registrations were sometimes dropped.
    resolve({ ignoreSideEffectsForRoot: true }),
    typescript({
      tsconfig: './tsconfig.build.json',
      declaration: false,
      emitDeclarationOnly: false,
      declarationDir: undefined,
      noEmit: false,
      outDir: 'dist',
      include: ['src/**/*.ts', 'components/**/*.ts', 'react/**/*.ts'],
      exclude: ['**/*.test.ts'],
    }),
    // The elements' HTML and CSS templates ship without their indentation and comments.
    minifyTemplateLiterals(),
  ],
};
