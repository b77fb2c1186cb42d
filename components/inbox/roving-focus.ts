import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What an item lookup may return: the element, or nothing when it cannot be rendered. */
type MaybeElement = HTMLElement | null | undefined;

export interface RovingFocusOptions {
  /** How many items there are (rendered or not). */
  count: () => number;
  /**
   * The element of item `index`, brought into the DOM first if needed (a virtualized list scrolls
   * to it here). May be async.
   */
  item: (index: number) => MaybeElement | Promise<MaybeElement>;
  /** Which arrow keys move: ArrowUp/ArrowDown (default), ArrowLeft/ArrowRight, or both. */
  orientation?: 'vertical' | 'horizontal' | 'both';
  /** Whether moving past the last item goes to the first, and back. Off by default. */
  wrap?: boolean;
  /** How many items PageUp/PageDown move; PageUp/PageDown are ignored without it. */
  pageSize?: () => number;
  /** Called after the active item changes (by keyboard, pointer or code). */
  onActiveChange?: (index: number) => void;
}

/**
 * Roving tabindex (WAI-ARIA APG): one item of a composite widget is in the tab order
 * (`tabindex="0"`), the others are `-1`; the arrow keys, Home and End move focus among them.
 * The controller keeps the active index and moves focus; the host renders
 * `tabindex=${roving.tabIndexFor(i)}` on each item, passes its keydown events to `handleKeydown`,
 * and calls `setActive(i)` when an item is clicked or focused another way.
 *
 * Items are addressed by index, not by element, so it works with virtualized lists whose items
 * are not all in the DOM: `item(index)` renders (scrolls to) the item before it is focused.
 */
export class RovingFocusController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: RovingFocusOptions;
  #active = 0;
  /** Increases at each focus request, so that a slow, older request does not steal focus. */
  #request = 0;

  constructor(host: ReactiveControllerHost, options: RovingFocusOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The index of the item in the tab order. */
  get activeIndex(): number {
    return this.#active;
  }

  /** `0` for the active item, `-1` for the others. */
  tabIndexFor(index: number): 0 | -1 {
    return index === this.#active ? 0 : -1;
  }

  /** Keeps the active index inside the list when items go away. */
  hostUpdate(): void {
    const clamped = this.#clamp(this.#active);
    if (clamped !== this.#active) this.#active = clamped;
  }

  /** Makes an item the active one without moving focus (after a click, or to follow a selection). */
  setActive(index: number): void {
    const next = this.#clamp(index);
    if (next === this.#active) return;
    this.#active = next;
    this.#host.requestUpdate();
    this.#options.onActiveChange?.(next);
  }

  /** Makes an item active and focuses it, rendering it first if needed. Resolves with the element. */
  async focus(index: number): Promise<HTMLElement | null> {
    const request = ++this.#request;
    this.setActive(index);
    await this.#host.updateComplete;
    const element = (await this.#options.item(this.#active)) ?? null;
    // A newer request (a held-down arrow key) wins.
    if (request !== this.#request || !element) return element;
    element.focus({ preventScroll: false });
    return element;
  }

  /**
   * Moves focus for a navigation key. Returns true (and prevents the default scrolling) when the
   * key was one of the controller's; other keys are left to the host.
   */
  handleKeydown(event: KeyboardEvent): boolean {
    if (event.altKey || event.ctrlKey || event.metaKey) return false;
    const target = this.#target(event.key);
    if (target === null) return false;
    event.preventDefault();
    if (this.#options.count() > 0) void this.focus(target);
    return true;
  }

  #target(key: string): number | null {
    const { orientation = 'vertical', wrap = false, pageSize } = this.#options;
    const count = this.#options.count();
    const last = count - 1;
    const vertical = orientation !== 'horizontal';
    const horizontal = orientation !== 'vertical';
    const step = (delta: number) => {
      const next = this.#active + delta;
      if (wrap && count > 0) return ((next % count) + count) % count;
      return Math.min(Math.max(next, 0), Math.max(last, 0));
    };
    switch (key) {
      case 'ArrowDown':
        return vertical ? step(1) : null;
      case 'ArrowUp':
        return vertical ? step(-1) : null;
      case 'ArrowRight':
        return horizontal ? step(1) : null;
      case 'ArrowLeft':
        return horizontal ? step(-1) : null;
      case 'Home':
        return 0;
      case 'End':
        return Math.max(last, 0);
      case 'PageDown':
        return pageSize ? Math.min(this.#active + pageSize(), Math.max(last, 0)) : null;
      case 'PageUp':
        return pageSize ? Math.max(this.#active - pageSize(), 0) : null;
      default:
        return null;
    }
  }

  #clamp(index: number): number {
    const count = this.#options.count();
    if (count <= 0) return 0;
    return Math.min(Math.max(Math.trunc(index), 0), count - 1);
  }
}
