import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type VirtualItem,
} from '@tanstack/virtual-core';

/** A row's height before it is measured: a one-line bubble with its time. */
const ESTIMATE = 64;
/** Rows drawn beyond each end of the visible part (keyboard reading, quick scrolls). */
const OVERSCAN = 10;

export interface VirtualLogRows {
  count: number;
  key(index: number): string;
}

/**
 * The message list of a thread as a recycling virtual list (issue 11): only the rows in view (and
 * a few either side) are in the DOM, each measured once drawn. `@tanstack/virtual-core` does the
 * range and measuring (framework-free; this is its Lit controller); `LogScroll` keeps the reader's
 * place, as with a plain list: older rows added above keep what is read in place, new ones at the
 * end keep a list that was at its end there.
 */
export class VirtualLog implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #scroller: () => HTMLElement | null;
  readonly #measured: () => void;
  #virtualizer: Virtualizer<HTMLElement, HTMLElement> | null = null;
  #cleanup: (() => void) | null = null;
  #rows: VirtualLogRows = { count: 0, key: String };
  #start = 0;
  #changed = false;

  /** `measured`: rows changed size after drawing (the host follows the end if it was there). */
  constructor(
    host: ReactiveControllerHost,
    scroller: () => HTMLElement | null,
    measured: () => void,
  ) {
    this.#host = host;
    this.#scroller = scroller;
    this.#measured = measured;
    host.addController(this);
  }

  /** The rows to draw now, and the space the others take above and below them. */
  window(rows: VirtualLogRows): { items: VirtualItem[]; before: number; after: number } {
    this.#rows = rows;
    const v = (this.#virtualizer ??= this.#create());
    v.setOptions({ ...v.options, count: rows.count, getItemKey: (i) => this.#rows.key(i) });
    const items = v.getVirtualItems();
    const first = items[0];
    const last = items.at(-1);
    return {
      items,
      before: first ? Math.max(0, first.start - this.#start) : 0,
      after: last ? Math.max(0, v.getTotalSize() - last.end - this.#start) : 0,
    };
  }

  /** For each drawn row (`ref`): measures it, and again when its size changes. */
  readonly measure = (element?: Element): void => {
    if (element) this.#virtualizer?.measureElement(element as HTMLElement);
  };

  /** Another conversation: nothing measured yet. */
  reset(): void {
    this.#cleanup?.();
    this.#cleanup = null;
    this.#virtualizer = null;
  }

  hostUpdated(): void {
    const v = this.#virtualizer;
    if (!v) return;
    const scroller = this.#scroller();
    if (!this.#cleanup && scroller) {
      // The list's own padding and the gap between rows, as its styles (themable) say.
      const style = getComputedStyle(scroller);
      this.#start = parseFloat(style.paddingTop) || 0;
      const gap = parseFloat(style.rowGap) || 0;
      v.setOptions({ ...v.options, gap, paddingStart: this.#start, paddingEnd: this.#start });
      this.#cleanup = v._didMount();
    }
    v._willUpdate();
    if (this.#changed) {
      this.#changed = false;
      this.#measured();
    }
  }

  hostDisconnected(): void {
    this.#cleanup?.();
    this.#cleanup = null;
  }

  #create(): Virtualizer<HTMLElement, HTMLElement> {
    return new Virtualizer<HTMLElement, HTMLElement>({
      count: 0,
      getScrollElement: this.#scroller,
      estimateSize: () => ESTIMATE,
      overscan: OVERSCAN,
      getItemKey: (i) => this.#rows.key(i),
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      // A day heading's top margin is part of its row.
      measureElement: (element) =>
        element.offsetHeight + (parseFloat(getComputedStyle(element).marginTop) || 0),
      // A conversation opens at its newest message.
      initialOffset: () => Number.MAX_SAFE_INTEGER,
      onChange: () => {
        this.#changed = true;
        this.#host.requestUpdate();
      },
    });
  }
}
