/**
 * Write-behind to IndexedDB: records changed in one task are written in one transaction, so a
 * burst of 10k events costs one commit. Until its transaction commits, a record can still be
 * read here (`unwritten`): messages are read from IndexedDB, so a page must see the ones not
 * written yet.
 */
import type { IDBPDatabase } from 'idb';
import { putConversations, VIEWS_STORE } from './idb-view-counts.js';

/** A record by key; null means deleted. */
type Batch = Map<string, Map<string, unknown>>;

export class WriteBehind {
  readonly #db: IDBPDatabase;
  /** Keyed by store then record key, so a record changed twice in a burst is written once. */
  #dirty: Batch = new Map();
  /** The batch whose transaction is running. */
  #writing: Batch = new Map();
  #done: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  put(store: string, key: string, record: unknown): void {
    let records = this.#dirty.get(store);
    if (!records) this.#dirty.set(store, (records = new Map()));
    records.set(key, record);
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#done = this.#done.then(() => new Promise((r) => setTimeout(r, 0))).then(this.#write);
    }
  }

  /** The record not committed yet under `key` (null: deleted), or undefined when there is none. */
  unwritten(store: string, key: string): unknown {
    const dirty = this.#dirty.get(store)?.get(key);
    return dirty !== undefined ? dirty : this.#writing.get(store)?.get(key);
  }

  /** Every record of `store` not committed yet (the newest version of each). */
  *unwrittenOf(store: string): Iterable<unknown> {
    const dirty = this.#dirty.get(store);
    for (const [key, record] of this.#writing.get(store) ?? []) if (!dirty?.has(key)) yield record;
    yield* dirty?.values() ?? [];
  }

  /** Resolves once everything put so far is committed. */
  async flush(): Promise<void> {
    for (;;) {
      await this.#done;
      if (this.#dirty.size === 0) return;
      this.#done = this.#done.then(this.#write);
    }
  }

  readonly #write = async (): Promise<void> => {
    this.#scheduled = false;
    const batch = this.#dirty;
    this.#dirty = new Map();
    if (batch.size === 0) return;
    this.#writing = batch;
    try {
      const stores = [...batch.keys()];
      // Conversations move the views' counters, in the same transaction.
      if (batch.has('conversations')) stores.push(VIEWS_STORE);
      const tx = this.#db.transaction(stores, 'readwrite');
      let counted: Promise<void> = Promise.resolve();
      for (const [store, records] of batch) {
        if (store === 'conversations') {
          counted = putConversations(tx, records).catch((error: unknown) => {
            tx.abort(); // no record without its counters
            throw error;
          });
          continue;
        }
        const os = tx.objectStore(store);
        for (const [key, record] of records)
          void (record !== null ? os.put(record, key) : os.delete(key));
      }
      await Promise.all([tx.done, counted]);
    } finally {
      this.#writing = new Map();
    }
  };
}
