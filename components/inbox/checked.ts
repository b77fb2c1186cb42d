import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SelectionChangeDetail } from './inbox.data.js';

/**
 * The checked conversations of `<cd-inbox>` (multi-select for RD2, RD4, A1); every change
 * fires `cd-selection-change`.
 */
export class CheckedController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  ids: ReadonlySet<string> = new Set();

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  set(next: ReadonlySet<string>): void {
    this.ids = next;
    this.#host.requestUpdate();
    this.#host.dispatchEvent(
      new CustomEvent<SelectionChangeDetail>('cd-selection-change', {
        detail: { conversationIds: [...next] },
        bubbles: true,
        composed: true,
      }),
    );
  }

  toggle(id: string): void {
    const next = new Set(this.ids);
    if (!next.delete(id)) next.add(id);
    this.set(next);
  }

  /** Checks all of `ids`, or unchecks them when all are checked already. */
  toggleAll(ids: readonly string[]): void {
    const all = ids.length > 0 && ids.every((id) => this.ids.has(id));
    const next = new Set(this.ids);
    for (const id of ids) {
      if (all) next.delete(id);
      else next.add(id);
    }
    this.set(next);
  }

  /** Conversations that left the view are no longer checked. */
  keepOnly(inView: (ids: ReadonlySet<string>) => readonly string[]): void {
    if (this.ids.size === 0) return;
    const present = new Set(inView(this.ids));
    const kept = [...this.ids].filter((id) => present.has(id));
    if (kept.length !== this.ids.size) this.set(new Set(kept));
  }
}
