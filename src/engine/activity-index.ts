/**
 * V5 for the memory repository: conversations by activity, newest first, without a sort per
 * query. A write only notes which conversation changed (O(1): routing stays cheap); the next list
 * brings the order up to date. A few changes are moved one by one (binary search in sorted chunks
 * of at most 2 × CHUNK, so a move shifts one short chunk); many are sorted among themselves and
 * merged with the unchanged rest in one pass. Either way a change costs O(log n) amortized.
 */
import type { Conversation } from '../types.js';
import type { TimeCursor } from './repository.js';

const CHUNK = 64;

/** Whether `c` comes before the position `at, id` in a list (newer, or as new with a lower id). */
const isBefore = (c: Conversation, at: number, id: string) =>
  c.lastActivityAt > at || (c.lastActivityAt === at && c.id < id);

const newestFirst = (a: Conversation, b: Conversation) =>
  b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class ActivityIndex {
  /** The list as of the last update, newest first, cut into chunks; no chunk is empty. */
  #chunks: Conversation[][] = [];
  #count = 0;
  /** Conversations changed since: id → the version the chunks hold (undefined: none). */
  #changed = new Map<string, Conversation | undefined>();

  /** `current(id)` is the stored version of a conversation. */
  constructor(private readonly current: (id: string) => Conversation | undefined) {}

  /** Starts from `conversations` (one sort, when the repository opens). */
  load(conversations: Iterable<Conversation>): void {
    this.#setAll([...conversations].sort(newestFirst));
  }

  /** Notes that `next` is stored in place of `previous` (the version it replaces, if any). */
  put(next: Conversation, previous: Conversation | undefined): void {
    if (!this.#changed.has(next.id)) this.#changed.set(next.id, previous);
  }

  /** Up to `limit` conversations passing `keep`, newest first, strictly after `after`. */
  page(
    limit: number,
    keep: (c: Conversation) => boolean,
    after: TimeCursor | undefined,
  ): Conversation[] {
    this.#update();
    const page: Conversation[] = [];
    let [ci, at] = after ? this.#locate(after.at, after.id) : [0, 0];
    for (; ci < this.#chunks.length && page.length < limit; ci++, at = 0) {
      const chunk = this.#chunks[ci]!;
      for (; at < chunk.length && page.length < limit; at++) {
        const c = chunk[at]!;
        const isCursor = after && c.lastActivityAt === after.at && c.id === after.id;
        if (!isCursor && keep(c)) page.push(c);
      }
    }
    return page;
  }

  #update(): void {
    const changed = this.#changed;
    if (changed.size === 0) return;
    if (changed.size * 16 < this.#count) {
      for (const [id, held] of changed) {
        if (held) this.#remove(held);
        const c = this.current(id);
        if (c) this.#insert(c);
      }
    } else {
      const moved: Conversation[] = [];
      for (const id of changed.keys()) {
        const c = this.current(id);
        if (c) moved.push(c);
      }
      moved.sort(newestFirst);
      const merged: Conversation[] = [];
      let m = 0;
      for (const chunk of this.#chunks) {
        for (const c of chunk) {
          if (changed.has(c.id)) continue;
          while (m < moved.length && newestFirst(moved[m]!, c) < 0) merged.push(moved[m++]!);
          merged.push(c);
        }
      }
      while (m < moved.length) merged.push(moved[m++]!);
      this.#setAll(merged);
    }
    changed.clear();
  }

  #setAll(all: Conversation[]): void {
    this.#chunks = [];
    for (let i = 0; i < all.length; i += CHUNK) this.#chunks.push(all.slice(i, i + CHUNK));
    this.#count = all.length;
  }

  #remove(c: Conversation): void {
    const [ci, at] = this.#locate(c.lastActivityAt, c.id);
    const chunk = this.#chunks[ci];
    if (chunk?.[at] !== c) return;
    chunk.splice(at, 1);
    if (chunk.length === 0) this.#chunks.splice(ci, 1);
    this.#count--;
  }

  #insert(c: Conversation): void {
    const chunks = this.#chunks;
    let [ci, at] = this.#locate(c.lastActivityAt, c.id);
    if (ci === chunks.length) {
      if (ci === 0) chunks.push([]);
      ci = chunks.length - 1;
      at = chunks[ci]!.length;
    }
    const chunk = chunks[ci]!;
    chunk.splice(at, 0, c);
    if (chunk.length > 2 * CHUNK) chunks.splice(ci + 1, 0, chunk.splice(CHUNK));
    this.#count++;
  }

  /** The chunk and offset of the first item not before `at, id` (past the end: chunk count). */
  #locate(at: number, id: string): [number, number] {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (isBefore(chunk[chunk.length - 1]!, at, id)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return [lo, 0];
    const chunk = chunks[lo]!;
    let start = 0;
    let end = chunk.length;
    while (start < end) {
      const mid = (start + end) >>> 1;
      if (isBefore(chunk[mid]!, at, id)) start = mid + 1;
      else end = mid;
    }
    return [lo, start];
  }
}
