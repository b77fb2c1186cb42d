/**
 * The schema, as Kysely migrations. Kysely's Migrator records what ran in a table, takes a lock
 * so that two instances starting at once migrate once, and runs on PGlite and PostgreSQL alike.
 * The migrations live in code (not a folder), so the built package carries them. Never edit one
 * that shipped: add the next.
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { carrierMigrations } from './carriers/migrations.js';

const migrations: Record<string, Migration> = {
  '0001_event_log_idempotency_jobs': {
    async up(db: Kysely<unknown>) {
      await run(db, [
        `create table desk_events (
          id bigserial primary key,
          at bigint not null,
          type text not null,
          audience text[],
          data text not null
          )`,
        `create index desk_events_at on desk_events (at)`,
        `create table desk_log_horizon (
          one boolean primary key default true check (one),
          pruned_through bigint not null
          )`,
        `insert into desk_log_horizon (one, pruned_through) values (true, 0)`,
        `create table desk_idempotency (
          user_id text not null,
          key text not null,
          created_at bigint not null,
          status integer not null,
          body text not null,
          primary key (user_id, key)
          )`,
        `create index desk_idempotency_created on desk_idempotency (created_at)`,
        `create table desk_jobs (
          id bigserial primary key,
          kind text not null,
          payload text not null,
          run_at bigint not null,
          attempts integer not null default 0,
          locked_until bigint,
          unique_key text unique,
          last_error text
          )`,
        `create index desk_jobs_due on desk_jobs (run_at)`,
      ]);
    },
  },
  '0002_carrier_inbox': {
    async up(db: Kysely<unknown>) {
      await run(db, [
        // Verified carrier events, one row per event key: a webhook delivered twice is stored once.
        `create table desk_carrier_inbox (
          key text primary key,
          carrier text not null,
          event text not null,
          received_at bigint not null,
          retry_at bigint not null,
          tries integer not null default 0,
          processed_at bigint
          )`,
        `create index desk_carrier_inbox_due on desk_carrier_inbox (retry_at)
          where processed_at is null`,
        // Which desk message and attempt each carrier id stands for (statuses refer to it).
        `create table desk_carrier_messages (
          carrier text not null,
          carrier_message_id text not null,
          message_id text not null,
          attempt integer not null,
          created_at bigint not null,
          primary key (carrier, carrier_message_id)
          )`,
      ]);
    },
  },
  // 0003: the carriers' outgoing journal and fetched media (carriers/migrations.ts).
  ...carrierMigrations,
};

/** One statement per query: PGlite's extended protocol runs one at a time. */
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: the migrator only reads its own tables
export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'desk_migrations',
    migrationLockTableName: 'desk_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
