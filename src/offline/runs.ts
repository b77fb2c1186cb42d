/**
 * When the outbox delivers: one run at a time in this tab (a request during a run makes one more
 * after it), exclusive across tabs (a Web Lock), now when asked, or at the earliest time an entry
 * becomes due, with a doubling backoff after failures.
 */
import type { Clock } from '../clock.js';
import { backoffDelay } from '../http/transport.js';
import { withLock } from './tabs.js';

export interface RunsOptions {
  lockName: string;
  clock: Clock;
  random: () => number;
  flush: { baseDelayMs?: number; maxDelayMs?: number };
  /** One run; `force` ignores the backoff (the network or the sign-in just came back). */
  run(force: boolean): Promise<void>;
  /** Tracks background work (for `settled()`). */
  background(work: Promise<unknown>): void;
}

export class Runs {
  readonly #options: RunsOptions;
  #running: Promise<void> | null = null;
  #again = false;
  #force = false;
  #timer: unknown = null;
  #timerAt = Infinity;
  #stopped = false;
  /** Failures in a row, for the backoff. */
  failures = 0;

  constructor(options: RunsOptions) {
    this.#options = options;
  }

  /** Starts a run now (after the one in progress, if any). */
  request(force: boolean): void {
    if (this.#stopped) return;
    this.#force ||= force;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        const forced = this.#force;
        this.#force = false;
        await withLock(this.#options.lockName, () => this.#options.run(forced));
      } while (this.#again && !this.#stopped);
    })().finally(() => (this.#running = null));
    this.#options.background(this.#running);
  }

  /** A run at `at`, unless one is due earlier. */
  schedule(at: number): void {
    const { clock } = this.#options;
    if (this.#stopped || (this.#timer !== null && at >= this.#timerAt)) return;
    if (this.#timer !== null) clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = clock.setTimeout(
      () => {
        this.#timer = null;
        this.#timerAt = Infinity;
        this.request(false);
      },
      Math.max(0, at - clock.now()),
    );
  }

  /** The wait after one more failure. */
  backoff(): number {
    const { flush, random } = this.#options;
    const policy = {
      baseDelayMs: flush.baseDelayMs ?? 1000,
      maxDelayMs: flush.maxDelayMs ?? 30_000,
      jitter: true,
    };
    return backoffDelay(this.failures++, policy, random);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
