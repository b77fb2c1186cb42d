/**
 * The simulated messaging provider of the embedded backend: statuses arrive after set delays
 * (`read` on WhatsApp only), and a number can be told to fail its next send (SN7 demos and tests).
 * Every timer it sets is cancelled by `close()`.
 */
import type { Clock } from '../clock.js';
import type { DeskProvider } from '../engine/context.js';
import type { StatusUpdate } from '../rules/status.js';
import type { Conversation, Message, MessageStatus } from '../types.js';

export interface ProviderSimulation {
  /** Delays after which a dispatched message reaches each status; `read` only on WhatsApp. */
  sentAfterMs: number;
  deliveredAfterMs: number;
  readAfterMs: number;
}

export const DEFAULT_PROVIDER: ProviderSimulation = {
  sentAfterMs: 400,
  deliveredAfterMs: 1500,
  readAfterMs: 5000,
};

export class SimulatedProvider implements DeskProvider {
  readonly #clock: Clock;
  readonly #delays: ProviderSimulation;
  readonly #report: (messageId: string, update: StatusUpdate) => Promise<unknown>;
  readonly #failures = new Map<string, string>();
  readonly #timers = new Set<unknown>();

  constructor(
    clock: Clock,
    delays: ProviderSimulation,
    report: (messageId: string, update: StatusUpdate) => Promise<unknown>,
  ) {
    this.#clock = clock;
    this.#delays = delays;
    this.#report = report;
  }

  /** The next dispatch to this number fails with `reason`. */
  failNext(phone: string, reason: string): void {
    this.#failures.set(phone, reason);
  }

  dispatch(message: Message, conversation: Conversation, at: number): void {
    const failure = this.#failures.get(conversation.customer);
    if (failure !== undefined) {
      this.#failures.delete(conversation.customer);
      this.#after(at + this.#delays.sentAfterMs, message, 'failed', failure);
      return;
    }
    const steps: Array<[MessageStatus, number]> = [
      ['sent', this.#delays.sentAfterMs],
      ['delivered', this.#delays.deliveredAfterMs],
    ];
    if (conversation.channel === 'whatsapp') steps.push(['read', this.#delays.readAfterMs]);
    // A message resumed after a reload skips what it already reached (SN7 ignores those anyway).
    for (const [status, delay] of steps) this.#after(at + delay, message, status);
  }

  /**
   * Reports `status` at time `due`. A hand-over that happened in the past (a release whose timer
   * fired late, a reload) catches up at once, with the times the statuses were due.
   */
  #after(due: number, message: Message, status: MessageStatus, reason?: string): void {
    const report = () => {
      const update: StatusUpdate = {
        status,
        attempt: message.attempt,
        at: due,
        ...(reason !== undefined && { reason }),
      };
      void this.#report(message.id, update).catch(() => undefined); // closed meanwhile
    };
    const delay = due - this.#clock.now();
    if (delay <= 0) return report();
    const timer = this.#clock.setTimeout(() => {
      this.#timers.delete(timer);
      report();
    }, delay);
    this.#timers.add(timer);
  }

  close(): void {
    for (const timer of this.#timers) this.#clock.clearTimeout(timer);
    this.#timers.clear();
  }
}
