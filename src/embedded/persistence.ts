/**
 * IndexedDB persistence for the embedded backend, through idb. Writes are batched: records
 * changed in one burst are written in one transaction, so a burst of 10k events costs one commit.
 */
import { openDB, type IDBPDatabase } from 'idb';

export const STORES = [
  'users',
  'senders',
  'contacts',
  'templates',
  'recipients',
  'conversations',
  'messages',
  'meta',
] as const;
export type StoreName = (typeof STORES)[number];

/** Records keyed by their `id` (or `phone` for recipients, `key` for meta). */
export type Snapshot = { [K in StoreName]: unknown[] };

export interface Persistence {
  load(): Promise<Snapshot>;
  put(store: StoreName, record: object): void;
  flush(): Promise<void>;
  close(): void;
}

const KEY_PATH: Record<StoreName, string> = {
  users: 'id',
  senders: 'id',
  contacts: 'id',
  templates: 'id',
  recipients: 'phone',
  conversations: 'id',
  messages: 'id',
  meta: 'key',
};

export async function openIndexedDbPersistence(name: string): Promise<Persistence> {
  const db: IDBPDatabase = await openDB(name, 1, {
    upgrade(database) {
      for (const store of STORES) database.createObjectStore(store, { keyPath: KEY_PATH[store] });
    },
  });
  // Keyed by store then record key, so a record changed twice in a burst is written once.
  let dirty = new Map<StoreName, Map<unknown, object>>();
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  const write = async () => {
    scheduled = false;
    const batch = dirty;
    dirty = new Map();
    if (batch.size === 0) return;
    const tx = db.transaction([...batch.keys()], 'readwrite');
    for (const [store, records] of batch) {
      const os = tx.objectStore(store);
      for (const record of records.values()) void os.put(record);
    }
    await tx.done;
  };

  return {
    async load() {
      const snapshot = {} as Snapshot;
      const tx = db.transaction([...STORES], 'readonly');
      for (const store of STORES) snapshot[store] = await tx.objectStore(store).getAll();
      await tx.done;
      return snapshot;
    },
    put(store, record) {
      let records = dirty.get(store);
      if (!records) dirty.set(store, (records = new Map()));
      records.set((record as Record<string, unknown>)[KEY_PATH[store]], record);
      if (!scheduled) {
        scheduled = true;
        writing = writing.then(() => new Promise((r) => setTimeout(r, 0))).then(write);
      }
    },
    async flush() {
      await writing;
      if (dirty.size) {
        writing = writing.then(write);
        await writing;
      }
    },
    close() {
      db.close();
    },
  };
}

/** For tests, benchmarks and the reference server: nothing is kept. */
export const memoryPersistence = (): Persistence => ({
  load: async () => Object.fromEntries(STORES.map((s) => [s, []])) as unknown as Snapshot,
  put: () => undefined,
  flush: async () => undefined,
  close: () => undefined,
});
