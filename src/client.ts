/**
 * The desk client: the object an integrator creates for one signed-in user. It holds a store of
 * state snapshots, derives the views, runs the rules before anything is sent, and talks only to a
 * `BackendAdapter`.
 */
import mitt, { type Emitter } from 'mitt';
import type {
  BackendAdapter,
  HeldSend,
  SendContent,
  SendRequest,
  SendResult,
  ServerEvent,
} from './adapter.js';
import { systemClock, type Clock } from './clock.js';
import { DeskError, isDeskError } from './errors.js';
import type { DeskEmitterEvents, DeskEvent, DeskEventType } from './events.js';
import { toE164 } from './phone.js';
import { assertCanAssign, assignableUsers } from './rules/assignment.js';
import { careWindow, type CareWindow } from './rules/care-window.js';
import {
  assertAdmin,
  assertCanSend,
  canSee,
  isAdmin,
  startableSenders,
} from './rules/permissions.js';
import {
  applyRead,
  assertCanMark,
  markMode,
  needsConfirmation,
  readOnOpen,
  type MarkMode,
} from './rules/read-state.js';
import type { GuardVerdict } from './rules/send-guard.js';
import { assertSendable } from './rules/verdict.js';
import { applyStatus, retryMessage } from './rules/status.js';
import { conversationTemplates, fillTemplate } from './rules/templates.js';
import {
  assertViewKey,
  contactName,
  inView,
  isSearchable,
  parseSearch,
  senderInboxes,
  splitName,
  teamMembers,
  viewId,
  type ViewKey,
} from './rules/views.js';
import { SearchIndex } from './search.js';
import { readOnly, Store, type ReadonlyStore } from './store.js';
import { MapVersion } from './versioned-map.js';
import { ViewIndex, type ConversationRow, type RowsSnapshot } from './view-index.js';
import {
  EMPTY_OUTBOX,
  localCopy,
  sameSummary,
  summarize,
  type OutboxSummary,
} from './client-offline.js';
import { catchUpEvents, threadChanges } from './offline/changes.js';
import type {
  AccountSettings,
  Channel,
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
} from './types.js';

export interface Thread {
  /** Chronological. Includes this client's messages that the backend has not confirmed yet. */
  items: readonly Message[];
  /** Cursor for older messages; null when the start of the thread is loaded. */
  nextCursor: string | null;
  loaded: boolean;
}

export interface DeskState {
  status: 'idle' | 'connecting' | 'ready' | 'error';
  error: DeskError | null;
  me: User | null;
  settings: AccountSettings | null;
  users: ReadonlyMap<UserId, User>;
  senders: ReadonlyMap<string, SenderId>;
  templates: readonly Template[];
  /** Contacts by E.164 number, so every conversation with a number shows its name (CT1). */
  contacts: ReadonlyMap<string, Contact>;
  conversations: ReadonlyMap<string, Conversation>;
  threads: ReadonlyMap<string, Thread>;
  openConversationId: string | null;
  /** N1: notifications not yet acknowledged. */
  unseenNotifications: number;
  /** SN4, SN5: consent and opt-outs of the numbers asked about so far, kept current by events. */
  recipients: ReadonlyMap<string, RecipientPolicy>;
  /** Sends an offline layer holds: waiting, waiting for a new sign-in, failed. */
  outbox: OutboxSummary;
}

export type { ConversationRow };

/**
 * A view's rows, newest activity first, and its counts. `rows` builds the whole list on first
 * read; a windowed list reads `count` and `slice(start, end)` instead.
 */
export type ViewSnapshot = RowsSnapshot;

/**
 * Where a message goes. A new conversation may carry the full name typed (SN1): until the contact
 * is saved, the send guard and template previews fill merge fields from it.
 */
export type SendTarget =
  { conversationId: string } | { senderId: string; customer: string; name?: string };

export interface StartConversationInput {
  /** SN1: the full name typed; saved as a contact when the number is not one yet. */
  name?: string;
  phone?: string;
  countryCallingCode?: string;
  nationalNumber?: string;
  senderId: string;
  content: SendContent;
}

/** What `startConversation` gives: the message sent and the conversation it is in (C1). */
export interface StartedConversation {
  message: Message;
  conversation: Conversation;
}

export interface DeskClientOptions {
  adapter: BackendAdapter;
  clock?: Clock;
  /** Generates idempotency keys; `crypto.randomUUID` by default. */
  createKey?: () => string;
}

const emptyState = (): DeskState => ({
  status: 'idle',
  error: null,
  me: null,
  settings: null,
  users: new Map(),
  senders: new Map(),
  templates: [],
  contacts: new Map(),
  conversations: new MapVersion(new Map()),
  threads: new Map(),
  openConversationId: null,
  unseenNotifications: 0,
  recipients: new Map(),
  outbox: EMPTY_OUTBOX,
});

export function createDeskClient(options: DeskClientOptions): DeskClient {
  return new DeskClient(options);
}

/** CT1: the detail that tells a UI which field to fill in. */
const NAME_MISSING = { details: { field: 'firstName' } };

export class DeskClient {
  readonly #store = new Store<DeskState>(emptyState());
  /** The state, read-only: commands are the only way to change it. */
  readonly store: ReadonlyStore<DeskState> = readOnly(this.#store);
  readonly clock: Clock;
  readonly #adapter: BackendAdapter;
  readonly #emitter: Emitter<DeskEmitterEvents> = mitt<DeskEmitterEvents>();
  readonly #createKey: () => string;
  /** Conversation ids per number: one per sender ID at most (C1), so a short array, not a Set. */
  readonly #byCustomer = new Map<string, string[]>();
  /** The conversations, changed in place; the state holds a new `MapVersion` per change. */
  readonly #conversations = new Map<string, Conversation>();
  /** Views read so far, each kept up to date event by event (V5). */
  readonly #views = new Map<string, { key: ViewKey; index: ViewIndex }>();
  readonly #search = new SearchIndex(() => '');
  #queue: ServerEvent[] = [];
  #flushing: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;
  #unwatch: (() => void) | null = null;
  /** The sends the offline layer holds, as it last said. */
  #held: readonly HeldSend[] = [];

  constructor(options: DeskClientOptions) {
    this.#adapter = options.adapter;
    this.clock = options.clock ?? systemClock;
    this.#createKey = options.createKey ?? (() => globalThis.crypto.randomUUID());
  }

  // ---- state ---------------------------------------------------------------------------------

  getState(): DeskState {
    return this.#store.getState();
  }

  subscribe(listener: (next: DeskState, previous: DeskState) => void): () => void {
    return this.#store.subscribe(listener);
  }

  select<S>(
    selector: (state: DeskState) => S,
    listener: (next: S, previous: S) => void,
    equals?: (a: S, b: S) => boolean,
  ): () => void {
    return this.#store.subscribeWithSelector(selector, listener, equals);
  }

  on<K extends DeskEventType>(
    type: K,
    handler: (event: Extract<DeskEvent, { type: K }>) => void,
  ): () => void {
    this.#emitter.on(type, handler as never);
    return () => this.#emitter.off(type, handler as never);
  }

  get me(): User {
    const me = this.getState().me;
    if (!me)
      throw new DeskError(
        'invalid_input',
        'The desk client is not connected; call connect() first.',
      );
    return me;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Loads the session, reference data and visible conversations, then follows server events. */
  async connect(): Promise<void> {
    if (this.getState().status === 'ready' || this.getState().status === 'connecting') return;
    this.#store.setState((s) => ({ ...s, status: 'connecting', error: null }));
    try {
      // Subscribe first and buffer, so nothing that happens while loading is missed.
      this.#unsubscribe = this.#adapter.subscribe((event) => this.#enqueue(event));
      const [session, users, senders, templates] = await Promise.all([
        this.#adapter.session(),
        this.#adapter.listUsers(),
        this.#adapter.listSenderIds(),
        this.#adapter.listTemplates(),
      ]);
      const contacts = new Map<string, Contact>();
      for (const contact of await this.#all((cursor) => this.#adapter.listContacts({ cursor }))) {
        contacts.set(contact.phone, contact);
      }
      const conversations = this.#conversations;
      conversations.clear();
      this.#views.clear();
      for (const c of await this.#all((cursor) => this.#adapter.listConversations({ cursor }))) {
        conversations.set(c.id, c);
        this.#indexCustomer(c);
      }
      this.#search.setNames((phone) => contactName(contacts.get(phone)));
      this.#store.setState((s) => ({
        ...s,
        status: 'ready',
        me: session.user,
        settings: session.settings,
        users: new Map(users.map((u) => [u.id, u])),
        senders: new Map(senders.map((x) => [x.id, x])),
        templates,
        contacts,
        // Events buffered while loading are applied on top by the next flush.
        conversations: new MapVersion(conversations),
      }));
      this.#scheduleFlush();
      this.#unwatch = this.#adapter.watchOutbox?.((held) => this.#onHeld(held)) ?? null;
      await this.idle();
    } catch (cause) {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      const error = toDeskError(cause);
      this.#store.setState((s) => ({ ...s, status: 'error', error }));
      throw error;
    }
  }

  disconnect(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#unwatch?.();
    this.#unwatch = null;
    this.#emitter.all.clear();
    this.#store.setState((s) => ({ ...s, status: 'idle' }));
  }

  /** Resolves once every server event received so far is applied. */
  async idle(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  async #all<T>(
    load: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
  ) {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page = await load(cursor);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  // ---- views (V1–V6) -------------------------------------------------------------------------

  /**
   * A view's rows, newest activity first, with its unread count; memoized per state. An unknown
   * view is `invalid_input`; the Team Inbox of a standard user is `forbidden` (U2).
   */
  view(key: ViewKey): ViewSnapshot {
    assertViewKey(key);
    const state = this.getState();
    if (key.kind === 'team' && state.me) assertAdmin(state.me, 'open the Team Inbox'); // U2
    const id = viewId(key);
    let view = this.#views.get(id);
    if (!view) {
      const me = state.me;
      const rows: ConversationRow[] = [];
      if (me) {
        for (const conversation of this.#conversations.values()) {
          if (inView(key, conversation, me)) rows.push(this.#row(conversation, state.contacts));
        }
      }
      view = { key, index: ViewIndex.from(rows) };
      // Before connect there is no user: such an empty view is not kept.
      if (me) this.#views.set(id, view);
    }
    return view.index.snapshot(view.key);
  }

  /** V5: moves one conversation's row in every view read so far. */
  #moveRow(before: Conversation | undefined, after: Conversation | undefined): void {
    const me = this.getState().me;
    if (!me) return;
    for (const { key, index } of this.#views.values()) {
      if (before && inView(key, before, me)) index.remove(before);
      if (after && inView(key, after, me)) index.insert(this.#row(after, this.#contacts()));
    }
  }

  /** CT1: a contact's name changed; the rows of its number show the new one. */
  #renameRows(phones: Iterable<string>): void {
    for (const phone of phones) {
      for (const id of this.#byCustomer.get(phone) ?? []) {
        const c = this.#conversations.get(id);
        if (c) this.#moveRow(c, c);
      }
    }
  }

  #contactsDraft: ReadonlyMap<string, Contact> | null = null;
  #contacts(): ReadonlyMap<string, Contact> {
    return this.#contactsDraft ?? this.getState().contacts;
  }

  /** V2: the sender ID inboxes this user has. */
  senderInboxes(): SenderId[] {
    const { me, senders } = this.getState();
    return me ? senderInboxes(me, senders.values()) : [];
  }

  /** V3: the Team Inbox entries (empty for a standard user). */
  teamMembers(): User[] {
    const { me, users } = this.getState();
    return me ? teamMembers(me, users.values()) : [];
  }

  /** U1, U2: whether the signed-in user is an admin (Team Inbox, assignment, admin marks). */
  isAdmin(): boolean {
    const me = this.getState().me;
    return !!me && isAdmin(me);
  }

  /** S1, V2: the sender IDs this user may start a conversation from (an admin: any). */
  startableSenders(): SenderId[] {
    const { me, senders } = this.getState();
    return me ? startableSenders(me, senders.values()) : [];
  }

  /** A1: the users conversations can be assigned to. */
  assignableUsers(): User[] {
    return assignableUsers(this.getState().users.values());
  }

  /** RD2, RD4: how this user may mark a conversation read or unread (null: not at all). */
  markMode(conversationId: string): MarkMode | null {
    return markMode(this.conversation(conversationId), this.me);
  }

  /** RD4: true when marking this conversation needs the admin's confirmation first. */
  needsConfirmation(conversationId: string): boolean {
    return needsConfirmation(this.conversation(conversationId), this.me);
  }

  /** RD1: true when a conversation open on screen should be marked read for its owner now. */
  readsOnOpen(conversationId: string): boolean {
    return readOnOpen(this.conversation(conversationId), this.me);
  }

  /** V6: search My Inbox or Sent Messages by contact name or any part of the number. */
  search(key: ViewKey, query: string): readonly ConversationRow[] {
    if (!isSearchable(key)) {
      throw new DeskError('invalid_input', 'Only My Inbox and Sent Messages can be searched.');
    }
    const snapshot = this.view(key);
    const parsed = parseSearch(query);
    if (!parsed) return snapshot.rows;
    const flags = this.#search.match(parsed);
    const positions = this.#searchPositions(snapshot);
    // A pass over a typed array, not a lookup per row: fast enough for 100k rows per keystroke.
    const found: ConversationRow[] = [];
    for (let i = 0; i < positions.length; i++)
      if (flags[positions[i]!]) found.push(snapshot.rows[i]!);
    return found;
  }

  /** For each row of a view, its customer's entry in the search index (computed once per snapshot). */
  #searchPositions(snapshot: ViewSnapshot): Int32Array {
    let positions = this.#positions.get(snapshot);
    if (!positions) {
      positions = Int32Array.from(snapshot.rows, (row) =>
        this.#search.position(row.conversation.customer),
      );
      this.#positions.set(snapshot, positions);
    }
    return positions;
  }

  readonly #positions = new WeakMap<ViewSnapshot, Int32Array>();

  #row(conversation: Conversation, contacts: ReadonlyMap<string, Contact>): ConversationRow {
    const contact = contacts.get(conversation.customer);
    return { conversation, contact, title: contactName(contact) || conversation.customer };
  }

  #indexCustomer(conversation: Conversation): void {
    const ids = this.#byCustomer.get(conversation.customer);
    if (!ids) {
      this.#byCustomer.set(conversation.customer, [conversation.id]);
      this.#search.add(conversation.customer);
    } else if (!ids.includes(conversation.id)) ids.push(conversation.id);
  }

  conversation(id: string): Conversation {
    const conversation = this.getState().conversations.get(id);
    if (!conversation)
      throw new DeskError('not_found', `Unknown conversation ${id}.`, { details: { id } });
    return conversation;
  }

  /** The conversation on a sender ID with a number (C1: at most one), if this user sees it. */
  findConversation(senderId: string, customer: string): Conversation | undefined {
    const { conversations } = this.getState();
    for (const id of this.#byCustomer.get(customer) ?? []) {
      const c = conversations.get(id);
      if (c?.senderId === senderId) return c;
    }
    return undefined;
  }

  // ---- conversation window -------------------------------------------------------------------

  /**
   * Opens a conversation: loads its latest messages and, for its owner, marks it read (RD1). An
   * admin looking at someone else's conversation only peeks (RD3).
   */
  async open(conversationId: string): Promise<Thread> {
    const me = this.me;
    const conversation = this.conversation(conversationId);
    this.#store.setState((s) => ({ ...s, openConversationId: conversationId }));
    let thread = this.getState().threads.get(conversationId);
    if (!thread?.loaded) {
      // Message events that arrive while the page loads are kept and replayed onto it.
      const buffered: ServerEvent[] = this.#loading.get(conversationId) ?? [];
      this.#loading.set(conversationId, buffered);
      let page: Page<Message>;
      try {
        page = await this.#adapter.listMessages(conversationId, { limit: 50 });
      } finally {
        this.#loading.delete(conversationId);
      }
      const channel = conversation.channel;
      this.#setThread(conversationId, (t) => {
        let next: Thread = {
          items: mergeMessages(page.items, t?.items ?? []),
          nextCursor: page.nextCursor,
          loaded: true,
        };
        for (const event of buffered) next = replay(next, event, channel);
        return next;
      });
      this.#showHeld(conversationId);
      thread = this.getState().threads.get(conversationId)!;
    }
    if (readOnOpen(conversation, me)) await this.#mark([conversationId], true, 'owner');
    return thread;
  }

  close(): void {
    this.#store.setState((s) => (s.openConversationId ? { ...s, openConversationId: null } : s));
  }

  /** Loads the previous page of a thread; resolves false at the start of the thread. */
  async loadOlder(conversationId: string): Promise<boolean> {
    const thread = this.getState().threads.get(conversationId);
    if (!thread?.loaded) {
      await this.open(conversationId);
      return true;
    }
    if (!thread.nextCursor) return false;
    const page = await this.#adapter.listMessages(conversationId, {
      cursor: thread.nextCursor,
      limit: 50,
    });
    this.#setThread(conversationId, (t) => ({
      items: mergeMessages(page.items, t?.items ?? []),
      nextCursor: page.nextCursor,
      loaded: true,
    }));
    return page.nextCursor !== null;
  }

  #setThread(conversationId: string, update: (thread: Thread | undefined) => Thread): void {
    this.#store.setState((s) => {
      const threads = new Map(s.threads);
      threads.set(conversationId, update(s.threads.get(conversationId)));
      return { ...s, threads };
    });
  }

  /** SN3: the care window of a conversation now. */
  careWindow(conversationId: string): CareWindow {
    const c = this.conversation(conversationId);
    return careWindow(c.channel, c.lastIncomingAt, this.clock.now());
  }

  /** SN2: the templates the compose box offers for a channel. */
  templatesFor(channel: Channel): Template[] {
    return conversationTemplates(this.getState().templates, channel);
  }

  /**
   * SN2: a template filled from the contact of a number (or, for a number with no contact yet, the
   * full name typed), then from the values the agent typed; with the fields still lacking. Sending
   * `{ templateId, text }` with this text sends the template (it matches it, SN3).
   */
  previewTemplate(
    templateId: string,
    customer: string,
    typed: { name?: string; values?: Readonly<Record<string, string>> } = {},
  ): { text: string; missing: string[] } {
    const template = this.#template(templateId);
    const contact =
      this.getState().contacts.get(customer) ??
      typedContact({ senderId: '', customer, ...typed }, customer);
    return fillTemplate(template.body, {
      contact,
      phone: customer,
      ...(typed.values && { values: typed.values }),
    });
  }

  #template(id: string): Template {
    const template = this.getState().templates.find((t) => t.id === id);
    if (!template) throw new DeskError('not_found', `Unknown template ${id}.`, { details: { id } });
    return template;
  }

  // ---- sending (SN1–SN8) ---------------------------------------------------------------------

  /** SN4/SN5 facts for a number, cached and kept current by server events. */
  async recipient(phone: string): Promise<RecipientPolicy> {
    const cached = this.getState().recipients.get(phone);
    if (cached) return cached;
    const policy = await this.#adapter.getRecipient(phone);
    this.#store.setState((s) => {
      if (s.recipients.has(phone)) return s; // an event was faster
      const recipients = new Map(s.recipients);
      recipients.set(phone, policy);
      return { ...s, recipients };
    });
    return this.getState().recipients.get(phone)!;
  }

  /**
   * The send guard's answer before the user presses Send: allowed, queued until a time, or refused
   * with a code and a reason the UI shows (SN2–SN6).
   */
  async checkSend(target: SendTarget, content: SendContent): Promise<GuardVerdict> {
    return (await this.#prepare(target, content)).verdict;
  }

  /** Target resolution, permission and the send guard: the engine's own function (prepare.ts). */
  async #prepare(target: SendTarget, content: SendContent) {
    const me = this.me;
    const state = this.getState();
    // Loaded on the first send or check: valibot and the engine stay out of the first load.
    const [{ parseInput, SendContentSchema }, { prepareSend }] = await Promise.all([
      import('./engine/input.js'),
      import('./engine/prepare.js'),
    ]);
    return prepareSend(
      me,
      target,
      parseInput(SendContentSchema, content, 'content'),
      {
        conversation: (id) => state.conversations.get(id),
        findConversation: (senderId, customer) => this.findConversation(senderId, customer),
        sender: (id) => state.senders.get(id),
        template: (id) => state.templates.find((t) => t.id === id),
        contact: (phone) => state.contacts.get(phone) ?? typedContact(target, phone),
        recipient: (phone) => this.recipient(phone),
        settings: () => state.settings ?? undefined,
      },
      this.clock.now(),
    );
  }

  /** Sends in an existing conversation. Refusals throw a `DeskError` and change nothing. */
  async send(conversationId: string, content: SendContent): Promise<Message> {
    return this.#send({ conversationId }, content);
  }

  /** SN1: a new conversation (or the existing one on that sender ID with that number, C1). */
  async startConversation(input: StartConversationInput): Promise<StartedConversation> {
    const customer = await toE164(input);
    const sender = this.#sender(input.senderId);
    assertCanSend(this.me, sender);
    const name = input.name?.trim();
    const verdict = await this.checkSend(
      { senderId: sender.id, customer, ...(name && { name }) },
      input.content,
    );
    assertSendable(verdict);
    if (name && !this.getState().contacts.has(customer)) {
      await this.saveContact({ phone: customer, ...splitName(name) });
    }
    const message = await this.#send({ senderId: sender.id, customer }, input.content);
    return { message, conversation: this.conversation(message.conversationId) };
  }

  async #send(target: SendTarget, content: SendContent): Promise<Message> {
    const { sender, conversation, customer, verdict } = await this.#prepare(target, content);
    assertSendable(verdict);
    const request: SendRequest = {
      // A new conversation's first message tried again while it waits keeps its key (one message).
      idempotencyKey:
        (!conversation && this.#heldKey(sender.id, customer, content)) || this.#createKey(),
      target: conversation
        ? { conversationId: conversation.id }
        : { senderId: sender.id, customer },
      content,
    };
    return this.#deliver(request, conversation?.id);
  }

  /** Shows the message at once as queued, then replaces it with the backend's copy. */
  async #deliver(request: SendRequest, conversationId: string | undefined): Promise<Message> {
    const local = conversationId ? this.#localMessage(request, conversationId) : undefined;
    if (local) this.#setThread(local.conversationId, (t) => withMessage(t, local));
    let result: SendResult;
    try {
      result = await this.#adapter.send(request);
    } catch (cause) {
      const error = toDeskError(cause);
      if (local && error.details.queued === true) {
        // Held by the offline layer: it arrives later as `message.created`.
        const queued = { ...local, queueReason: 'offline' as const };
        this.#setThread(local.conversationId, (t) =>
          withMessage(withoutMessage(t, local.id), queued),
        );
        return queued;
      }
      if (local && error.code === 'network') {
        // Kept, not dropped: retry() sends it again under the same idempotency key.
        this.#pendingRequests.set(local.id, request);
        this.#setThread(local.conversationId, (t) =>
          withMessage(t, {
            ...local,
            status: 'failed',
            failureReason: 'network',
            statusTimes: { ...local.statusTimes, failed: this.clock.now() },
          }),
        );
      } else if (local) {
        this.#setThread(local.conversationId, (t) => withoutMessage(t, local.id));
      }
      throw error;
    }
    this.#pendingRequests.delete(local?.id ?? '');
    this.#applySendResult(result, local?.id);
    return result.message;
  }

  readonly #pendingRequests = new Map<string, SendRequest>();
  /** Conversations whose first page is loading, with the message events received meanwhile. */
  readonly #loading = new Map<string, ServerEvent[]>();

  #localMessage(request: SendRequest, conversationId: string): Message {
    const now = this.clock.now();
    return {
      id: `local:${request.idempotencyKey}`,
      conversationId,
      direction: 'out',
      text: request.content.text ?? '',
      media: request.content.media ?? [],
      sentBy: this.me.id,
      status: 'queued',
      queueReason: 'network',
      statusTimes: { queued: now },
      attempt: 1,
      idempotencyKey: request.idempotencyKey,
      createdAt: now,
    };
  }

  /** The key of a held, waiting first message to that number with that content, if any. */
  #heldKey(senderId: string, customer: string, content: SendContent): string | undefined {
    return this.#held.find(
      (h) =>
        h.state === 'waiting' &&
        'senderId' in h.request.target &&
        h.request.target.senderId === senderId &&
        h.request.target.customer === customer &&
        JSON.stringify(h.request.content) === JSON.stringify(content),
    )?.key;
  }

  #onHeld(held: readonly HeldSend[]): void {
    this.#held = held;
    const summary = summarize(held);
    if (!sameSummary(summary, this.getState().outbox)) {
      this.#store.setState((s) => ({ ...s, outbox: summary }));
      this.#emitter.emit('outbox', { type: 'outbox', ...summary });
    }
    const ids = new Set<string>();
    for (const h of held)
      if ('conversationId' in h.request.target) ids.add(h.request.target.conversationId);
    for (const id of ids) this.#showHeld(id);
  }

  /** The local copies of the held sends of a loaded thread (after a reload, from another tab). */
  #showHeld(conversationId: string): void {
    const thread = this.getState().threads.get(conversationId);
    if (!thread) return;
    let items = thread.items;
    for (const h of this.#held) {
      if (
        !('conversationId' in h.request.target) ||
        h.request.target.conversationId !== conversationId
      )
        continue;
      const id = `local:${h.key}`;
      const confirmed = items.some((m) => m.idempotencyKey === h.key && m.id !== id);
      if (confirmed) continue;
      const current = items.find((m) => m.id === id);
      const text = h.request.content.templateId
        ? this.previewTemplate(
            h.request.content.templateId,
            this.conversation(conversationId).customer,
          ).text
        : (h.request.content.text ?? '');
      const copy = localCopy(h, conversationId, this.getState().me?.id, text);
      if (current?.status === copy.status && current.queueReason === copy.queueReason) continue;
      items = mergeMessages(
        items.filter((m) => m.id !== id),
        [current ? { ...copy, createdAt: current.createdAt } : copy],
      );
    }
    if (items !== thread.items) this.#setThread(conversationId, (t) => ({ ...t!, items }));
  }

  /** After a reset: the inbox and the loaded threads again, with what the missed events raised. */
  async #catchUp(): Promise<void> {
    const me = this.getState().me;
    if (!me) return;
    try {
      const fresh = await this.#all((cursor) => this.#adapter.listConversations({ cursor }));
      const events = catchUpEvents(me, this.getState().conversations, fresh);
      const byId = new Map(fresh.map((c) => [c.id, c]));
      for (const [id, thread] of this.getState().threads) {
        const conversation = byId.get(id);
        if (!thread.loaded || !conversation) continue;
        const page = await this.#adapter.listMessages(id, { limit: 50 });
        events.push(
          ...threadChanges(conversation, this.getState().threads.get(id)!.items, page.items),
        );
      }
      for (const event of events) this.#enqueue(event);
    } catch (cause) {
      this.#emitter.emit('error', { type: 'error', error: toDeskError(cause) });
    }
  }

  #applySendResult(result: SendResult, localId?: string): void {
    this.#messages.set(result.message.id, result.message);
    this.#store.setState((s) => {
      const changed = this.#putConversation(result.conversation);
      const conversations = changed ? this.#conversationsVersion() : s.conversations;
      const threads = new Map(s.threads);
      const thread = threads.get(result.message.conversationId);
      const base = localId && thread ? withoutMessage(thread, localId) : thread;
      threads.set(result.message.conversationId, withMessage(base, result.message));
      return { ...s, conversations, threads };
    });
  }

  /** SN7: a failed message is sent again. Never sends twice: the backend dedupes on the key. */
  async retry(messageId: string): Promise<Message> {
    const pending = this.#pendingRequests.get(messageId);
    if (pending) {
      const conversationId = this.#findMessage(messageId)?.conversationId;
      this.#setThread(conversationId!, (t) => withoutMessage(t, messageId));
      return this.#deliver(pending, conversationId);
    }
    const message = this.#findMessage(messageId);
    if (!message)
      throw new DeskError('not_found', `Unknown message ${messageId}.`, { details: { messageId } });
    retryMessage(message, this.clock.now()); // throws not_retryable unless failed
    const conversation = this.conversation(message.conversationId);
    assertCanSend(this.me, this.#sender(conversation.senderId), conversation);
    const result = await this.#adapter.retry(messageId, this.#createKey());
    this.#applySendResult(result);
    return result.message;
  }

  /**
   * A message's latest copy, its thread open or not: those sent from this client and those the
   * backend's events told about since `connect()` (their status events included).
   */
  message(messageId: string): Message | undefined {
    const known = this.#messages.get(messageId);
    const thread = known && this.getState().threads.get(known.conversationId);
    return thread?.items.find((m) => m.id === messageId) ?? known ?? this.#findMessage(messageId);
  }

  /** Messages by id, outside the threads, so status events for unopened threads are kept. */
  readonly #messages = new Map<string, Message>();

  #findMessage(messageId: string): Message | undefined {
    for (const thread of this.getState().threads.values()) {
      const found = thread.items.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  #sender(id: string): SenderId {
    const sender = this.getState().senders.get(id);
    if (!sender) throw new DeskError('not_found', `Unknown sender ID ${id}.`, { details: { id } });
    return sender;
  }

  // ---- read state and assignment (RD1–RD4, A1–A2) --------------------------------------------

  /** RD2: mark conversations this user owns read or unread. */
  async markRead(conversationIds: string[], read: boolean): Promise<void> {
    await this.#mark(conversationIds, read, 'owner');
  }

  /**
   * RD4: an admin marks another user's conversations read or unread. The UI asks first; the SDK
   * refuses with `confirmation_required` unless `confirmed` is true.
   */
  async markReadAsAdmin(
    conversationIds: string[],
    read: boolean,
    options: { confirmed: boolean },
  ): Promise<void> {
    if (!options.confirmed) {
      throw new DeskError(
        'confirmation_required',
        "Confirm before changing another user's read state.",
      );
    }
    await this.#mark(conversationIds, read, 'admin');
  }

  async #mark(ids: string[], read: boolean, mode: 'owner' | 'admin'): Promise<void> {
    if (ids.length === 0) throw new DeskError('invalid_input', 'Choose at least one conversation.');
    const conversations = ids.map((id) => this.conversation(id));
    assertCanMark(conversations, this.me, mode);
    // Optimistic, and put back if the backend refuses.
    const before = new Map(conversations.map((c) => [c.id, c]));
    this.#patchConversations(conversations.map((c) => applyRead(c, read)));
    try {
      this.#patchConversations(await this.#adapter.markRead(ids, read, mode));
    } catch (cause) {
      this.#patchConversations([...before.values()], true);
      throw toDeskError(cause);
    }
  }

  /** A1, A2 (admins only): assign conversations to one standard user. */
  async assign(conversationIds: string[], assigneeId: UserId): Promise<void> {
    const assignee = this.getState().users.get(assigneeId);
    assertCanAssign(this.me, assignee, conversationIds.length);
    conversationIds.forEach((id) => this.conversation(id));
    this.#patchConversations(await this.#adapter.assign(conversationIds, assigneeId));
  }

  #patchConversations(updated: Conversation[], force = false): void {
    let changed = false;
    for (const c of updated) changed = this.#putConversation(c, force) || changed;
    if (changed)
      this.#store.setState((s) => ({ ...s, conversations: this.#conversationsVersion() }));
  }

  #conversationsVersion(): MapVersion<string, Conversation> {
    return new MapVersion(this.#conversations);
  }

  /**
   * Keeps the newest revision; an equal revision from the backend replaces an optimistic copy.
   * Moves the conversation's row in each view (V5). Returns whether anything changed.
   */
  #putConversation(next: Conversation, force = false): boolean {
    const map = this.#conversations;
    const current = map.get(next.id);
    if (!force && current && current.revision > next.revision) return false;
    if (current === next) return false;
    const me = this.getState().me;
    if (me && !canSee(me, next)) {
      if (!current) return false;
      map.delete(next.id);
      this.#moveRow(current, undefined);
      return true;
    }
    map.set(next.id, next);
    if (!current) this.#indexCustomer(next);
    this.#moveRow(current, next);
    return true;
  }

  // ---- contacts (CT1) ------------------------------------------------------------------------

  /** CT1: save a number as a contact; its name shows at once in every conversation and in search. */
  async saveContact(input: ContactInput): Promise<Contact> {
    if (!input.firstName?.trim())
      throw new DeskError('invalid_input', 'A contact needs a name.', NAME_MISSING);
    const phone = await toE164(input);
    if (this.getState().contacts.has(phone)) {
      throw new DeskError('conflict', 'A contact with that number exists; edit it instead.', {
        details: { phone },
      });
    }
    const contact = await this.#adapter.createContact({
      ...input,
      phone,
      countryCallingCode: undefined,
      nationalNumber: undefined,
    });
    this.#putContact(contact);
    return contact;
  }

  /** CT1: edit a contact from the desk. */
  async updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    if (patch.firstName !== undefined && !patch.firstName.trim()) {
      throw new DeskError('invalid_input', 'A contact needs a name.', NAME_MISSING);
    }
    const known = [...this.getState().contacts.values()].find((c) => c.id === id);
    if (!known) throw new DeskError('not_found', `Unknown contact ${id}.`, { details: { id } });
    const phone = patch.phone || patch.nationalNumber ? await toE164(patch) : undefined;
    const contact = await this.#adapter.updateContact(id, {
      ...patch,
      ...(phone && { phone }),
      countryCallingCode: undefined,
      nationalNumber: undefined,
    });
    this.#putContact(contact, known.phone);
    return contact;
  }

  /** SN1: suggestions while typing a name or number. */
  async suggestContacts(text: string, limit = 8): Promise<Contact[]> {
    return text.trim() ? this.#adapter.searchContacts(text.trim(), limit) : [];
  }

  #putContact(contact: Contact, previousPhone?: string): void {
    const s = this.getState();
    const current = s.contacts.get(contact.phone);
    if (current && current.updatedAt > contact.updatedAt) return;
    const contacts = new Map(s.contacts);
    if (previousPhone && previousPhone !== contact.phone) contacts.delete(previousPhone);
    contacts.set(contact.phone, contact);
    this.#search.setNames((phone) => contactName(contacts.get(phone)));
    this.#contactsDraft = contacts;
    this.#renameRows([contact.phone, ...(previousPhone ? [previousPhone] : [])]);
    this.#contactsDraft = null;
    this.#store.setState({ ...s, contacts });
  }

  // ---- notifications (N1) --------------------------------------------------------------------

  /** N1: the user has seen the notifications (the tab is visible again). */
  acknowledgeNotifications(): void {
    this.#store.setState((s) => (s.unseenNotifications ? { ...s, unseenNotifications: 0 } : s));
  }

  // ---- server events -------------------------------------------------------------------------

  #enqueue(event: ServerEvent): void {
    this.#queue.push(event);
    this.#scheduleFlush();
  }

  /** One state change per burst of events: many events cost one copy of the maps. */
  #scheduleFlush(): void {
    // Events that arrive while connecting wait for the loaded snapshot, then apply on top of it.
    if (this.getState().status !== 'ready' || this.#queue.length === 0) return;
    this.#flushing ??= Promise.resolve().then(() => this.#flush());
  }

  #flush(): void {
    const events = this.#queue;
    this.#queue = [];
    this.#flushing = null;
    if (this.getState().status !== 'ready') return;
    const emits: DeskEvent[] = [];
    const draft: Draft = { conversations: false, renamed: new Set(), owned: new WeakSet() };
    const prev = this.getState();
    let threads: Map<string, Thread> | null = null;
    let contacts = null as Map<string, Contact> | null;
    let unseen = prev.unseenNotifications;
    const thread = (id: string) => (threads ?? prev.threads).get(id);
    const setThread = (id: string, t: Thread) => (threads ??= new Map(prev.threads)).set(id, t);

    for (const event of events) {
      try {
        unseen = this.#apply(
          event,
          prev,
          thread,
          setThread,
          emits,
          unseen,
          () => (contacts ??= new Map(prev.contacts)),
          draft,
        );
      } catch (cause) {
        // One malformed event must not stop the others.
        emits.push({ type: 'error', error: toDeskError(cause) });
      }
    }
    if (contacts) {
      const names = contacts;
      this.#search.setNames((phone) => contactName(names.get(phone)));
      this.#contactsDraft = names;
      this.#renameRows(draft.renamed);
      this.#contactsDraft = null;
    }
    this.#store.setState({
      ...prev,
      conversations: draft.conversations ? this.#conversationsVersion() : prev.conversations,
      threads: threads ?? prev.threads,
      contacts: contacts ?? prev.contacts,
      unseenNotifications: unseen,
      recipients: draft.recipients ?? prev.recipients,
      settings: draft.settings ?? prev.settings,
    });
    for (const event of emits) this.#emitter.emit(event.type, event as never);
  }

  #apply(
    event: ServerEvent,
    prev: DeskState,
    thread: (id: string) => Thread | undefined,
    setThread: (id: string, t: Thread) => void,
    emits: DeskEvent[],
    unseen: number,
    editContacts: () => Map<string, Contact>,
    draft: Draft,
  ): number {
    const put = (c: Conversation) => {
      if (this.#putConversation(c)) draft.conversations = true;
    };
    switch (event.type) {
      case 'message.created': {
        this.#messages.set(event.message.id, event.message);
        put(event.conversation);
        const t = thread(event.message.conversationId);
        if (t) setThread(event.message.conversationId, withMessage(t, event.message, draft.owned));
        else this.#loading.get(event.message.conversationId)?.push(event);
        const type = event.message.direction === 'in' ? 'message.incoming' : 'message.outgoing';
        emits.push({ type, message: event.message, conversation: event.conversation });
        break;
      }
      case 'message.status': {
        const t = thread(event.conversationId);
        const message = t?.items.find((m) => m.id === event.messageId);
        const channel = this.#conversations.get(event.conversationId)?.channel ?? 'sms';
        if (!message) this.#loading.get(event.conversationId)?.push(event);
        // SN7 for a thread not open too: the copy outside the threads moves on.
        const known = message ?? this.#messages.get(event.messageId);
        if (known) {
          const next = applyStatus(known, event, channel);
          if (next !== known) {
            if (t && message) setThread(event.conversationId, withMessage(t, next));
            if (this.#messages.has(next.id)) this.#messages.set(next.id, next);
            emits.push({
              type: 'message.status',
              message: next,
              conversationId: event.conversationId,
            });
          }
        }
        break;
      }
      case 'conversation.updated':
        put(event.conversation);
        break;
      case 'conversation.assigned':
        put(event.conversation);
        emits.push({ ...event });
        break;
      case 'contact.saved': {
        const contacts = editContacts();
        const current = contacts.get(event.contact.phone);
        if (!current || current.updatedAt <= event.contact.updatedAt) {
          for (const [phone, c] of contacts) {
            if (c.id !== event.contact.id) continue;
            contacts.delete(phone);
            draft.renamed.add(phone);
          }
          contacts.set(event.contact.phone, event.contact);
          draft.renamed.add(event.contact.phone);
        }
        emits.push({ type: 'contact.saved', contact: event.contact });
        break;
      }
      case 'recipient.updated':
        draft.recipients ??= new Map(prev.recipients);
        draft.recipients.set(event.recipient.phone, event.recipient);
        break;
      case 'settings.updated':
        draft.settings = event.settings;
        break;
      case 'reset':
        void Promise.resolve().then(() => this.#catchUp());
        break;
      case 'notification':
        if (event.userId === prev.me?.id) {
          unseen++;
          emits.push({
            type: 'notification',
            kind: event.kind,
            conversationId: event.conversationId,
            at: event.at,
            unseen,
          });
        }
        break;
    }
    return unseen;
  }
}

/** What one flush changes besides the conversations map (which changes in place). */
interface Draft {
  conversations: boolean;
  /** Numbers whose contact name changed (CT1): their rows are renamed. */
  renamed: Set<string>;
  /** Thread arrays created during this flush, not yet in any state: appends go in place. */
  owned: WeakSet<readonly Message[]>;
  recipients?: Map<string, RecipientPolicy>;
  settings?: AccountSettings;
}

function toDeskError(cause: unknown): DeskError {
  if (isDeskError(cause)) return cause;
  return new DeskError('network', cause instanceof Error ? cause.message : 'The backend failed.', {
    cause,
  });
}

/** Chronological merge that keeps one copy per id and drops local copies the backend confirmed. */
/**
 * Chronological merge that keeps one copy per id (the most advanced, SN7) and drops local copies
 * the backend confirmed. Messages of the same millisecond keep the order of `base` first, then of
 * `extra`: pass a loaded page as `base`, and a newly arrived message as `extra`.
 */
export function mergeMessages(base: readonly Message[], extra: readonly Message[]): Message[] {
  const confirmedKeys = new Set<string>();
  for (const m of [...base, ...extra]) {
    if (m.idempotencyKey && !m.id.startsWith('local:')) confirmedKeys.add(m.idempotencyKey);
  }
  const byId = new Map<string, Message>();
  for (const m of [...base, ...extra]) {
    if (m.id.startsWith('local:') && confirmedKeys.has(m.idempotencyKey!)) continue;
    const current = byId.get(m.id);
    if (!current || isAhead(m, current)) byId.set(m.id, m); // keeps the first position
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt); // stable
}

/** Ids (and `key:` + idempotency key of local copies) of a thread's items, carried from copy to copy. */
const threadIds = new WeakMap<readonly Message[], Set<string>>();

function idsOf(items: readonly Message[]): Set<string> {
  let ids = threadIds.get(items);
  if (!ids) {
    ids = new Set();
    for (const m of items) addId(ids, m);
    threadIds.set(items, ids);
  }
  return ids;
}

function addId(ids: Set<string>, m: Message): void {
  ids.add(m.id);
  if (m.id.startsWith('local:') && m.idempotencyKey) ids.add(`key:${m.idempotencyKey}`);
}

/**
 * Adds or updates a message. Appending a new message at the end checks for a copy in O(1) (an id
 * set) and, for arrays in `owned` (created during the same flush), pushes in place: a burst copies
 * a thread once, not once per message.
 */
function withMessage(
  thread: Thread | undefined,
  message: Message,
  owned?: WeakSet<readonly Message[]>,
): Thread {
  const items = thread?.items ?? [];
  const last = items[items.length - 1];
  // Common case: a new message at the end.
  if (last && last.createdAt <= message.createdAt) {
    const ids = idsOf(items);
    const known =
      ids.has(message.id) || (!!message.idempotencyKey && ids.has(`key:${message.idempotencyKey}`));
    if (!known) {
      let next: Message[];
      if (owned?.has(items)) next = items as Message[];
      else {
        next = items.slice();
        owned?.add(next);
        threadIds.set(next, ids); // the older array is never appended to again
      }
      next.push(message);
      addId(ids, message);
      return { ...(thread ?? { nextCursor: null, loaded: false }), items: next };
    }
  }
  return {
    nextCursor: thread?.nextCursor ?? null,
    loaded: thread?.loaded ?? false,
    items: mergeMessages(items, [message]),
  };
}

/** SN7: a copy replaces another only if it is a later attempt or a forward status move. */
function isAhead(candidate: Message, current: Message): boolean {
  if (candidate.attempt !== current.attempt) return candidate.attempt > current.attempt;
  const update = {
    status: candidate.status,
    at: candidate.statusTimes[candidate.status] ?? candidate.createdAt,
    attempt: candidate.attempt,
    reason: candidate.failureReason,
  };
  // The channel only gates `read`, which a backend sends for WhatsApp alone.
  return applyStatus(current, update, 'whatsapp') !== current;
}

/** Applies a message event that arrived while the thread's page was loading. */
function replay(thread: Thread, event: ServerEvent, channel: Channel): Thread {
  if (event.type === 'message.created') return withMessage(thread, event.message);
  if (event.type !== 'message.status') return thread;
  const message = thread.items.find((m) => m.id === event.messageId);
  const next = message && applyStatus(message, event, channel);
  return next && next !== message ? withMessage(thread, next) : thread;
}

function withoutMessage(thread: Thread | undefined, id: string): Thread {
  return {
    nextCursor: thread?.nextCursor ?? null,
    loaded: thread?.loaded ?? false,
    items: (thread?.items ?? []).filter((m) => m.id !== id),
  };
}

/** SN1: the contact a new conversation's typed name makes, before it is saved. */
function typedContact(target: SendTarget, phone: string): Contact | undefined {
  const name = 'name' in target ? target.name?.trim() : undefined;
  if (!name) return undefined;
  return { id: '', phone, ...splitName(name), createdAt: 0, updatedAt: 0 };
}
