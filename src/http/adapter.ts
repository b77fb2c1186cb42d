/**
 * The HTTP adapter: a `BackendAdapter` that talks to a CRM backend implementing
 * docs/protocol.md. On top of the requests (./transport.ts) and the event stream
 * (./event-stream.ts) it keeps:
 * - an outbox in IndexedDB: a send is written down before any network call, shows as queued with
 *   the reason `offline` while the network is down, and is delivered exactly once (the server
 *   dedupes on the idempotency key) when it returns, even after a reload;
 * - an inbox cache in IndexedDB: a reload paints from it first, then reconciles with the server;
 * - tab coordination (./tabs.ts): one tab holds the event stream and flushes the outbox, the
 *   others get the events over a BroadcastChannel.
 */
import type {
  BackendAdapter,
  ConversationQuery,
  PageQuery,
  SendRequest,
  SendResult,
  ServerEvent,
  Session,
} from '../adapter.js';
import { systemClock, type Clock } from '../clock.js';
import { DeskError, isDeskError } from '../errors.js';
import { canSee } from '../rules/permissions.js';
import { applyStatus } from '../rules/status.js';
import { fillTemplate } from '../rules/templates.js';
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
import { EventStream, type StreamMessage, type StreamState } from './event-stream.js';
import {
  openLocalDatabase,
  type CachedThread,
  type LocalDatabase,
  type OutboxEntry,
} from './local-database.js';
import { HEADERS, RESET_EVENT } from './protocol.js';
import { heldLocks, holdPresence, Leadership, withLock, type TabMessage } from './tabs.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  Transport,
  type RetryOptions,
  type RetryPolicy,
  type TokenProvider,
} from './transport.js';

export interface HttpAdapterOptions {
  /** Where the protocol's resources live, e.g. `https://crm.example.com/desk/v1`. */
  baseUrl: string;
  /** The bearer token; asked again with `{ refresh: true }` once after a 401. */
  token: TokenProvider;
  /** Defaults to the global `fetch`, looked up at each call. */
  fetch?: typeof globalThis.fetch;
  /** Every wait (backoff, reconnection, flush) goes through it. Defaults to the system clock. */
  clock?: Clock;
  /**
   * The outbox's IndexedDB database; `false` sends straight to the network (a failure then
   * rejects with `network`). Default `{ databaseName: 'converse-desk-outbox' }`.
   */
  outbox?: { databaseName?: string } | false;
  /**
   * The inbox cache's IndexedDB database; `false` turns the cache off. Default
   * `{ databaseName: 'converse-desk-cache' }`. With `userId` (the user the host signs in), a
   * reload paints from the cache before any answer; without it, after the session's round trip
   * (or offline). A cache found to belong to another user is wiped.
   */
  cache?: { databaseName?: string; userId?: string } | false;
  /**
   * Tab coordination (needs Web Locks and BroadcastChannel; ignored without them). `scope`
   * separates desks of different users or backends in one browser; default the base URL.
   */
  tabs?: boolean | { scope?: string };
  retry?: RetryOptions;
  /** Time to wait for the response headers of one attempt. Default 15 s. */
  timeoutMs?: number;
  /** Event stream: reconnection backoff and the silence after which it reconnects. */
  events?: { baseDelayMs?: number; maxDelayMs?: number; heartbeatTimeoutMs?: number };
  /** Background delivery of the outbox: first delay, doubling up to the ceiling. */
  flush?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Keys for `createContact` (sends carry the client's). Defaults to `crypto.randomUUID`. */
  createKey?: () => string;
  /** For jitter; tests pass a seeded one. */
  random?: () => number;
}

export interface HttpAdapterStatus {
  /** `standalone`: no tab coordination; `leader`/`follower` among tabs; `idle`: no subscriber. */
  role: 'standalone' | 'leader' | 'follower' | 'idle';
  stream: StreamState;
  lastEventId: string;
  /** Event stream connections opened so far by this tab. */
  connections: number;
}

/**
 * What this tab knows of a loaded thread: the messages from its newest page on (older pages
 * joined when loaded in a row), and the cursor that continues past the oldest of them.
 */
interface ThreadState {
  messages: Map<string, Message>;
  nextCursor: string | null;
}

/** Cache writes made in one burst of events, written in one go. */
interface CacheBatch {
  conversations: Map<string, Conversation>;
  removed: Set<string>;
  contacts: Map<string, Contact>;
  threads: Map<string, CachedThread>;
  meta: Map<string, unknown>;
}

const LOCAL_PREFIX = 'local:';
const SEEN_IDS = 2000;

export function createHttpAdapter(options: HttpAdapterOptions): HttpAdapter {
  return new HttpAdapter(options);
}

export class HttpAdapter implements BackendAdapter {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #transport: Transport;
  readonly #retry: RetryPolicy;
  readonly #createKey: () => string;
  readonly #options: HttpAdapterOptions;
  readonly #tabId: string;
  readonly #scope: string;
  readonly #tabs: boolean;
  readonly #alive = new AbortController();
  readonly #listeners = new Set<(event: ServerEvent) => void>();
  readonly #databases = new Map<string, Promise<LocalDatabase>>();
  readonly #pendingWork = new Set<Promise<unknown>>();

  // What this adapter knows, for local copies and the cache.
  #me: User | undefined;
  /** Set once `session()` has named the user the cache belongs to. */
  #cacheOwner: string | undefined;
  readonly #conversations = new Map<string, Conversation>();
  readonly #contacts = new Map<string, Contact>();
  readonly #recipients = new Map<string, RecipientPolicy>();
  #templates: Template[] = [];
  /** Threads the client loaded, by conversation, for the catch-up after a stream reset. */
  readonly #threads = new Map<string, ThreadState>();
  /** Catch-up fetches on their way, by conversation: the events that arrive meanwhile. */
  readonly #pageWatchers = new Map<string, Set<ServerEvent[]>>();

  // Events.
  #stream: EventStream | null = null;
  #leadership: Leadership<ServerEvent> | null = null;
  #lastEventId = '';
  readonly #seen = new Set<string>();
  #subscribed = false;

  // Outbox flushing.
  #flushTimer: unknown = null;
  #flushAt = Infinity;
  #flushing: Promise<void> | null = null;
  #flushAgain = false;
  #flushFailures = 0;
  #flushForce = false;

  #cacheBatch: CacheBatch | null = null;

  constructor(options: HttpAdapterOptions) {
    if (!options.baseUrl) throw new DeskError('invalid_input', 'The HTTP adapter needs a baseUrl.');
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#createKey = options.createKey ?? (() => globalThis.crypto.randomUUID());
    this.#tabId = globalThis.crypto.randomUUID();
    this.#scope =
      (typeof options.tabs === 'object' && options.tabs.scope) ||
      options.baseUrl.replace(/\/+$/, '');
    this.#tabs = options.tabs !== false && Leadership.supported;
    this.#transport = new Transport({
      baseUrl: options.baseUrl,
      token: options.token,
      fetch: options.fetch,
      clock: this.#clock,
      timeoutMs: options.timeoutMs ?? 15_000,
      retry: this.#retry,
      random: this.#random,
    });
    holdPresence(presenceLock(this.#tabId), this.#alive.signal);
    const target = globalThis as { addEventListener?: EventTarget['addEventListener'] };
    target.addEventListener?.('online', this.#onOnline);
    // Entries left by a previous page load go out as soon as this tab may flush.
    if (this.#outboxName) this.#background(this.#startOutbox());
  }

  /** Where this tab stands; for a status line and for tests. */
  get status(): HttpAdapterStatus {
    const role = this.#leadership
      ? this.#leadership.leader
        ? 'leader'
        : 'follower'
      : this.#stream
        ? 'standalone'
        : 'idle';
    return {
      role,
      stream: this.#stream?.state ?? 'idle',
      lastEventId: this.#lastEventId,
      connections: this.#stream?.connections ?? 0,
    };
  }

  /** The outbox as stored now (pending, in flight, or refused on a later flush). */
  async outboxEntries(): Promise<OutboxEntry[]> {
    const db = await this.#database('outbox');
    return db ? sortEntries(await db.all('outbox')) : [];
  }

  /** Resolves when background work started so far (cache reconcile, flushes, writes) is done. */
  async settled(): Promise<void> {
    while (this.#pendingWork.size > 0) await Promise.allSettled([...this.#pendingWork]);
  }

  /** Stops the stream, leaves the tab election, aborts requests in flight and closes IndexedDB. */
  async close(): Promise<void> {
    if (this.#alive.signal.aborted || this.#transport.closed) return;
    this.#stopEvents();
    if (this.#flushTimer !== null) this.#clock.clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#transport.close();
    const target = globalThis as { removeEventListener?: EventTarget['removeEventListener'] };
    target.removeEventListener?.('online', this.#onOnline);
    // Writes already started (the outbox, the cache) finish before the databases close.
    await this.settled();
    this.#alive.abort();
    for (const db of this.#databases.values()) (await db.catch(() => undefined))?.close();
  }

  // ---- reference data (cache first) ------------------------------------------------------------

  /**
   * Cache first when the cache belongs to `cache.userId`; otherwise the server first, and the
   * cached session only when the server cannot be reached. A cache of another user is wiped.
   */
  async session(): Promise<Session> {
    const cache = await this.#database('cache');
    const cached = (await cache?.get('meta', 'session'))?.value as Session | undefined;
    const expected = this.#options.cache ? this.#options.cache.userId : undefined;
    if (cache && cached && expected && cached.user.id === expected) {
      this.#owner(cached);
      this.#background(
        this.#get<Session>('session').then(async (fresh) => {
          if (fresh.user.id !== expected) await this.#clearCache();
          else await cache.write('meta', [{ key: 'session', value: fresh }]);
        }),
      );
      return cached;
    }
    let fresh: Session;
    try {
      fresh = await this.#get<Session>('session');
    } catch (error) {
      if (cache && cached && isTransient(error) && (!expected || cached.user.id === expected)) {
        this.#owner(cached); // offline: the last session on this device
        return cached;
      }
      throw error;
    }
    if (cache) {
      if (cached && cached.user.id !== fresh.user.id) await this.#clearCache();
      await this.#track(cache.write('meta', [{ key: 'session', value: fresh }]));
    }
    this.#owner(fresh);
    return fresh;
  }

  /** The signed-in user is known: the user's cache may answer from now on. */
  #owner(session: Session): void {
    const known = this.#me?.id === session.user.id;
    this.#me = session.user;
    this.#cacheOwner = session.user.id;
    if (!known) this.#requestFlush(); // this user's waiting messages may go now
  }

  listUsers(): Promise<User[]> {
    return this.#cacheFirst('users', () => this.#all<User>('users'));
  }

  listSenderIds(): Promise<SenderId[]> {
    return this.#cacheFirst('senders', () => this.#all<SenderId>('sender-ids'));
  }

  async listTemplates(): Promise<Template[]> {
    const templates = await this.#cacheFirst('templates', () => this.#all<Template>('templates'), {
      fresh: (fresh) => (this.#templates = fresh),
    });
    this.#templates = templates;
    return templates;
  }

  // ---- contacts ----------------------------------------------------------------------------------

  /** Without a cursor or limit: every contact in one page, from the cache first when it has them. */
  async listContacts(query: PageQuery = {}): Promise<Page<Contact>> {
    if (query.cursor || query.limit) {
      return this.#get<Page<Contact>>('contacts', { cursor: query.cursor, limit: query.limit });
    }
    const cache = await this.#database('cache');
    const complete = cache && this.#cacheOwner && (await cache.get('meta', 'contacts.complete'));
    if (cache && complete) {
      const cached = await cache.all('contacts');
      for (const c of cached) this.#contacts.set(c.phone, c);
      this.#background(this.#reconcileContacts(cached));
      return { items: cached, nextCursor: null };
    }
    const items = await this.#all<Contact>('contacts');
    for (const c of items) this.#contacts.set(c.phone, c);
    if (cache) await this.#replaceCached(cache, 'contacts', items);
    return { items, nextCursor: null };
  }

  async searchContacts(text: string, limit = 8): Promise<Contact[]> {
    const page = await this.#get<{ items: Contact[] }>('contacts/search', { q: text, limit });
    return page.items;
  }

  /**
   * SN4, SN5. Offline, the last policy seen for the number (kept in the cache); for a number never
   * seen, no consent and no opt-out: the send guard then allows a reply in an open window, and the
   * server, which has the last word, refuses on the flush if the number opted out meanwhile.
   */
  async getRecipient(phone: string): Promise<RecipientPolicy> {
    try {
      const policy = await this.#get<RecipientPolicy>(`recipients/${encodeURIComponent(phone)}`);
      this.#learnRecipient(policy);
      return policy;
    } catch (error) {
      if (!isTransient(error)) throw error;
      const known = this.#recipients.get(phone);
      if (known) return known;
      const cache = await this.#database('cache');
      const cached = cache && (await cache.get('meta', `recipient:${phone}`));
      if (cached) return cached.value as RecipientPolicy;
      return { phone, whatsappConsent: false, optedOut: [] };
    }
  }

  async createContact(input: ContactInput): Promise<Contact> {
    const contact = await this.#transport.json<Contact>('contacts', {
      method: 'POST',
      json: input,
      idempotencyKey: this.#createKey(),
    });
    this.#learnContact(contact);
    return contact;
  }

  async updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    const contact = await this.#transport.json<Contact>(`contacts/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      json: patch,
    });
    this.#learnContact(contact);
    return contact;
  }

  // ---- conversations and messages ----------------------------------------------------------------

  /**
   * Without a cursor, limit or scope: every visible conversation in one page, from the cache
   * first when it has them; the server's answer then arrives as `conversation.updated` events.
   */
  async listConversations(query: ConversationQuery = {}): Promise<Page<Conversation>> {
    if (query.cursor || query.limit || query.scope) {
      const page = await this.#get<Page<Conversation>>('conversations', {
        cursor: query.cursor,
        limit: query.limit,
        teamMember: query.scope?.teamMember,
      });
      if (!query.scope) for (const c of page.items) this.#learn(c);
      return page;
    }
    const cache = await this.#database('cache');
    const complete =
      cache && this.#cacheOwner && (await cache.get('meta', 'conversations.complete'));
    if (cache && complete) {
      const cached = await cache.all('conversations');
      for (const c of cached) this.#learn(c, false);
      this.#background(this.#reconcileConversations(cached));
      return { items: cached, nextCursor: null };
    }
    const items = await this.#all<Conversation>('conversations');
    for (const c of items) this.#learn(c, false);
    if (cache) await this.#replaceCached(cache, 'conversations', items);
    return { items, nextCursor: null };
  }

  /**
   * Network first; offline, the newest page comes from the cache. Either way the newest page also
   * shows the messages waiting in the outbox for this conversation.
   */
  // Events that arrive while the page is on its way are kept by the client (DeskClient.open).
  async listMessages(conversationId: string, query: PageQuery = {}): Promise<Page<Message>> {
    const path = `conversations/${encodeURIComponent(conversationId)}/messages`;
    const cache = query.cursor ? undefined : await this.#database('cache');
    let page: Page<Message>;
    let fromCache = false;
    try {
      page = await this.#get<Page<Message>>(path, { cursor: query.cursor, limit: query.limit });
    } catch (error) {
      const cached = cache && isTransient(error) && (await cache.get('threads', conversationId));
      if (!cached) throw error;
      page = { items: cached.items, nextCursor: cached.nextCursor };
      fromCache = true;
    }
    const state = this.#threads.get(conversationId);
    if (!query.cursor) {
      this.#threads.set(conversationId, {
        messages: new Map(page.items.map((m) => [m.id, m])),
        nextCursor: page.nextCursor,
      });
      // Painted from the cache: reconcile with the server once it answers again.
      if (fromCache) this.#background(this.#refreshThread(conversationId));
      else this.#cacheThread(conversationId);
    } else if (state) {
      for (const m of page.items) state.messages.set(m.id, m);
      // The page continues the known run: the cache can hold it too.
      if (query.cursor === state.nextCursor) state.nextCursor = page.nextCursor;
      this.#cacheThread(conversationId);
      return page;
    } else {
      return page;
    }
    const waiting = await this.#localCopies(conversationId, page.items);
    return waiting.length ? { ...page, items: [...page.items, ...waiting] } : page;
  }

  #watch(conversationId: string, arrived: ServerEvent[], on: boolean): void {
    let watchers = this.#pageWatchers.get(conversationId);
    if (on) {
      if (!watchers) this.#pageWatchers.set(conversationId, (watchers = new Set()));
      watchers.add(arrived);
    } else if (watchers) {
      watchers.delete(arrived);
      if (watchers.size === 0) this.#pageWatchers.delete(conversationId);
    }
  }

  /** SN7: a newest page with the messages and status moves that arrived meanwhile. */
  #applyArrived(items: Message[], arrived: ServerEvent[]): Message[] {
    if (arrived.length === 0) return items;
    const byId = new Map(items.map((m) => [m.id, m]));
    for (const event of arrived) {
      if (event.type === 'message.created' && !byId.has(event.message.id)) {
        byId.set(event.message.id, event.message);
      } else if (event.type === 'message.status') {
        const message = byId.get(event.messageId);
        const channel = this.#conversations.get(event.conversationId)?.channel;
        if (message && channel) byId.set(message.id, applyStatus(message, event, channel));
      }
    }
    return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** After a thread was painted from the cache: fetch it again until the server answers. */
  async #refreshThread(conversationId: string): Promise<void> {
    for (let attempt = 0; !this.#alive.signal.aborted; attempt++) {
      try {
        await this.#catchUpThread(conversationId);
        return;
      } catch (error) {
        if (!isTransient(error)) return;
        await this.#transport.sleep(this.#flushDelay(attempt));
      }
    }
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Written to the outbox before any network call. A refusal rejects (and drops the entry); a
   * network failure resolves with the local copy, queued with the reason `offline`, which the
   * background flush later replaces with the server's copy through a `message.created` event.
   */
  async send(request: SendRequest): Promise<SendResult> {
    if (!request.idempotencyKey) {
      throw new DeskError('invalid_input', 'A send needs an idempotency key.');
    }
    const db = await this.#database('outbox');
    if (!db) return this.#post(request);
    const conversation =
      'conversationId' in request.target
        ? this.#conversations.get(request.target.conversationId)
        : undefined;
    const now = this.#clock.now();
    const entry: OutboxEntry = {
      key: request.idempotencyKey,
      request,
      state: 'sending',
      owner: this.#tabId,
      ...(this.#me && { userId: this.#me.id }),
      createdAt: now,
      attempts: 1,
      notBefore: 0,
      local: this.#localMessage(request, conversation, now),
    };
    await this.#track(db.write('outbox', [entry]));
    try {
      const result = await this.#post(request);
      await this.#track(db.write('outbox', [], [entry.key]));
      return result;
    } catch (error) {
      if (this.#transport.closed) throw error; // a reload: the next page load takes the entry
      if (conversation && isTransient(error)) {
        const retryAfter = Number((error as DeskError).details.retryAfterMs) || 0;
        entry.state = 'pending';
        entry.notBefore = now + Math.max(retryAfter, this.#flushDelay(0));
        await this.#track(db.write('outbox', [entry]));
        this.#queued(entry.notBefore);
        return { message: entry.local, conversation };
      }
      // A refusal, or a new conversation (no local copy to show): the caller gets the error.
      await this.#track(db.write('outbox', [], [entry.key]));
      throw error;
    }
  }

  /**
   * SN7. A local copy the server refused on a later flush goes again under its own key (the
   * server never accepted it); a server message goes through `POST /messages/{id}/retry`.
   */
  async retry(messageId: string, idempotencyKey: string): Promise<SendResult> {
    if (messageId.startsWith(LOCAL_PREFIX)) return this.#retryLocal(messageId);
    const result = await this.#transport.json<SendResult>(
      `messages/${encodeURIComponent(messageId)}/retry`,
      { method: 'POST', json: {}, idempotencyKey },
    );
    this.#learn(result.conversation);
    return result;
  }

  async markRead(
    conversationIds: string[],
    read: boolean,
    mode: 'owner' | 'admin',
  ): Promise<Conversation[]> {
    const { items } = await this.#transport.json<{ items: Conversation[] }>('conversations/read', {
      method: 'POST',
      json: { conversationIds, read, mode },
    });
    for (const c of items) this.#learn(c);
    return items;
  }

  async assign(conversationIds: string[], assigneeId: UserId): Promise<Conversation[]> {
    const { items } = await this.#transport.json<{ items: Conversation[] }>(
      'conversations/assign',
      { method: 'POST', json: { conversationIds, assigneeId } },
    );
    for (const c of items) this.#learn(c);
    return items;
  }

  // ---- events --------------------------------------------------------------------------------

  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#subscribed) {
      this.#subscribed = true;
      this.#startEvents();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#subscribed) this.#stopEvents();
    };
  }

  #startEvents(): void {
    if (this.#alive.signal.aborted) return;
    if (!this.#tabs) {
      this.#background(this.#openStream());
      return;
    }
    this.#leadership = new Leadership<ServerEvent>({
      name: `converse-desk-events:${this.#scope}`,
      onLeader: () => {
        this.#background(this.#openStream());
        this.#requestFlush();
      },
      onMessage: (message) => this.#onTabMessage(message),
    });
    this.#leadership.start();
  }

  #stopEvents(): void {
    this.#subscribed = false;
    this.#stream?.stop();
    this.#stream = null;
    this.#leadership?.stop();
    this.#leadership = null;
  }

  async #openStream(): Promise<void> {
    if (!this.#lastEventId) {
      const cache = await this.#database('cache');
      const stored = cache && (await cache.get('meta', 'lastEventId'));
      if (stored && typeof stored.value === 'string') this.#lastEventId ||= stored.value;
    }
    if (!this.#subscribed || this.#alive.signal.aborted || this.#stream) return;
    const events = this.#options.events ?? {};
    this.#stream = new EventStream({
      open: (lastEventId, signal) =>
        this.#transport.open(
          'events',
          lastEventId ? { [HEADERS.lastEventId]: lastEventId } : {},
          signal,
        ),
      onMessage: (message) => this.#onStreamMessage(message),
      // An id without data (the server's position on a fresh connection) is a resume point too.
      onLastEventId: (id) => {
        if (id === this.#lastEventId) return;
        this.#setLastEventId(id);
        this.#leadership?.post({ kind: 'cursor', id });
      },
      onOpen: () => this.#requestFlush(), // the server is reachable again
      clock: this.#clock,
      random: this.#random,
      backoff: {
        baseDelayMs: events.baseDelayMs ?? 1000,
        maxDelayMs: events.maxDelayMs ?? 30_000,
        jitter: true,
      },
      heartbeatTimeoutMs: events.heartbeatTimeoutMs ?? 45_000,
      lastEventId: this.#lastEventId,
    });
    this.#stream.start();
  }

  #onStreamMessage(message: StreamMessage): void {
    if (message.event === RESET_EVENT) {
      this.#setLastEventId(message.id);
      this.#leadership?.post({ kind: 'reset', id: message.id });
      this.#background(this.#catchUp());
      return;
    }
    let event: ServerEvent;
    try {
      event = JSON.parse(message.data) as ServerEvent;
    } catch {
      return; // not JSON: not for us
    }
    if (typeof event?.type !== 'string') return;
    if (this.#deliver(event, message.id)) {
      this.#leadership?.post({ kind: 'event', event, id: message.id });
    }
  }

  #onTabMessage(message: TabMessage<ServerEvent>): void {
    switch (message.kind) {
      case 'event':
        this.#deliver(message.event, message.id);
        break;
      case 'reset':
        this.#setLastEventId(message.id);
        this.#background(this.#catchUp());
        break;
      case 'cursor':
        this.#setLastEventId(message.id);
        break;
      case 'outbox':
        if (this.#leadership?.leader) this.#requestFlush();
        break;
    }
  }

  /** Applies one event to what the adapter knows and to the cache, then to the listeners. */
  #deliver(event: ServerEvent, id?: string): boolean {
    if (id) {
      if (this.#seen.has(id)) return false;
      this.#seen.add(id);
      if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value!);
      this.#setLastEventId(id);
    }
    this.#dispatch(event);
    return true;
  }

  #dispatch(event: ServerEvent): void {
    this.#absorb(event);
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // One failing listener must not stop the stream for the others.
      }
    }
  }

  #setLastEventId(id: string): void {
    if (!id || id === this.#lastEventId) return;
    this.#lastEventId = id;
    if (this.#stream) this.#stream.lastEventId = id;
    this.#cacheWrite((b) => b.meta.set('lastEventId', id));
  }

  /** Emits to this tab's listeners and to the other tabs (an outbox delivery, a local refusal). */
  #announce(event: ServerEvent): void {
    this.#deliver(event);
    this.#leadership?.post({ kind: 'event', event });
  }

  #absorb(event: ServerEvent): void {
    const conversationId = conversationOf(event);
    if (conversationId)
      for (const arrived of this.#pageWatchers.get(conversationId) ?? []) arrived.push(event);
    switch (event.type) {
      case 'message.created': {
        this.#learn(event.conversation);
        const state = this.#threads.get(event.message.conversationId);
        if (state && !state.messages.has(event.message.id)) {
          state.messages.set(event.message.id, event.message);
          this.#cacheThread(event.message.conversationId);
        }
        break;
      }
      case 'message.status': {
        const state = this.#threads.get(event.conversationId);
        const message = state?.messages.get(event.messageId);
        const channel = this.#conversations.get(event.conversationId)?.channel;
        if (state && message && channel) {
          state.messages.set(message.id, applyStatus(message, event, channel));
          this.#cacheThread(event.conversationId);
        }
        break;
      }
      case 'conversation.updated':
      case 'conversation.assigned':
        this.#learn(event.conversation);
        break;
      case 'contact.saved':
        this.#learnContact(event.contact);
        break;
      case 'recipient.updated':
        this.#learnRecipient(event.recipient);
        break;
      default:
    }
  }

  /** Keeps the newest revision, in memory and in the cache; drops what this user may no longer see. */
  #learn(conversation: Conversation, cache = true): void {
    const current = this.#conversations.get(conversation.id);
    if (current && current.revision > conversation.revision) return;
    if (this.#me && !canSee(this.#me, conversation)) {
      this.#conversations.delete(conversation.id);
      if (cache) this.#cacheWrite((b) => b.removed.add(conversation.id));
      return;
    }
    this.#conversations.set(conversation.id, conversation);
    if (cache) this.#cacheWrite((b) => b.conversations.set(conversation.id, conversation));
  }

  #learnContact(contact: Contact): void {
    for (const [phone, c] of this.#contacts) if (c.id === contact.id) this.#contacts.delete(phone);
    this.#contacts.set(contact.phone, contact);
    this.#cacheWrite((b) => b.contacts.set(contact.id, contact));
  }

  #learnRecipient(policy: RecipientPolicy): void {
    this.#recipients.set(policy.phone, policy);
    this.#cacheWrite((b) => b.meta.set(`recipient:${policy.phone}`, policy));
  }

  #cacheThread(conversationId: string): void {
    const state = this.#threads.get(conversationId);
    if (!state) return;
    this.#cacheWrite((b) => {
      const items = [...state.messages.values()]
        .filter((m) => !m.id.startsWith(LOCAL_PREFIX))
        .sort((a, c) => a.createdAt - c.createdAt || (a.id < c.id ? -1 : 1));
      b.threads.set(conversationId, { conversationId, items, nextCursor: state.nextCursor });
    });
  }

  // ---- reconciliation ------------------------------------------------------------------------

  async #reconcileConversations(cached: Conversation[]): Promise<void> {
    const fresh = await this.#all<Conversation>('conversations');
    const before = new Map(cached.map((c) => [c.id, c]));
    const cache = await this.#database('cache');
    const seen = new Set<string>();
    for (const c of fresh) {
      seen.add(c.id);
      const old = before.get(c.id);
      if (old && old.revision === c.revision) continue;
      this.#deliver({ type: 'conversation.updated', conversation: c });
    }
    for (const old of before.values()) {
      if (seen.has(old.id) || !this.#me || this.#me.role === 'admin') continue;
      // No longer visible (e.g. assigned away while this page was closed). The protocol has no
      // removal event, so the client gets the cached copy without this user as owner or sender:
      // at the same revision it replaces the cached one, and the client drops what it may not see.
      const me = this.#me.id;
      const gone: Conversation = {
        ...old,
        ownerId: old.ownerId === me ? '' : old.ownerId,
        outgoingBy: old.outgoingBy.filter((u) => u !== me),
      };
      this.#deliver({ type: 'conversation.updated', conversation: gone });
    }
    if (cache) await this.#replaceCached(cache, 'conversations', fresh);
  }

  async #reconcileContacts(cached: Contact[]): Promise<void> {
    const fresh = await this.#all<Contact>('contacts');
    const before = new Map(cached.map((c) => [c.id, c]));
    for (const c of fresh) {
      const old = before.get(c.id);
      if (old && old.updatedAt === c.updatedAt && old.phone === c.phone) continue;
      this.#deliver({ type: 'contact.saved', contact: c });
    }
    const cache = await this.#database('cache');
    if (cache) await this.#replaceCached(cache, 'contacts', fresh);
  }

  /**
   * After a `reset` (the server no longer holds the events since our last id): reload the inbox
   * and the threads the client loaded, and emit what changed.
   */
  async #catchUp(): Promise<void> {
    await this.#reconcileConversations([...this.#conversations.values()]);
    for (const conversationId of this.#threads.keys()) await this.#catchUpThread(conversationId);
  }

  /**
   * Fetches a loaded thread again, newest first, back to the oldest message this tab holds, and
   * emits what it had not seen: new messages, and status moves (SN7).
   */
  async #catchUpThread(conversationId: string): Promise<void> {
    const state = this.#threads.get(conversationId);
    if (!state) return;
    const path = `conversations/${encodeURIComponent(conversationId)}/messages`;
    const missing = new Set(state.messages.keys());
    const arrived: ServerEvent[] = [];
    this.#watch(conversationId, arrived, true);
    let items: Message[] = [];
    try {
      let cursor: string | null = null;
      for (let pages = 0; pages < 40; pages++) {
        const page: Page<Message> = await this.#get<Page<Message>>(path, { cursor });
        items = [...page.items, ...items];
        for (const m of page.items) missing.delete(m.id);
        cursor = page.nextCursor;
        if (!cursor || missing.size === 0) break;
      }
      items = this.#applyArrived(items, arrived);
    } finally {
      this.#watch(conversationId, arrived, false);
    }
    const conversation = this.#conversations.get(conversationId);
    if (!conversation) return;
    for (const m of items) {
      const old = state.messages.get(m.id);
      if (!old) {
        this.#deliver({ type: 'message.created', message: m, conversation });
      } else if (old.status !== m.status || old.attempt !== m.attempt) {
        this.#deliver({
          type: 'message.status',
          conversationId,
          messageId: m.id,
          attempt: m.attempt,
          status: m.status,
          at: m.statusTimes[m.status] ?? this.#clock.now(),
          ...(m.failureReason && { reason: m.failureReason }),
        });
      }
    }
  }

  // ---- outbox --------------------------------------------------------------------------------

  get #outboxName(): string | undefined {
    if (this.#options.outbox === false) return undefined;
    return this.#options.outbox?.databaseName ?? 'converse-desk-outbox';
  }

  /** Whether this tab flushes: the leader, or any tab not taking part in an election. */
  get #mayFlush(): boolean {
    return !this.#leadership || this.#leadership.leader;
  }

  /**
   * Whether this adapter may deliver or show an entry: one written for the signed-in user (or
   * before any session was known), never one of another user of the same browser.
   */
  #mine(entry: OutboxEntry): boolean {
    if (entry.userId === undefined) return true;
    return this.#me !== undefined && entry.userId === this.#me.id;
  }

  async #startOutbox(): Promise<void> {
    const entries = await this.outboxEntries();
    if (entries.some((e) => e.state !== 'failed')) this.#requestFlush();
  }

  readonly #onOnline = () => {
    this.#stream?.reconnect();
    this.#requestFlush();
  };

  /** A send went to the outbox: flush later here, or ask the leader. */
  #queued(at: number): void {
    if (this.#mayFlush) this.#scheduleFlush(at);
    else this.#leadership?.post({ kind: 'outbox' });
  }

  /** Flush now, whatever the backoff said: the network or the leadership just changed. */
  #requestFlush(): void {
    if (!this.#outboxName || this.#alive.signal.aborted || !this.#mayFlush) return;
    this.#scheduleFlush(this.#clock.now(), true);
  }

  #scheduleFlush(at: number, force = false): void {
    if (this.#transport.closed) return;
    this.#flushForce ||= force;
    if (this.#flushTimer !== null && at >= this.#flushAt) return;
    if (this.#flushTimer !== null) this.#clock.clearTimeout(this.#flushTimer);
    this.#flushAt = at;
    this.#flushTimer = this.#clock.setTimeout(
      () => {
        this.#flushTimer = null;
        this.#flushAt = Infinity;
        this.#background(this.#flush());
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  #flushDelay(failures: number): number {
    const flush = this.#options.flush ?? {};
    return backoffDelay(
      failures,
      {
        baseDelayMs: flush.baseDelayMs ?? 1000,
        maxDelayMs: flush.maxDelayMs ?? 30_000,
        jitter: true,
      },
      this.#random,
    );
  }

  /** One flush at a time in this tab; across tabs, the outbox lock makes runs exclusive. */
  async #flush(): Promise<void> {
    if (this.#flushing) {
      this.#flushAgain = true;
      return this.#flushing;
    }
    this.#flushing = (async () => {
      do {
        this.#flushAgain = false;
        const force = this.#flushForce;
        this.#flushForce = false;
        const ran = await withLock(
          `converse-desk-outbox:${this.#outboxName}`,
          () => this.#flushRun(force),
          { ifAvailable: true },
        );
        // Another tab is flushing (a leader handing over): look again shortly.
        if (ran === undefined) this.#scheduleFlush(this.#clock.now() + this.#flushDelay(0), force);
      } while (this.#flushAgain && !this.#alive.signal.aborted);
    })().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /**
   * Sends every entry that is due, oldest first, reading them inside the lock so that no entry is
   * ever sent by two runs. Stops at the first transient failure (order is kept) and reschedules.
   */
  async #flushRun(force: boolean): Promise<boolean> {
    const db = await this.#database('outbox');
    if (!db || this.#alive.signal.aborted) return true;
    const live = await heldLocks();
    let next = Infinity;
    for (const entry of sortEntries(await db.all('outbox'))) {
      if (this.#alive.signal.aborted) return true;
      if (entry.state === 'failed' || !this.#mine(entry)) continue;
      if (entry.state === 'sending') {
        // The first attempt of a live tab (this one, or one that Web Locks show alive).
        if (entry.owner === this.#tabId) continue;
        if (live?.has(presenceLock(entry.owner))) continue;
      }
      const now = this.#clock.now();
      if (!force && entry.notBefore > now) {
        next = Math.min(next, entry.notBefore);
        continue;
      }
      try {
        const result = await this.#post(entry.request, 0);
        await this.#track(db.write('outbox', [], [entry.key]));
        this.#flushFailures = 0;
        this.#announce({
          type: 'message.created',
          message: result.message,
          conversation: result.conversation,
        });
      } catch (error) {
        if (this.#transport.closed) return true;
        if (isTransient(error) || isDeskError(error, 'unauthorized')) {
          const retryAfter = Number((error as DeskError).details.retryAfterMs) || 0;
          const at = now + Math.max(retryAfter, this.#flushDelay(this.#flushFailures++));
          await this.#track(
            db.write('outbox', [
              {
                ...entry,
                state: 'pending',
                owner: this.#tabId,
                attempts: entry.attempts + 1,
                notBefore: at,
              },
            ]),
          );
          next = Math.min(next, at);
          break; // keep the order: the rest waits behind this one
        }
        const refusal = isDeskError(error) ? error : new DeskError('server', String(error));
        await this.#track(
          db.write('outbox', [
            {
              ...entry,
              state: 'failed',
              failure: { code: refusal.code, message: refusal.message },
            },
          ]),
        );
        this.#announce({
          type: 'message.status',
          conversationId: entry.local.conversationId,
          messageId: entry.local.id,
          attempt: entry.local.attempt,
          status: 'failed',
          at: now,
          reason: refusal.message,
        });
      }
    }
    if (next < Infinity) this.#scheduleFlush(next);
    return true;
  }

  async #retryLocal(messageId: string): Promise<SendResult> {
    const db = await this.#database('outbox');
    const entry = db && (await db.get('outbox', messageId.slice(LOCAL_PREFIX.length)));
    if (!db || !entry) {
      throw new DeskError('not_found', `Unknown message ${messageId}.`, { details: { messageId } });
    }
    const conversation = this.#conversations.get(entry.local.conversationId);
    const attempt = entry.local.attempt + 1;
    const local: Message = {
      ...entry.local,
      status: 'queued',
      queueReason: 'offline',
      attempt,
      statusTimes: { queued: this.#clock.now() },
    };
    delete local.failureReason;
    const retried: OutboxEntry = {
      ...entry,
      state: 'sending',
      owner: this.#tabId,
      local,
      notBefore: 0,
    };
    delete retried.failure;
    await this.#track(db.write('outbox', [retried]));
    try {
      const result = await this.#post(entry.request);
      await this.#track(db.write('outbox', [], [entry.key]));
      return result;
    } catch (error) {
      if (conversation && isTransient(error)) {
        await this.#track(db.write('outbox', [{ ...retried, state: 'pending' }]));
        this.#queued(this.#clock.now() + this.#flushDelay(0));
        return { message: local, conversation };
      }
      await this.#track(
        db.write('outbox', [
          {
            ...entry,
            failure: isDeskError(error)
              ? { code: error.code, message: error.message }
              : { code: 'server', message: String(error) },
          },
        ]),
      );
      throw error;
    }
  }

  /** The outbox's local copies for a conversation that the page does not hold yet. */
  async #localCopies(conversationId: string, page: Message[]): Promise<Message[]> {
    const db = await this.#database('outbox');
    if (!db) return [];
    const confirmed = new Set(page.map((m) => m.idempotencyKey).filter(Boolean));
    return sortEntries(await db.all('outbox'))
      .filter(
        (e) => this.#mine(e) && e.local.conversationId === conversationId && !confirmed.has(e.key),
      )
      .map((e) =>
        e.state === 'failed'
          ? {
              ...e.local,
              status: 'failed' as const,
              statusTimes: { ...e.local.statusTimes, failed: e.createdAt },
              failureReason: e.failure?.message ?? 'refused',
            }
          : e.local,
      );
  }

  #localMessage(
    request: SendRequest,
    conversation: Conversation | undefined,
    now: number,
  ): Message {
    const { content } = request;
    const template = content.templateId
      ? this.#templates.find((t) => t.id === content.templateId)
      : undefined;
    const text = template
      ? fillTemplate(template.body, {
          contact: conversation && this.#contacts.get(conversation.customer),
          phone: conversation?.customer,
        }).text
      : (content.text?.trim() ?? '');
    return {
      id: `${LOCAL_PREFIX}${request.idempotencyKey}`,
      conversationId: conversation?.id ?? '',
      direction: 'out',
      text,
      media: content.media ?? [],
      ...(template && {
        template: { id: template.id, name: template.name, registered: template.registered },
      }),
      ...(this.#me && { sentBy: this.#me.id }),
      status: 'queued',
      queueReason: 'offline', // SN6: distinct from `business_hours`
      statusTimes: { queued: now },
      attempt: 1,
      idempotencyKey: request.idempotencyKey,
      createdAt: now,
    };
  }

  async #post(request: SendRequest, retries?: number): Promise<SendResult> {
    const result = await this.#transport.json<SendResult>('messages', {
      method: 'POST',
      json: { target: request.target, content: request.content },
      idempotencyKey: request.idempotencyKey,
      retries,
    });
    this.#learn(result.conversation);
    return result;
  }

  // ---- cache ---------------------------------------------------------------------------------

  async #cacheFirst<T>(
    name: string,
    load: () => Promise<T>,
    hooks: { fresh?: (fresh: T, cached: T | undefined) => void } = {},
  ): Promise<T> {
    const cache = await this.#database('cache');
    const hit = cache && (await cache.get('meta', name));
    if (cache && hit) {
      this.#background(
        load().then((fresh) => {
          hooks.fresh?.(fresh, hit.value as T);
          return cache.write('meta', [{ key: name, value: fresh }]);
        }),
      );
      return hit.value as T;
    }
    const fresh = await load();
    hooks.fresh?.(fresh, undefined);
    if (cache) await this.#track(cache.write('meta', [{ key: name, value: fresh }]));
    return fresh;
  }

  async #replaceCached(
    cache: LocalDatabase,
    store: 'conversations' | 'contacts',
    items: Conversation[] | Contact[],
  ): Promise<void> {
    const existing = await cache.all(store);
    const keep = new Set(items.map((i) => i.id));
    const removed = existing.map((i) => i.id).filter((id) => !keep.has(id));
    await this.#track(cache.write(store as 'conversations', items as Conversation[], removed));
    await this.#track(cache.write('meta', [{ key: `${store}.complete`, value: true }]));
  }

  async #clearCache(): Promise<void> {
    const cache = await this.#database('cache');
    if (!cache) return;
    for (const store of ['conversations', 'contacts', 'threads', 'meta'] as const)
      await cache.clear(store);
  }

  /** Batches cache writes made in one burst of events into one transaction per store. */
  #cacheWrite(edit: (batch: CacheBatch) => void): void {
    if (this.#options.cache === false || this.#alive.signal.aborted) return;
    if (!this.#cacheBatch) {
      const batch: CacheBatch = (this.#cacheBatch = {
        conversations: new Map(),
        removed: new Set(),
        contacts: new Map(),
        threads: new Map(),
        meta: new Map(),
      });
      this.#background(
        Promise.resolve().then(async () => {
          this.#cacheBatch = null;
          const cache = await this.#database('cache');
          if (!cache) return;
          await cache.write('conversations', [...batch.conversations.values()], [...batch.removed]);
          await cache.write('contacts', [...batch.contacts.values()]);
          await cache.write('threads', [...batch.threads.values()]);
          await cache.write(
            'meta',
            [...batch.meta].map(([key, value]) => ({ key, value })),
          );
        }),
      );
    }
    edit(this.#cacheBatch!);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  #database(kind: 'outbox' | 'cache'): Promise<LocalDatabase | undefined> {
    const name =
      kind === 'outbox'
        ? this.#outboxName
        : this.#options.cache === false
          ? undefined
          : (this.#options.cache?.databaseName ?? 'converse-desk-cache');
    if (!name || this.#alive.signal.aborted) return Promise.resolve(undefined);
    let db = this.#databases.get(name);
    if (!db) this.#databases.set(name, (db = openLocalDatabase(name)));
    return db;
  }

  #get<T>(path: string, searchParams?: Record<string, string | number | null | undefined>) {
    return this.#transport.json<T>(path, { searchParams });
  }

  /** Every page of a collection. */
  async #all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.#get<Page<T>>(path, { cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#pendingWork.add(work);
    void work.then(
      () => this.#pendingWork.delete(work),
      () => this.#pendingWork.delete(work),
    );
    return work;
  }

  /** Background work: tracked for `settled()`, failures swallowed (the next attempt reports). */
  #background(work: Promise<unknown>): void {
    void this.#track(work).catch(() => undefined);
  }
}

/** The conversation whose thread an event changes. */
function conversationOf(event: ServerEvent): string | undefined {
  if (event.type === 'message.created') return event.message.conversationId;
  if (event.type === 'message.status') return event.conversationId;
  return undefined;
}

function presenceLock(tabId: string): string {
  return `converse-desk-tab:${tabId}`;
}

function sortEntries(entries: OutboxEntry[]): OutboxEntry[] {
  return entries.sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : 1));
}

/** Failures that may pass: the network, the server, a rate limit. */
function isTransient(error: unknown): boolean {
  return (
    isDeskError(error, 'network') ||
    isDeskError(error, 'server') ||
    isDeskError(error, 'rate_limited')
  );
}
