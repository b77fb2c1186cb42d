/**
 * The embedded backend's IndexedDB layout. Version 2: one store per record kind, keys given with
 * each record. Version 3 (issue 11: reload without reading every message) adds indexes and two
 * small stores, and keeps every record of version 2:
 * - `messages` by thread, `(conversationId, createdAt, id)`: a thread's page is read from it;
 * - `conversations` by activity, `(lastActivityAt, id)`, and by user, `(userId, lastActivityAt, id)`
 *   for each user who owns or wrote in one (`listKeys`, a stored field): the first screen's lists
 *   before the account loads;
 * - `ends`: each thread's newest message (time and id), for routing without reading the thread;
 * - `pending`: the messages whose status may still move (SN6 queue, SN7 in flight), by id.
 * Version 4 added `counts`, an index of a key per view holding the conversation; counting it
 * walked every key (~2 s for a view at 100k conversations). Version 5 drops it and adds `views`:
 * each view's counts, kept by every conversation write (./idb-view-counts.ts).
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { isInFlight, isQueued } from '../engine/memory-conversations.js';
import type { Channel, Conversation, Message } from '../types.js';
import { countAll, VIEWS_STORE } from './idb-view-counts.js';

export const DB_VERSION = 5;

export const RECORD_STORES = [
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
] as const;

/** A thread's newest message: what routing reads of a thread (its time) and `lastMessage` (its id). */
export interface ThreadEnd {
  at: number;
  id: string;
}

export const THREAD_INDEX = 'thread';
export const ACTIVITY_INDEX = 'activity';
export const USERS_INDEX = 'users';
/** Version 4's index of view keys, dropped by version 5. */
const COUNTS_INDEX = 'counts';

/**
 * A conversation as stored: with a key per user whose list holds it (V1, V4, V5). Version 4 also
 * stored `countKeys` (its records keep them until they are written again).
 */
export type StoredConversation = Conversation & {
  listKeys: Array<[string, number, string]>;
  countKeys?: unknown;
};

export function toStored(c: Conversation): StoredConversation {
  const listKeys: StoredConversation['listKeys'] = [[c.ownerId, c.lastActivityAt, c.id]];
  for (const u of c.outgoingBy) if (u !== c.ownerId) listKeys.push([u, c.lastActivityAt, c.id]);
  return { ...c, listKeys };
}

export function fromStored(stored: StoredConversation): Conversation {
  const { listKeys: _keys, countKeys: _counts, ...conversation } = stored;
  return conversation;
}

/**
 * Whether a message stays in the `pending` store (its status may still move), on `channel`
 * (undefined: not known, so a delivered message is kept until it is).
 */
export const isPending = (m: Message, channel: Channel | undefined): boolean =>
  isQueued(m) || isInFlight(m, channel);

/** Whether `m` is newer in its thread than `end` (threads are ordered by time, then id). */
export const isAfter = (m: Message, end: ThreadEnd | undefined): boolean =>
  !end || m.createdAt > end.at || (m.createdAt === end.at && m.id >= end.id);

type UpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;

export function openDeskDatabase(name: string): Promise<IDBPDatabase> {
  return openDB(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 2) {
        for (const store of [...db.objectStoreNames]) db.deleteObjectStore(store);
        for (const store of RECORD_STORES) db.createObjectStore(store);
      }
      if (oldVersion < 3) {
        const messages = tx.objectStore('messages');
        messages.createIndex(THREAD_INDEX, ['conversationId', 'createdAt', 'id']);
        const conversations = tx.objectStore('conversations');
        conversations.createIndex(ACTIVITY_INDEX, ['lastActivityAt', 'id']);
        conversations.createIndex(USERS_INDEX, 'listKeys', { multiEntry: true });
        db.createObjectStore('ends');
        db.createObjectStore('pending');
        // Version 2 kept records only: what version 3 derives from them is computed once, here.
        if (oldVersion === 2) void derive(tx as unknown as UpgradeTx);
      }
      if (oldVersion < 5) {
        const conversations = tx.objectStore('conversations');
        if (conversations.indexNames.contains(COUNTS_INDEX))
          conversations.deleteIndex(COUNTS_INDEX);
        db.createObjectStore(VIEWS_STORE);
        // An existing account's counters are counted once, here.
        if (oldVersion >= 2) void countAll(tx as unknown as UpgradeTx);
      }
    },
  });
}

/**
 * One pass over a version-2 database: the conversations' list keys, each thread's end, and the
 * pending messages.
 */
async function derive(tx: UpgradeTx): Promise<void> {
  const channels = new Map<string, Channel>();
  let row = await tx.objectStore('conversations').openCursor();
  while (row) {
    const c = row.value as Conversation;
    channels.set(c.id, c.channel);
    void row.update(toStored(c));
    row = await row.continue();
  }
  const ends = new Map<string, ThreadEnd>();
  const pending = tx.objectStore('pending');
  let cursor = await tx.objectStore('messages').openCursor();
  while (cursor) {
    const m = cursor.value as Message;
    const end = ends.get(m.conversationId);
    if (isAfter(m, end)) ends.set(m.conversationId, { at: m.createdAt, id: m.id });
    if (isPending(m, channels.get(m.conversationId))) void pending.put(m, m.id);
    cursor = await cursor.continue();
  }
  const store = tx.objectStore('ends');
  for (const [conversationId, end] of ends) void store.put(end, conversationId);
}
