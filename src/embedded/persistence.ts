/**
 * The embedded backend's IndexedDB repository (layout: ./idb-schema.ts). Opening reads only the
 * session's small records and the pending messages; the first screen's lists come from indexes
 * (./first-screen.ts) while the account (conversations, contacts, policies, threads' ends) loads
 * in the background into the engine's memory repository. A command that needs the loaded account
 * waits for it, and commands keep their call order throughout. Messages stay in IndexedDB
 * (./idb-messages.ts). Records changed in one task are written in one transaction
 * (./write-behind.ts); `flush()` (and so the backend's `close()`) resolves once every command
 * called before it has run and been written; after `close()` commands are refused (`server`),
 * never accepted and then lost.
 */
import type { IDBPDatabase } from 'idb';
import { DeskError } from '../errors.js';
import { createMemoryRepository, type RepositorySnapshot } from '../engine/memory-repository.js';
import type { DeskRepository, DeskStore } from '../engine/repository.js';
import type { Channel, Conversation, Message } from '../types.js';
import { firstScreenStore, ReadGate, type OpeningRecords } from './first-screen.js';
import { IdbMessages } from './idb-messages.js';
import {
  fromStored,
  openDeskDatabase,
  toStored,
  type StoredConversation,
  type ThreadEnd,
} from './idb-schema.js';
import { WriteBehind } from './write-behind.js';

export interface PersistentRepository {
  repository: DeskRepository;
  /** Whether the database held an account already. */
  seeded: boolean;
  /** Resolves once the whole account is in memory (the first screen does not wait for it). */
  loaded: Promise<void>;
  /** Waits until everything changed so far is written. */
  flush(): Promise<void>;
  close(): void;
}

/** Records read per request in the background load: each chunk is a short task. */
const LOAD_CHUNK = 2000;

export async function openIndexedDbRepository(name: string): Promise<PersistentRepository> {
  const db = await openDeskDatabase(name);
  const writer = new WriteBehind(db);
  const tx = db.transaction(['settings', 'users', 'senders', 'templates', 'pending'], 'readonly');
  const [settings, users, senders, templates, pending] = await Promise.all([
    tx.objectStore('settings').getAll(),
    tx.objectStore('users').getAll(),
    tx.objectStore('senders').getAll(),
    tx.objectStore('templates').getAll(),
    tx.objectStore('pending').getAll(),
  ]);
  const opening: OpeningRecords = { settings: settings[0], users, senders, templates };
  const messages = new IdbMessages(db, writer, pending as Message[]);

  let closed = false;
  const refused = () => new DeskError('server', 'The desk is closed.');
  let memory: DeskRepository | undefined;
  let loadedStore: DeskStore | undefined;
  const gate = new ReadGate();
  const loaded = loadAccount(db, messages, gate, () => closed).then(async (records) => {
    const repository = createMemoryRepository({
      initial: { ...opening, ...records },
      messages,
      onWrite: (kind, key, record) =>
        writer.put(
          kind,
          key,
          kind === 'conversations' && record ? toStored(record as Conversation) : record,
        ),
    });
    await repository.transaction(async (store) => void (loadedStore = store));
    memory = repository;
    messages.prune(channelsOf(records.conversations));
  });
  loaded.catch(() => undefined); // reported to the commands that wait for it
  const full = async () => {
    gate.urgent = true;
    await loaded.catch((error: unknown) => {
      throw closed ? refused() : error;
    });
    return loadedStore!;
  };
  const early = firstScreenStore(
    db,
    opening,
    () => loadedStore,
    full,
    {
      getMessage: (id) => messages.get(id),
      listMessages: (query) => messages.page(query),
      listQueuedMessages: async (limit) => messages.queued(limit),
      // Before the load, channels are unknown: the engine checks each one with its conversation.
      listInFlightMessages: async (limit) => messages.inFlight(limit, () => undefined),
    },
    gate,
  );

  // Until the account is loaded, and until the commands called meanwhile have run: one queue.
  let waiting = 0;
  let tail: Promise<unknown> = Promise.resolve();
  const done = () => {
    waiting--;
  };
  const repository: DeskRepository = {
    transaction(work) {
      if (closed) return Promise.reject(refused());
      if (memory && waiting === 0) return memory.transaction(work);
      waiting++;
      const run = tail.then(() => (memory ? memory.transaction(work) : work(early)));
      tail = run.then(done, done);
      return run;
    },
    now: () => (closed || !memory || waiting > 0 ? undefined : memory.now?.()),
  };
  return {
    repository,
    seeded: users.length > 0,
    loaded,
    async flush() {
      await repository.transaction(async () => undefined); // after every command called before
      await writer.flush();
    },
    close() {
      closed = true;
      db.close();
    },
  };
}

type LoadedRecords = Omit<RepositorySnapshot, 'settings' | 'users' | 'senders' | 'templates'>;

/**
 * The account, store by store, in chunks (keys and records, for stores keyed apart), each chunk
 * after the first screen's reads in flight.
 */
async function loadAccount(
  db: IDBPDatabase,
  messages: IdbMessages,
  gate: ReadGate,
  closed: () => boolean,
): Promise<LoadedRecords> {
  // `keyOf`: a record's key, when the record holds it (else its keys are read too).
  const all = async <T>(store: string, keyOf?: (record: T) => string) => {
    const records: T[] = [];
    const keys: string[] = [];
    let range: IDBKeyRange | null = null;
    for (;;) {
      await gate.turn(); // after the first screen's reads
      if (closed()) throw new DeskError('server', 'The desk is closed.');
      const os = db.transaction(store, 'readonly').store;
      const [chunkKeys, chunk] = await Promise.all([
        keyOf ? undefined : os.getAllKeys(range, LOAD_CHUNK),
        os.getAll(range, LOAD_CHUNK) as Promise<T[]>,
      ]);
      for (const record of chunk) records.push(record);
      if (chunkKeys) for (const key of chunkKeys) keys.push(key as string);
      if (chunk.length < LOAD_CHUNK) return { records, keys };
      range = IDBKeyRange.lowerBound(keyOf ? keyOf(chunk.at(-1)!) : keys.at(-1)!, true);
    }
  };
  await new Promise((resolve) => setTimeout(resolve, 0)); // the first screen asks first
  const ends = await all<ThreadEnd>('ends');
  messages.loadEnds(ends.keys, ends.records);
  const byId = (r: { id: string }) => r.id;
  type Records<K extends keyof LoadedRecords> = LoadedRecords[K][number];
  return {
    conversations: (await all<StoredConversation>('conversations', byId)).records.map(fromStored),
    contacts: (await all<Records<'contacts'>>('contacts', byId)).records,
    recipients: (await all<Records<'recipients'>>('recipients', (r) => r.phone)).records,
    campaigns: (await all<Records<'campaigns'>>('campaigns', (r) => r.message.id)).records,
    idempotency: (await all<Records<'idempotency'>>('idempotency')).records,
    messages: [],
  };
}

/** Each conversation's channel, by id, read when first asked (SN7: pruning the pending store). */
function channelsOf(conversations: readonly Conversation[]): (id: string) => Channel | undefined {
  let byId: Map<string, Channel> | undefined;
  return (id) => (byId ??= new Map(conversations.map((c) => [c.id, c.channel]))).get(id);
}
