/**
 * V5 kept incrementally: one view's rows in activity order, in a persistent sorted tree that also
 * counts the unread rows, behind a short array of the top rows. A change moves one row at
 * O(log n) cost; every snapshot shares the nodes it did not change and never sees later moves.
 */
import { byActivity, contactName, type ViewKey } from './rules/views.js';
import { SortedTree, TreeSnapshot } from './sorted-tree.js';
import type { Contact, Conversation } from './types.js';

/** A list row: the conversation with the name to show (V5). */
export interface ConversationRow {
  conversation: Conversation;
  contact: Contact | undefined;
  /** The contact's name, or the number. */
  title: string;
}

/** A row with its sort key beside it: a descent reads one object per step, not two. */
class Row implements ConversationRow {
  readonly at: number;
  constructor(
    readonly conversation: Conversation,
    readonly contact: Contact | undefined,
    readonly title: string,
    /** The number's entry in the search index (V6), carried from row to row of a conversation. */
    readonly entry: number,
  ) {
    this.at = conversation.lastActivityAt;
  }
}

/** V5's order (`byActivity`), read from the rows' own keys. */
const order = (a: Row, b: Row) => b.at - a.at || byActivity(a.conversation, b.conversation);
/** V5's order for rows made by `rowOf`. */
export const rowOrder = order as (a: ConversationRow, b: ConversationRow) => number;
const isUnread = (row: ConversationRow) => row.conversation.unread;
/** `order`'s first key as a number for the tree (newest first: `key(a) < key(b)` puts `a` first). */
const newestFirst = (row: Row) => -row.at;

/** The row of a conversation, with its contact's name or the number (CT1). */
export function rowOf(
  conversation: Conversation,
  contacts: ReadonlyMap<string, Contact>,
  entry: number,
): ConversationRow {
  const contact = contacts.get(conversation.customer);
  return new Row(conversation, contact, contactName(contact) || conversation.customer, entry);
}

/** The search entry of a row made by `rowOf`. */
export function entryOf(row: ConversationRow): number {
  return (row as Row).entry;
}

/**
 * Rows at the top of a view at most, in front of the tree: the commonest move (a new message puts
 * a row on top) copies this short array instead of the tree's leftmost path (issue 11).
 */
const HEAD = 32;

/** Rows of one view at one moment. `rows` is built on first read; `slice` reads a window only. */
export class RowsSnapshot {
  /** The top rows, then the tree's: every row of `#head` comes before every row of `#tree`. */
  readonly #head: readonly ConversationRow[];
  readonly #headUnread: number;
  readonly #tree: TreeSnapshot<ConversationRow>;
  #rows: readonly ConversationRow[] | null = null;

  /** @internal Made by `ViewIndex`. */
  constructor(
    readonly key: ViewKey,
    head: readonly ConversationRow[],
    headUnread: number,
    tree: TreeSnapshot<ConversationRow>,
  ) {
    this.#head = head;
    this.#headUnread = headUnread;
    this.#tree = tree;
  }

  get count(): number {
    return this.#head.length + this.#tree.size;
  }

  get unread(): number {
    return this.#headUnread + this.#tree.counted;
  }

  get rows(): readonly ConversationRow[] {
    return (this.#rows ??= this.slice(0));
  }

  /** Every row in order, without building the whole list. */
  forEach(fn: (row: ConversationRow) => void): void {
    for (const row of this.#head) fn(row);
    this.#tree.forEach(fn);
  }

  /** The position of a conversation's row (its current version, as in the state), or -1. */
  indexOf(conversation: Conversation): number {
    const probe = new Row(conversation, undefined, '', -1);
    const match = (row: ConversationRow) => row.conversation.id === conversation.id;
    const head = this.#head;
    const inHead = findIn(head, probe, match);
    if (inHead !== undefined) return inHead;
    const last = head[head.length - 1];
    if (last && rowOrder(probe, last) <= 0) return -1;
    const i = this.#tree.indexOf(probe, rowOrder, match);
    return i < 0 ? -1 : head.length + i;
  }

  /** The row at a position, in O(log n). */
  at(index: number): ConversationRow | undefined {
    const head = this.#head;
    return index < head.length ? head[index] : this.#tree.at(index - head.length);
  }

  /** Rows `start` to `end` (exclusive), without building the whole list. */
  slice(start: number, end = this.count): ConversationRow[] {
    if (this.#rows) return this.#rows.slice(start, end);
    const head = this.#head;
    start = Math.max(0, start);
    end = Math.min(end, this.count);
    // Sized once: a window costs one array.
    const out = new Array<ConversationRow>(Math.max(0, end - start));
    let at = 0;
    for (let i = start; i < end && i < head.length; i++) out[at++] = head[i]!;
    if (end > head.length)
      this.#tree.copyInto(out, at, Math.max(0, start - head.length), end - head.length);
    return out;
  }
}

/** The position in `head` of the row equal to `probe` that `match` accepts (V5 order), if any. */
function findIn(
  head: readonly ConversationRow[],
  probe: ConversationRow,
  match: (row: ConversationRow) => boolean,
): number | undefined {
  for (let i = 0; i < head.length; i++) {
    const c = rowOrder(head[i]!, probe);
    if (c > 0) return undefined;
    if (c === 0 && match(head[i]!)) return i;
  }
  return undefined;
}

export class ViewIndex {
  readonly #tree: SortedTree<Row>;
  /** The top rows (see `HEAD`); copied before a change once a snapshot holds it. */
  #head: Row[] = [];
  #headUnread = 0;
  #headShared = false;
  #snapshot: RowsSnapshot | null = null;

  private constructor(rows: Row[]) {
    this.#tree = new SortedTree(order, rows, isUnread, newestFirst);
  }

  /** Builds the index from every row of the view (one sort, at first use); rows from `rowOf`. */
  static from(rows: ConversationRow[]): ViewIndex {
    return new ViewIndex((rows as Row[]).sort(order));
  }

  /** The same object until the next change. */
  snapshot(key: ViewKey): RowsSnapshot {
    if (!this.#snapshot) {
      this.#snapshot = new RowsSnapshot(key, this.#head, this.#headUnread, this.#tree.snapshot());
      this.#headShared = true;
    }
    return this.#snapshot;
  }

  /** Removes the row of `conversation` as it was (found by its old activity and id). */
  remove(conversation: Conversation): ConversationRow | undefined {
    // Rows are ordered by activity, then id: the row is the first one not before the probe.
    const probe = new Row(conversation, undefined, '', -1);
    const match = (row: ConversationRow) => row.conversation.id === conversation.id;
    const last = this.#head[this.#head.length - 1];
    if (last && order(probe, last) <= 0) {
      const i = findIn(this.#head, probe, match);
      if (i === undefined) return undefined;
      const head = this.#writableHead();
      const removed = head[i]!;
      // In place: `splice` would allocate the removed rows' array.
      for (let j = i; j < head.length - 1; j++) head[j] = head[j + 1]!;
      head.pop();
      if (isUnread(removed)) this.#headUnread--;
      return removed;
    }
    const removed = this.#tree.removeFirst(probe, match);
    if (removed) this.#snapshot = null;
    return removed;
  }

  /** `row` from `rowOf`. */
  insert(row: ConversationRow): void {
    const r = row as Row;
    const last = this.#head[this.#head.length - 1] ?? this.#tree.first();
    if (last && order(r, last) > 0) {
      this.#tree.insert(r);
      this.#snapshot = null;
      return;
    }
    const head = this.#writableHead();
    let i = head.length;
    head.push(r);
    for (; i > 0 && order(head[i - 1]!, r) > 0; i--) head[i] = head[i - 1]!;
    head[i] = r;
    if (isUnread(r)) this.#headUnread++;
    // Full: the lower half goes to the top of the tree, bottom row first (one path copied).
    if (head.length > HEAD) {
      for (let j = head.length - 1; j >= HEAD / 2; j--) {
        const moved = head[j]!;
        this.#tree.insert(moved);
        if (isUnread(moved)) this.#headUnread--;
      }
      head.length = HEAD / 2;
    }
  }

  #writableHead(): Row[] {
    this.#snapshot = null;
    if (this.#headShared) {
      this.#head = this.#head.slice();
      this.#headShared = false;
    }
    return this.#head;
  }
}
