import resolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
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
const deps = Object.keys(pkg.dependencies);
const external = (id) =>
  id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

export default {
  input: {
    index: 'src/index.ts',
    embedded: 'src/embedded/index.ts',
    http: 'src/http/index.ts',
    // Node only: no browser entry imports it.
    server: 'src/server/index.ts',
    components: 'components/index.ts',
    // Each element on its own path: `converse-desk/components/inbox`, …
    ...Object.fromEntries(
      ELEMENTS.map((name) => [`components/${name}`, `components/${name}/${name}.ts`]),
    ),
  },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  external,
  plugins: [
    resolve(),
    typescript({
      tsconfig: './tsconfig.build.json',
      declaration: false,
      emitDeclarationOnly: false,
      declarationDir: undefined,
      noEmit: false,
      outDir: 'dist',
      include: ['src/**/*.ts', 'components/**/*.ts'],
      exclude: ['**/*.test.ts'],
    }),
  ],
};
