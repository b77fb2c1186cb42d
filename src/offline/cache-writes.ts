/**
 * The cache's writes to IndexedDB: the changes of one burst of events gathered and written in one
 * transaction per store, and whole lists replaced after a reconcile.
 */
import type { Contact, Conversation, Page } from '../types.js';
import type { CachedThread, LocalDatabase } from './database.js';
import type { WorkTracker } from './layer.js';

/** Cache writes made in one burst of events, written in one go. */
export interface Batch {
  conversations: Map<string, Conversation>;
  removed: Set<string>;
  contacts: Map<string, Contact>;
  threads: Map<string, CachedThread>;
  meta: Map<string, unknown>;
}

export class CacheWrites {
  readonly #db: Promise<LocalDatabase>;
  readonly #work: WorkTracker;
  #batch: Batch | null = null;
  /** Set when the cache closes: later writes are dropped. */
  closed = false;

  constructor(db: Promise<LocalDatabase>, work: WorkTracker) {
    this.#db = db;
    this.#work = work;
  }

  /** Batches the writes of one burst of events into one transaction per store. */
  write(edit: (batch: Batch) => void): void {
    if (this.closed) return;
    if (!this.#batch) {
      const batch: Batch = (this.#batch = {
        conversations: new Map(),
        removed: new Set(),
        contacts: new Map(),
        threads: new Map(),
        meta: new Map(),
      });
      this.#work.background(
        Promise.resolve().then(async () => {
          this.#batch = null;
          const db = await this.#db;
          await db.write('conversations', [...batch.conversations.values()], [...batch.removed]);
          await db.write('contacts', [...batch.contacts.values()]);
          await db.write('threads', [...batch.threads.values()]);
          await db.write(
            'meta',
            [...batch.meta].map(([key, value]) => ({ key, value })),
          );
        }),
      );
    }
    edit(this.#batch!);
  }

  /** A whole list, as the backend gave it: what it no longer has is removed. */
  async replace(
    store: 'conversations' | 'contacts',
    items: Conversation[] | Contact[],
  ): Promise<void> {
    const db = await this.#db;
    const keep = new Set(items.map((i) => i.id));
    const removed = (await db.all(store)).map((i) => i.id).filter((id) => !keep.has(id));
    await this.#work.track(db.write(store as 'conversations', items as Conversation[], removed));
    await this.#work.track(db.write('meta', [{ key: `${store}.complete`, value: true }]));
  }

  async clear(): Promise<void> {
    const db = await this.#db;
    for (const store of ['conversations', 'contacts', 'threads', 'meta'] as const)
      await db.clear(store);
  }
}

/** Every page of a collection. */
export async function all<T>(load: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await load(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
