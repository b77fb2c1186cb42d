/** Adapters that misbehave on demand, around a real one, for the offline layers' tests. */
import type { EventListener, SendRequest, SendResult, ServerEvent } from '../../src/adapter.js';
import { DeskError, type DeskErrorCode } from '../../src/errors.js';
import { Layer } from '../../src/offline/index.js';

/** Fails sends with a chosen code, records every attempt, and can hold back or inject events. */
export class Faulty extends Layer {
  failing: DeskErrorCode | null = null;
  readonly posted: string[] = [];
  /** While true, the events of the backend are lost on the way (a stream that fell behind). */
  deaf = false;
  readonly #listeners = new Set<EventListener>();

  override async send(request: SendRequest): Promise<SendResult> {
    this.posted.push(request.idempotencyKey);
    if (this.failing) throw new DeskError(this.failing, `injected ${this.failing}`);
    return this.inner.send(request);
  }

  override subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    const off = this.inner.subscribe((event, meta) => {
      if (!this.deaf) listener(event, meta);
    });
    return () => {
      this.#listeners.delete(listener);
      off();
    };
  }

  /** An event as if the backend had sent it. */
  inject(event: ServerEvent, id?: string): void {
    for (const listener of this.#listeners) listener(event, id ? { id } : undefined);
  }
}

/** Polls until `check` holds. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
