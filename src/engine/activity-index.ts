/**
 * V5 for the memory repository: conversations by activity, newest first, without sorting per
 * query. They are held in sorted chunks of at most 2 × CHUNK (short: an insertion shifts a chunk); an update removes the old version
 * and inserts the new one by binary search, moving at most one chunk's items, so its cost does not
 * grow with the account (many conversations sharing one time included).
 */
import type { Conversation } from '../types.js';
import type { TimeCursor } from './repository.js';

const CHUNK = 64;

/** Whether `c` comes before the position `at, id` in a list (newer, or as new with a lower id). */
const isBefore = (c: Conversation, at: number, id: string) =>
  c.lastActivityAt > at || (c.lastActivityAt === at && c.id < id);

// Shifting by hand: V8's `splice` allocates its result and is slower on arrays this short.
function insertAt<T>(list: T[], at: number, item: T): void {
  for (let i = list.length; i > at; i--) list[i] = list[i - 1]!;
  list[at] = item;
}

function removeAt<T>(list: T[], at: number): void {
  for (let i = at + 1; i < list.length; i++) list[i - 1] = list[i]!;
  list.pop();
}

export class ActivityIndex {
  /** The list, newest first, cut into chunks; no chunk is empty. */
  #chunks: Conversation[][] = [];

  /** Starts from `conversations` (one sort, when the repository opens). */
  load(conversations: Iterable<Conversation>): void {
    const all = [...conversations].sort(
      (a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    this.#chunks = [];
    for (let i = 0; i < all.length; i += CHUNK) this.#chunks.push(all.slice(i, i + CHUNK));
  }

  /** Records `next` as stored in place of `previous` (the version it replaces, if any). */
  put(next: Conversation, previous: Conversation | undefined): void {
    if (previous) {
      const [ci, at] = this.#locate(previous.lastActivityAt, previous.id);
      const chunk = this.#chunks[ci];
      if (chunk?.[at] === previous) {
        if (previous.lastActivityAt === next.lastActivityAt) {
          chunk[at] = next; // same place, new version
          return;
        }
        removeAt(chunk, at);
        if (chunk.length === 0) this.#chunks.splice(ci, 1);
      }
    }
    const chunks = this.#chunks;
    const first = chunks[0]?.[0];
    // The common case, the newest activity of all, goes first without a search.
    let [ci, at] =
      first && !isBefore(first, next.lastActivityAt, next.id)
        ? [0, 0]
        : this.#locate(next.lastActivityAt, next.id);
    if (ci === chunks.length) {
      if (ci === 0) chunks.push([]);
      ci = chunks.length - 1;
      at = chunks[ci]!.length;
    }
    const chunk = chunks[ci]!;
    insertAt(chunk, at, next);
    if (chunk.length > 2 * CHUNK) chunks.splice(ci + 1, 0, chunk.splice(CHUNK));
  }

  /** Up to `limit` conversations passing `keep`, newest first, strictly after `after`. */
  page(
    limit: number,
    keep: (c: Conversation) => boolean,
    after: TimeCursor | undefined,
  ): Conversation[] {
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
