/**
 * Messages in IndexedDB, not in memory (issue 11): a thread's page and a message by id are read
 * from the database (with the writes not committed yet on top); memory keeps only what routing
 * and the provider need at once: each thread's newest message (its time and id) and the messages
 * whose status may still move (SN6 queue, SN7 in flight).
 */
import type { IDBPDatabase } from 'idb';
import { isInFlight, isQueued } from '../engine/memory-conversations.js';
import type { MessageSource } from '../engine/memory-repository.js';
import type { MessagePageQuery } from '../engine/repository.js';
import type { Channel, Message } from '../types.js';
import { isAfter, isPending, THREAD_INDEX, type ThreadEnd } from './idb-schema.js';
import type { WriteBehind } from './write-behind.js';

/** Whether `m` comes before the position `at, id` in its thread. */
const isBefore = (m: Message, at: number, id: string) =>
  m.createdAt < at || (m.createdAt === at && m.id < id);

const byTime = (a: Message, b: Message) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class IdbMessages implements MessageSource {
  readonly #db: IDBPDatabase;
  readonly #writer: WriteBehind;
  /** Each thread's newest message, by conversation id (loaded with the account). */
  readonly #ends = new Map<string, ThreadEnd>();
  /** SN6, SN7: messages whose status may still move, by id, in the order they were first stored. */
  readonly #pending = new Map<string, Message>();

  constructor(db: IDBPDatabase, writer: WriteBehind, pending: readonly Message[]) {
    this.#db = db;
    this.#writer = writer;
    for (const m of pending) this.#pending.set(m.id, m);
  }

  /** The threads' ends, read in the background load. */
  loadEnds(keys: readonly string[], ends: readonly ThreadEnd[]): void {
    for (let i = 0; i < keys.length; i++) this.#ends.set(keys[i]!, ends[i]!);
  }

  lastAt(conversationId: string): number | undefined {
    return this.#ends.get(conversationId)?.at;
  }

  async last(conversationId: string): Promise<Message | undefined> {
    const end = this.#ends.get(conversationId);
    return end && this.get(end.id);
  }

  async get(id: string): Promise<Message | undefined> {
    const unwritten = this.#writer.unwritten('messages', id) as Message | null | undefined;
    if (unwritten !== undefined) return unwritten ?? undefined;
    return this.#pending.get(id) ?? ((await this.#db.get('messages', id)) as Message | undefined);
  }

  put(m: Message, channel: Channel | undefined): void {
    if (isAfter(m, this.#ends.get(m.conversationId))) {
      const end = { at: m.createdAt, id: m.id };
      this.#ends.set(m.conversationId, end);
      this.#writer.put('ends', m.conversationId, end);
    }
    if (isPending(m, channel)) {
      this.#pending.set(m.id, m);
      this.#writer.put('pending', m.id, m);
    } else if (this.#pending.delete(m.id)) this.#writer.put('pending', m.id, null);
  }

  /** The `limit` messages of a thread strictly before `before` (or its newest), in time order. */
  async page({ conversationId, before, limit }: MessagePageQuery): Promise<Message[]> {
    const unwritten: Message[] = [];
    for (const m of this.#writer.unwrittenOf('messages') as Iterable<Message | null>)
      if (m?.conversationId === conversationId) unwritten.push(m);
    const upper = before ? [conversationId, before.at, before.id] : [conversationId, []];
    const range = IDBKeyRange.bound([conversationId], upper, false, !!before);
    // Enough stored ones that the page is full even when unwritten versions replace some.
    const want = limit + unwritten.length;
    const found = new Map<string, Message>();
    const tx = this.#db.transaction('messages', 'readonly');
    let cursor = await tx.store.index(THREAD_INDEX).openCursor(range, 'prev');
    while (cursor && found.size < want) {
      const m = cursor.value as Message;
      found.set(m.id, m);
      cursor = await cursor.continue();
    }
    for (const m of unwritten) {
      found.delete(m.id);
      if (!before || isBefore(m, before.at, before.id)) found.set(m.id, m);
    }
    return [...found.values()].sort(byTime).slice(-limit);
  }

  queued(limit: number): Message[] {
    const found: Message[] = [];
    for (const m of this.#pending.values()) {
      if (found.length >= limit) break;
      if (isQueued(m)) found.push(m);
    }
    return found;
  }

  /** SN7: the messages the provider still owes a status. */
  inFlight(limit: number, channelOf: (conversationId: string) => Channel | undefined): Message[] {
    const found: Message[] = [];
    for (const m of this.#pending.values()) {
      if (found.length >= limit) break;
      if (isInFlight(m, channelOf(m.conversationId))) found.push(m);
    }
    return found;
  }

  /**
   * Drops the records that are not pending once their channel is known: delivered SMS that
   * version 3 kept (it counted every delivered message as in flight). Their status is final.
   */
  prune(channelOf: (conversationId: string) => Channel | undefined): void {
    for (const m of this.#pending.values()) {
      if (m.status !== 'delivered' || isPending(m, channelOf(m.conversationId))) continue;
      this.#pending.delete(m.id);
      this.#writer.put('pending', m.id, null);
    }
  }
}
