/**
 * The loads of the paged inbox (see paging.ts), out of the client's first load: the first screen
 * needs none of them.
 */
import { isSearchable, parseSearch, viewId, type ViewKey } from '../rules/views.js';
import { hasMore, pagingOf } from './paging.js';
import type { Core } from './state.js';
import { patchConversations } from './views.js';

const PAGE = 100;

/** Loads the next page of `key`; resolves whether more remain. Concurrent calls share one load. */
export function loadMore(core: Core, key: ViewKey): Promise<boolean> {
  const paging = pagingOf(core);
  const id = viewId(key);
  if (!paging || !hasMore(core, key)) return Promise.resolve(false);
  const running = paging.running.get(id);
  if (running) return running;
  const load = (async () => {
    const cursor = paging.cursors.get(id) ?? paging.start;
    const page = await core.adapter.listConversations({ view: key, cursor, limit: PAGE });
    if (pagingOf(core) !== paging) return false; // connected again meanwhile
    paging.cursors.set(id, page.nextCursor);
    patchConversations(core, page.items);
    // A last page may bring nothing new: the state changes anyway, so `hasMore` is read again.
    core.store.setState((s) => ({ ...s }));
    return page.nextCursor !== null;
  })().finally(() => paging.running.delete(id));
  paging.running.set(id, load);
  return load;
}

/**
 * V6 beyond the loaded rows: while `key` is not complete, asks the backend once per query for
 * its first page of matches; they join the conversations, and the next search shows them.
 */
export function searchBackend(core: Core, key: ViewKey, query: string): Promise<void> {
  const paging = pagingOf(core);
  const asked = `${viewId(key)}\n${query.trim()}`;
  if (!paging || !isSearchable(key) || !parseSearch(query) || !hasMore(core, key))
    return Promise.resolve();
  if (paging.asked.has(asked)) return Promise.resolve();
  paging.asked.add(asked);
  return core.adapter
    .listConversations({ view: key, search: query, limit: PAGE })
    .then((page) => {
      if (pagingOf(core) === paging) patchConversations(core, page.items);
    })
    .catch((cause: unknown) => {
      paging.asked.delete(asked); // asked again on the next search
      throw cause;
    });
}
