import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskClient, Message, Thread } from '../../src/index.js';
import type { LogScroll } from './log-scroll.js';

/** Messages added to the window each time the reader reaches its top. */
export const WINDOW_PAGE = 100;

export interface ThreadWindowSource {
  client(): DeskClient | undefined;
  conversationId(): string | undefined;
  thread(): Thread | undefined;
  onError(error: unknown): void;
}

/**
 * The part of a thread the list renders: its newest messages, a page more each time the reader
 * scrolls to the top (from the loaded thread first, then from the backend), the scroll position
 * kept while they arrive above. A render reads a window of the thread (`slice`), never the whole
 * thread, so a long conversation costs the same to update as a short one.
 */
export class ThreadWindow implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #source: ThreadWindowSource;
  readonly #scroll: LogScroll;
  /** How many of the newest messages are shown. */
  #shown = WINDOW_PAGE;
  #memo: { thread: Thread; shown: number; items: readonly Message[] } | null = null;
  loading = false;

  constructor(host: ReactiveControllerHost, source: ThreadWindowSource, scroll: LogScroll) {
    this.#host = host;
    this.#source = source;
    this.#scroll = scroll;
    host.addController(this);
  }

  /** Another conversation: its newest page again. */
  reset(): void {
    this.#shown = WINDOW_PAGE;
  }

  /** The messages to render, oldest first (the newest `shown` of the thread). */
  items(thread = this.#source.thread()): readonly Message[] {
    if (!thread) return [];
    const memo = this.#memo;
    if (memo?.thread === thread && memo.shown === this.#shown) return memo.items;
    const items = thread.slice(Math.max(0, thread.count - this.#shown));
    this.#memo = { thread, shown: this.#shown, items };
    return items;
  }

  /** Whether older messages exist: loaded but not shown, or still at the backend. */
  hasOlder(thread = this.#source.thread()): boolean {
    return !!thread && (thread.count > this.#shown || thread.nextCursor !== null);
  }

  /** Shows a page of older messages, asking the backend when the loaded ones are all shown. */
  async older(): Promise<void> {
    const client = this.#source.client();
    const id = this.#source.conversationId();
    const thread = this.#source.thread();
    if (!client || !id || !thread || this.loading || !this.hasOlder(thread)) return;
    this.#scroll.keepPosition();
    if (thread.count > this.#shown) {
      this.#shown += WINDOW_PAGE;
      this.#host.requestUpdate();
      return;
    }
    this.loading = true;
    this.#host.requestUpdate();
    try {
      await client.loadOlder(id);
      this.#shown = Math.max(this.#shown, thread.count) + WINDOW_PAGE;
    } catch (error) {
      this.#source.onError(error);
    } finally {
      this.loading = false;
      this.#host.requestUpdate();
    }
  }

  /** Scrolled to (near) the top: the next older page, as a reader expects of a chat. */
  readonly onScroll = (event: Event): void => {
    this.#scroll.onScroll(event);
    const log = event.currentTarget as HTMLElement;
    if (log.scrollTop <= 4 && log.scrollHeight > log.clientHeight) void this.older();
  };

  hostConnected(): void {}
}
