/**
 * The outgoing journal in Postgres: one row per (message, attempt), claimed by an insert that only
 * one hand-off wins, so a restart that hands the messages in flight over again, or a second
 * instance, never sends one twice. A retry is a durable job (jobs.ts, SKIP LOCKED) scheduled in
 * the same transaction that marks the row, so it survives a restart and runs once.
 */
import { scheduleJob } from '../jobs.js';
import type { Db } from '../db.js';
import type { SendJob, SendJournal } from './dispatch.js';

/** The job kind of a planned carrier retry; its handler is the dispatcher's `resume`. */
export const CARRIER_SEND_JOB = 'carrier.send';

export interface PostgresJournalOptions {
  /**
   * A try still `sending` after this long was cut by a crash mid-request: ambiguous (the carrier
   * may have it), so a new hand-off fails it rather than sends again. Default 5 minutes.
   */
  staleMs?: number;
}

export function postgresJournal(db: Db, options: PostgresJournalOptions = {}): SendJournal {
  const staleMs = options.staleMs ?? 5 * 60_000;
  const set = (
    tx: Db,
    messageId: string,
    attempt: number,
    values: { state: 'sending' | 'retry' | 'sent' | 'failed'; tries?: number; updated_at: number },
  ) =>
    tx
      .updateTable('desk_carrier_sends')
      .set(values)
      .where('message_id', '=', messageId)
      .where('attempt', '=', attempt);

  return {
    async begin(messageId, attempt, now) {
      const inserted = await db
        .insertInto('desk_carrier_sends')
        .values({ message_id: messageId, attempt, state: 'sending', tries: 1, updated_at: now })
        .onConflict((oc) => oc.columns(['message_id', 'attempt']).doNothing())
        .returning('message_id')
        .executeTakeFirst();
      if (inserted) return 'go';
      const stale = await set(db, messageId, attempt, { state: 'failed', updated_at: now })
        .where('state', '=', 'sending')
        .where('updated_at', '<', now - staleMs)
        .returning('message_id')
        .executeTakeFirst();
      return stale ? 'stale' : 'taken';
    },
    async resume(messageId, attempt, tries, now) {
      const claimed = await set(db, messageId, attempt, {
        state: 'sending',
        tries,
        updated_at: now,
      })
        .where('state', '=', 'retry')
        .where('tries', '=', tries - 1)
        .returning('message_id')
        .executeTakeFirst();
      return claimed !== undefined;
    },
    async sent(messageId, attempt, now) {
      await set(db, messageId, attempt, { state: 'sent', updated_at: now }).execute();
    },
    async retryLater(job: SendJob, at) {
      const { id, attempt } = job.message;
      await db.transaction().execute(async (tx) => {
        await set(tx, id, attempt, { state: 'retry', updated_at: at }).execute();
        await scheduleJob(tx, {
          kind: CARRIER_SEND_JOB,
          payload: job,
          runAt: at,
          uniqueKey: `${CARRIER_SEND_JOB}:${id}:${attempt}`,
        });
      });
    },
    async failed(messageId, attempt, now) {
      await set(db, messageId, attempt, { state: 'failed', updated_at: now }).execute();
    },
  };
}
