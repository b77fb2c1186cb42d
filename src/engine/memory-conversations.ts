/**
 * The memory repository's conversations and messages. One slot per conversation holds its current
 * version and its thread (in time order), found by id or by pair (C1): routing a message reads
 * one slot and writes into it, a handful of hash lookups whatever the account's size. Lists go
 * through `ConversationViews` (the account's order and each user's).
 */
import type { Channel, Conversation, Message } from '../types.js';
import type { ViewCount } from '../adapter.js';
import { ConversationViews, type ViewMarks } from './activity-index.js';
import type { ConversationFilter, ConversationPageQuery, MessagePageQuery } from './repository.js';
import { numberHigh, numberKey, PairTable, type PairEntry } from './pair-table.js';
import { ViewCounts } from './view-counts.js';

interface Slot extends ViewMarks, PairEntry {
  readonly id: string;
  /** Undefined while only messages were stored (a new conversation's first message comes first). */
  conversation: Conversation | undefined;
  /** Sorted by (createdAt, id). */
  readonly thread: Message[];
  /** The creation time of the thread's last message (routing reads it: no walk to the message). */
  lastAt: number | undefined;
}

/** SN6: waiting for business hours. */
export const isQueued = (m: Message) => m.status === 'queued' && m.queueReason === 'business_hours';
/**
 * SN7: handed to the provider, which still owes it a status: `queued` (handed over) and `sent` on
 * any channel, `delivered` on WhatsApp only (`read` follows there; a delivered SMS is final). With
 * the channel unknown (`undefined`), a delivered message may still move. What this set is for:
 * the simulated provider resumes its updates after a reopen (real carriers push theirs anyway).
 */
export const isInFlight = (m: Message, channel: Channel | undefined) =>
  m.direction === 'out' &&
  !m.campaign &&
  (m.status === 'sent' ||
    (m.status === 'delivered' && channel !== 'sms') ||
    (m.status === 'queued' && !m.queueReason));

/** Index of the first element of a (createdAt, id)-sorted thread that is not before `at, id`. */
function lowerBound(thread: readonly Message[], at: number, id: string): number {
  let lo = 0;
  let hi = thread.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = thread[mid]!;
    if (m.createdAt < at || (m.createdAt === at && m.id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Inserts a message into a (createdAt, id)-sorted thread: at the end in the common case, told by
 * `lastAt` (the time of the thread's last message, kept in its slot: no read of that message).
 */
function insert(thread: Message[], message: Message, lastAt: number | undefined): void {
  if (lastAt === undefined || lastAt < message.createdAt) thread.push(message);
  else thread.splice(lowerBound(thread, message.createdAt, message.id), 0, message);
}

/** Up to `limit` messages of `ids`, without copying the set (a queue may hold many). */
function firstOf(ids: Set<string>, messages: Map<string, Message>, limit: number): Message[] {
  const found: Message[] = [];
  for (const id of ids) {
    if (found.length >= limit) break;
    found.push(messages.get(id)!);
  }
  return found;
}

export class ConversationTable {
  readonly #slots = new Map<string, Slot>();
  /** C1: by sender ID and number (see pair-table.ts). */
  readonly #pairs = new PairTable<Slot>();
  readonly #messages = new Map<string, Message>();
  /**
   * New incoming messages not yet in `#messages`: indexed on the first lookup that misses. Only
   * outgoing messages are looked up by id in practice (status updates, retries), and an insert
   * into a map of every message is a tenth of routing's cost; a miss indexes them all at once, so
   * the cost is never more than indexing each one as it comes.
   */
  #unindexed: Message[] = [];
  /** SN6: messages waiting for business hours; SN7: handed to the provider, not finished. */
  readonly #queued = new Set<string>();
  readonly #inFlight = new Set<string>();
  readonly #views = new ConversationViews((id) => this.#slots.get(id)?.conversation);
  readonly #counts = new ViewCounts();
  /** The slot used last: routing reads a slot, then writes the same one. */
  #recent: Slot | undefined;

  constructor(conversations: readonly Conversation[], messages: readonly Message[]) {
    for (const c of conversations) {
      const slot = this.#slot(c.id);
      slot.conversation = c;
      this.#pair(c, slot);
    }
    this.#views.load(conversations);
    this.#counts.load(conversations);
    const sorted = [...messages].sort(
      (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
    );
    for (const m of sorted) this.putMessage(m);
  }

  get(id: string): Conversation | undefined {
    return this.#slots.get(id)?.conversation;
  }

  /** C1: the conversation of a sender ID with a number. */
  find(senderId: string, customer: string): Conversation | undefined {
    const slot = this.#pairs.get(senderId, customer);
    if (slot) this.#recent = slot;
    return slot?.conversation;
  }

  /** The newest message of a thread. */
  lastMessage(conversationId: string): Message | undefined {
    const thread = this.#slotIfAny(conversationId)?.thread;
    return thread?.[thread.length - 1];
  }

  /** The creation time of the newest message of a thread. */
  lastMessageAt(conversationId: string): number | undefined {
    return this.#slotIfAny(conversationId)?.lastAt;
  }

  put(c: Conversation): void {
    const slot = this.#slot(c.id);
    const previous = slot.conversation;
    slot.conversation = c;
    if (!previous || previous.customer !== c.customer || previous.senderId !== c.senderId)
      this.#pair(c, slot);
    this.#views.put(c, previous, slot);
    this.#counts.put(c, previous);
  }

  /** Issue 11: a list's size and unread rows, from kept counters. */
  count(filter: ConversationFilter): ViewCount {
    return this.#counts.count(filter);
  }

  /** `also`: a further test of each row (V6's search). */
  page(
    { filter, after, limit }: ConversationPageQuery,
    also?: (c: Conversation) => boolean,
  ): Conversation[] {
    return this.#views.page(filter, limit, after, also);
  }

  message(id: string): Message | undefined {
    const found = this.#messages.get(id);
    if (found || this.#unindexed.length === 0) return found;
    for (const m of this.#unindexed) this.#messages.set(m.id, m);
    this.#unindexed = [];
    return this.#messages.get(id);
  }

  /** Stores a message; `isNew` when it is known not to be stored yet (one lookup less). */
  putMessage(message: Message, isNew = false): void {
    const { id } = message;
    const previous = isNew ? undefined : this.message(id);
    if (isNew && message.direction === 'in' && !isQueued(message)) this.#unindexed.push(message);
    else this.#messages.set(id, message);
    if (isQueued(message)) this.#queued.add(id);
    else if (previous) this.#queued.delete(id);
    const slot = this.#slot(message.conversationId);
    if (isInFlight(message, slot.conversation?.channel)) this.#inFlight.add(id);
    else if (previous) this.#inFlight.delete(id);
    const { thread } = slot;
    if (previous && previous.conversationId === message.conversationId) {
      const at = lowerBound(thread, previous.createdAt, previous.id);
      if (thread[at]?.id === previous.id) thread[at] = message;
      else insert(thread, message, slot.lastAt);
    } else insert(thread, message, slot.lastAt);
    slot.lastAt = thread[thread.length - 1]!.createdAt;
  }

  listMessages({ conversationId, before, limit }: MessagePageQuery): Message[] {
    const thread = this.#slotIfAny(conversationId)?.thread ?? [];
    const end = before ? lowerBound(thread, before.at, before.id) : thread.length;
    return thread.slice(Math.max(0, end - limit), end);
  }

  queued(limit: number): Message[] {
    return firstOf(this.#queued, this.#messages, limit);
  }

  inFlight(limit: number): Message[] {
    return firstOf(this.#inFlight, this.#messages, limit);
  }

  #slotIfAny(id: string): Slot | undefined {
    const recent = this.#recent;
    if (recent?.id === id) return recent;
    const slot = this.#slots.get(id);
    if (slot) this.#recent = slot;
    return slot;
  }

  #slot(id: string): Slot {
    let slot = this.#slotIfAny(id);
    if (!slot) {
      slot = {
        id,
        conversation: undefined,
        thread: [],
        lastAt: undefined,
        pairSender: undefined,
        pairCustomer: undefined,
        pairKey: -1,
        pairHigh: -1,
        allMark: 0,
        markedUser: undefined,
        userList: undefined,
        userMark: 0,
      };
      this.#slots.set(id, slot);
      this.#recent = slot;
    }
    return slot;
  }

  #pair(c: Conversation, slot: Slot): void {
    if (slot.pairCustomer !== undefined) this.#pairs.remove(slot);
    slot.pairSender = c.senderId;
    slot.pairCustomer = c.customer;
    slot.pairKey = numberKey(c.customer);
    slot.pairHigh = numberHigh(c.customer);
    this.#pairs.add(slot);
  }
}
