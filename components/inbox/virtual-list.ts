import type { ReactiveElement, TemplateResult } from 'lit';
import type * as Virtualizer from './virtualizer.js';
import { LazyPart } from '../shared/lazy.js';

/** Rows drawn before the virtualizer has loaded: a screenful of the smallest rows (48 px). */
const firstRows = () => Math.min(40, Math.ceil((globalThis.innerHeight || 900) / 48) + 1);

/** The rows a list shows, read by position (an array, or a view read only where drawn). */
export interface ListItems<T> {
  readonly length: number;
  at(index: number): T | undefined;
  /** What the virtualizer reads (`length` and `[index]`). */
  readonly items: T[];
}

/**
 * The list's virtualizer, out of the first load: it loads when the list connects, alongside the
 * first data, and until it has, the first screenful of rows is drawn plainly (issue 11: the first
 * rows show in the first frame, with no wait for a chunk or a measuring pass).
 */
export class VirtualList<T> {
  readonly #part: LazyPart<typeof Virtualizer>;
  #layout: unknown;

  constructor(host: ReactiveElement) {
    this.#part = new LazyPart(host, () => import('./virtualizer.js'));
  }

  /** Loads the virtualizer; resolves whether it loaded (a failed chunk is asked again later). */
  load(): Promise<boolean> {
    return this.#part.load().then(
      () => true,
      () => false,
    );
  }

  /** For the host's `getUpdateComplete()`: rendered means with the virtualizer, once asked for. */
  settled(update: () => Promise<boolean>): Promise<boolean> {
    return this.#part.settled(update);
  }

  render(
    rows: ListItems<T>,
    keyFunction: (item: T | undefined) => unknown,
    renderItem: (item: T | undefined, index: number) => TemplateResult,
  ): unknown {
    const v = this.#part.value;
    if (!v) {
      const first: TemplateResult[] = [];
      for (let i = 0; i < Math.min(rows.length, firstRows()); i++)
        first.push(renderItem(rows.at(i), i));
      return first;
    }
    // Given the layout, the virtualizer lays out in the same task (it would import its default).
    this.#layout ??= v.layout();
    return v.virtualize({
      items: rows.items,
      keyFunction,
      renderItem,
      scroller: true,
      layout: this.#layout as ReturnType<typeof v.layout>,
    });
  }

  /** Brings a row virtualized away into the DOM (the caller waits for it to appear). */
  async scrollTo(list: HTMLElement, index: number): Promise<void> {
    const v = await this.#part.load().catch(() => undefined);
    if (!v) return;
    const virtualizer = (list as Virtualizer.VirtualizerHostElement)[v.virtualizerRef];
    virtualizer?.element(index)?.scrollIntoView({ block: 'nearest' });
  }
}
