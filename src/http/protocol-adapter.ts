/**
 * The HTTP protocol adapter: a `BackendAdapter` that speaks docs/protocol.md and nothing more.
 * The endpoints, the requests (./transport.ts, on ky) and the event feed (./event-stream.ts)
 * that resumes with `Last-Event-ID`. The offline layers (outbox, cache, tabs) wrap it: see
 * ./adapter.ts for the composition `createHttpAdapter` makes.
 */
import type {
  BackendAdapter,
  ConversationQuery,
  EventListener,
  PageQuery,
  SendRequest,
  SendResult,
  ServerEvent,
  Session,
  SubscribeOptions,
  ViewCount,
} from '../adapter.js';
import { systemClock, type Clock } from '../clock.js';
import { DeskError } from '../errors.js';
import { assertViewKey, viewId, type ViewKey } from '../rules/views.js';
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
import { HEADERS, RESET_EVENT } from './protocol.js';
import {
  DEFAULT_RETRY,
  Transport,
  type Query,
  type RetryOptions,
  type TokenProvider,
} from './transport.js';

export interface HttpProtocolOptions {
  /** Where the protocol's resources live, e.g. `https://crm.example.com/desk/v1`. */
  baseUrl: string;
  /** The bearer token; asked again with `{ refresh: true }` once after a 401. */
  token: TokenProvider;
  /** Defaults to the global `fetch`, looked up at each call. */
  fetch?: typeof globalThis.fetch;
  /** Every wait (backoff, reconnection) goes through it. Defaults to the system clock. */
  clock?: Clock;
  retry?: RetryOptions;
  /** Time to wait for each attempt's headers, and again for its body. Default 15 s. */
  timeoutMs?: number;
  /** Event stream: reconnection backoff and the silence after which it reconnects. */
  events?: { baseDelayMs?: number; maxDelayMs?: number; heartbeatTimeoutMs?: number };
  /** Keys for `createContact` (sends carry the client's). Defaults to `crypto.randomUUID`. */
  createKey?: () => string;
  /** For jitter; tests pass a seeded one. */
  random?: () => number;
}

const SEEN_IDS = 2000;

export function createHttpProtocol(options: HttpProtocolOptions): HttpProtocol {
  return new HttpProtocol(options);
}

export class HttpProtocol implements BackendAdapter {
  readonly #options: HttpProtocolOptions;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #transport: Transport;
  readonly #createKey: () => string;
  readonly #listeners = new Set<EventListener>();
  readonly #seen = new Set<string>();
  readonly #positions = new Map<EventListener, (id: string) => void>();
  #stream: EventStream | null = null;
  #lastEventId = '';
  /** Called by the stream when it (re)connects: the backend is reachable again. */
  onReachable: (() => void) | null = null;

  constructor(options: HttpProtocolOptions) {
    if (!options.baseUrl) throw new DeskError('invalid_input', 'The HTTP adapter needs a baseUrl.');
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#createKey = options.createKey ?? (() => globalThis.crypto.randomUUID());
    this.#transport = new Transport({
      baseUrl: options.baseUrl,
      token: options.token,
      fetch: options.fetch,
      clock: this.#clock,
      timeoutMs: options.timeoutMs ?? 15_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      random: this.#random,
    });
  }

  get closed(): boolean {
    return this.#transport.closed;
  }

  get stream(): { state: StreamState; lastEventId: string; connections: number } {
    return {
      state: this.#stream?.state ?? 'idle',
      lastEventId: this.#lastEventId,
      connections: this.#stream?.connections ?? 0,
    };
  }

  /** Stops the stream and aborts every request in flight. */
  close(): void {
    this.#stop();
    this.#transport.close();
  }

  /** `{baseUrl}/media/{id}`: the server's attachments, behind the token. */
  ownsMedia(url: string): boolean {
    return this.#mediaPath(url) !== undefined;
  }

  fetchMedia(url: string): Promise<Blob> {
    const path = this.#mediaPath(url);
    if (!path) return Promise.reject(new DeskError('not_found', 'Not a file of this backend.'));
    return this.#transport.blob(path);
  }

  #mediaPath(url: string): string | undefined {
    const base = `${this.#options.baseUrl.replace(/\/$/, '')}/media/`;
    const id = url.startsWith(base) ? url.slice(base.length) : '';
    return /^[\w-]{1,100}$/.test(id) ? `media/${id}` : undefined;
  }

  session(): Promise<Session> {
    return this.#get<Session>('session');
  }
  listUsers(): Promise<User[]> {
    return this.#all<User>('users');
  }
  listSenderIds(): Promise<SenderId[]> {
    return this.#all<SenderId>('sender-ids');
  }
  listTemplates(): Promise<Template[]> {
    return this.#all<Template>('templates');
  }
  async listContacts(query: PageQuery = {}): Promise<Page<Contact>> {
    if (query.cursor || query.limit) {
      return this.#get<Page<Contact>>('contacts', { cursor: query.cursor, limit: query.limit });
    }
    return { items: await this.#all<Contact>('contacts'), nextCursor: null };
  }
  async searchContacts(text: string, limit = 8): Promise<Contact[]> {
    return (await this.#get<{ items: Contact[] }>('contacts/search', { q: text, limit })).items;
  }
  getRecipient(phone: string): Promise<RecipientPolicy> {
    return this.#get<RecipientPolicy>(`recipients/${encodeURIComponent(phone)}`);
  }
  async listConversations(query: ConversationQuery = {}): Promise<Page<Conversation>> {
    if (query.view) assertViewKey(query.view); // `sender:undefined` would name a sender ID
    if (query.cursor || query.limit || query.scope || query.view || query.search !== undefined) {
      return this.#get<Page<Conversation>>('conversations', {
        cursor: query.cursor,
        limit: query.limit,
        teamMember: query.scope?.teamMember,
        view: query.view && viewId(query.view),
        q: query.search,
      });
    }
    return { items: await this.#all<Conversation>('conversations'), nextCursor: null };
  }
  /** Issue 11: `GET /conversations/counts?view=…&view=…`, one round trip for a navigation. */
  async countViews(views: ViewKey[]): Promise<ViewCount[]> {
    for (const view of views) assertViewKey(view);
    if (views.length === 0) return [];
    const answer = await this.#get<{ items: ViewCount[] }>('conversations/counts', {
      view: views.map(viewId),
    });
    return answer.items;
  }
  listMessages(conversationId: string, query: PageQuery = {}): Promise<Page<Message>> {
    const path = `conversations/${encodeURIComponent(conversationId)}/messages`;
    return this.#get<Page<Message>>(path, { cursor: query.cursor, limit: query.limit });
  }

  async send(request: SendRequest): Promise<SendResult> {
    if (!request.idempotencyKey) {
      throw new DeskError('invalid_input', 'A send needs an idempotency key.');
    }
    return this.#transport.json<SendResult>('messages', {
      method: 'POST',
      json: { target: request.target, content: request.content },
      idempotencyKey: request.idempotencyKey,
    });
  }

  retry(messageId: string, idempotencyKey: string): Promise<SendResult> {
    return this.#transport.json<SendResult>(`messages/${encodeURIComponent(messageId)}/retry`, {
      method: 'POST',
      json: {},
      idempotencyKey,
    });
  }

  async markRead(ids: string[], read: boolean, mode: 'owner' | 'admin'): Promise<Conversation[]> {
    const body = { conversationIds: ids, read, mode };
    return (await this.#post<{ items: Conversation[] }>('conversations/read', body)).items;
  }

  async assign(conversationIds: string[], assigneeId: UserId): Promise<Conversation[]> {
    const body = { conversationIds, assigneeId };
    return (await this.#post<{ items: Conversation[] }>('conversations/assign', body)).items;
  }

  createContact(input: ContactInput): Promise<Contact> {
    return this.#transport.json<Contact>('contacts', {
      method: 'POST',
      json: input,
      idempotencyKey: this.#createKey(),
    });
  }

  updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    return this.#transport.json<Contact>(`contacts/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      json: patch,
    });
  }

  // ---- events --------------------------------------------------------------------------------

  /** The stream opens with the first listener and closes with the last. */
  subscribe(listener: EventListener, options?: SubscribeOptions): () => void {
    this.#listeners.add(listener);
    if (options?.onPosition) this.#positions.set(listener, options.onPosition);
    if (options?.after && !this.#lastEventId) this.#lastEventId = options.after;
    if (!this.#stream && !this.closed) this.#start();
    return () => {
      this.#listeners.delete(listener);
      this.#positions.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  #start(): void {
    const events = this.#options.events ?? {};
    this.#stream = new EventStream({
      open: (lastEventId, signal) =>
        this.#transport.open(
          'events',
          lastEventId ? { [HEADERS.lastEventId]: lastEventId } : {},
          signal,
        ),
      onMessage: (message) => this.#onMessage(message),
      // An id without data (the server's position on a fresh connection) is a resume point too.
      onLastEventId: (id) => {
        if (id === this.#lastEventId) return;
        this.#lastEventId = id;
        for (const position of [...this.#positions.values()]) position(id);
      },
      onOpen: () => this.onReachable?.(),
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

  #stop(): void {
    this.#stream?.stop();
    this.#stream = null;
  }

  #onMessage(message: StreamMessage): void {
    let event: ServerEvent;
    if (message.event === RESET_EVENT) {
      event = { type: 'reset' }; // the position was too old: the listeners reload what they show
    } else {
      try {
        event = JSON.parse(message.data) as ServerEvent;
      } catch {
        return; // not JSON: not for us
      }
      if (typeof event?.type !== 'string') return;
    }
    const id = message.id;
    if (id) {
      if (this.#seen.has(id)) return;
      this.#seen.add(id);
      if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value!);
      this.#lastEventId = id;
      if (this.#stream) this.#stream.lastEventId = id;
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, id ? { id } : undefined);
      } catch {
        // One failing listener must not stop the stream for the others.
      }
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------

  #get<T>(path: string, searchParams?: Query) {
    return this.#transport.json<T>(path, { searchParams });
  }

  #post<T>(path: string, json: unknown) {
    return this.#transport.json<T>(path, { method: 'POST', json });
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
}
