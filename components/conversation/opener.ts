import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readOnOpen, type Conversation, type DeskClient, type DeskState } from '../../src/index.js';

export interface OpenerSource {
  client(): DeskClient | undefined;
  conversationId(): string | undefined;
  conversation(): Conversation | undefined;
  me(): DeskState['me'] | undefined;
  /** The shown thread's messages, to tell a new incoming one from a re-render. */
  items(): readonly { id: string; direction: 'in' | 'out' }[] | undefined;
  errorText(error: unknown): string;
}

/**
 * Opens the conversation shown (RD1: read for its owner; RD3: an admin's peek changes nothing,
 * the SDK decides), marks new incoming messages read while the owner looks, and closes it when
 * the element goes.
 */
export class ConversationOpener implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #source: OpenerSource;
  #openedId: string | null = null;
  #openedClient: DeskClient | null = null;
  #lastIncomingSeen: string | undefined;
  opening = false;
  error: string | null = null;

  constructor(host: ReactiveControllerHost, source: OpenerSource) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostUpdate(): void {
    const client = this.#source.client();
    const id = this.#source.conversationId();
    if (client && id && (this.#openedId !== id || this.#openedClient !== client)) {
      void this.#open(client, id);
    } else if (client && !id && this.#openedId) {
      if (client.getState().openConversationId === this.#openedId) client.close();
      this.#openedId = null;
    }
  }

  /** Opens the conversation again after a failure: the next update loads it. */
  retry(): void {
    this.#openedId = null;
    this.error = null;
    this.#host.requestUpdate();
  }

  hostUpdated(): void {
    this.#markNewIncomingRead();
  }

  hostDisconnected(): void {
    const client = this.#openedClient;
    if (client && client.getState().openConversationId === this.#openedId) client.close();
    this.#openedId = null;
    this.#openedClient = null;
  }

  async #open(client: DeskClient, id: string): Promise<void> {
    this.#openedId = id;
    this.#openedClient = client;
    this.opening = true;
    this.error = null;
    const current = () => this.#source.conversationId() === id;
    try {
      await client.open(id);
      if (current()) {
        const items = client.getState().threads.get(id)?.items ?? [];
        this.#lastIncomingSeen = items.findLast((m) => m.direction === 'in')?.id;
      }
    } catch (error) {
      if (current()) this.error = this.#source.errorText(error);
    } finally {
      if (current()) this.opening = false;
      this.#host.requestUpdate();
    }
  }

  /** RD1: while the owner has the conversation open, a new incoming message is read at once. */
  #markNewIncomingRead(): void {
    const client = this.#source.client();
    const conversation = this.#source.conversation();
    const me = this.#source.me();
    if (!client || !conversation || !me || this.opening) return;
    if (this.#openedId !== conversation.id) return;
    const lastIncoming = this.#source.items()?.findLast((m) => m.direction === 'in')?.id;
    if (lastIncoming === this.#lastIncomingSeen) return;
    this.#lastIncomingSeen = lastIncoming;
    // RD3: only the owner's own view marks read; an admin's peek never does.
    if (!readOnOpen(conversation, me)) return;
    if (document.visibilityState !== 'visible') return;
    // After this update, not inside it.
    queueMicrotask(() => void client.markRead([conversation.id], true).catch(() => {}));
  }
}
