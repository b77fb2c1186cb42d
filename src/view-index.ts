/**
 * V5 kept incrementally: one view's rows in activity order, held in sorted chunks. A change moves
 * one row (binary search to remove and insert) and copies one chunk and the short chunk list, so
 * its cost does not grow with the account; snapshots share every chunk they did not change.
 */
import { byActivity, type ViewKey } from './rules/views.js';
import type { Contact, Conversation } from './types.js';

/** A list row: the conversation with the name to show (V5). */
export interface ConversationRow {
  conversation: Conversation;
  contact: Contact | undefined;
  /** The contact's name, or the number. */
  title: string;
}

const CHUNK = 256;

/** Rows of one view at one moment. `rows` is built on first read; `slice` reads a window only. */
export class RowsSnapshot {
  readonly #chunks: readonly (readonly ConversationRow[])[];
  #rows: readonly ConversationRow[] | null = null;

  constructor(
    readonly key: ViewKey,
    chunks: readonly (readonly ConversationRow[])[],
    readonly count: number,
    readonly unread: number,
  ) {
    this.#chunks = chunks;
  }

  get rows(): readonly ConversationRow[] {
    return (this.#rows ??= this.#chunks.flat());
  }

  /** Rows `start` to `end` (exclusive), without building the whole list. */
  slice(start: number, end = this.count): ConversationRow[] {
    if (this.#rows) return this.#rows.slice(start, end);
    const out: ConversationRow[] = [];
    let offset = 0;
    for (const chunk of this.#chunks) {
      if (offset >= end) break;
      const next = offset + chunk.length;
      if (next > start) out.push(...chunk.slice(Math.max(0, start - offset), end - offset));
      offset = next;
    }
    return out;
  }
}

export class ViewIndex {
  #chunks: ConversationRow[][] = [];
  /** Chunks (and the chunk list) created since the last snapshot may change in place. */
  #owned = new Set<ConversationRow[]>();
  #listOwned = false;
  #count = 0;
  #unread = 0;
  #snapshot: RowsSnapshot | null = null;

  /** Builds the index from every row of the view (one sort, at first use). */
  static from(rows: ConversationRow[]): ViewIndex {
    const index = new ViewIndex();
    rows.sort((a, b) => byActivity(a.conversation, b.conversation));
    for (let i = 0; i < rows.length; i += CHUNK) index.#chunks.push(rows.slice(i, i + CHUNK));
    index.#count = rows.length;
    for (const row of rows) if (row.conversation.unread) index.#unread++;
    return index;
  }

  snapshot(key: ViewKey): RowsSnapshot {
    if (!this.#snapshot) {
      this.#snapshot = new RowsSnapshot(key, this.#chunks, this.#count, this.#unread);
      this.#owned.clear();
      this.#listOwned = false;
    }
    return this.#snapshot;
  }

  /** Removes the row of `conversation` as it was (found by its old activity and id). */
  remove(conversation: Conversation): void {
    const { chunk, at } = this.#locate(conversation);
    const row = this.#chunks[chunk]?.[at];
    if (row?.conversation.id !== conversation.id) return;
    const writable = this.#writable(chunk);
    writable.splice(at, 1);
    if (writable.length === 0) this.#list().splice(chunk, 1);
    this.#count--;
    if (row.conversation.unread) this.#unread--;
    this.#snapshot = null;
  }

  insert(row: ConversationRow): void {
    if (this.#chunks.length === 0) {
      const fresh = [row];
      this.#owned.add(fresh);
      this.#list().push(fresh);
    } else {
      const { chunk, at } = this.#locate(row.conversation);
      const writable = this.#writable(chunk);
      writable.splice(at, 0, row);
      if (writable.length > 2 * CHUNK) {
        const tail = writable.splice(CHUNK);
        this.#owned.add(tail);
        this.#list().splice(chunk + 1, 0, tail);
      }
    }
    this.#count++;
    if (row.conversation.unread) this.#unread++;
    this.#snapshot = null;
  }

  /** The chunk holding (or to hold) `conversation`, and its position there: two binary searches. */
  #locate(conversation: Conversation): { chunk: number; at: number } {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const last = chunks[mid]![chunks[mid]!.length - 1]!;
      if (byActivity(last.conversation, conversation) < 0) lo = mid + 1;
      else hi = mid;
    }
    const rows = chunks[lo] ?? [];
    let a = 0;
    let b = rows.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (byActivity(rows[mid]!.conversation, conversation) < 0) a = mid + 1;
      else b = mid;
    }
    return { chunk: lo, at: a };
  }

  #list(): ConversationRow[][] {
    if (!this.#listOwned) {
      this.#chunks = this.#chunks.slice();
      this.#listOwned = true;
    }
    return this.#chunks;
  }

  #writable(chunk: number): ConversationRow[] {
    const rows = this.#chunks[chunk]!;
    if (this.#owned.has(rows)) return rows;
    const copy = rows.slice();
    this.#owned.add(copy);
    this.#list()[chunk] = copy;
    return copy;
  }
}
