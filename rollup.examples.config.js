import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import typescript from '@rollup/plugin-typescript';
import { fileURLToPath } from 'node:url';

/** Builds the example host pages into `examples/dist/`, bundling everything they import. */
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// The examples import the package by name, as a host would.
const packageByName = {
  name: 'converse-desk-by-name',
  resolveId(id) {
    if (id === 'converse-desk') return here('./src/index.ts');
    if (id === 'converse-desk/embedded') return here('./src/embedded/index.ts');
    if (id === 'converse-desk/http') return here('./src/http/index.ts');
    if (id === 'converse-desk/offline') return here('./src/offline/index.ts');
    if (id === 'converse-desk/components') return here('./components/index.ts');
    if (id === 'converse-desk/components/translations/fr') {
      return here('./components/translations/fr.ts');
    }
    if (id === 'converse-desk/react') return here('./react/index.ts');
    const element = /^converse-desk\/components\/([\w-]+)$/.exec(id);
    if (element) return here(`./components/${element[1]}/${element[1]}.ts`);
    return null;
  },
};

// One build for every page, so they share chunks (lit, the SDK) and the TypeScript pass.
export default {
  input: {
    demo: 'examples/demo/main.ts',
    react: 'examples/react/main.ts',
    vue: 'examples/vue/main.ts',
    theming: 'examples/theming/main.ts',
    'single-elements': 'examples/single-elements/main.ts',
  },
  output: {
    dir: 'examples/dist',
    format: 'es',
    sourcemap: true,
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  plugins: [
    packageByName,
    // React ships CommonJS and both frameworks read NODE_ENV.
    replace({
      preventAssignment: true,
      values: {
        'process.env.NODE_ENV': JSON.stringify('production'),
        __VUE_OPTIONS_API__: 'false',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
    }),
    resolve({ browser: true }),
    commonjs(),
    typescript({
      tsconfig: './tsconfig.json',
      noEmit: false,
      declaration: false,
      outDir: 'examples/dist',
      include: ['src/**/*.ts', 'components/**/*.ts', 'react/**/*.ts', 'examples/**/*.ts'],
      exclude: ['**/*.test.ts', 'examples/server/**'],
    }),
  ],
  onwarn(warning, warn) {
    // Lit's decorators and idb use `this` at the top level of ES modules harmlessly.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};
