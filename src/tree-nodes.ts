/** The nodes of `SortedTree` (src/sorted-tree.ts): their sizes, and how one is made from its entries. */
import type { Node } from './tree-snapshot.js';

/** Entries per node at most; a full node splits in two, an emptied one leaves its parent. */
export const MAX = 64;
/** A node this small merges with its neighbour when both fit in one. */
export const MIN = 16;
/** How full `#build` makes nodes: room for inserts before the first splits. */
export const FILL = (MAX * 3) / 4;
/**
 * Branches are narrower (issue 11): a reader's snapshot per change makes the next change copy
 * every branch on its paths (the root and the first branch each time, another one for a removal),
 * and at 100k rows a root of 64-wide branches was ~40 wide: most of the bytes copied per event.
 */
export const BRANCH_MAX = 32;
export const BRANCH_MIN = 8;
export const BRANCH_FILL = (BRANCH_MAX * 3) / 4;

export function leaf<T>(
  items: T[],
  keys: number[],
  gen: number,
  counted: (item: T) => boolean,
): Node<T> {
  let n = 0;
  for (const item of items) if (counted(item)) n++;
  return { items, children: null, keys, size: items.length, counted: n, last: items.at(-1), gen };
}

export function branch<T>(children: Node<T>[], gen: number): Node<T> {
  let size = 0;
  let counted = 0;
  const keys: number[] = [];
  for (const c of children) {
    size += c.size;
    counted += c.counted;
    keys.push(lastKey(c));
  }
  return { items: null, children, keys, size, counted, last: children.at(-1)?.last, gen };
}

/** The key of a node's last item (a node is never empty for long: see `#merge`). */
export function lastKey<T>(node: Node<T>): number {
  return node.keys[node.keys.length - 1] ?? 0;
}

export function entries<T>(node: Node<T>): number {
  return (node.items ?? node.children!).length;
}

/** Entries a node may hold before it splits. */
export function most<T>(node: Node<T>): number {
  return node.items ? MAX : BRANCH_MAX;
}
