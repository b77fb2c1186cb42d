import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from './scripts/chromium.js';
import { nodeEnvPlugin } from './scripts/node-env.js';

export default {
  files: ['components/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [
    nodeEnvPlugin,
    // The examples import the package by name, as a host would: serve the sources.
    {
      name: 'converse-desk-by-name',
      resolveImport({ source }) {
        if (source === 'converse-desk') return '/src/index.ts';
        if (source === 'converse-desk/embedded') return '/src/embedded/index.ts';
        return undefined;
      },
    },
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  concurrency: 1,
  testFramework: {
    config: { timeout: 10000 },
  },
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <body>
        <script>
          // @lit-labs/virtualizer: this harmless message would fail tests otherwise.
          window.addEventListener('error', (e) => {
            if (/ResizeObserver loop/.test(e.message)) e.stopImmediatePropagation();
          });
        </script>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
};
