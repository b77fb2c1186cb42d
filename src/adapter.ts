import type { ViewKey } from './rules/views.js';
import type {
  AccountSettings,
  Contact,
  ContactInput,
  Conversation,
  Media,
  Message,
  MessageStatus,
  Page,
  RecipientPolicy,
  SenderId,
  Template,
  User,
  UserId,
} from './types.js';

/**
 * The backend adapter contract: one interface that every backend implements (the embedded
 * backend, the HTTP adapter, or a CRM's own). The desk client calls nothing else.
 *
 * Rules for implementers:
 * - Every method acts as the signed-in user the adapter was created for, and checks that user's
 *   permissions again (U2): a standard user is refused the Team Inbox, assignment and admin marks
 *   with `DeskError('forbidden')`, whatever the client did before.
 * - Failures reject with a `DeskError` whose `code` is one of `DeskErrorCode`, and leave the
 *   backend unchanged.
 * - `send` is idempotent on `idempotencyKey`: the same key twice returns the first message and
 *   sends nothing more.
 * - `subscribe` delivers, in order, the events that concern the conversations this user may see.
 */
export interface BackendAdapter {
  /** The signed-in user and the account settings. */
  session(): Promise<Session>;
  listUsers(): Promise<User[]>;
  /** Every sender ID of the account; the client derives which ones the user owns or shares. */
  listSenderIds(): Promise<SenderId[]>;
  listTemplates(): Promise<Template[]>;
  listContacts(query?: PageQuery): Promise<Page<Contact>>;
  /** SN1: contact suggestions while typing a name or number. */
  searchContacts(text: string, limit?: number): Promise<Contact[]>;
  /** SN4, SN5: consent and opt-outs for a number, whether or not it is a contact. */
  getRecipient(phone: string): Promise<RecipientPolicy>;

  /**
   * The conversations visible to this user, newest activity first: for a standard user those it
   * owns or sent in; for an admin all of them. `scope: { teamMember }` (admins only) lists one
   * standard user's inbox (V3); `view` one view's rows; `search` the ones that match (V6).
   */
  listConversations(query?: ConversationQuery): Promise<Page<Conversation>>;
  /**
   * Issue 11: each view's size and unread rows (V1–V4, RD1), in the order asked, as every page of
   * `listConversations({ view })` would count them, from indexes or kept counters (never a walk
   * of the account). U2: a Team Inbox for a standard user is `forbidden`, the whole call refused.
   * Every backend of this package answers it; an adapter without it leaves the client counting
   * the rows it has loaded (right once a view is loaded whole).
   */
  countViews?(views: ViewKey[]): Promise<ViewCount[]>;
  /** Messages of one conversation, newest page first; each page is in chronological order. */
  listMessages(conversationId: string, query?: PageQuery): Promise<Page<Message>>;

  send(request: SendRequest): Promise<SendResult>;
  /** SN7: a failed message goes back to `queued` with `attempt + 1`. */
  retry(messageId: string, idempotencyKey: string): Promise<SendResult>;
  /** RD1/RD2 (`mode: 'owner'`) or RD4 (`mode: 'admin'`, admins only). */
  markRead(
    conversationIds: string[],
    read: boolean,
    mode: 'owner' | 'admin',
  ): Promise<Conversation[]>;
  /** A1, A2 (admins only). */
  assign(conversationIds: string[], assigneeId: UserId): Promise<Conversation[]>;
  createContact(input: ContactInput): Promise<Contact>;
  updateContact(id: string, patch: Partial<ContactInput>): Promise<Contact>;

  /**
   * Server events for this user. Returns an unsubscribe. A backend with event ids passes them as
   * `meta.id`, and resumes after `options.after` when it can (a tab taking over the stream).
   */
  subscribe(listener: EventListener, options?: SubscribeOptions): () => void;

  /**
   * Optional (an offline layer such as `withOutbox`): the sends held for later delivery, now and
   * on every change. The client shows them as its optimistic copies and counts them.
   */
  watchOutbox?(listener: (held: readonly HeldSend[]) => void): () => void;

  /**
   * Optional (the HTTP adapter): whether `url` is a file the backend serves behind its token (the
   * server's `/media/{id}`), which an `<img>` cannot load by itself; `fetchMedia` then gets it
   * with the token. No other URL is ever fetched with the token.
   */
  ownsMedia?(url: string): boolean;
  fetchMedia?(url: string): Promise<Blob>;
}

export type EventListener = (event: ServerEvent, meta?: EventMeta) => void;

export interface EventMeta {
  /** The backend's id of the event (the HTTP stream's `id:`), for de-duplication and resuming. */
  id?: string;
}

export interface SubscribeOptions {
  /** Resume after this event id, if the backend has no later position of its own. */
  after?: string;
  /** The backend's position moved without an event (a fresh connection): a resume point too. */
  onPosition?(id: string): void;
}

/**
 * A send an offline layer holds. `waiting`: it goes when the backend answers (`reason` says why it
 * waits: `offline`, or `unauthorized` until the user signs in again); `failed`: refused on a later
 * delivery or too old to send (`failure`), shown as failed until retried.
 */
export interface HeldSend {
  key: string;
  request: SendRequest;
  createdAt: number;
  state: 'waiting' | 'failed';
  reason?: 'offline' | 'unauthorized';
  failure?: { code: string; message: string };
}

export interface Session {
  user: User;
  settings: AccountSettings;
}

export interface PageQuery {
  cursor?: string | null;
  limit?: number;
}

export interface ConversationQuery extends PageQuery {
  scope?: { teamMember: UserId };
  /**
   * One view's rows only (V1–V4), paged through the backend's index for it: `mine`, `sent`,
   * `sender` (V2: on that sender ID, with incoming, the user's own unless an admin), `team`
   * (admins only, as `scope`). Without it: everything the user may see.
   */
  view?: ViewKey;
  /**
   * V6: only the conversations whose contact name (folded) or number (any part of the digits)
   * matches, as the client's search matches. Blank: no filter.
   */
  search?: string;
}

/** A view's size and how many of its rows are unread (RD1: as the owner sees them). */
export interface ViewCount {
  total: number;
  unread: number;
}

/**
 * What a view holds of a conversation's version before an event (V1–V4, RD1): with the event's
 * `conversation` (the version after), a client moves its view counts without having loaded the
 * conversation. `null`: the conversation is new. Absent: the backend does not say (the client
 * then counts again).
 */
export type ViewFields = Pick<Conversation, 'ownerId' | 'hasIncoming' | 'unread' | 'outgoingBy'>;

export interface SendContent {
  text?: string;
  /** A template of type `conversation`; its merge fields are filled from the contact. */
  templateId?: string;
  media?: Media[];
}

export interface SendRequest {
  /** Generated by the client once per message; the backend sends at most once per key. */
  idempotencyKey: string;
  target: { conversationId: string } | { senderId: string; customer: string };
  content: SendContent;
}

export interface SendResult {
  message: Message;
  conversation: Conversation;
}

export type ServerEvent =
  | {
      type: 'message.created';
      message: Message;
      conversation: Conversation;
      previous?: ViewFields | null;
    }
  | {
      type: 'message.status';
      conversationId: string;
      messageId: string;
      attempt: number;
      status: MessageStatus;
      at: number;
      reason?: string;
    }
  | { type: 'conversation.updated'; conversation: Conversation; previous?: ViewFields | null }
  | {
      type: 'conversation.assigned';
      conversation: Conversation;
      previous?: ViewFields | null;
      from: UserId;
      to: UserId;
      by: UserId;
    }
  | { type: 'contact.saved'; contact: Contact }
  | { type: 'recipient.updated'; recipient: RecipientPolicy }
  /** SN6 and RT3 settings changed (e.g. new business hours). */
  | { type: 'settings.updated'; settings: AccountSettings }
  /**
   * The backend could not resume its events (the position was too old): whatever happened
   * meanwhile must be loaded again. The client reloads the inbox and the open threads.
   */
  | { type: 'reset' }
  | {
      type: 'notification';
      kind: 'incoming' | 'assignment';
      userId: UserId;
      conversationId: string;
      at: number;
    };
