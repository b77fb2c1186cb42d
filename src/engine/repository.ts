/**
 * What the desk engine needs from storage. The engine decides; a repository only stores and finds.
 * Everything is async, so a SQL store fits as well as memory or IndexedDB. Every command runs
 * inside `transaction`, so a SQL store can run it atomically (one `BEGIN … COMMIT`); the engine
 * makes every check before its first write, and publishes events only after the commit.
 *
 * Lists are pages through an index with a cursor, never "load everything": a Postgres store
 * answers `listConversations` from an index on `(last_activity_at DESC, id)` filtered by owner or
 * sender, and `listMessages` from `(conversation_id, created_at DESC, id)`.
 */
import type { ViewCount } from '../adapter.js';
import type { SearchQuery } from '../rules/views.js';
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

/** A position in a list ordered by time, newest first: the last item of the previous page. */
export interface TimeCursor {
  at: number;
  id: string;
}

/** Which conversations a list holds (V1–V4 and "everything this user may see"). */
export type ConversationFilter =
  /** Every conversation (an admin's view of the account). */
  | { kind: 'all' }
  /** Owned by the user or with an outgoing message of the user (a standard user's sight). */
  | { kind: 'involving'; userId: UserId }
  /** Owned by the user and holding an incoming message (V1, and V3 for a team member). */
  | { kind: 'inbox'; userId: UserId }
  /** V2: on the sender ID and holding an incoming message; owned by `userId` when given. */
  | { kind: 'sender'; senderId: string; userId?: UserId }
  /** V4: with an outgoing message of the user, whoever owns it now. */
  | { kind: 'sent'; userId: UserId };

export interface ConversationPageQuery {
  filter: ConversationFilter;
  /** Newest activity first; strictly after this position. */
  after?: TimeCursor;
  limit: number;
  /**
   * V6: only the conversations whose number's digits contain `digits`, or whose contact's folded
   * name contains `text` (as `matchesSearch`). A SQL store serves it from trigram indexes.
   */
  match?: SearchQuery;
}

export interface MessagePageQuery {
  conversationId: string;
  /** Chronological thread read from its end: the `limit` messages strictly before this one. */
  before?: TimeCursor;
  limit: number;
}

/** C3: a campaign message waiting for the customer's reply, by sender ID and number. */
export interface PendingCampaign {
  senderId: string;
  customer: string;
  message: Message;
}

/** An accepted idempotency key: per user, kept 7 days (docs/protocol.md section 3). */
export interface IdempotencyRecord {
  userId: UserId;
  key: string;
  messageId: string;
  createdAt: number;
}

/** What routing an incoming message reads (RT1–RT5, C3), in one call: see `DeskStore.incomingFacts`. */
export interface IncomingFacts {
  sender: SenderId | undefined;
  /** C1: the conversation of the sender ID with the number. */
  conversation: Conversation | undefined;
  /** The creation time of that conversation's newest message. */
  lastMessageAt: number | undefined;
  campaigns: PendingCampaign[];
  settings: AccountSettings | undefined;
}

/**
 * What routing one incoming message writes (RT1–RT5, C3, SN5), for `DeskStore.putIncoming`: one
 * write instead of one per record.
 */
export interface IncomingChange {
  /** C3: campaign messages that join the thread (written before `message`). */
  joined: readonly Message[];
  message: Message;
  /** The conversation after the message (its revision already increased). */
  conversation: Conversation;
  /** C3: the pending campaigns of the conversation's sender ID and number are done. */
  campaignsDone: boolean;
  /** SN5: the number's policy after an opt-out keyword, when it changed. */
  recipient?: RecipientPolicy;
}

/**
 * The synchronous side of a store that answers from memory (see `DeskRepository.now`): routing
 * reads and writes through it without awaiting.
 */
export interface DeskStoreNow {
  /** Read before the next call: the store may answer with the same object each time. */
  incomingFacts(senderId: string, customer: string): IncomingFacts;
  getRecipient(phone: string): RecipientPolicy | undefined;
  putIncoming(change: IncomingChange): void;
}

/** One unit of work: the reads and writes of a command. */
export interface DeskStore {
  /**
   * Optional: `getSender`, `findConversation`, `lastMessage`, `listPendingCampaigns` and
   * `getSettings` answered at once, for routing (one round trip or one SQL query instead of five).
   * Without it the engine makes those five calls.
   */
  incomingFacts?(senderId: string, customer: string): Promise<IncomingFacts>;
  /**
   * Optional: what routing an incoming message writes, at once (one round trip or one SQL
   * statement). Without it the engine calls `putMessage`, `putConversation`,
   * `deletePendingCampaigns` and `putRecipient`.
   */
  putIncoming?(change: IncomingChange): Promise<void>;

  getSettings(): Promise<AccountSettings | undefined>;
  putSettings(settings: AccountSettings): Promise<void>;

  getUser(id: UserId): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  putUser(user: User): Promise<void>;

  getSender(id: string): Promise<SenderId | undefined>;
  listSenders(): Promise<SenderId[]>;
  putSender(sender: SenderId): Promise<void>;

  getTemplate(id: string): Promise<Template | undefined>;
  listTemplates(): Promise<Template[]>;
  putTemplate(template: Template): Promise<void>;

  getContact(id: string): Promise<Contact | undefined>;
  getContactByPhone(phone: string): Promise<Contact | undefined>;
  /** Ordered by id, strictly after `after`. */
  listContacts(query: { after?: string; limit: number }): Promise<Contact[]>;
  /** SN1: contacts whose folded name contains `text`, or whose digits contain `digits`. */
  searchContacts(query: { text: string; digits: string; limit: number }): Promise<Contact[]>;
  /** Replaces the contact; `previousPhone` is its old number when the number changed. */
  putContact(contact: Contact, previousPhone?: string): Promise<void>;

  getRecipient(phone: string): Promise<RecipientPolicy | undefined>;
  putRecipient(policy: RecipientPolicy): Promise<void>;

  getConversation(id: string): Promise<Conversation | undefined>;
  /** C1: the one conversation of a sender ID with a number. */
  findConversation(senderId: string, customer: string): Promise<Conversation | undefined>;
  listConversations(query: ConversationPageQuery): Promise<Conversation[]>;
  /**
   * Issue 11: each list's size and unread rows, in order, from kept counters or an index (a
   * SQL `count` over the list's index), never a walk of the account.
   */
  countConversations(filters: ConversationFilter[]): Promise<ViewCount[]>;
  putConversation(conversation: Conversation): Promise<void>;

  getMessage(id: string): Promise<Message | undefined>;
  /** The newest message of a thread (for unique, increasing times within it). */
  lastMessage(conversationId: string): Promise<Message | undefined>;
  listMessages(query: MessagePageQuery): Promise<Message[]>;
  putMessage(message: Message): Promise<void>;
  /** SN6: messages waiting for business hours (`status: queued`, `queueReason: business_hours`). */
  listQueuedMessages(limit: number): Promise<Message[]>;
  /** Messages handed to the provider whose status may still move (queued without a queue reason, sent, delivered). */
  listInFlightMessages(limit: number): Promise<Message[]>;

  listPendingCampaigns(senderId: string, customer: string): Promise<PendingCampaign[]>;
  addPendingCampaign(campaign: PendingCampaign): Promise<void>;
  deletePendingCampaigns(senderId: string, customer: string): Promise<void>;

  getIdempotency(userId: UserId, key: string): Promise<IdempotencyRecord | undefined>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
  /** Forgets records created before `before` (the server keeps them 7 days). */
  deleteIdempotencyBefore(before: number): Promise<void>;
}

export interface DeskRepository {
  /** Runs `work` as one unit: atomically, and one at a time for a given account. */
  transaction<T>(work: (store: DeskStore) => Promise<T>): Promise<T>;
  /**
   * Optional, for a store that answers from memory: when no command is running or waiting, its
   * synchronous side, for a command that runs to its end without awaiting (a JavaScript turn is
   * atomic); undefined otherwise, and the engine uses `transaction`. Routing takes this path:
   * no promise per read or write.
   */
  now?(): DeskStoreNow | undefined;
}
