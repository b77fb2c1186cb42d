/**
 * V5 kept incrementally: one view's rows in activity order, in a persistent B-tree whose nodes
 * carry their row and unread counts. A change moves one row: it copies the few short nodes on the
 * path from the root to the row (path copying), so its cost grows with the log of the account, not
 * with the account; every snapshot shares the nodes it did not change and never sees later moves.
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

/** Entries per node at most; a full node splits in two, an emptied one leaves its parent. */
const MAX = 64;
/** A node this small merges with its neighbour when both fit in one. */
const MIN = 16;

interface Node {
  /** Rows (a leaf) or child nodes (a branch): never both. */
  rows: ConversationRow[] | null;
  children: Node[] | null;
  size: number;
  unread: number;
  /** The node's last row in view order: where a binary search decides to go down. */
  last: ConversationRow | undefined;
  /** Nodes of the current generation belong to no snapshot yet and change in place. */
  gen: number;
}

function leaf(rows: ConversationRow[], gen: number): Node {
  let unread = 0;
  for (const r of rows) if (r.conversation.unread) unread++;
  return { rows, children: null, size: rows.length, unread, last: rows[rows.length - 1], gen };
}

function branch(children: Node[], gen: number): Node {
  let size = 0;
  let unread = 0;
  for (const c of children) {
    size += c.size;
    unread += c.unread;
  }
  return { rows: null, children, size, unread, last: children[children.length - 1]?.last, gen };
}

function entries(node: Node): number {
  return (node.rows ?? node.children!).length;
}

/** Rows of one view at one moment. `rows` is built on first read; `slice` reads a window only. */
export class RowsSnapshot {
  readonly #root: Node;
  #rows: readonly ConversationRow[] | null = null;

  constructor(
    readonly key: ViewKey,
    root: Node,
  ) {
    this.#root = root;
  }

  get count(): number {
    return this.#root.size;
  }

  get unread(): number {
    return this.#root.unread;
  }

  get rows(): readonly ConversationRow[] {
    return (this.#rows ??= this.slice(0));
  }

  /** Rows `start` to `end` (exclusive), without building the whole list. */
  slice(start: number, end = this.count): ConversationRow[] {
    if (this.#rows) return this.#rows.slice(start, end);
    start = Math.max(0, start);
    end = Math.min(end, this.count);
    // Sized once: a window of rows costs one array, not one per doubling.
    const out = new Array<ConversationRow>(Math.max(0, end - start));
    collect(this.#root, start, end, out, 0);
    return out;
  }
}

/** Writes the rows of `node` from `start` to `end` (relative to the node) into `out` at `at`. */
function collect(
  node: Node,
  start: number,
  end: number,
  out: ConversationRow[],
  at: number,
): number {
  if (start >= end) return at;
  if (node.rows) {
    for (let i = start; i < end; i++) out[at++] = node.rows[i]!;
    return at;
  }
  let offset = 0;
  for (const child of node.children!) {
    const next = offset + child.size;
    if (next > start) {
      at = collect(child, Math.max(0, start - offset), Math.min(child.size, end - offset), out, at);
    }
    if (next >= end) break;
    offset = next;
  }
  return at;
}

/** Where `conversation` goes among sorted rows: the first row not before it. */
function rowPosition(rows: readonly ConversationRow[], conversation: Conversation): number {
  let a = 0;
  let b = rows.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (byActivity(rows[mid]!.conversation, conversation) < 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** The child whose range holds `conversation` (the last child for a row after every other). */
function childPosition(children: readonly Node[], conversation: Conversation): number {
  let a = 0;
  let b = children.length - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (byActivity(children[mid]!.last!.conversation, conversation) < 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

export class ViewIndex {
  #root: Node = leaf([], 0);
  /** Bumped by each snapshot: nodes of older generations are shared and copied before a change. */
  #gen = 0;
  #snapshot: RowsSnapshot | null = null;
  /** The path of the last descent: nodes from the root, and the child taken at each branch. */
  readonly #path: Node[] = [];
  readonly #taken: number[] = [];
  /** Index of the leaf in `#path` (the arrays are reused, never shortened: no allocation). */
  #leaf = 0;

  /** Builds the index from every row of the view (one sort, at first use). */
  static from(rows: ConversationRow[]): ViewIndex {
    const index = new ViewIndex();
    rows.sort((a, b) => byActivity(a.conversation, b.conversation));
    // Nodes three quarters full: room for inserts before the first splits.
    const fill = (MAX * 3) / 4;
    let level: Node[] = [];
    for (let i = 0; i < rows.length; i += fill) level.push(leaf(rows.slice(i, i + fill), 0));
    while (level.length > 1) {
      const up: Node[] = [];
      for (let i = 0; i < level.length; i += fill) up.push(branch(level.slice(i, i + fill), 0));
      level = up;
    }
    if (level[0]) index.#root = level[0];
    return index;
  }

  snapshot(key: ViewKey): RowsSnapshot {
    if (!this.#snapshot) {
      this.#snapshot = new RowsSnapshot(key, this.#root);
      this.#gen++;
    }
    return this.#snapshot;
  }

  /** Removes the row of `conversation` as it was (found by its old activity and id). */
  remove(conversation: Conversation): void {
    const at = this.#descend(conversation);
    const found = this.#path[this.#leaf]!.rows![at];
    if (found?.conversation.id !== conversation.id) return;
    const target = this.#writablePath();
    const rows = target.rows!;
    for (let i = at; i < rows.length - 1; i++) rows[i] = rows[i + 1]!;
    rows.pop(); // in place: `splice` would allocate the removed rows' array
    this.#settle(-1, found.conversation.unread ? -1 : 0);
  }

  insert(row: ConversationRow): void {
    const at = this.#descend(row.conversation);
    const rows = this.#writablePath().rows!;
    rows.push(row);
    for (let i = rows.length - 1; i > at; i--) rows[i] = rows[i - 1]!;
    rows[at] = row;
    this.#settle(1, row.conversation.unread ? 1 : 0);
  }

  /** Goes down to the leaf for `conversation`, recording the path; returns the row position. */
  #descend(conversation: Conversation): number {
    const path = this.#path;
    const taken = this.#taken;
    let depth = 0;
    let node = this.#root;
    while (node.children) {
      const i = childPosition(node.children, conversation);
      path[depth] = node;
      taken[depth++] = i;
      node = node.children[i]!;
    }
    path[depth] = node;
    this.#leaf = depth;
    return rowPosition(node.rows!, conversation);
  }

  /** Makes every node on the recorded path writable (copies the shared ones); returns the leaf. */
  #writablePath(): Node {
    const path = this.#path;
    for (let depth = 0; depth <= this.#leaf; depth++) {
      let node = path[depth]!;
      if (node.gen !== this.#gen) {
        node = {
          rows: node.rows && node.rows.slice(),
          children: node.children && node.children.slice(),
          size: node.size,
          unread: node.unread,
          last: node.last,
          gen: this.#gen,
        };
        path[depth] = node;
        if (depth === 0) this.#root = node;
        else path[depth - 1]!.children![this.#taken[depth - 1]!] = node;
      }
    }
    this.#snapshot = null;
    return path[this.#leaf]!;
  }

  /** After a row went in or out of the leaf: counts, last rows, splits and merges up the path. */
  #settle(size: number, unread: number): void {
    const path = this.#path;
    for (let depth = this.#leaf; depth >= 0; depth--) {
      const node = path[depth]!;
      node.size += size;
      node.unread += unread;
      const length = entries(node);
      node.last = node.rows ? node.rows[node.rows.length - 1] : node.children!.at(-1)?.last;
      if (depth === 0) {
        if (length > MAX) this.#root = branch(this.#split(node, null, 0), this.#gen);
        else if (node.children?.length === 1)
          this.#root = node.children[0]!; // one level less
        else if (node.children?.length === 0) this.#root = leaf([], this.#gen);
        return;
      }
      const parent = path[depth - 1]!;
      const i = this.#taken[depth - 1]!;
      if (length > MAX) this.#split(node, parent, i);
      else if (length < MIN) this.#merge(parent, i);
    }
  }

  /** Splits a full node in two halves beside each other in `parent` (or returns both). */
  #split(node: Node, parent: Node | null, i: number): Node[] {
    const half = entries(node) >>> 1;
    const right = node.rows
      ? leaf(node.rows.splice(half), this.#gen)
      : branch(node.children!.splice(half), this.#gen);
    node.size -= right.size;
    node.unread -= right.unread;
    node.last = node.rows ? node.rows[half - 1] : node.children![half - 1]!.last;
    parent?.children!.splice(i + 1, 0, right);
    return [node, right];
  }

  /** A small child joins a neighbour when both fit in one node; an empty child leaves. */
  #merge(parent: Node, i: number): void {
    const children = parent.children!;
    const node = children[i]!;
    if (node.size === 0) {
      children.splice(i, 1);
      return;
    }
    const j = i + 1 < children.length ? i + 1 : i - 1;
    const other = children[j];
    if (!other || entries(node) + entries(other) > MAX) return;
    const [first, second] = j > i ? [node, other] : [other, node];
    const joined = first.rows
      ? leaf([...first.rows, ...second.rows!], this.#gen)
      : branch([...first.children!, ...second.children!], this.#gen);
    children.splice(Math.min(i, j), 2, joined);
  }
}
