/**
 * The simulated provider of the server (demo mode, tests): like the embedded one, statuses follow
 * a send after set delays (`read` on WhatsApp only), but each pending status is a durable job
 * (jobs.ts), not a timer in this process. A status due while every instance was down is applied
 * when one starts; two instances never both apply it (the job is claimed with SKIP LOCKED).
 */
import type { Clock } from '../clock.js';
import type { DeskProvider } from '../engine/context.js';
import type { ProviderSimulation } from '../embedded/provider.js';
import type { StatusUpdate } from '../rules/status.js';
import type { Conversation, Message, MessageStatus } from '../types.js';
import type { Db } from './db.js';
import { scheduleJob, type JobHandler } from './jobs.js';

export const SIMULATED_STATUS_JOB = 'desk.simulated-status';

interface StatusJob {
  messageId: string;
  update: StatusUpdate;
}

export class DurableSimulatedProvider implements DeskProvider {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #delays: ProviderSimulation;
  readonly #onError: (error: unknown) => void;

  constructor(
    db: Db,
    clock: Clock,
    delays: ProviderSimulation,
    onError: (error: unknown) => void = () => undefined,
  ) {
    this.#db = db;
    this.#clock = clock;
    this.#delays = delays;
    this.#onError = onError;
  }

  /**
   * The next dispatch to this number fails with `reason`, on whichever instance hands it over
   * (stored in `tx`, the caller's transaction: a rolled-back request sets nothing).
   */
  async failNext(tx: Db, phone: string, reason: string): Promise<void> {
    await tx
      .insertInto('desk_simulated_failures')
      .values({ phone, reason })
      .onConflict((oc) => oc.column('phone').doUpdateSet({ reason }))
      .execute();
  }

  dispatch(message: Message, conversation: Conversation, at: number): void {
    this.schedule(message, conversation, at).catch(this.#onError);
  }

  /**
   * Stores the message's coming statuses as jobs due at their times (one per status and
   * attempt: a second hand-over of the same attempt moves them, never doubles them).
   */
  async schedule(message: Message, conversation: Conversation, at: number): Promise<void> {
    const now = this.#clock.now();
    await this.#db.transaction().execute(async (tx) => {
      // Taken by one hand-over only (the row is deleted in its transaction).
      const failure = (
        await tx
          .deleteFrom('desk_simulated_failures')
          .where('phone', '=', conversation.customer)
          .returning('reason')
          .executeTakeFirst()
      )?.reason;
      const steps: Array<[MessageStatus, number]> =
        failure !== undefined
          ? [['failed', this.#delays.sentAfterMs]]
          : [
              ['sent', this.#delays.sentAfterMs],
              ['delivered', this.#delays.deliveredAfterMs],
              ...(conversation.channel === 'whatsapp'
                ? [['read', this.#delays.readAfterMs] as [MessageStatus, number]]
                : []),
            ];
      for (const [status, delay] of steps) {
        const update: StatusUpdate = {
          status,
          attempt: message.attempt,
          at: at + delay,
          ...(failure !== undefined && { reason: failure }),
        };
        const payload: StatusJob = { messageId: message.id, update };
        const uniqueKey = `${SIMULATED_STATUS_JOB}:${message.id}:${message.attempt}:${status}`;
        await scheduleJob(
          tx,
          { kind: SIMULATED_STATUS_JOB, payload, runAt: at + delay, uniqueKey },
          now,
        );
      }
    });
  }

  /** The job that applies a due status (SN7 ignores one the message went past). */
  handler(applyStatus: (messageId: string, update: StatusUpdate) => Promise<void>): JobHandler {
    return async (payload) => {
      const { messageId, update } = payload as StatusJob;
      await applyStatus(messageId, update);
    };
  }
}
