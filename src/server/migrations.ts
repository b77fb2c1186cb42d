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
  '0003_desk_state': {
    async up(db: Kysely<unknown>) {
      // The account's state (the engine's DeskStore, see pg-store.ts). Each record is its JSON
      // (`data`) plus the columns its lookups and lists need; ids sort bytewise ("C"), as in JS.
      await run(db, [
        `create table desk_account (
          one boolean primary key default true check (one),
          settings text
          )`,
        `create table desk_users (id text collate "C" primary key, data text not null)`,
        `create table desk_senders (id text collate "C" primary key, data text not null)`,
        `create table desk_templates (id text collate "C" primary key, data text not null)`,
        `create table desk_contacts (
          id text collate "C" primary key,
          phone text not null unique,
          folded text not null,
          digits text not null,
          data text not null
          )`,
        `create table desk_recipients (phone text primary key, data text not null)`,
        `create table desk_conversations (
          id text collate "C" primary key,
          sender_id text not null,
          customer text not null,
          owner_id text not null,
          has_incoming boolean not null,
          outgoing_by text[] not null,
          last_activity_at bigint not null,
          data text not null,
          unique (sender_id, customer)
          )`,
        // V1–V4 pages: everything, by owner, an owner's inbox, and "with my outgoing message".
        `create index desk_conversations_activity on desk_conversations (last_activity_at desc, id)`,
        `create index desk_conversations_owner
          on desk_conversations (owner_id, last_activity_at desc, id)`,
        `create index desk_conversations_inbox
          on desk_conversations (owner_id, last_activity_at desc, id) where has_incoming`,
        `create index desk_conversations_outgoing on desk_conversations using gin (outgoing_by)`,
        `create table desk_messages (
          id text collate "C" primary key,
          conversation_id text collate "C" not null,
          created_at bigint not null,
          waiting text,
          data text not null
          )`,
        `create index desk_messages_thread on desk_messages (conversation_id, created_at desc, id desc)`,
        // SN6's queue and the provider's unfinished messages: small partial indexes.
        `create index desk_messages_waiting on desk_messages (waiting, id) where waiting is not null`,
        `create table desk_pending_campaigns (
          seq bigserial primary key,
          sender_id text not null,
          customer text not null,
          data text not null
          )`,
        `create index desk_pending_campaigns_pair on desk_pending_campaigns (sender_id, customer, seq)`,
        `create table desk_keys (
          user_id text not null,
          key text not null,
          message_id text not null,
          created_at bigint not null,
          primary key (user_id, key)
          )`,
        `create index desk_keys_created on desk_keys (created_at)`,
      ]);
    },
  },
  // 0004–0005: the carriers' outgoing journal, fetched media and their conversations (carriers/migrations.ts).
  ...carrierMigrations,
  '0006_contact_search_trigram': {
    async up(db: Kysely<unknown>) {
      // SN1's contact search is a substring match: trigram indexes serve it (pg_trgm is a trusted
      // extension: the database's owner may create it; PGlite loads it in db.ts).
      await run(db, [
        `create extension if not exists pg_trgm`,
        `create index desk_contacts_folded_trgm on desk_contacts using gin (folded gin_trgm_ops)`,
        `create index desk_contacts_digits_trgm on desk_contacts using gin (digits gin_trgm_ops)`,
      ]);
    },
  },
  '0007_conversation_search': {
    async up(db: Kysely<unknown>) {
      // V6's search on `GET /conversations?q=`: any part of the number (E.164 is `+` and digits,
      // so a substring of the digits is one of the number), and V2's pages by sender ID.
      await run(db, [
        `create index desk_conversations_customer_trgm
          on desk_conversations using gin (customer gin_trgm_ops)`,
        `create index desk_conversations_sender
          on desk_conversations (sender_id, last_activity_at desc, id) where has_incoming`,
      ]);
    },
  },
  '0008_view_counts': {
    async up(db: Kysely<unknown>) {
      // Issue 11: each view's size and unread rows by a count over an index, not the account:
      // V1/V3 by owner, V2 by sender ID (and owner), V4 through the GIN index on `outgoing_by`.
      await run(db, [
        `alter table desk_conversations add column unread boolean not null default false`,
        `update desk_conversations set unread = coalesce((data::json->>'unread')::boolean, false)`,
        `create index desk_conversations_inbox_counts
          on desk_conversations (owner_id, unread) where has_incoming`,
        `create index desk_conversations_sender_counts
          on desk_conversations (sender_id, owner_id, unread) where has_incoming`,
      ]);
    },
  },
  '0009_simulated_failures': {
    async up(db: Kysely<unknown>) {
      // The demo's "the next send to this number fails" (the simulated carrier), shared by every
      // instance: set on one, taken (deleted) by whichever hands the next send over.
      await run(db, [
        `create table desk_simulated_failures (phone text primary key, reason text not null)`,
      ]);
    },
  },
  '0010_conversation_side_tables': {
    async up(db: Kysely<unknown>) {
      // Issue 9. Every message rewrites its conversation's row (`last_activity_at`), so no
      // update is HOT and each index of desk_conversations takes a new entry per message: ten,
      // two of them GIN (the number's trigrams: a dozen entries). What never changes after the
      // conversation is created (its number, for V6) moves to a side table written once; V4's
      // list (GIN, in no activity order) becomes an index of the owners' rows plus a side table
      // of the other writers (few: a shared sender ID, an assignment); near-duplicates merge (a
      // view's page and its count read one index); the account-wide index orders by `-last_activity_at`, so only the `all` list can
      // use it (a view walking it and filtering reads the account: the planner chose that).
      await run(db, [
        // V4 and the `involving` list: a row per user other than the owner who sent an
        // outgoing message in the conversation (`outgoing_by` only grows: a message is never
        // deleted), kept at its activity and read state. The owner's own V4 rows are the partial
        // index desk_conversations_owner_wrote: one entry per message, not a row.
        `create table desk_conversation_writers (
          user_id text collate "C" not null,
          conversation_id text collate "C" not null,
          last_activity_at bigint not null,
          unread boolean not null,
          primary key (user_id, conversation_id)
          )`,
        `insert into desk_conversation_writers (user_id, conversation_id, last_activity_at, unread)
          select distinct u, id, last_activity_at, unread
          from desk_conversations, unnest(outgoing_by) u where u <> owner_id`,
        `create index desk_conversation_writers_page
          on desk_conversation_writers (user_id, last_activity_at desc, conversation_id)
          include (unread)`,
        // V6: a conversation's number, written once (C1: it never changes); by conversation (a
        // view's walk probes it), by number (from the contacts a name matches) and by trigram.
        `create table desk_conversation_numbers (
          conversation_id text collate "C" primary key,
          customer text not null
          )`,
        `insert into desk_conversation_numbers (conversation_id, customer)
          select id, customer from desk_conversations`,
        `create index desk_conversation_numbers_customer on desk_conversation_numbers (customer)`,
        `create index desk_conversation_numbers_trgm
          on desk_conversation_numbers using gin (customer gin_trgm_ops)`,
        `drop index desk_conversations_outgoing`,
        `drop index desk_conversations_customer_trgm`,
        `drop index desk_conversations_activity`,
        `drop index desk_conversations_owner`,
        `drop index desk_conversations_inbox`,
        `drop index desk_conversations_inbox_counts`,
        `drop index desk_conversations_sender`,
        `drop index desk_conversations_sender_counts`,
        `create index desk_conversations_all on desk_conversations ((-last_activity_at), id)`,
        // V1/V3 pages and counts (index-only: `unread` is carried).
        `create index desk_conversations_inbox_page
          on desk_conversations (owner_id, last_activity_at desc, id) include (unread)
          where has_incoming`,
        // V2 pages and counts: an admin's (the sender ID's), a standard user's (and the owner's).
        `create index desk_conversations_sender_page
          on desk_conversations (sender_id, last_activity_at desc, id) include (unread)
          where has_incoming`,
        `create index desk_conversations_sender_owner_page
          on desk_conversations (sender_id, owner_id, last_activity_at desc, id) include (unread)
          where has_incoming`,
        // V4: the conversations whose owner wrote in them.
        `create index desk_conversations_owner_wrote
          on desk_conversations (owner_id, last_activity_at desc, id) include (unread)
          where owner_id = any(outgoing_by)`,
        // The owned conversations without an incoming message (the rest of `involving`): an
        // incoming message's update never enters this index.
        `create index desk_conversations_quiet
          on desk_conversations (owner_id, last_activity_at desc, id) where not has_incoming`,
      ]);
    },
  },
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
