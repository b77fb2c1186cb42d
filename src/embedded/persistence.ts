/**
 * The embedded backend's IndexedDB repository: the engine's memory repository, loaded from
 * IndexedDB at open and written behind through idb. Reads answer from memory (routing runs
 * without awaiting); records changed in one task are written in one IndexedDB transaction, so a
 * burst of 10k events costs one commit. `flush()` (and so the backend's `close()`) resolves once
 * every command called before it has run and been written; after `close()` commands are refused
 * (`server`), never accepted and then lost.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { DeskError } from '../errors.js';
import {
  createMemoryRepository,
  type RecordKind,
  type RepositorySnapshot,
} from '../engine/memory-repository.js';
import type { DeskRepository } from '../engine/repository.js';

const STORES: readonly RecordKind[] = [
  'settings',
  'users',
  'senders',
  'contacts',
  'templates',
  'recipients',
  'conversations',
  'messages',
  'campaigns',
  'idempotency',
];

export interface PersistentRepository {
  repository: DeskRepository;
  /** Whether the database held an account already. */
  seeded: boolean;
  /** Waits until everything changed so far is written. */
  flush(): Promise<void>;
  close(): void;
}

export async function openIndexedDbRepository(name: string): Promise<PersistentRepository> {
  // Version 2: one store per record kind, keys given with each record.
  const db: IDBPDatabase = await openDB(name, 2, {
    upgrade(database) {
      for (const store of [...database.objectStoreNames]) database.deleteObjectStore(store);
      for (const store of STORES) database.createObjectStore(store);
    },
  });
  const snapshot = await load(db);
  // Keyed by store then record key, so a record changed twice in a burst is written once.
  let dirty = new Map<RecordKind, Map<string, object | null>>();
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
      for (const [key, record] of records) void (record ? os.put(record, key) : os.delete(key));
    }
    await tx.done;
  };

  const memory = createMemoryRepository({
    initial: snapshot,
    onWrite(kind, key, record) {
      let records = dirty.get(kind);
      if (!records) dirty.set(kind, (records = new Map()));
      records.set(key, record);
      if (!scheduled) {
        scheduled = true;
        writing = writing.then(() => new Promise((r) => setTimeout(r, 0))).then(write);
      }
    },
  });
  let closed = false;
  const refused = () => new DeskError('server', 'The desk is closed.');
  const repository: DeskRepository = {
    transaction: (work) => (closed ? Promise.reject(refused()) : memory.transaction(work)),
    now: () => (closed ? undefined : memory.now?.()),
  };
  return {
    repository,
    seeded: snapshot.users.length > 0,
    async flush() {
      // Until no command waits and nothing is left to write (a command may start another).
      for (;;) {
        await memory.transaction(async () => undefined); // after every command called before
        await writing;
        if (dirty.size === 0) return;
        writing = writing.then(write);
      }
    },
    close() {
      closed = true;
      db.close();
    },
  };
}

async function load(db: IDBPDatabase): Promise<RepositorySnapshot> {
  const tx = db.transaction([...STORES], 'readonly');
  const all = async <T>(store: RecordKind) => (await tx.objectStore(store).getAll()) as T[];
  const snapshot: RepositorySnapshot = {
    settings: (await all<RepositorySnapshot['settings']>('settings'))[0],
    users: await all('users'),
    senders: await all('senders'),
    contacts: await all('contacts'),
    templates: await all('templates'),
    recipients: await all('recipients'),
    conversations: await all('conversations'),
    messages: await all('messages'),
    campaigns: await all('campaigns'),
    idempotency: await all('idempotency'),
  };
  await tx.done;
  return snapshot;
}
