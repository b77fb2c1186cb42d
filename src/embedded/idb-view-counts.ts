/**
 * Issue 11: the views' counts persisted, so that `countViews` reads one small record per view
 * (O(views)) before the account has loaded, instead of counting an index's keys (O(view size):
 * ~2 s at 100k conversations in Chromium). Store `views`: per view key (`viewKey`, the memory
 * repository's counters' keys) its `{ total, unread }` (RD1). Every conversation write moves the
 * counters in its own transaction, by the difference between the record it replaces (read in that
 * transaction) and the new one: so they always agree with the stored conversations, whichever
 * tab wrote them. Which views hold a conversation is decided once, in src/engine/view-counts.ts.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { ViewCount } from '../adapter.js';
import { viewKey, ViewCounts } from '../engine/view-counts.js';
import type { ConversationFilter } from '../engine/repository.js';
import type { Conversation } from '../types.js';

export const VIEWS_STORE = 'views';

/** A transaction that can write `conversations` and `views`. */
type WriteTx = IDBPTransaction<unknown, string[], 'readwrite' | 'versionchange'>;

/** Records read per request when counting a whole database (an upgrade). */
const CHUNK = 2000;

/** Adds each counter of `delta` to the stored one. */
async function apply(tx: WriteTx, delta: ViewCounts): Promise<void> {
  const moved = [...delta.entries()].filter(([, by]) => by.total !== 0 || by.unread !== 0);
  if (moved.length === 0) return;
  const views = tx.objectStore(VIEWS_STORE);
  const stored = (await Promise.all(moved.map(([key]) => views.get(key)))) as Array<
    ViewCount | undefined
  >;
  moved.forEach(([key, by], i) => {
    const count = stored[i];
    void views.put(
      { total: (count?.total ?? 0) + by.total, unread: (count?.unread ?? 0) + by.unread },
      key,
    );
  });
}

/**
 * Writes conversation records (by key; null deletes) in `tx`, and moves the views' counters by
 * what they change. The records they replace are read in the same transaction, before it writes.
 */
export async function putConversations(
  tx: WriteTx,
  records: ReadonlyMap<string, unknown>,
): Promise<void> {
  const store = tx.objectStore('conversations');
  const reads: Array<Promise<unknown>> = [];
  for (const [key, record] of records) {
    reads.push(store.get(key)); // answered before the write below: requests run in order
    void (record !== null ? store.put(record, key) : store.delete(key));
  }
  const previous = (await Promise.all(reads)) as Array<Conversation | undefined>;
  const delta = new ViewCounts();
  let i = 0;
  for (const record of records.values()) {
    const before = previous[i++];
    if (record !== null) delta.put(record as Conversation, before);
    else if (before) delta.remove(before);
  }
  await apply(tx, delta);
}

/** Counts every stored conversation into an empty `views` store (a database upgraded to it). */
export async function countAll(tx: WriteTx): Promise<void> {
  const store = tx.objectStore('conversations');
  const counts = new ViewCounts();
  let range: IDBKeyRange | null = null;
  for (;;) {
    const [keys, records] = await Promise.all([
      store.getAllKeys(range, CHUNK),
      store.getAll(range, CHUNK) as Promise<Conversation[]>,
    ]);
    for (const c of records) counts.put(c, undefined);
    if (keys.length < CHUNK) break;
    range = IDBKeyRange.lowerBound(keys.at(-1)!, true);
  }
  await apply(tx, counts);
}

/** Each view's counts (a read per view); undefined when a list is not a view. */
export async function readViewCounts(
  db: IDBPDatabase,
  filters: ConversationFilter[],
): Promise<ViewCount[] | undefined> {
  const keys = filters.map(viewKey);
  if (keys.some((k) => k === undefined)) return undefined;
  const views = db.transaction(VIEWS_STORE, 'readonly').store;
  const stored = (await Promise.all(keys.map((k) => views.get(k!)))) as Array<
    ViewCount | undefined
  >;
  return stored.map((c) => ({ total: c?.total ?? 0, unread: c?.unread ?? 0 }));
}
