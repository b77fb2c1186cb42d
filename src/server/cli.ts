/**
 * `npx converse-desk-server`: starts the server from environment variables (see config.ts and
 * the README), and stops it gracefully on SIGTERM or SIGINT.
 */
import { readFileSync } from 'node:fs';
import type { SeedData } from '../embedded/index.js';
import { configFromEnv, type ServerConfig } from './config.js';
import { startServer } from './server.js';

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config: ServerConfig = configFromEnv(env);
  if (env.DESK_SEED) config.seed = JSON.parse(readFileSync(env.DESK_SEED, 'utf8')) as SeedData;
  const server = await startServer(config);
  // The line scripts and tests wait for.
  console.log(`Converse Desk server listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
