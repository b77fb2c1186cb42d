/**
 * `npm start`: builds the examples, starts the reference server (for the HTTP example), serves
 * the examples on localhost and prints the URLs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { startStaticServer } from './serve.js';

execFileSync('npx', ['rollup', '-c', 'rollup.examples.config.js'], { stdio: 'inherit' });

const apiPort = Number(process.env.API_PORT ?? 8787);
const api = spawn(
  process.execPath,
  ['--import', 'tsx', 'examples/server/server.ts', '--port', String(apiPort)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
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
Converse Desk demo: ${url}demo/
  React host:       ${url}react/
  Vue host:         ${url}vue/
  Theming and i18n: ${url}theming/
  Single elements over HTTP: ${url}single-elements/${apiUrl ? `?server=${apiUrl}` : ' (reference server failed to start)'}
(Ctrl+C to stop)`);
