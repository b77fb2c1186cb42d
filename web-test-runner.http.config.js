/**
 * Browser tests of the HTTP adapter against the reference server (`test/browser/**\/*.e2e.ts`):
 * the event stream in Chromium, two tabs sharing one stream, and the desk end to end; and the
 * `npm start` demo page on the team server, in two windows.
 *
 *   npx wtr --config web-test-runner.http.config.js
 *
 * The reference server is started with its one command (examples/server/server.ts) before the
 * tests and stopped after them; the tests ask `/__reference-server` for its URL. The team server
 * is started as `npm start` starts it (scripts/team-server.js), on a free port and a throwaway
 * PGlite folder: `/__team-server`. The demo page is served from its sources.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from './scripts/chromium.js';
import { nodeEnvPlugin } from './scripts/node-env.js';
import { startTeamServer } from './scripts/team-server.js';

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
        const timer = setTimeout(() => reject(new Error(`reference server: ${out}`)), 120_000);
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

/** The team server of `npm start`, and the demo page built from its sources. */
function teamServer() {
  let dataDir;
  let server;
  let url;
  return {
    name: 'converse-desk-team-server',
    async serverStart() {
      dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
      server = startTeamServer({
        env: { PORT: '0', DESK_DATA_DIR: dataDir, DESK_STATUS_DELAY_MS: '20', LOG_LEVEL: 'error' },
      });
      url = await server.url;
    },
    async serverStop() {
      await server?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === '/__team-server') return { body: JSON.stringify({ url }), type: 'json' };
      return undefined;
    },
    transform(context) {
      // The page loads the examples' bundle (`npm start` builds it); here, its source.
      if (context.path === '/examples/demo/index.html') {
        return { body: context.body.replace('../dist/demo.js', './main.ts') };
      }
      return undefined;
    },
    resolveImport({ source }) {
      // The examples import the package by name, as a host would: serve the sources.
      const entries = {
        'converse-desk': '/src/index.ts',
        'converse-desk/embedded': '/src/embedded/index.ts',
        'converse-desk/http': '/src/http/index.ts',
        'converse-desk/offline': '/src/offline/index.ts',
        'converse-desk/components': '/components/index.ts',
      };
      return entries[source];
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
    teamServer(),
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
