/**
 * Issue 11: the memory repository's view counts, kept as conversations change: per list of
 * `ConversationFilter` (V1, V3 `inbox`; V2 `sender`, with or without its owner; V4 `sent`) its
 * size and unread rows (RD1). A change moves a handful of counters; a count is a lookup.
 */
import type { ViewCount } from '../adapter.js';
import { sameViews } from '../rules/same-views.js';
import type { Conversation } from '../types.js';
import type { ConversationFilter } from './repository.js';

/**
 * The counter's key of a filter (`all` and `involving` are not views: none). The embedded
 * backend persists its counters under these keys (src/embedded/idb-view-counts.ts).
 */
export function viewKey(filter: ConversationFilter): string | undefined {
  switch (filter.kind) {
    case 'inbox':
      return `i\n${filter.userId}`;
    case 'sender':
      return filter.userId === undefined
        ? `s\n${filter.senderId}`
        : `s\n${filter.senderId}\n${filter.userId}`;
    case 'sent':
      return `o\n${filter.userId}`;
    default:
      return undefined;
  }
}

/** The keys of every list that holds `c` (as `keeps` decides). */
export function viewKeys(c: Conversation): string[] {
  const keys: string[] = [];
  if (c.hasIncoming) {
    keys.push(`i\n${c.ownerId}`, `s\n${c.senderId}`, `s\n${c.senderId}\n${c.ownerId}`);
  }
  for (const u of c.outgoingBy) keys.push(`o\n${u}`);
  return keys;
}

export class ViewCounts {
  readonly #counts = new Map<string, ViewCount>();

  load(conversations: Iterable<Conversation>): void {
    this.#counts.clear();
    for (const c of conversations) this.#add(c, 1);
  }

  /** `next` is stored in place of `previous`. */
  put(next: Conversation, previous: Conversation | undefined): void {
    if (previous && sameViews(previous, next)) return;
    if (previous) this.#add(previous, -1);
    this.#add(next, 1);
  }

  /** `previous` is removed. */
  remove(previous: Conversation): void {
    this.#add(previous, -1);
  }

  /** Every counter by key (for a delta: what a batch of changes moved). */
  entries(): Iterable<[string, ViewCount]> {
    return this.#counts.entries();
  }

  count(filter: ConversationFilter): ViewCount {
    const key = viewKey(filter);
    const found = key === undefined ? undefined : this.#counts.get(key);
    return { total: found?.total ?? 0, unread: found?.unread ?? 0 };
  }

  #add(c: Conversation, by: 1 | -1): void {
    const unread = c.unread ? by : 0;
    for (const key of viewKeys(c)) {
      let count = this.#counts.get(key);
      if (!count) this.#counts.set(key, (count = { total: 0, unread: 0 }));
      count.total += by;
      count.unread += unread;
    }
  }
}
