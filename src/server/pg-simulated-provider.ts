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
  /** Per instance, like a carrier's test hook: the next dispatch to this number fails. */
  readonly #failures = new Map<string, string>();

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

  /** The next dispatch to this number fails with `reason`. */
  failNext(phone: string, reason: string): void {
    this.#failures.set(phone, reason);
  }

  dispatch(message: Message, conversation: Conversation, at: number): void {
    this.schedule(message, conversation, at).catch(this.#onError);
  }

  /**
   * Stores the message's coming statuses as jobs due at their times (one per status and
   * attempt: a second hand-over of the same attempt moves them, never doubles them).
   */
  async schedule(message: Message, conversation: Conversation, at: number): Promise<void> {
    const failure = this.#failures.get(conversation.customer);
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
    this.#failures.delete(conversation.customer);
    const now = this.#clock.now();
    await this.#db.transaction().execute(async (tx) => {
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
