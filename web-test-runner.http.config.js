/**
 * Browser tests of the HTTP adapter against the reference server (`test/browser/**\/*.e2e.ts`):
 * the event stream in Chromium, two tabs sharing one stream, and the desk end to end.
 *
 *   npx wtr --config web-test-runner.http.config.js
 *
 * The server is started with its one command (examples/server/server.ts) before the tests and
 * stopped after them; the tests ask `/__reference-server` for its URL.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from './scripts/chromium.js';
import { nodeEnvPlugin } from './scripts/node-env.js';

const root = fileURLToPath(new URL('.', import.meta.url));

function referenceServer() {
  let child;
  let url;
  return {
    name: 'converse-desk-reference-server',
    async serverStart() {
      child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'examples/server/server.ts',
          '--port',
          '0',
          '--status-delay',
          '20',
          '--reconnect',
          '100',
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`reference server: ${out}`)), 20_000);
        child.stdout.on('data', (chunk) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) =>
          reject(new Error(`reference server exited (${code}): ${out}`)),
        );
      });
    },
    async serverStop() {
      child?.kill();
    },
    serve(context) {
      if (context.path === '/__reference-server') {
        return { body: JSON.stringify({ url }), type: 'json' };
      }
      return undefined;
    },
  };
}

export default {
  files: ['test/browser/**/*.e2e.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [
    nodeEnvPlugin,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
    referenceServer(),
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
    config: { timeout: 15000 },
  },
};
