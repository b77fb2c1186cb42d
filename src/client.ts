/**
 * The desk client: the object an integrator creates for one signed-in user. It holds a store of
 * state snapshots, derives the views, runs the rules before anything is sent, and talks only to a
 * `BackendAdapter`. Each responsibility lives in its module under `client/`; this class is the
 * public face that ties them to one shared `Core`.
 */
import type { SendContent, ViewCount } from './adapter.js';
import type { Clock } from './clock.js';
import { DeskError } from './errors.js';
import type { DeskEvent, DeskEventType } from './events.js';
import { assignableUsers } from './rules/assignment.js';
import { careWindow, type CareWindow } from './rules/care-window.js';
import { isAdmin, startableSenders } from './rules/permissions.js';
import { markMode, needsConfirmation, readOnOpen, type MarkMode } from './rules/read-state.js';
import type { GuardVerdict } from './rules/send-guard.js';
import { conversationTemplates } from './rules/templates.js';
import { senderInboxes, teamMembers, type ViewKey } from './rules/views.js';
import { readOnly, type ReadonlyStore } from './store.js';
import { createCore } from './client/core.js';
import { connect, disconnect, idle, loadOlder, open } from './client/loading.js';
import { hasMore } from './client/paging.js';
import type { MediaHandle, MediaUrls } from './client/media.js';
import { assign, mark, saveContact, updateContact } from './client/people.js';
import { message, previewTemplate, recipient } from './client/sending.js';
import {
  conversation,
  me,
  type ConversationRow,
  type Core,
  type DeskClientOptions,
  type DeskState,
  counter,
  type SendTarget,
  type StartConversationInput,
  toDeskError,
  type StartedConversation,
  type Thread,
  type ViewSnapshot,
} from './client/state.js';
import { findConversation, search, view } from './client/views.js';
import type {
  Channel,
  Contact,
  ContactInput,
  Conversation,
  Media,
  Message,
  RecipientPolicy,
  SenderId,
  Template,
  User,
  UserId,
} from './types.js';

export type {
  ConversationRow,
  DeskClientOptions,
  MediaHandle,
  DeskState,
  SendTarget,
  StartConversationInput,
  StartedConversation,
  Thread,
  ViewSnapshot,
};
export { mergeMessages } from './client/thread.js';

export function createDeskClient(options: DeskClientOptions): DeskClient {
  return new DeskClient(options);
}

export class DeskClient {
  readonly #core: Core;
  /** The state, read-only: commands are the only way to change it. */
  readonly store: ReadonlyStore<DeskState>;
  readonly clock: Clock;
  #media: Promise<MediaUrls> | undefined; // loaded with the first file to fetch

  constructor(options: DeskClientOptions) {
    this.#core = createCore(options);
    this.store = readOnly(this.#core.store);
    this.clock = this.#core.clock;
  }

  // ---- state ---------------------------------------------------------------------------------

  getState(): DeskState {
    return this.store.getState();
  }

  subscribe(listener: (next: DeskState, previous: DeskState) => void): () => void {
    return this.store.subscribe(listener);
  }

  select<S>(
    selector: (state: DeskState) => S,
    listener: (next: S, previous: S) => void,
    equals?: (a: S, b: S) => boolean,
  ): () => void {
    return this.store.subscribeWithSelector(selector, listener, equals);
  }

  on<K extends DeskEventType>(
    type: K,
    handler: (event: Extract<DeskEvent, { type: K }>) => void,
  ): () => void {
    const { emitter } = this.#core;
    emitter.on(type, handler as never);
    return () => emitter.off(type, handler as never);
  }

  get me(): User {
    return me(this.#core);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Loads the session, reference data and the first page of conversations and contacts, then
   * follows server events. A view's next rows load with `loadMore` (the other contacts load in
   * the background; `idle()` waits for them).
   */
  connect(): Promise<void> {
    return connect(this.#core);
  }

  disconnect(): void {
    disconnect(this.#core);
    void this.#media?.then((media) => media.clear());
  }

  /** Whether an attachment is a file the backend keeps behind its token (see `mediaUrl`). */
  mediaNeedsFetch(media: Pick<Media, 'url'>): boolean {
    return this.#core.adapter.ownsMedia?.(media.url) === true;
  }

  /** For `<img>`/links: such a file as a `blob:` URL (`release()` it when gone), else as is. */
  async mediaUrl(media: Pick<Media, 'url'>): Promise<MediaHandle> {
    if (!this.mediaNeedsFetch(media)) return { url: media.url, release: () => undefined };
    const adapter = this.#core.adapter;
    this.#media ??= import('./client/media.js').then((m) => new m.MediaUrls(adapter));
    return (await this.#media).acquire(media.url);
  }

  /** Resolves once every server event received so far is applied and every page is loaded. */
  idle(): Promise<void> {
    return idle(this.#core);
  }

  // ---- views (V1–V6) -------------------------------------------------------------------------

  /**
   * A view's rows, newest activity first, with its unread count; memoized per state. An unknown
   * view is `invalid_input`; the Team Inbox of a standard user is `forbidden` (U2).
   */
  view(key: ViewKey): ViewSnapshot {
    return view(this.#core, key);
  }

  /** Issue 11: a view's true size and unread rows, also while it is loaded in part. */
  viewCount(key: ViewKey): ViewCount {
    const core = this.#core;
    const counted = counter(core)?.count(key);
    if (counted) return counted;
    const rows = view(core, key);
    return { total: rows.count, unread: rows.unread };
  }

  /**
   * Whether a view may hold rows beyond the loaded ones (its `count` and `unread` count only
   * the loaded rows until then). Changes with the state.
   */
  hasMore(key: ViewKey): boolean {
    return hasMore(this.#core, key);
  }

  /**
   * Loads a view's next page (issue 11: an inbox asks as the user scrolls); resolves whether
   * more remain. Calls while one runs share it.
   */
  async loadMore(key: ViewKey): Promise<boolean> {
    return (await import('./client/paging-load.js')).loadMore(this.#core, key);
  }

  /**
   * V6: search My Inbox or Sent Messages by contact name or any part of the number. Answers at
   * once from the loaded rows; while the view has more, the backend is asked too (once per
   * query), and its matches join the state: the next call shows them.
   */
  search(key: ViewKey, query: string): readonly ConversationRow[] {
    const core = this.#core;
    const rows = search(core, key, query);
    if (hasMore(core, key) && query.trim())
      import('./client/paging-load.js')
        .then((m) => m.searchBackend(core, key, query))
        .catch((cause: unknown) =>
          core.emitter.emit('error', { type: 'error', error: toDeskError(cause) }),
        );
    return rows;
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

  conversation(id: string): Conversation {
    return conversation(this.#core, id);
  }

  /** The conversation on a sender ID with a number (C1: at most one), if this user sees it. */
  findConversation(senderId: string, customer: string): Conversation | undefined {
    return findConversation(this.#core, senderId, customer);
  }

  // ---- conversation window -------------------------------------------------------------------

  /**
   * Opens a conversation: loads its latest messages and, for its owner, marks it read (RD1). An
   * admin looking at someone else's conversation only peeks (RD3).
   */
  open(conversationId: string): Promise<Thread> {
    return open(this.#core, conversationId);
  }

  close(): void {
    this.#core.store.setState((s) =>
      s.openConversationId ? { ...s, openConversationId: null } : s,
    );
  }

  /** Loads the previous page of a thread; resolves false at the start of the thread. */
  loadOlder(conversationId: string): Promise<boolean> {
    return loadOlder(this.#core, conversationId);
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
    return previewTemplate(this.#core, templateId, customer, typed);
  }

  // ---- sending (SN1–SN8) ---------------------------------------------------------------------

  /** Send, check and retry load on first use, beside the engine's prepareSend (again if it failed). */
  #sendCommands: Promise<typeof import('./client/send.js')> | undefined;
  #commands() {
    return (this.#sendCommands ??= import('./client/send.js').catch((error: unknown) => {
      this.#sendCommands = undefined;
      throw error;
    }));
  }

  /** SN4/SN5 facts for a number, cached and kept current by server events. */
  recipient(phone: string): Promise<RecipientPolicy> {
    return recipient(this.#core, phone);
  }

  /**
   * The send guard's answer before the user presses Send: allowed, queued until a time, or refused
   * with a code and a reason the UI shows (SN2–SN6).
   */
  async checkSend(target: SendTarget, content: SendContent): Promise<GuardVerdict> {
    return (await (await this.#commands()).prepare(this.#core, target, content)).verdict;
  }

  /** Sends in an existing conversation. Refusals throw a `DeskError` and change nothing. */
  async send(conversationId: string, content: SendContent): Promise<Message> {
    return (await this.#commands()).send(this.#core, { conversationId }, content);
  }

  /** SN1: a new conversation (or the existing one on that sender ID with that number, C1). */
  async startConversation(input: StartConversationInput): Promise<StartedConversation> {
    return (await this.#commands()).startConversation(this.#core, input);
  }

  /** SN7: a failed message is sent again. Never sends twice: the backend dedupes on the key. */
  async retry(messageId: string): Promise<Message> {
    return (await this.#commands()).retry(this.#core, messageId);
  }

  /**
   * A message's latest copy, its thread open or not: those sent from this client and those the
   * backend's events told about since `connect()` (their status events included).
   */
  message(messageId: string): Message | undefined {
    return message(this.#core, messageId);
  }

  // ---- read state and assignment (RD1–RD4, A1–A2) --------------------------------------------

  /** RD2: mark conversations this user owns read or unread. */
  markRead(conversationIds: string[], read: boolean): Promise<void> {
    return mark(this.#core, conversationIds, read, 'owner');
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
    await mark(this.#core, conversationIds, read, 'admin');
  }

  /** A1, A2 (admins only): assign conversations to one standard user. */
  assign(conversationIds: string[], assigneeId: UserId): Promise<void> {
    return assign(this.#core, conversationIds, assigneeId);
  }

  // ---- contacts (CT1) ------------------------------------------------------------------------

  /** CT1: save a number as a contact; its name shows at once in every conversation and in search. */
  saveContact(input: ContactInput): Promise<Contact> {
    return saveContact(this.#core, input);
  }

  /** CT1: edit a contact from the desk. */
  updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact> {
    return updateContact(this.#core, id, patch);
  }

  /** SN1: suggestions while typing a name or number. */
  async suggestContacts(text: string, limit = 8): Promise<Contact[]> {
    return text.trim() ? this.#core.adapter.searchContacts(text.trim(), limit) : [];
  }

  // ---- notifications (N1) --------------------------------------------------------------------

  /** N1: the user has seen the notifications (the tab is visible again). */
  acknowledgeNotifications(): void {
    this.#core.store.setState((s) =>
      s.unseenNotifications ? { ...s, unseenNotifications: 0 } : s,
    );
  }
}
