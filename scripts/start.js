/**
 * `npm start`: builds the examples, starts the team server in demo mode (PGlite in .desk-data/,
 * the simulated carrier; `DATABASE_URL` for PostgreSQL), serves the examples on localhost and
 * prints the URLs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { startStaticServer } from './serve.js';

execFileSync('npx', ['rollup', '-c', 'rollup.examples.config.js'], { stdio: 'inherit' });

const apiPort = Number(process.env.API_PORT ?? 8787);
const api = spawn(process.execPath, ['--import', 'tsx', 'examples/server/team-server.ts'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { LOG_LEVEL: 'warn', ...process.env, PORT: String(apiPort) },
});
const apiUrl = await new Promise((resolve) => {
  let out = '';
  api.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /listening on (\S+)/.exec(out);
    if (match) resolve(match[1]);
  });
  // The HTTP example is optional: without the API the other pages still work.
  api.once('exit', () => resolve(null));
});
process.on('exit', () => api.kill());
process.on('SIGINT', () => process.exit(0));

const { url } = await startStaticServer({
  root: 'examples',
  port: Number(process.env.PORT ?? 8000),
});
console.log(`
Converse Desk demo: ${url}demo/${apiUrl ? '' : ' (the server failed to start; ?backend=embedded works without it)'}
  (two windows, two agents, one desk: sign in as Ada in one and Sam in the other)
  All in the browser: ${url}demo/?backend=embedded
  React host:       ${url}react/
  Vue host:         ${url}vue/
  Theming and i18n: ${url}theming/
  Single elements over HTTP: ${url}single-elements/${apiUrl ? `?server=${apiUrl}` : ''}
Team server: ${apiUrl ?? 'not running'}
(Ctrl+C to stop)`);
