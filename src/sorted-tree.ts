/**
 * A persistent sorted list: a B-tree whose nodes carry their item count and a second count (the
 * unread rows of a view). A change copies the few short nodes on the path from the root to the
 * item (path copying), so it costs O(log n) whatever the size; every snapshot keeps the nodes it
 * saw and never sees later changes. The desk's views (V5) and open threads are kept in it.
 */
import { TreeSnapshot, type Node } from './tree-snapshot.js';
import {
  BRANCH_FILL,
  BRANCH_MIN,
  FILL,
  MIN,
  branch,
  entries,
  lastKey,
  leaf,
  most,
} from './tree-nodes.js';

export { TreeSnapshot };

/** Generations of every tree: a node made by one tree is never changed in place by another. */
let generations = 0;

const never = () => false;
const none = () => 0;

export class SortedTree<T> {
  readonly #compare: (a: T, b: T) => number;
  readonly #counted: (item: T) => boolean;
  readonly #key: (item: T) => number;
  #root: Node<T>;
  #gen = ++generations;
  #snapshot: TreeSnapshot<T> | null = null;
  /** The path of the last descent: nodes from the root, and the child taken at each branch. */
  readonly #path: Node<T>[] = [];
  readonly #taken: number[] = [];
  /** Index of the leaf in `#path` (the arrays are reused, never shortened: no allocation). */
  #leaf = 0;

  /**
   * `from`: items already in order (a snapshot to continue from, or a sorted array). `key`: a
   * number in the same order as `compare` (`key(a) < key(b)` means `a` goes first), kept in each
   * node beside its items, so a descent reads one array per level and compares the items
   * themselves only where keys are equal (issue 11: a descent through rows at random places in
   * a large view was one cache miss per step). A snapshot continues only with the same `key`.
   */
  constructor(
    compare: (a: T, b: T) => number,
    from: TreeSnapshot<T> | readonly T[] = [],
    counted: (item: T) => boolean = never,
    key: (item: T) => number = none,
  ) {
    this.#compare = compare;
    this.#counted = counted;
    this.#key = key;
    this.#root = from instanceof TreeSnapshot ? from.root : this.#build(from);
  }

  get size(): number {
    return this.#root.size;
  }

  snapshot(): TreeSnapshot<T> {
    if (!this.#snapshot) {
      this.#snapshot = new TreeSnapshot(this.#root);
      this.#gen = ++generations;
    }
    return this.#snapshot;
  }

  /** Inserts in order; among equal items, first (`'first'`) or after them (`'last'`). */
  insert(item: T, among: 'first' | 'last' = 'first'): void {
    // The commonest move of a view: a row to the top (a new message). The leftmost path needs no
    // comparisons on the way down, only one with the first item.
    const first = this.#first();
    const top = first === undefined || this.#before(item, first, among === 'first');
    const k = this.#key(item);
    const at = top ? this.#descendTo(0) : this.#descendKey(item, k, among === 'last');
    const reached = this.#path[this.#leaf]!;
    if (top && this.#leaf > 0 && reached.items!.length >= FILL) {
      // Issue 11: a reader's snapshot per change makes the next change copy the leaf it touches,
      // and every row moving to the top touches the first leaf: a full one gets a new leaf in
      // front of it (left to fill, see `#settle`), so the leaf copied per move stays short.
      this.#leaf--;
      const parent = this.#writablePath();
      parent.children!.unshift(leaf([item], [k], this.#gen, this.#counted));
      parent.keys.unshift(k);
    } else if (reached.gen !== this.#gen) {
      // A shared leaf is copied with the item in place: one array each, not a copy then a larger
      // one for the item.
      this.#writablePath(false);
      this.#own(this.#leaf, {
        items: reached.items!.toSpliced(at, 0, item),
        children: null,
        keys: reached.keys.toSpliced(at, 0, k),
        size: reached.size,
        counted: reached.counted,
        last: reached.last,
        gen: this.#gen,
      });
    } else {
      const items = reached.items!;
      const keys = reached.keys;
      items.push(item);
      keys.push(k);
      for (let i = items.length - 1; i > at; i--) {
        items[i] = items[i - 1]!;
        keys[i] = keys[i - 1]!;
      }
      items[at] = item;
      keys[at] = k;
    }
    this.#settle(1, this.#counted(item) ? 1 : 0);
  }

  /**
   * Removes the first item equal to `probe` if `match` accepts it, in one descent, and returns
   * it: for an order where no two items are equal (a view's rows); `find` and `removeAt` serve
   * the others.
   */
  removeFirst(probe: T, match: (item: T) => boolean): T | undefined {
    const at = this.#descendKey(probe, this.#key(probe), false);
    const found = this.#path[this.#leaf]!.items![at];
    if (found === undefined || this.#compare(found, probe) !== 0 || !match(found)) return undefined;
    this.#cut(at);
    this.#settle(-1, this.#counted(found) ? -1 : 0);
    return found;
  }

  /** The position of the item equal to `probe` that `match` accepts, or -1. */
  find(probe: T, match: (item: T) => boolean): number {
    return new TreeSnapshot(this.#root).indexOf(probe, this.#compare, match);
  }

  /** Removes the item at a position; returns it. */
  removeAt(index: number): T {
    const at = this.#descendTo(index);
    const removed = this.#path[this.#leaf]!.items![at]!;
    this.#cut(at);
    this.#settle(-1, this.#counted(removed) ? -1 : 0);
    return removed;
  }

  /** Takes out the item at `at` of the leaf just reached (in place when the leaf is the tree's own). */
  #cut(at: number): void {
    const reached = this.#path[this.#leaf]!;
    if (reached.gen !== this.#gen) {
      // Issue 11: a shared leaf is copied without the item, one exact array each (a copy and then
      // a shift walked it twice and kept a slot too many in an array that outlives the young
      // generation at 100k rows).
      this.#writablePath(false);
      this.#own(this.#leaf, {
        items: reached.items!.toSpliced(at, 1),
        children: null,
        keys: reached.keys.toSpliced(at, 1),
        size: reached.size,
        counted: reached.counted,
        last: reached.last,
        gen: this.#gen,
      });
      return;
    }
    const node = this.#writablePath();
    const items = node.items!;
    const keys = node.keys;
    for (let i = at; i < items.length - 1; i++) {
      items[i] = items[i + 1]!;
      keys[i] = keys[i + 1]!;
    }
    // In place: `splice` would allocate the removed items' array.
    items.pop();
    keys.pop();
  }

  /** Puts `item` at a position in place of the one there (the caller keeps the order). */
  replaceAt(index: number, item: T): void {
    const at = this.#descendTo(index);
    const node = this.#writablePath();
    const items = node.items!;
    const before = this.#counted(items[at]!) ? 1 : 0;
    items[at] = item;
    node.keys[at] = this.#key(item);
    this.#settle(0, (this.#counted(item) ? 1 : 0) - before);
  }

  #first(): T | undefined {
    let node = this.#root;
    while (node.children) node = node.children[0]!;
    return node.items![0];
  }

  #before(x: T, item: T, after: boolean): boolean {
    const c = this.#compare(x, item);
    return c < 0 || (after && c === 0);
  }

  /**
   * Goes down to where `item` (of key `k`) goes, before or after its equals, recording the path.
   * The keys decide; the items are read only where keys are equal.
   */
  #descendKey(item: T, k: number, after: boolean): number {
    let depth = 0;
    let node = this.#root;
    while (node.children) {
      const children = node.children;
      const keys = node.keys;
      let a = 0;
      let b = children.length - 1;
      while (a < b) {
        const mid = (a + b) >>> 1;
        const km = keys[mid]!;
        if (km < k || (km === k && this.#before(children[mid]!.last!, item, after))) a = mid + 1;
        else b = mid;
      }
      this.#path[depth] = node;
      this.#taken[depth++] = a;
      node = children[a]!;
    }
    this.#path[depth] = node;
    this.#leaf = depth;
    const items = node.items!;
    const keys = node.keys;
    let a = 0;
    let b = items.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const km = keys[mid]!;
      if (km < k || (km === k && this.#before(items[mid]!, item, after))) a = mid + 1;
      else b = mid;
    }
    return a;
  }

  /** Goes down to the leaf holding position `index` (or the end), recording the path. */
  #descendTo(index: number): number {
    let depth = 0;
    let node = this.#root;
    while (node.children) {
      const children = node.children;
      let i = 0;
      while (i < children.length - 1 && index >= children[i]!.size) index -= children[i++]!.size;
      this.#path[depth] = node;
      this.#taken[depth++] = i;
      node = children[i]!;
    }
    this.#path[depth] = node;
    this.#leaf = depth;
    return index;
  }

  /** Makes every node on the recorded path writable (copies the shared ones); returns the leaf. */
  #writablePath(withLeaf = true): Node<T> {
    const path = this.#path;
    const end = withLeaf ? this.#leaf : this.#leaf - 1;
    for (let depth = 0; depth <= end; depth++) {
      const node = path[depth]!;
      if (node.gen !== this.#gen) {
        this.#own(depth, {
          items: node.items && node.items.slice(),
          children: node.children && node.children.slice(),
          keys: node.keys.slice(),
          size: node.size,
          counted: node.counted,
          last: node.last,
          gen: this.#gen,
        });
      }
    }
    this.#snapshot = null;
    return path[this.#leaf]!;
  }

  /** Puts `node`, a writable copy, in place of the path's node at `depth`. */
  #own(depth: number, node: Node<T>): void {
    this.#path[depth] = node;
    if (depth === 0) this.#root = node;
    else this.#path[depth - 1]!.children![this.#taken[depth - 1]!] = node;
  }

  /** After an item went in, out or was replaced: counts, last items, splits and merges. */
  #settle(size: number, counted: number): void {
    const path = this.#path;
    for (let depth = this.#leaf; depth >= 0; depth--) {
      const node = path[depth]!;
      node.size += size;
      node.counted += counted;
      node.last = node.items ? node.items.at(-1) : node.children!.at(-1)?.last;
      const length = entries(node);
      if (depth === 0) {
        if (length > most(node)) this.#root = branch(this.#split(node, null, 0), this.#gen);
        else if (node.children?.length === 1)
          this.#root = node.children[0]!; // one level less
        else if (node.children?.length === 0) this.#root = leaf([], [], this.#gen, this.#counted);
        return;
      }
      const parent = path[depth - 1]!;
      const i = this.#taken[depth - 1]!;
      if (length > 0) parent.keys[i] = lastKey(node);
      if (length > most(node)) this.#split(node, parent, i);
      else if (
        length < (node.items ? MIN : BRANCH_MIN) &&
        !(length > 0 && node.items && this.#isFirst(depth))
      )
        this.#merge(parent, i);
    }
  }

  /**
   * Whether the node at `depth` of the path is the tree's first one: the short first leaf that
   * `insert` starts is left to fill, not merged back into its neighbour at every move.
   */
  #isFirst(depth: number): boolean {
    for (let d = 0; d < depth; d++) if (this.#taken[d] !== 0) return false;
    return true;
  }

  /** Splits a full node in two halves beside each other in `parent` (or returns both). */
  #split(node: Node<T>, parent: Node<T> | null, i: number): Node<T>[] {
    const half = entries(node) >>> 1;
    const keys = node.keys.splice(half);
    const right = node.items
      ? leaf(node.items.splice(half), keys, this.#gen, this.#counted)
      : branch(node.children!.splice(half), this.#gen);
    node.size -= right.size;
    node.counted -= right.counted;
    node.last = node.items ? node.items[half - 1] : node.children![half - 1]!.last;
    if (parent) {
      parent.children!.splice(i + 1, 0, right);
      parent.keys.splice(i + 1, 0, lastKey(right));
      parent.keys[i] = lastKey(node);
    }
    return [node, right];
  }

  /** A small child joins a neighbour when both fit in one node; an empty child leaves. */
  #merge(parent: Node<T>, i: number): void {
    const children = parent.children!;
    const node = children[i]!;
    if (entries(node) === 0) {
      children.splice(i, 1);
      parent.keys.splice(i, 1);
      return;
    }
    const j = i + 1 < children.length ? i + 1 : i - 1;
    const other = children[j];
    if (!other || entries(node) + entries(other) > most(node)) return;
    const [first, second] = j > i ? [node, other] : [other, node];
    // Issue 11: the counts add up; recounting read every row of both leaves (cache misses).
    const joined: Node<T> = first.items
      ? {
          items: first.items.concat(second.items!),
          children: null,
          keys: first.keys.concat(second.keys),
          size: first.size + second.size,
          counted: first.counted + second.counted,
          last: second.last ?? first.last,
          gen: this.#gen,
        }
      : branch(first.children!.concat(second.children!), this.#gen);
    children.splice(Math.min(i, j), 2, joined);
    parent.keys.splice(Math.min(i, j), 2, lastKey(joined));
  }

  /** Nodes `FILL` full. */
  #build(items: readonly T[]): Node<T> {
    const fill = FILL;
    let level: Node<T>[] = [];
    for (let i = 0; i < items.length; i += fill) {
      const part = items.slice(i, i + fill);
      level.push(leaf(part, part.map(this.#key), this.#gen, this.#counted));
    }
    while (level.length > 1) {
      const up: Node<T>[] = [];
      for (let i = 0; i < level.length; i += BRANCH_FILL)
        up.push(branch(level.slice(i, i + BRANCH_FILL), this.#gen));
      level = up;
    }
    return level[0] ?? leaf([], [], this.#gen, this.#counted);
  }
}
