/**
 * V5 kept incrementally: one view's rows in activity order, in a persistent sorted tree that also
 * counts the unread rows. A change moves one row at O(log n) cost; every snapshot shares the nodes
 * it did not change and never sees later moves.
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

/**
 * The row of a newer version of the same conversation on the same number: the name and search
 * entry carry over, no contact lookup (issue 11: a lookup in a large contacts map per event).
 */
export function movedRow(row: ConversationRow, conversation: Conversation): ConversationRow {
  return new Row(conversation, row.contact, row.title, (row as Row).entry);
}

/** The search entry of a row made by `rowOf`. */
export function entryOf(row: ConversationRow): number {
  return (row as Row).entry;
}

/** Rows of one view at one moment. `rows` is built on first read; `slice` reads a window only. */
export class RowsSnapshot {
  readonly #tree: TreeSnapshot<ConversationRow>;

  constructor(
    readonly key: ViewKey,
    tree: TreeSnapshot<ConversationRow>,
  ) {
    this.#tree = tree;
  }

  get count(): number {
    return this.#tree.size;
  }

  get unread(): number {
    return this.#tree.counted;
  }

  get rows(): readonly ConversationRow[] {
    return this.#tree.items;
  }

  /** Every row in order, without building the whole list. */
  forEach(fn: (row: ConversationRow) => void): void {
    this.#tree.forEach(fn);
  }

  /** The position of a conversation's row (its current version, as in the state), or -1. */
  indexOf(conversation: Conversation): number {
    const probe = new Row(conversation, undefined, '', -1);
    return this.#tree.indexOf(probe, rowOrder, (row) => row.conversation.id === conversation.id);
  }

  /** The row at a position, in O(log n). */
  at(index: number): ConversationRow | undefined {
    return this.#tree.at(index);
  }

  /** Rows `start` to `end` (exclusive), without building the whole list. */
  slice(start: number, end = this.count): ConversationRow[] {
    return this.#tree.slice(start, end);
  }
}

export class ViewIndex {
  readonly #tree: SortedTree<Row>;
  #snapshot: RowsSnapshot | null = null;
  #wrapped: TreeSnapshot<ConversationRow> | null = null;

  private constructor(rows: Row[]) {
    this.#tree = new SortedTree(order, rows, isUnread, newestFirst);
  }

  /** Builds the index from every row of the view (one sort, at first use); rows from `rowOf`. */
  static from(rows: ConversationRow[]): ViewIndex {
    return new ViewIndex((rows as Row[]).sort(order));
  }

  snapshot(key: ViewKey): RowsSnapshot {
    const tree = this.#tree.snapshot(); // the same object until the next change
    if (this.#wrapped !== tree) {
      this.#snapshot = new RowsSnapshot(key, tree);
      this.#wrapped = tree;
    }
    return this.#snapshot!;
  }

  /** Removes the row of `conversation` as it was (found by its old activity and id). */
  remove(conversation: Conversation): ConversationRow | undefined {
    // Rows are ordered by activity, then id: the row is the first one not before the probe.
    const probe = new Row(conversation, undefined, '', -1);
    return this.#tree.removeFirst(probe, (row) => row.conversation.id === conversation.id);
  }

  /** `row` from `rowOf`. */
  insert(row: ConversationRow): void {
    this.#tree.insert(row as Row);
  }
}
