/**
 * The database: PGlite in a data folder (zero setup, one instance) or a PostgreSQL server
 * (`DATABASE_URL`, any number of instances). Both speak the same SQL through Kysely, whose
 * PostgresDialect (pg) and PGliteDialect share one query compiler, so the schema, the migrations
 * and every query are written once.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { migrate } from './migrations.js';
import { pipelineClient } from './pg-pipeline.js';
import type { Tables } from './schema.js';

export type Db = Kysely<Tables>;
export { named } from './pg-pipeline.js';

export interface Database {
  db: Db;
  /** PGlite only: the instance (to dump it, say). */
  lite?: PGlite;
  kind: 'pglite' | 'postgres';
  /**
   * Calls `onNotify` for every NOTIFY on `channel`, and `onReconnect` when some may have been
   * missed. Resolves with the function that stops listening.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`: a PostgreSQL server. Without it, PGlite in `dataDir`. */
  url?: string;
  /** PGlite's folder; `memory://` keeps nothing (tests). */
  dataDir?: string;
  /** PGlite: start from this dump (`dumpDataDir()`), skipping initdb (tests). */
  loadDataDir?: Blob;
  /** Connections per instance (PostgreSQL only). */
  poolSize?: number;
  onError?: (error: unknown) => void;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? openPostgres(options) : await openPglite(options);
  await migrate(database.db);
  return database;
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const lite = await PGlite.create(options.dataDir ?? 'memory://', {
    extensions: { pg_trgm }, // contact search's indexes (migration 0005)
    ...(options.loadDataDir && { loadDataDir: options.loadDataDir }),
  });
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(lite) });
  const unlisten: Array<() => Promise<void>> = [];
  return {
    db,
    lite,
    kind: 'pglite',
    async listen(channel, onNotify) {
      const stop = await lite.listen(channel, onNotify);
      unlisten.push(stop);
      return async () => {
        unlisten.splice(unlisten.indexOf(stop), 1);
        await stop();
      };
    },
    async close() {
      for (const stop of unlisten) await stop().catch(() => undefined);
      await db.destroy(); // closes PGlite too
    },
  };
}

function openPostgres(options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: NUMBERS,
    // begin and commit ride with a transaction's first and last statements (pg-pipeline.ts)
    pipeline: true,
  });
  pool.on('error', (error) => options.onError?.(error));
  pool.on('connect', pipelineClient);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();
  let closed = false;

  /** One dedicated connection per listener; reconnects (and says so) when it drops. */
  async function listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let stopped = false;
    const connect = async () => {
      const next = new pg.Client({ connectionString: options.url, types: NUMBERS });
      client = next;
      listeners.add(next);
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      next.on('error', (error) => {
        options.onError?.(error);
        drop(next);
      });
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    };
    const drop = (dead: pg.Client) => {
      listeners.delete(dead);
      dead.removeAllListeners();
      void dead.end().catch(() => undefined);
      if (stopped || closed || client !== dead) return;
      setTimeout(() => {
        connect().then(
          () => onReconnect?.(),
          () => client && drop(client),
        );
      }, 500);
    };
    await connect();
    return async () => {
      stopped = true;
      if (client) {
        listeners.delete(client);
        await client.end().catch(() => undefined);
      }
    };
  }

  return {
    db,
    kind: 'postgres',
    listen,
    async close() {
      closed = true;
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      await db.destroy();
    },
  };
}

/** int8 (ids, epoch-ms times) as numbers, as PGlite reads them, for this pool only. */
const NUMBERS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? Number
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** NOTIFY from inside a transaction: delivered to every listener when (and only if) it commits. */
export async function notify(db: Db, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}
