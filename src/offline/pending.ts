/**
 * `PendingAdapter`: a `BackendAdapter` whose real adapter is still loading (a lazily imported
 * layer). Calls made meanwhile wait for it and reach it in the order they were made; `subscribe`
 * and `watchOutbox` answer at once and attach when it is there.
 */
import type {
  BackendAdapter,
  ConversationQuery,
  EventListener,
  HeldSend,
  PageQuery,
  SendRequest,
  SendResult,
  Session,
  SubscribeOptions,
  ViewCount,
} from '../adapter.js';
import type { ViewKey } from '../rules/views.js';
import type {
  Contact,
  ContactInput,
  Conversation,
  Message,
  Page,
  RecipientPolicy,
  SenderId,
  Template,
  User,
  UserId,
} from '../types.js';
import { countWith, type LayeredAdapter, type Lifecycle } from './layer.js';

export class PendingAdapter implements BackendAdapter, Lifecycle {
  readonly #ready: Promise<LayeredAdapter>;
  #inner: LayeredAdapter | undefined;

  constructor(loading: Promise<BackendAdapter>) {
    // First in line: later calls find `#inner` set when their turn comes.
    this.#ready = loading.then((inner) => (this.#inner = inner as LayeredAdapter));
    this.#ready.catch(() => undefined); // each call reports the failure itself
  }

  /** Runs `call` on the adapter now if it is there, else when it is (after earlier calls). */
  #when<T>(call: (inner: LayeredAdapter) => T): Promise<Awaited<T>> {
    return this.#ready.then(call) as Promise<Awaited<T>>;
  }

  session(): Promise<Session> {
    return this.#when((a) => a.session());
  }
  listUsers(): Promise<User[]> {
    return this.#when((a) => a.listUsers());
  }
  listSenderIds(): Promise<SenderId[]> {
    return this.#when((a) => a.listSenderIds());
  }
  listTemplates(): Promise<Template[]> {
    return this.#when((a) => a.listTemplates());
  }
  listContacts(query?: PageQuery): Promise<Page<Contact>> {
    return this.#when((a) => a.listContacts(query));
  }
  searchContacts(text: string, limit?: number): Promise<Contact[]> {
    return this.#when((a) => a.searchContacts(text, limit));
  }
  getRecipient(phone: string): Promise<RecipientPolicy> {
    return this.#when((a) => a.getRecipient(phone));
  }
  listConversations(query?: ConversationQuery): Promise<Page<Conversation>> {
    return this.#when((a) => a.listConversations(query));
  }
  countViews(views: ViewKey[]): Promise<ViewCount[]> {
    return this.#when((a) => countWith(a, views));
  }
  listMessages(conversationId: string, query?: PageQuery): Promise<Page<Message>> {
    return this.#when((a) => a.listMessages(conversationId, query));
  }
  send(request: SendRequest): Promise<SendResult> {
    return this.#when((a) => a.send(request));
  }
  retry(messageId: string, idempotencyKey: string): Promise<SendResult> {
    return this.#when((a) => a.retry(messageId, idempotencyKey));
  }
  markRead(ids: string[], read: boolean, mode: 'owner' | 'admin'): Promise<Conversation[]> {
    return this.#when((a) => a.markRead(ids, read, mode));
  }
  assign(conversationIds: string[], assigneeId: UserId): Promise<Conversation[]> {
    return this.#when((a) => a.assign(conversationIds, assigneeId));
  }
  createContact(input: ContactInput): Promise<Contact> {
    return this.#when((a) => a.createContact(input));
  }
  updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    return this.#when((a) => a.updateContact(id, patch));
  }

  subscribe(listener: EventListener, options?: SubscribeOptions): () => void {
    return this.#attach((a) => a.subscribe(listener, options));
  }

  watchOutbox(listener: (held: readonly HeldSend[]) => void): () => void {
    const inner = this.#inner;
    if (inner?.watchOutbox) return inner.watchOutbox(listener);
    listener([]); // nothing is held yet (or ever, by an adapter without an outbox)
    if (inner) return () => undefined;
    return this.#attach((a) => a.watchOutbox?.(listener) ?? (() => undefined));
  }

  /** Attaches now or once loaded; the detach returned works either way. */
  #attach(attach: (inner: LayeredAdapter) => () => void): () => void {
    if (this.#inner) return attach(this.#inner);
    let detach: (() => void) | undefined;
    let detached = false;
    void this.#ready.then(
      (inner) => {
        if (!detached) detach = attach(inner);
      },
      () => undefined,
    );
    return () => {
      detached = true;
      detach?.();
    };
  }

  // An adapter that never loaded has no work to wait for and nothing to close.
  async settled(): Promise<void> {
    await (await this.#ready.catch(() => undefined))?.settled?.();
  }
  async close(): Promise<void> {
    await (await this.#ready.catch(() => undefined))?.close?.();
  }
}
