/**
 * `npm start`: starts the team server in demo mode (PGlite in .desk-data/, the simulated
 * carrier; `DATABASE_URL` for PostgreSQL) while it builds the examples, serves them on localhost
 * and prints the URLs. `API_PORT` moves the server (default 8787), `PORT` the pages (8000).
 */
import { execFileSync } from 'node:child_process';
import { startStaticServer } from './serve.js';
import { startTeamServer } from './team-server.js';

const apiPort = Number(process.env.API_PORT ?? 8787);
const api = startTeamServer({ env: { PORT: String(apiPort) } });
let apiError;
const apiUrl = api.url.catch((error) => {
  apiError = error;
  return null;
});
process.on('exit', () => api.child.kill('SIGTERM'));
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

execFileSync('npx', ['rollup', '-c', 'rollup.examples.config.js'], { stdio: 'inherit' });
const { url } = await startStaticServer({
  root: 'examples',
  port: Number(process.env.PORT ?? 8000),
});
const server = await apiUrl;
// The demo page looks for the server on its own host, port 8787; elsewhere it is told.
const query = (user) => {
  const params = new URLSearchParams({ user });
  if (server && new URL(server).port !== '8787') params.set('server', server);
  return `?${params}`;
};
console.log(`
Converse Desk demo on the team server: two windows, two agents, one desk:
  admin Ada:  ${url}demo/${query('ada')}
  agent Sam:  ${url}demo/${query('sam')}
All in this browser, no server:  ${url}demo/?backend=embedded
React host:        ${url}react/
Vue host:          ${url}vue/
Theming and i18n:  ${url}theming/
Single elements over HTTP: ${url}single-elements/${server ? `?server=${server}` : ''}
Team server: ${server ?? `not running (${apiError?.message ?? 'unknown'}); the in-browser demo works without it`}
(Ctrl+C to stop)`);
