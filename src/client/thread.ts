/**
 * A thread's messages in a persistent sorted tree (by time, arrival order among equals): adding,
 * replacing or removing one message costs O(log n), never a copy of the thread, and each version
 * is a snapshot later changes do not touch. A windowed list reads `count` and `slice`.
 */
import type { ServerEvent } from '../adapter.js';
import { applyStatus } from '../rules/status.js';
import { SortedTree, TreeSnapshot } from '../sorted-tree.js';
import type { Channel, Message } from '../types.js';
import type { Thread } from './state.js';

const byTime = (a: Message, b: Message) => a.createdAt - b.createdAt;
/** `byTime` as a key for the tree's descents. */
const time = (m: Message) => m.createdAt;
const isLocal = (m: Message) => m.id.startsWith('local:');

/**
 * Chronological merge that keeps one copy per id (the most advanced, SN7) and drops local copies
 * the backend confirmed. Messages of the same millisecond keep the order of `base` first, then of
 * `extra`: pass a loaded page as `base`, and a newly arrived message as `extra`.
 */
export function mergeMessages(base: readonly Message[], extra: readonly Message[]): Message[] {
  const confirmedKeys = new Set<string>();
  for (const m of [...base, ...extra]) {
    if (m.idempotencyKey && !isLocal(m)) confirmedKeys.add(m.idempotencyKey);
  }
  const byId = new Map<string, Message>();
  for (const m of [...base, ...extra]) {
    if (isLocal(m) && confirmedKeys.has(m.idempotencyKey!)) continue;
    const current = byId.get(m.id);
    if (!current || isAhead(m, current)) byId.set(m.id, m); // keeps the first position
  }
  return [...byId.values()].sort(byTime); // stable
}

/**
 * The latest copy of each message by id, and by idempotency key (`key:` for a local copy,
 * `sent:` for the backend's): shared by the versions of one thread, and copied when an older
 * version is changed, so each version reads only its own messages.
 */
interface Index {
  byId: Map<string, Message>;
  tip: ThreadVersion | null;
}

class ThreadVersion implements Thread {
  readonly #tree: TreeSnapshot<Message>;
  readonly #index: Index;

  constructor(
    tree: TreeSnapshot<Message>,
    index: Index,
    readonly nextCursor: string | null,
    readonly loaded: boolean,
  ) {
    this.#tree = tree;
    this.#index = index;
    index.tip = this;
  }

  get items(): readonly Message[] {
    return this.#tree.items;
  }

  get count(): number {
    return this.#tree.size;
  }

  slice(start: number, end?: number): Message[] {
    return this.#tree.slice(start, end);
  }

  /** A message of this version by id (O(1) for the latest version of the thread). */
  get(id: string): Message | undefined {
    if (this.#index.tip === this) return this.#index.byId.get(id);
    return this.#tree.items.find((m) => m.id === id);
  }

  /** The parts a change starts from; the index is copied if a later version already changed it. */
  edit(): { tree: SortedTree<Message>; index: Index } {
    let index = this.#index;
    if (index.tip !== this) {
      index = { byId: new Map(), tip: null };
      for (const m of this.#tree.items) indexMessage(index, m);
    }
    return { tree: new SortedTree(byTime, this.#tree, undefined, time), index };
  }
}

function indexMessage(index: Index, m: Message): void {
  index.byId.set(m.id, m);
  if (m.idempotencyKey) index.byId.set(`${isLocal(m) ? 'key' : 'sent'}:${m.idempotencyKey}`, m);
}

function unindexMessage(index: Index, m: Message): void {
  index.byId.delete(m.id);
  if (m.idempotencyKey) index.byId.delete(`${isLocal(m) ? 'key' : 'sent'}:${m.idempotencyKey}`);
}

/** A thread of messages already in order (from `mergeMessages`). */
export function threadOf(
  items: readonly Message[],
  nextCursor: string | null,
  loaded: boolean,
): Thread {
  const index: Index = { byId: new Map(), tip: null };
  for (const m of items) indexMessage(index, m);
  return new ThreadVersion(
    new SortedTree(byTime, items, undefined, time).snapshot(),
    index,
    nextCursor,
    loaded,
  );
}

const EMPTY = () => threadOf([], null, false);

function versionOf(thread: Thread | undefined): ThreadVersion {
  return thread instanceof ThreadVersion ? thread : (EMPTY() as ThreadVersion);
}

/** Removes one message from a tree being edited. */
function take(tree: SortedTree<Message>, index: Index, m: Message): void {
  const at = tree.find(m, (x) => x.id === m.id);
  if (at >= 0) tree.removeAt(at);
  unindexMessage(index, m);
}

/**
 * Adds or updates a message in O(log n): a new one goes in by time (after those of the same
 * millisecond); a known one is replaced only by a more advanced copy (SN7); a local copy gives
 * way to the backend's copy of the same send, and a local copy of a confirmed send is dropped.
 */
export function withMessage(thread: Thread | undefined, message: Message): Thread {
  const from = versionOf(thread);
  const current = from.get(message.id);
  const key = message.idempotencyKey;
  if (current && !isAhead(message, current)) return from;
  if (!current && isLocal(message) && key && from.get(`sent:${key}`)) return from;
  const { tree, index } = from.edit();
  if (current && current.createdAt === message.createdAt) {
    // A newer copy keeps its place among the messages of its millisecond.
    tree.replaceAt(
      tree.find(current, (x) => x.id === current.id),
      message,
    );
    indexMessage(index, message);
    return new ThreadVersion(tree.snapshot(), index, from.nextCursor, from.loaded);
  }
  if (current) take(tree, index, current);
  const local = !isLocal(message) && key ? index.byId.get(`key:${key}`) : undefined;
  if (local) take(tree, index, local);
  tree.insert(message, 'last');
  indexMessage(index, message);
  return new ThreadVersion(tree.snapshot(), index, from.nextCursor, from.loaded);
}

export function withoutMessage(thread: Thread | undefined, id: string): Thread {
  const from = versionOf(thread);
  const current = from.get(id);
  if (!current) return from;
  const { tree, index } = from.edit();
  take(tree, index, current);
  return new ThreadVersion(tree.snapshot(), index, from.nextCursor, from.loaded);
}

/** A page merged in (a loaded page first among messages of the same millisecond). */
export function withPage(
  thread: Thread | undefined,
  page: readonly Message[],
  nextCursor: string | null,
): Thread {
  return threadOf(mergeMessages(page, thread?.items ?? []), nextCursor, true);
}

/** The same messages with other paging facts. */
export function withMessages(thread: Thread | undefined, items: readonly Message[]): Thread {
  return threadOf(items, thread?.nextCursor ?? null, thread?.loaded ?? false);
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
export function replay(thread: Thread, event: ServerEvent, channel: Channel): Thread {
  if (event.type === 'message.created') return withMessage(thread, event.message);
  if (event.type !== 'message.status') return thread;
  const message = thread.get(event.messageId);
  const next = message && applyStatus(message, event, channel);
  return next && next !== message ? withMessage(thread, next) : thread;
}
