/**
 * The database: PGlite in a data folder (zero setup, one instance) or a PostgreSQL server
 * (`DATABASE_URL`, any number of instances). Both speak the same SQL through Kysely, whose
 * PostgresDialect (pg) and PGliteDialect share one query compiler, so the schema, the migrations
 * and every query are written once.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { migrate } from './migrations.js';
import type { Tables } from './schema.js';

export type Db = Kysely<Tables>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Calls `onNotify` for every NOTIFY on `channel`, and `onReconnect` when missed ones may exist. */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`: a PostgreSQL server. Without it, PGlite in `dataDir`. */
  url?: string;
  /** PGlite's folder; `memory://` keeps nothing (tests). */
  dataDir?: string;
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
  const lite = await PGlite.create(options.dataDir ?? 'memory://');
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(lite) });
  const unlisten: Array<() => Promise<void>> = [];
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify) {
      unlisten.push(await lite.listen(channel, onNotify));
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
  });
  pool.on('error', (error) => options.onError?.(error));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  let closed = false;

  /** One dedicated connection per channel; reconnects (and says so) when it drops. */
  async function connectListener(
    channel: string,
    onNotify: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<void> {
    const client = new pg.Client({ connectionString: options.url });
    listeners.push(client);
    const retry = () => {
      listeners.splice(listeners.indexOf(client), 1);
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      if (closed) return;
      setTimeout(() => {
        connectListener(channel, onNotify, onReconnect)
          .then(() => onReconnect?.())
          .catch(() => retry());
      }, 500);
    };
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('error', (error) => {
      options.onError?.(error);
      retry();
    });
    await client.connect();
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
  }

  return {
    db,
    kind: 'postgres',
    listen: connectListener,
    async close() {
      closed = true;
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
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
