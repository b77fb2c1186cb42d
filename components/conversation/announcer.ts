import { html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskState, Message, Thread } from '../../src/index.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './conversation.strings.js';
import { failureText } from './messages.render.js';

type T = LocalizeController<typeof en>;

/** The newest messages compared between two versions of a thread (a burst longer than this says its last ones). */
const TAIL = 20;
/** Announcements kept in the live region; older ones leave it (removals are not read). */
const KEPT = 4;
/** A long message is cut in the announcement; the list has all of it. */
const MAX_TEXT = 300;

/** A message across its versions: a sent one keeps its idempotency key when the backend gives it an id. */
const keyOf = (m: Message) => m.idempotencyKey ?? m.id;

export interface Heard {
  conversationId: string;
  thread: Thread | undefined;
  /** The contact's name, or the number. */
  customerName: string;
  me: DeskState['me'] | undefined;
  users: DeskState['users'] | undefined;
}

/**
 * What a screen reader hears of the message list. The virtual list draws and drops rows as the
 * reader scrolls and older pages load above, so it is not a live region itself: this announces
 * only what is new at the end of the thread — a customer's message, a colleague's message — and
 * an own message that failed after it was sent (SN7). A send refused at once is the compose box's
 * alert. Text goes in as text, never HTML.
 */
export class Announcer {
  #conversationId: string | undefined;
  #thread: Thread | undefined;
  /** Status of the newest messages at the last look, by id: the baseline for "new" and "failed". */
  #seen = new Map<string, Message['status']>();
  #entries: { key: number; text: string }[] = [];
  #next = 0;

  /** Compares the thread with the last look; returns the live region. */
  render(t: T, input: Heard) {
    this.#hear(t, input);
    return html`<div
      class="visually-hidden"
      role="log"
      aria-live="polite"
      aria-label=${t.term('newMessages')}
    >
      ${repeat(
        this.#entries,
        (e) => e.key,
        (e) => html`<p>${e.text}</p>`,
      )}
    </div>`;
  }

  #hear(t: T, input: Heard): void {
    const { thread } = input;
    if (input.conversationId !== this.#conversationId) {
      this.#conversationId = input.conversationId;
      this.#entries = [];
      this.#thread = undefined;
    }
    if (!thread?.loaded || thread === this.#thread) return;
    const tail = thread.slice(Math.max(0, thread.count - TAIL));
    if (this.#thread) {
      // New: after the last message already seen (all of the tail when a burst left none of it).
      let from = 0;
      tail.forEach((m, i) => this.#seen.has(keyOf(m)) && (from = i + 1));
      for (const m of tail.slice(from)) {
        if (m.direction === 'in' || (m.sentBy && m.sentBy !== input.me?.id)) {
          this.#say(this.#arrival(t, input, m));
        }
      }
      for (const m of tail) {
        const was = this.#seen.get(keyOf(m));
        if (m.direction === 'out' && m.status === 'failed' && was && was !== 'failed') {
          this.#say(t.term('sendFailed', failureText(t, m)));
        }
      }
    }
    this.#thread = thread;
    this.#seen = new Map(tail.map((m) => [keyOf(m), m.status]));
  }

  #arrival(t: T, input: Heard, m: Message): string {
    const author =
      m.direction === 'in' ? input.customerName : (input.users?.get(m.sentBy!)?.name ?? m.sentBy!);
    let text = m.text || (m.template ? t.term('template', m.template.name) : t.term('attachment'));
    if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}…`;
    return t.term('newMessage', author, text);
  }

  #say(text: string): void {
    this.#entries = [...this.#entries, { key: this.#next++, text }].slice(-KEPT);
  }
}
