/**
 * The desk client's state and the private parts its modules share: one `Core` per client, the
 * only place they keep anything between calls.
 */
import type { Emitter } from 'mitt';
import type {
  BackendAdapter,
  HeldSend,
  SendContent,
  SendRequest,
  ServerEvent,
  ViewCount,
} from '../adapter.js';
import type { Clock } from '../clock.js';
import { DeskError, isDeskError } from '../errors.js';
import type { DeskEmitterEvents } from '../events.js';
import { splitName, type ViewKey } from '../rules/views.js';
import type { SearchIndex } from '../search.js';
import type { Store } from '../store.js';
import type { ViewIndex, ConversationRow, RowsSnapshot } from '../view-index.js';
import type { OutboxSummary } from '../client-offline.js';
import type {
  AccountSettings,
  Contact,
  Conversation,
  Message,
  RecipientPolicy,
  SenderId,
  Template,
  User,
  UserId,
} from '../types.js';

/**
 * The loaded part of a conversation's messages (the newest pages), one immutable version per
 * change. `items` builds the whole list on first read; a windowed list reads `count` and `slice`.
 */
export interface Thread {
  /** Chronological. Includes this client's messages that the backend has not confirmed yet. */
  readonly items: readonly Message[];
  readonly count: number;
  /** Messages `start` to `end` (exclusive), without building the whole list. */
  slice(start: number, end?: number): Message[];
  /** A message of the thread by id. */
  get(id: string): Message | undefined;
  /** Cursor for older messages; null when the start of the thread is loaded. */
  readonly nextCursor: string | null;
  readonly loaded: boolean;
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
  /**
   * True while the conversations and contacts beyond the first page load in the background after
   * `connect()`: the views' first rows are right, their counts still grow. `idle()` waits for it.
   */
  loadingMore: boolean;
  /** Issue 11: changes when the backend's view counts arrive (`viewCount()` reads them). */
  viewCounts: number;
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

/** What the client's modules share. */
/** What the lazily loaded view counts offer the rest of the client. */
export interface ViewCounter {
  /** A conversation event, before the client applies it. */
  event(event: ServerEvent): void;
  /** Asks the backend again (a reset). */
  recount(): void;
  /** The kept count of a view not loaded whole, if the backend gave one. */
  count(key: ViewKey): ViewCount | undefined;
  /** The counts' request in flight, if any. */
  running(): Promise<void> | null;
}

/** The view counter once it is loaded. */
export function counter(core: Core): ViewCounter | undefined {
  const counter = core.counter;
  return counter && 'event' in counter ? counter : undefined;
}

export interface Core {
  readonly store: Store<DeskState>;
  readonly adapter: BackendAdapter;
  readonly emitter: Emitter<DeskEmitterEvents>;
  readonly clock: Clock;
  readonly createKey: () => string;
  /** Conversation ids per number: one per sender ID at most (C1), so a short array, not a Set. */
  readonly byCustomer: Map<string, string[]>;
  /** The conversations, changed in place; the state holds a new `MapVersion` per change. */
  readonly conversations: Map<string, Conversation>;
  /** Views read so far, each kept up to date event by event (V5). */
  readonly views: Map<string, { key: ViewKey; index: ViewIndex }>;
  /** V6: loaded while connecting (beside the first requests), before any number is indexed. */
  search: SearchIndex | null;
  /** Contacts being changed, read by the rows renamed before the state has them. */
  contactsDraft: ReadonlyMap<string, Contact> | null;
  queue: ServerEvent[];
  flushing: Promise<void> | null;
  /** The background load of the pages after the first, while it runs. */
  paging: Promise<void> | null;
  /**
   * Issue 11: the views' true counts (client/view-counts.ts, loaded apart from the first load):
   * while it loads, the promise; then the counter.
   */
  counter: ViewCounter | Promise<void> | null;
  /** Counts connects, so a background load from an earlier one stops. */
  connects: number;
  unsubscribe: (() => void) | null;
  unwatch: (() => void) | null;
  /** The sends the offline layer holds, as it last said. */
  held: readonly HeldSend[];
  /** Failed sends kept for `retry`, by local message id. */
  readonly pendingRequests: Map<string, SendRequest>;
  /** Conversations whose first page is loading, with the message events received meanwhile. */
  readonly loading: Map<string, ServerEvent[]>;
  /** Sent messages by id, outside the threads, so status events for unopened threads are kept. */
  readonly messages: Map<string, Message>;
}

/**
 * A new state object with the same fields, to change some of them: one literal of every field,
 * because V8 makes `{ ...state, field }` of this object in 1–4 µs and this in about 0.05 µs
 * (issue 11: a flush makes one per event). `satisfies` fails to compile if a field is missing.
 */
export function copyState(s: DeskState): DeskState {
  const copy = {
    status: s.status,
    error: s.error,
    me: s.me,
    settings: s.settings,
    users: s.users,
    senders: s.senders,
    templates: s.templates,
    contacts: s.contacts,
    conversations: s.conversations,
    threads: s.threads,
    openConversationId: s.openConversationId,
    unseenNotifications: s.unseenNotifications,
    recipients: s.recipients,
    outbox: s.outbox,
    loadingMore: s.loadingMore,
    viewCounts: s.viewCounts,
  };
  return copy satisfies Record<keyof DeskState, unknown>;
}

/** The current state (a short name: the client's modules read it everywhere). */
export function stateOf(core: Core): DeskState {
  return core.store.getState();
}

export function me(core: Core): User {
  const user = stateOf(core).me;
  if (!user)
    throw new DeskError('invalid_input', 'The desk client is not connected; call connect() first.');
  return user;
}

export function conversation(core: Core, id: string): Conversation {
  const found = stateOf(core).conversations.get(id);
  if (!found) throw new DeskError('not_found', `Unknown conversation ${id}.`, { details: { id } });
  return found;
}

export function sender(core: Core, id: string): SenderId {
  const found = stateOf(core).senders.get(id);
  if (!found) throw new DeskError('not_found', `Unknown sender ID ${id}.`, { details: { id } });
  return found;
}

export function setThread(
  core: Core,
  conversationId: string,
  update: (thread: Thread | undefined) => Thread,
): void {
  core.store.setState((s) => {
    const threads = new Map(s.threads);
    threads.set(conversationId, update(s.threads.get(conversationId)));
    const next = copyState(s);
    next.threads = threads;
    return next;
  });
}

/** Every page of a listing. */
export async function all<T>(
  load: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export function toDeskError(cause: unknown): DeskError {
  if (isDeskError(cause)) return cause;
  return new DeskError('network', cause instanceof Error ? cause.message : 'The backend failed.', {
    cause,
  });
}

/** SN1: the contact a new conversation's typed name makes, before it is saved. */
export function typedContact(target: SendTarget, phone: string): Contact | undefined {
  const name = 'name' in target ? target.name?.trim() : undefined;
  if (!name) return undefined;
  return { id: '', phone, ...splitName(name), createdAt: 0, updatedAt: 0 };
}
