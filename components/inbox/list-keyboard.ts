import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { ReactiveControllerHost } from 'lit';
import { RovingFocusController } from './roving-focus.js';
import type { VirtualList } from './virtual-list.js';

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export interface ListKeyboardOptions {
  /** How many rows the list shows. */
  count: () => number;
  /** The scrolling listbox, once rendered. */
  list: () => HTMLElement | undefined;
  /** The list's virtualizer, to bring a row scrolled away back into the DOM. */
  virtual: VirtualList<unknown>;
  /** Enter: open the row. */
  open: (index: number) => void;
  /** Space: check or uncheck the row. */
  toggle: (index: number) => void;
  /** Ctrl+A: check all, or uncheck all. */
  toggleAll: () => void;
}

/**
 * Keyboard and focus of `<cd-inbox>`'s virtualized listbox: roving focus over the rows (arrows,
 * Home, End, PageUp, PageDown), Enter, Space and Ctrl+A, and the list's tab stop while the active
 * row is scrolled out of the DOM. The host binds `onKeydown`, `onFocusIn` and `onRangeChanged`.
 */
export class ListKeyboard {
  readonly roving: RovingFocusController;
  readonly #host: ReactiveControllerHost;
  readonly #options: ListKeyboardOptions;
  /** The rendered range of the virtualizer, to know whether the active row is in the DOM. */
  #range = { first: 0, last: -1 };

  constructor(host: ReactiveControllerHost, options: ListKeyboardOptions) {
    this.#host = host;
    this.#options = options;
    this.roving = new RovingFocusController(host, {
      count: options.count,
      item: (index) => this.#rowElement(index),
      pageSize: () => this.#pageSize(),
    });
  }

  /** A new list: nothing rendered yet, the first row active. */
  reset(): void {
    this.#range = { first: 0, last: -1 };
    this.roving.setActive(0);
  }

  /** The row element of an index, scrolled into the DOM first when virtualized away. */
  async #rowElement(index: number): Promise<HTMLElement | null> {
    const list = this.#options.list();
    if (!list) return null;
    const find = () => list.querySelector<HTMLElement>(`[part~="row"][data-index="${index}"]`);
    let element = find();
    if (element) return element;
    await this.#options.virtual.scrollTo(list, index);
    for (let frame = 0; frame < 30 && !element; frame++) {
      await nextFrame();
      element = find();
    }
    return element;
  }

  #pageSize(): number {
    const list = this.#options.list();
    const row = list?.querySelector<HTMLElement>('[part~="row"]');
    if (!list || !row || row.offsetHeight === 0) return 10;
    return Math.max(1, Math.floor(list.clientHeight / row.offsetHeight) - 1);
  }

  readonly onKeydown = (event: KeyboardEvent): void => {
    if (this.roving.handleKeydown(event)) return;
    const index = this.roving.activeIndex;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.#options.open(index);
    } else if (event.key === ' ') {
      event.preventDefault();
      this.#options.toggle(index);
    } else if (event.key.toLowerCase() === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.#options.toggleAll();
    }
  };

  readonly onFocusIn = (event: FocusEvent): void => {
    const target = event.target as HTMLElement;
    if (target === this.#options.list()) {
      // The active row was scrolled out of the DOM: the list took the tab stop; hand it back.
      void this.roving.focus(this.roving.activeIndex);
      return;
    }
    const index = Number(target.dataset['index']);
    if (Number.isInteger(index)) this.roving.setActive(index);
  };

  readonly onRangeChanged = (event: RangeChangedEvent): void => {
    const wasRendered = this.activeRendered();
    this.#range = { first: event.first, last: event.last };
    if (wasRendered !== this.activeRendered()) this.#host.requestUpdate();
  };

  activeRendered(): boolean {
    const active = this.roving.activeIndex;
    return active >= this.#range.first && active <= this.#range.last;
  }
}
