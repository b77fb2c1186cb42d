/**
 * Idempotency-Key records per user (docs/protocol.md section 3). The claim is the first write of
 * the command's transaction: a second request with the same key, on any instance, waits on the
 * primary key until the first commits and then replays its answer, or, if the first was refused
 * (rolled back), runs itself. Records are kept 7 days (the engine's `IDEMPOTENCY_TTL_MS`, one
 * definition for both stores), then pruned by the maintenance job (./maintenance.ts).
 *
 * A stored answer is replayed only after the permission check (docs/protocol.md section 3): the
 * server runs a send or a retry again, and the engine, which checks the user's access first,
 * refuses what the user may no longer do, or finds its own record of the key and acts no more.
 */
import { sql } from 'kysely';
import type { UserId } from '../types.js';
import type { Db } from './db.js';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** Null when this request holds the key now; otherwise the first request's answer. */
export async function claimKey(
  tx: Db,
  userId: UserId,
  key: string,
  now: number,
): Promise<StoredAnswer | null> {
  const inserted = await tx
    .insertInto('desk_idempotency')
    .values({ user_id: userId, key, created_at: now, status: 0, body: '' })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return null;
  const row = await tx
    .selectFrom('desk_idempotency')
    .select(['status', 'body'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return { status: row.status, body: JSON.parse(row.body) as unknown };
}

/** Stores the answer of the request that holds the key, in the same transaction. */
export async function recordAnswer(
  tx: Db,
  userId: UserId,
  key: string,
  answer: StoredAnswer,
): Promise<void> {
  await tx
    .updateTable('desk_idempotency')
    .set({ status: answer.status, body: JSON.stringify(answer.body) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

export async function pruneKeys(db: Db, before: number): Promise<number> {
  const { numDeletedRows } = await db
    .deleteFrom('desk_idempotency')
    .where('created_at', '<', sql<number>`${before}`)
    .executeTakeFirst();
  return Number(numDeletedRows);
}
