/**
 * The read side of the desk client: its state, the views and their counts, and the rules' answers
 * for what the user may do (selectors the components call). `DeskClient` adds the commands.
 */
import type { ViewCount } from '../adapter.js';
import type { Clock } from '../clock.js';
import type { DeskEvent, DeskEventType } from '../events.js';
import { assignableUsers } from '../rules/assignment.js';
import { careWindow, type CareWindow } from '../rules/care-window.js';
import { isAdmin, startableSenders } from '../rules/permissions.js';
import { markMode, needsConfirmation, readOnOpen, type MarkMode } from '../rules/read-state.js';
import { conversationTemplates } from '../rules/templates.js';
import { senderInboxes, teamMembers, type ViewKey } from '../rules/views.js';
import { readOnly, type ReadonlyStore } from '../store.js';
import type {
  Channel,
  Conversation,
  Message,
  RecipientPolicy,
  SenderId,
  Template,
  User,
} from '../types.js';
import { hasMore } from './paging.js';
import { message, previewTemplate, recipient } from './sending.js';
import {
  conversation,
  counter,
  me,
  toDeskError,
  type ConversationRow,
  type Core,
  type DeskState,
  type ViewSnapshot,
} from './state.js';
import { findConversation, search, view } from './views.js';

export class DeskReader {
  readonly #core: Core;
  /** The state, read-only: commands are the only way to change it. */
  readonly store: ReadonlyStore<DeskState>;
  readonly clock: Clock;

  constructor(core: Core) {
    this.#core = core;
    this.store = readOnly(core.store);
    this.clock = core.clock;
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
    return (await import('./paging-load.js')).loadMore(this.#core, key);
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
      import('./paging-load.js')
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

  // ---- conversations (SN2, SN3, SN4, SN5) ----

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

  /** SN4/SN5 facts for a number, cached and kept current by server events. */
  recipient(phone: string): Promise<RecipientPolicy> {
    return recipient(this.#core, phone);
  }

  /**
   * A message's latest copy, its thread open or not: those sent from this client and those the
   * backend's events told about since `connect()` (their status events included).
   */
  message(messageId: string): Message | undefined {
    return message(this.#core, messageId);
  }
}
