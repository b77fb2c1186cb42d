import type { LitElement, ReactiveController } from 'lit';
import type { Message } from '../../src/index.js';

type Host = LitElement;

/**
 * Keeps the message list where a reader expects it: new messages at the end scroll into view,
 * older ones loaded above keep the position, and a list that was at its end stays there when it
 * gets shorter or taller (a compose panel opens, the pane shows).
 */
export class LogScroll implements ReactiveController {
  readonly #host: Host;
  readonly #selector: string;
  readonly #resize = new ResizeObserver(() => this.#onResize());
  #lastMessageId: string | undefined;
  #keepFromBottom: number | null = null;
  /** Whether the list was scrolled to its end at the last scroll (or open). */
  #atBottom = true;
  #observed: HTMLElement | null = null;
  /** The list's height when the ResizeObserver last reported it. */
  #height: number | null = null;

  constructor(host: Host, selector: string) {
    this.#host = host;
    this.#selector = selector;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#host.hasUpdated) this.#observe();
  }

  hostDisconnected(): void {
    this.#resize.disconnect();
    this.#observed = null;
    this.#height = null;
  }

  /** Another conversation: its end is where the list starts. */
  reset(): void {
    this.#lastMessageId = undefined;
    this.#atBottom = true;
  }

  /** Before older messages load above: remember the distance from the end. */
  keepPosition(): void {
    const log = this.#log();
    this.#keepFromBottom = log ? log.scrollHeight - log.scrollTop : null;
  }

  /**
   * After an update: `last` is the newest message shown; `loading` while older ones load. A new
   * message scrolls into view when the list was at its end, or when the user sent it; a reader
   * scrolled up to older messages is left there.
   */
  update(last: Message | undefined, hasThread: boolean, loading: boolean): void {
    const lastId = last?.id;
    this.#observe();
    const log = this.#log();
    if (!log || !hasThread) return;
    if (this.#keepFromBottom !== null && !loading) {
      log.scrollTop = log.scrollHeight - this.#keepFromBottom;
      this.#keepFromBottom = null;
    }
    if (lastId !== this.#lastMessageId) {
      const opening = this.#lastMessageId === undefined;
      this.#lastMessageId = lastId;
      if (opening || this.#atBottom || last?.direction === 'out') {
        log.scrollTop = log.scrollHeight;
        this.#atBottom = true;
      }
    }
  }

  /** Rows changed size once drawn: a list that was at its end stays there. */
  followEnd(): void {
    const log = this.#log();
    if (log && this.#atBottom) log.scrollTop = log.scrollHeight;
  }

  readonly onScroll = (event: Event): void => {
    const log = event.currentTarget as HTMLElement;
    // A resize the observer has not reported yet moves the end: the observer decides then. So
    // does its first report (a list shown with its messages, then shortened by the compose box).
    if (this.#height === null || log.clientHeight !== this.#height) return;
    this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= 8;
  };

  #log(): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>(this.#selector);
  }

  #observe(): void {
    const log = this.#log();
    if (log === this.#observed) return;
    if (this.#observed) this.#resize.unobserve(this.#observed);
    this.#observed = log;
    this.#height = null;
    if (log) this.#resize.observe(log);
  }

  #onResize(): void {
    const log = this.#observed;
    if (!log) return;
    this.#height = log.clientHeight;
    if (this.#atBottom) log.scrollTop = log.scrollHeight;
  }
}
