import type { ReactiveElement, TemplateResult } from 'lit';
import type * as Virtualize from '@lit-labs/virtualizer/virtualize.js';
import { LazyPart } from '../shared/lazy.js';

/** Rows drawn before the virtualizer has loaded: more than a screenful. */
const FIRST_ROWS = 50;

/**
 * The list's virtualizer, out of the first load: it loads when the list connects, alongside the
 * first data, and rows that arrive before it are drawn plainly (the first screenful).
 */
export class VirtualList<T> {
  readonly #part: LazyPart<typeof Virtualize>;

  constructor(host: ReactiveElement) {
    this.#part = new LazyPart(host, () => import('@lit-labs/virtualizer/virtualize.js'));
  }

  load(): void {
    void this.#part.load().catch(() => undefined);
  }

  /** For the host's `getUpdateComplete()`: rendered means with the virtualizer, once asked for. */
  settled(update: () => Promise<boolean>): Promise<boolean> {
    return this.#part.settled(update);
  }

  render(
    items: T[],
    keyFunction: (item: T | undefined) => unknown,
    renderItem: (item: T | undefined, index: number) => TemplateResult,
  ): unknown {
    const v = this.#part.value;
    if (!v) return items.slice(0, FIRST_ROWS).map((item, index) => renderItem(item, index));
    return v.virtualize({ items, keyFunction, renderItem, scroller: true });
  }

  /** Brings a row virtualized away into the DOM (the caller waits for it to appear). */
  async scrollTo(list: HTMLElement, index: number): Promise<void> {
    const v = await this.#part.load().catch(() => undefined);
    if (!v) return;
    const virtualizer = (list as Virtualize.VirtualizerHostElement)[v.virtualizerRef];
    virtualizer?.element(index)?.scrollIntoView({ block: 'nearest' });
  }
}
