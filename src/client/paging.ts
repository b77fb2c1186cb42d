/**
 * Issue 11: the paged inbox. `connect()` loads the first page of what the user may see; a view's
 * next rows load when asked (the inbox asks as the user scrolls), one page of that view through
 * the backend's index for it; a search the loaded rows cannot answer whole asks the backend too.
 * Cursors are positions in V5's order (docs/protocol.md), so a view's first page starts where the
 * connect page ended: every row newer than that is loaded already, in every view.
 */
import { viewId, type ViewKey } from '../rules/views.js';
import type { Core } from './state.js';

export interface Paging {
  /** The connect page's next cursor: where every view's own pages start. */
  start: string | null;
  /** Per view: its next cursor once it has paged (null: complete). */
  readonly cursors: Map<string, string | null>;
  readonly running: Map<string, Promise<boolean>>;
  /** Searches asked of the backend since connect (view and text). */
  readonly asked: Set<string>;
}

const pagings = new WeakMap<Core, Paging>();

/** This connect's paging (none before connect). */
export const pagingOf = (core: Core): Paging | undefined => pagings.get(core);

/** Called by `connect()` with its first page's cursor. */
export function startPaging(core: Core, start: string | null): void {
  pagings.set(core, {
    start,
    cursors: new Map(),
    running: new Map(),
    asked: new Set(),
  });
}

/** Whether `key` may hold rows beyond the loaded ones. */
export function hasMore(core: Core, key: ViewKey): boolean {
  const paging = pagings.get(core);
  if (!paging) return false;
  const cursor = paging.cursors.get(viewId(key));
  return (cursor === undefined ? paging.start : cursor) !== null;
}
