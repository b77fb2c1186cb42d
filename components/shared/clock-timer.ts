import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskClient } from '../../src/index.js';

/**
 * Re-renders its host at one moment on the desk's clock (a manual clock in tests): when a care
 * window closes, when the minute shown changes. Scheduling the same moment again is free.
 */
export class ClockTimer implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #timer: unknown = null;
  #at: number | null = null;
  #client: DeskClient | null = null;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Re-render at `at` (a time on `client.clock`); `null` cancels. */
  schedule(client: DeskClient | undefined, at: number | null): void {
    if (at === this.#at) return;
    this.clear();
    if (at === null || !client) return;
    this.#at = at;
    this.#client = client;
    this.#timer = client.clock.setTimeout(() => {
      this.#timer = null;
      this.#at = null;
      this.#host.requestUpdate();
    }, at - client.clock.now());
  }

  clear(): void {
    if (this.#timer !== null) this.#client?.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#client = null;
    this.#at = null;
  }

  hostDisconnected(): void {
    this.clear();
  }
}
