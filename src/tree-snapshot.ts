/**
 * A sorted tree at one moment (see `SortedTree`): reads by position, by order and in order,
 * without building the whole list.
 */

/** @internal A node of a `SortedTree`. */
export interface Node<T> {
  /** Items (a leaf) or child nodes (a branch): never both. */
  items: T[] | null;
  children: Node<T>[] | null;
  /** The key of each item (a leaf) or of each child's last item (a branch): see `SortedTree`. */
  keys: number[];
  size: number;
  counted: number;
  /** The node's last item: where a binary search decides to go down. */
  last: T | undefined;
  /** Nodes of the tree's current generation belong to no snapshot yet and change in place. */
  gen: number;
}

/** A tree at one moment. `items` is built on first read; `slice` and `at` read a window only. */
export class TreeSnapshot<T> {
  readonly #root: Node<T>;
  #items: readonly T[] | null = null;

  constructor(root: Node<T>) {
    this.#root = root;
  }

  get size(): number {
    return this.#root.size;
  }

  /** How many items the tree's `counted` test accepts. */
  get counted(): number {
    return this.#root.counted;
  }

  get items(): readonly T[] {
    return (this.#items ??= this.slice(0));
  }

  /** Items `start` to `end` (exclusive), without building the whole list. */
  slice(start: number, end = this.size): T[] {
    if (this.#items) return this.#items.slice(start, end);
    start = Math.max(0, start);
    end = Math.min(end, this.size);
    // Sized once: a window costs one array, not one per doubling.
    const out = new Array<T>(Math.max(0, end - start));
    collect(this.#root, start, end, out, 0);
    return out;
  }

  /**
   * The position of the first item equal to `probe` by `compare` (the tree's order) that `match`
   * accepts, or -1: O(log n) when few items are equal.
   */
  indexOf(probe: T, compare: (a: T, b: T) => number, match: (item: T) => boolean): number {
    let index = 0;
    let node = this.#root;
    while (node.children) {
      const children = node.children;
      let a = 0;
      let b = children.length - 1;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (compare(children[mid]!.last!, probe) < 0) a = mid + 1;
        else b = mid;
      }
      for (let i = 0; i < a; i++) index += children[i]!.size;
      node = children[a]!;
    }
    const items = node.items!;
    let a = 0;
    let b = items.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (compare(items[mid]!, probe) < 0) a = mid + 1;
      else b = mid;
    }
    for (let i = index + a; i < this.size; i++) {
      const item = this.at(i)!;
      if (compare(item, probe) !== 0) return -1;
      if (match(item)) return i;
    }
    return -1;
  }

  /** Every item in order, leaf by leaf: no array of the whole list. */
  forEach(fn: (item: T) => void): void {
    visit(this.#root, fn);
  }

  at(index: number): T | undefined {
    if (index < 0 || index >= this.size) return undefined;
    let node = this.#root;
    while (node.children) {
      for (const child of node.children) {
        if (index < child.size) {
          node = child;
          break;
        }
        index -= child.size;
      }
    }
    return node.items![index];
  }

  /** @internal The root, for a tree that continues from this snapshot. */
  get root(): Node<T> {
    return this.#root;
  }
}

function visit<T>(node: Node<T>, fn: (item: T) => void): void {
  if (node.items) for (const item of node.items) fn(item);
  else for (const child of node.children!) visit(child, fn);
}

/** Writes the items of `node` from `start` to `end` (relative to the node) into `out` at `at`. */
function collect<T>(node: Node<T>, start: number, end: number, out: T[], at: number): number {
  if (start >= end) return at;
  if (node.items) {
    for (let i = start; i < end; i++) out[at++] = node.items[i]!;
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
