/**
 * What a Postgres store remembers within one transaction (the account lock makes it the only
 * writer): rows read or written, and the conversations and messages put but not written yet. A
 * batch of commands reads the sender ID, settings and users once, reads its conversations,
 * campaigns and thread ends at once (`prefetch`), and writes them in one statement (`flush`).
 */
import { sql, type CompiledQuery } from 'kysely';
import { isInFlight, isQueued } from '../engine/memory-conversations.js';
import type { PendingCampaign } from '../engine/repository.js';
import type {
  AccountSettings,
  Channel,
  Conversation,
  Message,
  SenderId,
  Template,
  User,
} from '../types.js';
import { named, type Db } from './db.js';
import { aheadOf, type Ahead } from './pg-pipeline.js';
import { EVENTS_CHANNEL, type AddressedEvent, type LoggedEvent } from './event-log.js';
import { writeBatch } from './pg-batch-sql.js';

export const parse = <T>(row: { data: string } | undefined): T | undefined =>
  row ? (JSON.parse(row.data) as T) : undefined;
export const parseAll = <T>(rows: Array<{ data: string }>): T[] =>
  rows.map((r) => JSON.parse(r.data) as T);
export const pairKey = (senderId: string, customer: string) => `${senderId}\u0000${customer}`;

/**
 * Which waiting list a message is on: SN6's queue, or handed to the provider which still owes it
 * a status (SN7: a delivered SMS is final; `channel` undefined when its conversation is unknown).
 */
export function waitingOf(m: Message, channel: Channel | undefined): 'queued' | 'in_flight' | null {
  return isQueued(m) ? 'queued' : isInFlight(m, channel) ? 'in_flight' : null;
}

/** A per-transaction memory of rows by key; `null` means "known to be absent". */
export class Memo<T> {
  readonly #rows = new Map<string, T | null>();
  async get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const known = this.#rows.get(key);
    if (known !== undefined) return known ?? undefined;
    const row = await load();
    this.#rows.set(key, row ?? null);
    return row;
  }
  /** The row if known (`null`: known absent), `undefined` if never read. */
  peek(key: string): T | null | undefined {
    return this.#rows.get(key);
  }
  set(key: string, row: T | null): void {
    this.#rows.set(key, row);
  }
}

export function createTxCache(tx: Db) {
  return {
    tx,
    settings: undefined as { value: AccountSettings | undefined } | undefined,
    users: new Memo<User>(),
    senders: new Memo<SenderId>(),
    templates: new Memo<Template>(),
    conversations: new Memo<Conversation>(),
    /** Sender ID and number → conversation id (C1). */
    byPair: new Memo<string>(),
    lastOfThread: new Memo<Message>(),
    messages: new Memo<Message>(),
    campaigns: new Memo<PendingCampaign[]>(),
    // Written at `flush` (before any list of their table, and before the commit).
    dirtyConversations: new Map<string, Conversation>(),
    dirtyMessages: new Map<string, Message>(),
  };
}
export type TxCache = ReturnType<typeof createTxCache>;

/**
 * Writes the dirty conversations and messages, and the events given (the caller holds
 * APPEND_LOCK), in one statement; answers the events as logged.
 */
export async function flush(
  c: TxCache,
  log: { events: AddressedEvent[]; now: number; last?: boolean } = { events: [], now: 0 },
): Promise<LoggedEvent[]> {
  const { tx, dirtyConversations, dirtyMessages } = c;
  const conversations = [...dirtyConversations.values()].map((c) => ({
    id: c.id,
    sender_id: c.senderId,
    customer: c.customer,
    owner_id: c.ownerId,
    has_incoming: c.hasIncoming,
    unread: c.unread,
    outgoing_by: c.outgoingBy,
    last_activity_at: c.lastActivityAt,
    data: JSON.stringify(c),
  }));
  const messages = [...dirtyMessages.values()].map((m) => ({
    id: m.id,
    conversation_id: m.conversationId,
    created_at: m.createdAt,
    waiting: waitingOf(
      m,
      (dirtyConversations.get(m.conversationId) ?? c.conversations.peek(m.conversationId))?.channel,
    ),
    data: JSON.stringify(m),
  }));
  dirtyConversations.clear();
  dirtyMessages.clear();
  return writeBatch(tx, { conversations, messages, ...log }, EVENTS_CHANNEL);
}

/**
 * What routing reads for these (sender ID, customer) pairs, in one query: each pair's sender ID,
 * conversation, thread end and pending campaigns, and the account's settings. Pairs already known
 * in this transaction are not read again.
 */
export async function prefetch(
  c: TxCache,
  pairs: Array<{ senderId: string; customer: string }>,
): Promise<void> {
  const read = routingRead(c, pairs);
  if (!read) return;
  await flush(c);
  read.apply((await c.tx.executeQuery(read.query)).rows);
}

/**
 * `prefetch` to be written behind another statement (`named(…, { ahead })`), which must come
 * first in PostgreSQL (the locks, say); `read` takes its answer, or runs it when it was not
 * written (PGlite). For a cache with nothing unwritten. Undefined: every pair is known.
 */
export function prefetchAhead(
  c: TxCache,
  pairs: Array<{ senderId: string; customer: string }>,
): { ahead: Ahead; read(): Promise<void> } | undefined {
  const planned = routingRead(c, pairs);
  if (!planned) return undefined;
  const ahead = aheadOf(planned.query);
  return {
    ahead,
    async read() {
      const answer = ahead.answer();
      ahead.release();
      const { rows } = answer ? await answer : await c.tx.executeQuery(planned.query);
      planned.apply(rows as RoutingRow[]);
    },
  };
}

type RoutingRow = {
  sender_id: string;
  customer: string;
  sender: string | null;
  settings: string | null;
  conversation: string | null;
  last: string | null;
  campaigns: string[] | null;
  first: boolean;
};

/**
 * `prefetch`'s query for the pairs not known yet, and what to do with its rows; undefined when
 * every pair is known. The caller flushes first (or knows nothing is unwritten).
 */
export function routingRead(
  c: TxCache,
  pairs: Array<{ senderId: string; customer: string }>,
): { query: CompiledQuery<RoutingRow>; apply(rows: RoutingRow[]): void } | undefined {
  const { tx, senders, byPair, conversations, lastOfThread, campaigns } = c;
  const todo = new Map<string, { senderId: string; customer: string }>();
  for (const p of pairs) {
    const key = pairKey(p.senderId, p.customer);
    if (byPair.peek(key) === undefined) todo.set(key, p);
  }
  if (todo.size === 0) return undefined;
  const wanted = [...todo.values()];
  const query = sql<RoutingRow>`${sql.raw(named('routing-read'))}
    select p.sender_id, p.customer, p.n = 1 as first,
      case when p.first_of_sender then (select data from desk_senders where id = p.sender_id)
        end as sender,
      case when p.n = 1 then (select settings from desk_account) end as settings,
      c.data as conversation,
      (select m.data from desk_messages m where m.conversation_id = c.id
        order by m.created_at desc, m.id desc limit 1) as last,
      (select array_agg(w.data order by w.seq) from desk_pending_campaigns w
        where w.sender_id = p.sender_id and w.customer = p.customer) as campaigns
    from (select sender_id, customer, n, n = min(n) over (partition by sender_id) as first_of_sender
      from unnest(${wanted.map((p) => p.senderId)}::text[], ${wanted.map((p) => p.customer)}::text[])
        with ordinality as u (sender_id, customer, n)) p
    left join desk_conversations c on c.sender_id = p.sender_id and c.customer = p.customer`.compile(
    tx,
  );
  return { query, apply };
  function apply(rows: RoutingRow[]): void {
    for (const row of rows) {
      const key = pairKey(row.sender_id, row.customer);
      // The sender's row comes with its first pair only, the settings with the first row only:
      // a batch's 500 pairs usually share one sender ID.
      if (senders.peek(row.sender_id) === undefined || row.sender) {
        senders.set(row.sender_id, row.sender ? (JSON.parse(row.sender) as SenderId) : null);
      }
      if (row.first) {
        c.settings ??= {
          value: row.settings ? (JSON.parse(row.settings) as AccountSettings) : undefined,
        };
      }
      const conversation = row.conversation ? (JSON.parse(row.conversation) as Conversation) : null;
      byPair.set(key, conversation?.id ?? null);
      if (conversation) {
        conversations.set(conversation.id, conversation);
        lastOfThread.set(conversation.id, row.last ? (JSON.parse(row.last) as Message) : null);
      }
      campaigns.set(
        key,
        (row.campaigns ?? []).map((data) => JSON.parse(data) as PendingCampaign),
      );
    }
  }
}
