import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
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

export default {
  input: {
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
  },
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
