import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeskClient, Message, SendContent } from '../../src/index.js';
import type {
  ComposeSendDetail,
  ComposeSentDetail,
  NewConversationTarget,
} from './compose.types.js';

/** What sending needs from `<cd-compose>`. */
export interface SendSource {
  client(): DeskClient | undefined;
  /** Where the draft goes now: a conversation, or the new one it starts (SN1). */
  where(): { conversationId?: string | undefined; newConversation?: NewConversationTarget };
  /**
   * True when the draft may go out; a promise only while the send guard has yet to answer, so a
   * send the guard already allowed starts at once (a second click sees it sending).
   */
  ready(): boolean | Promise<boolean>;
  content(): SendContent;
  /** The message went out from the draft of `draftKey`. */
  sent(draftKey: string): void;
  /** The draft key of where the compose box is now. */
  draftKey(): string;
  /** Why a send failed, in the user's language. */
  errorText(error: unknown): string;
  /** After a send ends, either way. */
  done(): void;
}

/**
 * Sending from `<cd-compose>`: one send at a time (a double click sends one message), the
 * cancelable `cd-send` before, `cd-sent` after, and why it failed, shown once. The draft stays
 * as it was when a send fails: nothing is lost.
 */
export class ComposeSend implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #source: SendSource;
  sending = false;
  /** Why the last send failed; cleared when the draft changes. */
  error: string | null = null;
  #now = false;

  constructor(host: ReactiveControllerHost & HTMLElement, source: SendSource) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostConnected(): void {}

  clearError(): void {
    if (this.error === null) return;
    this.error = null;
    this.#host.requestUpdate();
  }

  async send(): Promise<void> {
    const source = this.#source;
    const client = source.client();
    if (this.#now || !client) return;
    const ready = source.ready();
    if (!(ready instanceof Promise ? await ready : ready) || this.#now) return;
    this.#now = true;
    this.sending = true;
    this.#host.requestUpdate();
    const content = source.content();
    const draftKey = source.draftKey();
    const { conversationId, newConversation } = source.where();
    try {
      const allowed = this.#host.dispatchEvent(
        new CustomEvent<ComposeSendDetail>('cd-send', {
          detail: { content },
          bubbles: true,
          composed: true,
          cancelable: true,
        }),
      );
      if (!allowed) return;
      this.error = null;
      let message: Message;
      if (conversationId) {
        message = await client.send(conversationId, content);
      } else {
        const n = newConversation!;
        ({ message } = await client.startConversation({
          phone: n.customer,
          ...(n.name && { name: n.name }),
          senderId: n.senderId,
          content,
        }));
      }
      source.sent(draftKey);
      this.#host.dispatchEvent(
        new CustomEvent<ComposeSentDetail>('cd-sent', {
          detail: { message },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      this.error = source.errorText(error);
    } finally {
      this.#now = false;
      this.sending = false;
      this.#host.requestUpdate();
    }
    source.done();
  }
}
