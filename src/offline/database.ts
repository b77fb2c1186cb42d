/**
 * The offline layers' IndexedDB database (through idb): the outbox and the inbox cache. Where
 * IndexedDB does not exist (Node without a shim), an in-memory stand-in keeps the same contract
 * for the life of the adapter.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SendRequest } from '../adapter.js';
import type { DeskErrorCode } from '../errors.js';
import type { Contact, Conversation, Message } from '../types.js';

/** A message the user sent, kept until the server has answered for it (or refused it). */
export interface OutboxEntry {
  /** The idempotency key: one entry per message, whatever the number of attempts. */
  key: string;
  request: SendRequest;
  /** `waiting`: delivered by the next due flush; `failed`: refused or expired, retried by hand. */
  state: 'waiting' | 'failed';
  /** Why a waiting entry waits: the network, or a sign-in the user must do again. */
  reason?: 'offline' | 'unauthorized';
  /** The signed-in user who sent it: only that user's adapter delivers it. */
  userId?: string;
  createdAt: number;
  attempts: number;
  /** Not tried again before this time (a `Retry-After` or the backoff). */
  notBefore: number;
  failure?: { code: DeskErrorCode; message: string };
}

export interface CachedThread {
  conversationId: string;
  items: Message[];
  nextCursor: string | null;
}

interface Schema extends DBSchema {
  outbox: { key: string; value: OutboxEntry };
  conversations: { key: string; value: Conversation };
  contacts: { key: string; value: Contact };
  threads: { key: string; value: CachedThread };
  /** Session, users, sender IDs, templates, the last event id: small values by name. */
  meta: { key: string; value: { key: string; value: unknown } };
}

type StoreName = 'outbox' | 'conversations' | 'contacts' | 'threads' | 'meta';
type Value<S extends StoreName> = Schema[S]['value'];

const KEY_OF: { [S in StoreName]: (value: Value<S>) => string } = {
  outbox: (v) => v.key,
  conversations: (v) => v.id,
  contacts: (v) => v.id,
  threads: (v) => v.conversationId,
  meta: (v) => v.key,
};

export interface LocalDatabase {
  readonly persistent: boolean;
  get<S extends StoreName>(store: S, key: string): Promise<Value<S> | undefined>;
  all<S extends StoreName>(store: S): Promise<Array<Value<S>>>;
  /** Writes records (and deletes keys) of one store in one transaction. */
  write<S extends StoreName>(store: S, put: Array<Value<S>>, remove?: string[]): Promise<void>;
  clear(store: StoreName): Promise<void>;
  close(): void;
}

export async function openLocalDatabase(name: string): Promise<LocalDatabase> {
  if (typeof indexedDB === 'undefined') return memoryDatabase();
  const db: IDBPDatabase<Schema> = await openDB<Schema>(name, 1, {
    upgrade(database) {
      database.createObjectStore('outbox', { keyPath: 'key' });
      database.createObjectStore('conversations', { keyPath: 'id' });
      database.createObjectStore('contacts', { keyPath: 'id' });
      database.createObjectStore('threads', { keyPath: 'conversationId' });
      database.createObjectStore('meta', { keyPath: 'key' });
    },
    blocking() {
      // Another page upgrades the schema: let it.
      db.close();
    },
  });
  return {
    persistent: true,
    get: (store, key) => db.get(store, key),
    all: (store) => db.getAll(store),
    async write(store, put, remove = []) {
      if (put.length === 0 && remove.length === 0) return;
      const tx = db.transaction(store, 'readwrite');
      for (const key of remove) void tx.store.delete(key);
      for (const value of put) void tx.store.put(value as never);
      await tx.done;
    },
    clear: (store) => db.clear(store),
    close: () => db.close(),
  };
}

function memoryDatabase(): LocalDatabase {
  const stores = new Map<StoreName, Map<string, unknown>>();
  const of = (store: StoreName) => {
    let map = stores.get(store);
    if (!map) stores.set(store, (map = new Map()));
    return map;
  };
  // Copies in and out, as IndexedDB's structured clone does.
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    persistent: false,
    get: async (store, key) => copy(of(store).get(key)) as never,
    all: async (store) => [...of(store).values()].map(copy) as never,
    async write(store, put, remove = []) {
      const map = of(store);
      for (const key of remove) map.delete(key);
      for (const value of put)
        map.set((KEY_OF[store] as (v: unknown) => string)(value), copy(value));
    },
    clear: async (store) => of(store).clear(),
    close: () => stores.clear(),
  };
}
