/**
 * The durable event log. Every event a command emits is a row whose `id` (a bigserial) is its
 * event id on every stream: ids never restart, so `Last-Event-ID` resumes across restarts and
 * across instances. Appends take one transaction-scoped advisory lock, so ids are committed in
 * the order they were given out: a reader that has seen id N has seen every event before N.
 */
import { sql } from 'kysely';
import type { ServerEvent } from '../adapter.js';
import type { UserId } from '../types.js';
import type { Db } from './db.js';
import { writeBatch } from './pg-batch-sql.js';

/** An event and the users it is for (null: every user of the account). */
export interface AddressedEvent {
  event: ServerEvent;
  audience: UserId[] | null;
}

export interface LoggedEvent {
  id: number;
  type: string;
  audience: UserId[] | null;
  /** The event as JSON. */
  data: string;
}

export const EVENTS_CHANNEL = 'desk_events';
/** Any constant: the lock that orders appends. */
export const APPEND_LOCK = 0x636465736b;

/** Appends in the caller's transaction and NOTIFYs; call it last, just before the commit. */
export async function appendEvents(
  tx: Db,
  events: AddressedEvent[],
  now: number,
  /** The caller took APPEND_LOCK already (with its other locks, in one round trip). */
  locked = false,
): Promise<LoggedEvent[]> {
  if (events.length === 0) return [];
  if (!locked) await sql`select pg_advisory_xact_lock(${APPEND_LOCK})`.execute(tx);
  // The rows and their NOTIFY (the last id) in one statement.
  return writeBatch(tx, { conversations: [], messages: [], events, now }, EVENTS_CHANNEL);
}

/** Events after `after`, in order; for one user when `userId` is given. */
export async function readEvents(
  db: Db,
  after: number,
  limit: number,
  userId?: UserId,
): Promise<LoggedEvent[]> {
  let query = db
    .selectFrom('desk_events')
    .select(['id', 'type', 'audience', 'data'])
    .where('id', '>', after);
  if (userId !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('audience', 'is', null), sql<boolean>`${userId} = any(audience)`]),
    );
  }
  return query.orderBy('id').limit(limit).execute();
}

/** The newest id written (or pruned): where a fresh stream starts. */
export async function logHead(db: Db): Promise<number> {
  const { rows } = await sql<{ head: number }>`
    select greatest(
      coalesce((select max(id) from desk_events), 0),
      (select pruned_through from desk_log_horizon)
    )::bigint as head`.execute(db);
  return Number(rows[0]?.head ?? 0);
}

/** Events up to this id are gone: a resume from before it cannot be served. */
export async function logHorizon(db: Db): Promise<number> {
  const row = await db
    .selectFrom('desk_log_horizon')
    .select('pruned_through')
    .executeTakeFirstOrThrow();
  return Number(row.pruned_through);
}

/** Deletes events older than `before` (epoch ms) and moves the horizon past them. */
export async function pruneEvents(db: Db, before: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const last = await tx
      .selectFrom('desk_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('at', '<', before)
      .executeTakeFirst();
    const through = Number(last?.id ?? 0);
    if (!through) return 0;
    const deleted = await tx
      .deleteFrom('desk_events')
      .where('id', '<=', through)
      .executeTakeFirst();
    await tx
      .updateTable('desk_log_horizon')
      .set((eb) => ({ pruned_through: sql`greatest(${eb.ref('pruned_through')}, ${through})` }))
      .execute();
    return Number(deleted.numDeletedRows);
  });
}
