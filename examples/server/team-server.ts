/**
 * The team server (`converse-desk/server`) in demo mode with the demo shop: what `npm start`
 * runs. PGlite in `.desk-data/` by default; `DATABASE_URL` for PostgreSQL. Environment variables
 * as for `npx converse-desk-server` (README, "Server").
 *
 *   node --import tsx examples/server/team-server.ts
 */
import { configFromEnv, startServer } from '../../src/server/index.js';
import { demoHistory, demoSeed } from '../demo/seed.js';

const config = configFromEnv();
const server = await startServer({
  port: 8787,
  ...config,
  demo: true,
  seed: demoSeed,
  history: demoHistory,
});
console.log(`Converse Desk server listening on ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
