/**
 * The base of the offline decorators: a `BackendAdapter` that forwards every call to the adapter
 * it wraps. Each decorator overrides only what it adds, so any adapter (HTTP, embedded, a CRM's
 * own) can be wrapped in any of them, in any number.
 */
import type {
  BackendAdapter,
  ConversationQuery,
  EventListener,
  EventMeta,
  HeldSend,
  PageQuery,
  SendRequest,
  SendResult,
  ServerEvent,
  Session,
  SubscribeOptions,
  ViewCount,
} from '../adapter.js';
import { DeskError } from '../errors.js';
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

/** What a layer may also have: a way to wait for its background work and to shut down. */
export interface Lifecycle {
  /** Resolves when background work started so far (writes, flushes, reconciling) is done. */
  settled?(): Promise<void>;
  /** Stops background work and closes what the layer opened. */
  close?(): Promise<void> | void;
}

export type LayeredAdapter = BackendAdapter & Lifecycle;

/** `adapter.countViews`, or a refusal when it has none (issue 11: optional in the contract). */
export function countWith(adapter: BackendAdapter, views: ViewKey[]): Promise<ViewCount[]> {
  return adapter.countViews
    ? adapter.countViews(views)
    : Promise.reject(new DeskError('invalid_input', 'This backend does not count views.'));
}

export class Layer implements BackendAdapter, Lifecycle {
  protected readonly inner: LayeredAdapter;

  constructor(inner: BackendAdapter) {
    this.inner = inner as LayeredAdapter;
  }

  session(): Promise<Session> {
    return this.inner.session();
  }
  listUsers(): Promise<User[]> {
    return this.inner.listUsers();
  }
  listSenderIds(): Promise<SenderId[]> {
    return this.inner.listSenderIds();
  }
  listTemplates(): Promise<Template[]> {
    return this.inner.listTemplates();
  }
  listContacts(query?: PageQuery): Promise<Page<Contact>> {
    return this.inner.listContacts(query);
  }
  searchContacts(text: string, limit?: number): Promise<Contact[]> {
    return this.inner.searchContacts(text, limit);
  }
  getRecipient(phone: string): Promise<RecipientPolicy> {
    return this.inner.getRecipient(phone);
  }
  listConversations(query?: ConversationQuery): Promise<Page<Conversation>> {
    return this.inner.listConversations(query);
  }
  /** Refused when the wrapped adapter does not count: the client then counts its rows. */
  countViews(views: ViewKey[]): Promise<ViewCount[]> {
    return countWith(this.inner, views);
  }
  listMessages(conversationId: string, query?: PageQuery): Promise<Page<Message>> {
    return this.inner.listMessages(conversationId, query);
  }
  send(request: SendRequest): Promise<SendResult> {
    return this.inner.send(request);
  }
  retry(messageId: string, idempotencyKey: string): Promise<SendResult> {
    return this.inner.retry(messageId, idempotencyKey);
  }
  markRead(ids: string[], read: boolean, mode: 'owner' | 'admin'): Promise<Conversation[]> {
    return this.inner.markRead(ids, read, mode);
  }
  assign(conversationIds: string[], assigneeId: UserId): Promise<Conversation[]> {
    return this.inner.assign(conversationIds, assigneeId);
  }
  createContact(input: ContactInput): Promise<Contact> {
    return this.inner.createContact(input);
  }
  updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    return this.inner.updateContact(id, patch);
  }
  subscribe(listener: EventListener, options?: SubscribeOptions): () => void {
    return this.inner.subscribe(listener, options);
  }
  watchOutbox(listener: (held: readonly HeldSend[]) => void): () => void {
    if (this.inner.watchOutbox) return this.inner.watchOutbox(listener);
    listener([]);
    return () => undefined;
  }
  ownsMedia(url: string): boolean {
    return this.inner.ownsMedia?.(url) ?? false;
  }
  /** Only after `ownsMedia(url)`, false when the wrapped adapter has no files. */
  fetchMedia(url: string): Promise<Blob> {
    return this.inner.fetchMedia!(url);
  }
  async settled(): Promise<void> {
    await this.inner.settled?.();
  }
  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

/** Calls each listener; one that throws does not stop the others. */
export function emitTo(
  listeners: Iterable<EventListener>,
  event: ServerEvent,
  meta?: EventMeta,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(event, meta);
    } catch {
      // One failing listener must not stop the others.
    }
  }
}

/** Background work of a layer: tracked for `settled()`, failures swallowed (the next try reports). */
export class WorkTracker {
  readonly #pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const done = () => this.#pending.delete(work);
    void work.then(done, done);
    return work;
  }

  background(work: Promise<unknown>): void {
    void this.track(work).catch(() => undefined);
  }

  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
