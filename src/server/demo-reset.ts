/**
 * Demo mode only (`POST /demo/reset`): the demo account as it was first stored. Every table of
 * the desk is emptied (the migrations, the log's horizon and the upkeep jobs stay), and the
 * horizon moves past every event id given out so far: a desk that resumes is told `reset` and
 * loads what it shows again. The caller stores the account again in the same transaction.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';
import { APPEND_LOCK } from './event-log.js';
import { ACCOUNT_LOCK } from './pg-repository.js';

const KEPT = new Set(['desk_migrations', 'desk_migrations_lock', 'desk_log_horizon', 'desk_jobs']);

export async function wipeDesk(tx: Db): Promise<void> {
  // The order every writer takes them in: no command runs between the wipe and the new seed.
  await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK}), pg_advisory_xact_lock(${APPEND_LOCK})`.execute(
    tx,
  );
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename like ${'desk\\_%'}`.execute(tx);
  for (const { name } of rows) {
    if (!KEPT.has(name)) await sql`delete from ${sql.table(name)}`.execute(tx);
  }
  // Jobs about the old data (sends, statuses, SN6's release) go; the upkeep jobs stay.
  await sql`delete from desk_jobs where unique_key is null or kind = 'desk.release'`.execute(tx);
  await sql`
    update desk_log_horizon
    set pruned_through = nextval(pg_get_serial_sequence('desk_events', 'id'))`.execute(tx);
}
