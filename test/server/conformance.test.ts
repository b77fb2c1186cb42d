/**
 * The conformance suite (converse-desk/conformance) against the team server, through the HTTP
 * adapter with JWTs: on PGlite (the default store) and on a real PostgreSQL.
 */
import { conformanceSuite, type ConformanceTarget } from 'converse-desk/conformance';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, it, vi } from 'vitest';
import { createHttpAdapter } from '../../src/http/index.js';
import type { Database } from '../../src/server/db.js';
import { openDatabase } from '../../src/server/db.js';
import { startServer } from '../../src/server/index.js';
import { api, openPglite, SECRET, startPostgres, token, type Postgres } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

/** A fresh server and account per case on one database (same users, keys in every case). */
function target(database: () => Database): ConformanceTarget {
  return {
    async open(seed) {
      // Each case seeds its own account: forget the last case's state, keys and jobs.
      await sql`truncate desk_idempotency, desk_jobs, desk_account, desk_users, desk_senders,
        desk_templates, desk_contacts, desk_recipients, desk_conversations, desk_messages,
        desk_pending_campaigns, desk_keys, desk_conversation_writers,
        desk_conversation_numbers`.execute(database().db);
      const server = await startServer({
        port: 0,
        database: database(),
        seed,
        demo: true,
        statusDelayMs: 1,
        auth: { jwtSecret: SECRET },
        logLevel: 'silent',
        rateLimit: { max: 1_000_000, windowMs: 60_000 },
        streams: { reconnectMs: 10 },
      });
      const adapters: Array<{ close(): void }> = [];
      const simulate = async (path: string, body: unknown) => {
        const answer = await api(server.url, 'admin', path, { body });
        if (answer.status >= 300) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
        return answer.body as unknown;
      };
      return {
        connect(userId) {
          const adapter = createHttpAdapter({
            baseUrl: server.url,
            token: () => token(userId),
            retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 },
            events: { baseDelayMs: 5, maxDelayMs: 20, heartbeatTimeoutMs: 0 },
            flush: { baseDelayMs: 5, maxDelayMs: 20 },
            outbox: false,
            cache: false,
          });
          adapters.push(adapter);
          return adapter;
        },
        receive: (input) => simulate('/simulate/incoming', input),
        campaign: (input) => simulate('/simulate/campaign', { input }),
        settle: () => new Promise((resolve) => setTimeout(resolve, 100)),
        async close() {
          for (const adapter of adapters) adapter.close();
          await server.close();
        },
      };
    },
  };
}

describe('on PGlite', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite();
  });
  afterAll(() => database.close());
  conformanceSuite(
    { describe, it },
    target(() => database),
    'team server on PGlite conformance',
  );
});

describe('on PostgreSQL', () => {
  let postgres: Postgres;
  let database: Database;
  beforeAll(async () => {
    postgres = await startPostgres();
    database = await openDatabase({ url: await postgres.createDatabase() });
  });
  afterAll(async () => {
    await database?.close();
    postgres?.stop();
  });
  conformanceSuite(
    { describe, it },
    target(() => database),
    'team server on PostgreSQL conformance',
  );
});
