/**
 * `withCache(adapter)`: an inbox cache in IndexedDB in front of any adapter. A reload paints from
 * it first (session, reference data, conversations, contacts), then reconciles with the backend
 * and emits what changed as events; offline, the newest page of a thread and the last policy of a
 * number come from it. It also keeps the last event id, so the events resume where they stopped.
 */
import type {
  BackendAdapter,
  ConversationQuery,
  EventListener,
  EventMeta,
  PageQuery,
  ServerEvent,
  Session,
  SubscribeOptions,
} from '../adapter.js';
import { canSee } from '../rules/permissions.js';
import { applyStatus } from '../rules/status.js';
import type {
  Contact,
  Conversation,
  Message,
  Page,
  RecipientPolicy,
  SenderId,
  Template,
  User,
} from '../types.js';
import { openLocalDatabase, type CachedThread, type LocalDatabase } from './database.js';
import { conversationChanges, pagesSince, threadChanges } from './changes.js';
import { all, CacheWrites, type Batch } from './cache-writes.js';
import { emitTo, Layer, WorkTracker } from './layer.js';
import { isTransient } from './outbox-entries.js';

export interface CacheOptions {
  /** The IndexedDB database. Default `converse-desk-cache`. */
  databaseName?: string;
  /**
   * The user the host signs in: a reload then paints from the cache before any answer; without
   * it, after the session's round trip (or offline). A cache of another user is wiped.
   */
  userId?: string;
}

export function withCache(adapter: BackendAdapter, options: CacheOptions = {}): Cache {
  return new Cache(adapter, options);
}

export class Cache extends Layer {
  readonly #options: CacheOptions;
  readonly #work = new WorkTracker();
  readonly #db: Promise<LocalDatabase>;
  readonly #listeners = new Set<EventListener>();
  readonly #conversations = new Map<string, Conversation>();
  readonly #threads = new Map<string, CachedThread>();
  #me: User | undefined;
  #session: Promise<unknown> | undefined;
  readonly #writes: CacheWrites;
  #unsubscribe: (() => void) | null = null;
  #closed = false;
  /** Aborted by `close()`: wakes the refresh of a thread out of its wait between attempts. */
  readonly #stop = new AbortController();
  /** After a `reset`, the cached lists are out of date: the next loads go to the backend. */
  #stale = false;

  constructor(inner: BackendAdapter, options: CacheOptions = {}) {
    super(inner);
    this.#options = options;
    this.#db = openLocalDatabase(options.databaseName ?? 'converse-desk-cache');
    this.#writes = new CacheWrites(this.#db, this.#work);
  }

  override session(): Promise<Session> {
    // Lists asked for at the same time wait for it: whether they paint from the cache depends on it.
    const session = this.#loadSession();
    this.#session = session.catch(() => undefined);
    return session;
  }

  async #loadSession(): Promise<Session> {
    const db = await this.#db;
    const cached = (await db.get('meta', 'session'))?.value as Session | undefined;
    const expected = this.#options.userId;
    if (cached && expected && cached.user.id === expected) {
      this.#me = cached.user;
      this.#work.background(
        this.inner.session().then(async (fresh) => {
          if (fresh.user.id !== expected) await this.#writes.clear();
          else await db.write('meta', [{ key: 'session', value: fresh }]);
        }),
      );
      return cached;
    }
    let fresh: Session;
    try {
      fresh = await this.inner.session();
    } catch (error) {
      if (cached && isTransient(error) && (!expected || cached.user.id === expected)) {
        this.#me = cached.user; // offline: the last session on this device
        return cached;
      }
      throw error;
    }
    if (cached && cached.user.id !== fresh.user.id) await this.#writes.clear();
    await this.#work.track(db.write('meta', [{ key: 'session', value: fresh }]));
    this.#me = fresh.user;
    return fresh;
  }

  override listUsers(): Promise<User[]> {
    return this.#cacheFirst('users', () => this.inner.listUsers());
  }

  override listSenderIds(): Promise<SenderId[]> {
    return this.#cacheFirst('senders', () => this.inner.listSenderIds());
  }

  override listTemplates(): Promise<Template[]> {
    return this.#cacheFirst('templates', () => this.inner.listTemplates());
  }

  /** Without a cursor or limit: every contact in one page, from the cache first when complete. */
  override async listContacts(query: PageQuery = {}): Promise<Page<Contact>> {
    if (query.cursor || query.limit) return this.inner.listContacts(query);
    await this.#session;
    const db = await this.#db;
    if (this.#me && (await db.get('meta', 'contacts.complete'))) {
      const cached = await db.all('contacts');
      this.#work.background(this.#reconcileContacts(cached));
      return { items: cached, nextCursor: null };
    }
    const items = await all((cursor) => this.inner.listContacts({ cursor }));
    await this.#writes.replace('contacts', items);
    return { items, nextCursor: null };
  }

  /** SN4, SN5. Offline, the last policy seen for the number. */
  override async getRecipient(phone: string): Promise<RecipientPolicy> {
    try {
      const policy = await this.inner.getRecipient(phone);
      this.#write((b) => b.meta.set(`recipient:${phone}`, policy));
      return policy;
    } catch (error) {
      if (!isTransient(error)) throw error;
      const cached = await (await this.#db).get('meta', `recipient:${phone}`);
      if (!cached) throw error;
      return cached.value as RecipientPolicy;
    }
  }

  /** Without a cursor, limit or scope: from the cache first; the backend's answer follows as events. */
  override async listConversations(query: ConversationQuery = {}): Promise<Page<Conversation>> {
    const { cursor, limit, scope, view, search } = query;
    if (cursor || limit || scope || view || search !== undefined)
      return this.inner.listConversations(query);
    await this.#session;
    const db = await this.#db;
    if (this.#me && !this.#stale && (await db.get('meta', 'conversations.complete'))) {
      const cached = await db.all('conversations');
      for (const c of cached) this.#conversations.set(c.id, c);
      this.#work.background(this.#reconcileConversations(cached));
      return { items: cached, nextCursor: null };
    }
    this.#stale = false;
    const items = await all((cursor) => this.inner.listConversations({ cursor }));
    for (const c of items) this.#conversations.set(c.id, c);
    await this.#writes.replace('conversations', items);
    return { items, nextCursor: null };
  }

  /** Network first; offline, the newest page from the cache, fetched again once the backend answers. */
  override async listMessages(
    conversationId: string,
    query: PageQuery = {},
  ): Promise<Page<Message>> {
    try {
      const page = await this.inner.listMessages(conversationId, query);
      if (!query.cursor) this.#putThread({ conversationId, ...page });
      return page;
    } catch (error) {
      const cached =
        !query.cursor &&
        isTransient(error) &&
        (await (await this.#db).get('threads', conversationId));
      if (!cached) throw error;
      this.#threads.set(conversationId, cached);
      this.#work.background(this.#refreshThread(conversationId, cached));
      return { items: cached.items, nextCursor: cached.nextCursor };
    }
  }

  override subscribe(listener: EventListener, options?: SubscribeOptions): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) {
      let stopped = false;
      this.#unsubscribe = () => (stopped = true);
      // Resumes after the last event id stored by an earlier page load.
      void this.#db
        .then((db) => db.get('meta', 'lastEventId'))
        .catch(() => undefined)
        .then((stored) => {
          if (stopped || this.#closed) return;
          const after = options?.after || (stored?.value as string | undefined);
          this.#unsubscribe = this.inner.subscribe((event, meta) => this.#onEvent(event, meta), {
            ...(after && { after }),
            onPosition: (id) => {
              this.#write((b) => b.meta.set('lastEventId', id));
              options?.onPosition?.(id);
            },
          });
        });
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0) return;
      this.#unsubscribe?.();
      this.#unsubscribe = null;
    };
  }

  override async settled(): Promise<void> {
    await this.#work.settled();
    await super.settled();
  }

  override async close(): Promise<void> {
    if (this.#closed) return;
    // Before waiting for the background work: a thread's refresh retries until this is set, and
    // after the transport closed every retry fails, so `settled()` would never resolve.
    this.#closed = true;
    this.#stop.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await super.close();
    await this.#work.settled(); // writes already started still land
    this.#writes.closed = true;
    (await this.#db).close();
  }

  #onEvent(event: ServerEvent, meta?: EventMeta): void {
    if (meta?.id) this.#write((b) => b.meta.set('lastEventId', meta.id));
    this.#absorb(event);
    emitTo(this.#listeners, event, meta);
  }

  #absorb(event: ServerEvent): void {
    switch (event.type) {
      case 'message.created': {
        this.#learn(event.conversation);
        const thread = this.#threads.get(event.message.conversationId);
        if (thread && !thread.items.some((m) => m.id === event.message.id)) {
          this.#putThread({ ...thread, items: [...thread.items, event.message] });
        }
        break;
      }
      case 'message.status': {
        const thread = this.#threads.get(event.conversationId);
        const channel = this.#conversations.get(event.conversationId)?.channel;
        if (!thread || !channel) break;
        const items = thread.items.map((m) =>
          m.id === event.messageId ? applyStatus(m, event, channel) : m,
        );
        this.#putThread({ ...thread, items });
        break;
      }
      case 'conversation.updated':
      case 'conversation.assigned':
        this.#learn(event.conversation);
        break;
      case 'contact.saved':
        this.#write((b) => b.contacts.set(event.contact.id, event.contact));
        break;
      case 'recipient.updated':
        this.#write((b) => b.meta.set(`recipient:${event.recipient.phone}`, event.recipient));
        break;
      case 'reset':
        this.#stale = true;
        break;
      default:
    }
  }

  /** Keeps the newest revision; drops what this user may no longer see. */
  #learn(conversation: Conversation): void {
    const current = this.#conversations.get(conversation.id);
    if (current && current.revision > conversation.revision) return;
    if (this.#me && !canSee(this.#me, conversation)) {
      this.#conversations.delete(conversation.id);
      this.#write((b) => b.removed.add(conversation.id));
      return;
    }
    this.#conversations.set(conversation.id, conversation);
    this.#write((b) => b.conversations.set(conversation.id, conversation));
  }

  #write(edit: (batch: Batch) => void): void {
    this.#writes.write(edit);
  }

  #putThread(thread: CachedThread): void {
    this.#threads.set(thread.conversationId, thread);
    this.#write((b) => b.threads.set(thread.conversationId, thread));
  }

  async #cacheFirst<T>(name: string, load: () => Promise<T>): Promise<T> {
    const db = await this.#db;
    const hit = await db.get('meta', name);
    if (hit) {
      this.#work.background(
        load().then((fresh) => db.write('meta', [{ key: name, value: fresh }])),
      );
      return hit.value as T;
    }
    const fresh = await load();
    await this.#work.track(db.write('meta', [{ key: name, value: fresh }]));
    return fresh;
  }

  async #reconcileConversations(cached: Conversation[]): Promise<void> {
    const fresh = await all((cursor) => this.inner.listConversations({ cursor }));
    const before = new Map(cached.map((c) => [c.id, c]));
    for (const event of conversationChanges(this.#me, before, fresh)) this.#onEvent(event);
    await this.#writes.replace('conversations', fresh);
  }

  async #reconcileContacts(cached: Contact[]): Promise<void> {
    const fresh = await all((cursor) => this.inner.listContacts({ cursor }));
    const before = new Map(cached.map((c) => [c.id, c]));
    for (const c of fresh) {
      const old = before.get(c.id);
      if (old && old.updatedAt === c.updatedAt && old.phone === c.phone) continue;
      this.#onEvent({ type: 'contact.saved', contact: c });
    }
    await this.#writes.replace('contacts', fresh);
  }

  /** A thread painted from the cache: fetched again until the backend answers; what moved is emitted. */
  async #refreshThread(conversationId: string, cached: CachedThread): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      let page: Page<Message>;
      try {
        page = await pagesSince(this.inner, conversationId, cached.items);
      } catch (error) {
        if (!isTransient(error)) return;
        await pause(Math.min(30_000, 500 * 2 ** attempt), this.#stop.signal);
        continue;
      }
      const conversation = this.#conversations.get(conversationId);
      if (conversation) {
        for (const event of threadChanges(conversation, cached.items, page.items))
          this.#onEvent(event);
      }
      this.#putThread({ conversationId, ...page });
      return;
    }
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
