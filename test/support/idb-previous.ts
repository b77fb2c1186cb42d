/**
 * Databases in the layouts of earlier versions of the embedded backend (copied from its schema
 * at version 4, commit f73669b), to test the upgrades: version 3 (indexes, `ends`, `pending`) and
 * version 4 (plus the `counts` index over each conversation's `countKeys`).
 */
import { openDB } from 'idb';
import { RECORD_STORES } from '../../src/embedded/idb-schema.js';
import type { Conversation } from '../../src/types.js';

/** A conversation as versions 3 (`listKeys`) and 4 (also `countKeys`) stored it. */
function previousStored(c: Conversation, version: 3 | 4) {
  const listKeys: Array<[string, number, string]> = [[c.ownerId, c.lastActivityAt, c.id]];
  for (const u of c.outgoingBy) if (u !== c.ownerId) listKeys.push([u, c.lastActivityAt, c.id]);
  if (version === 3) return { ...c, listKeys };
  const read = c.unread ? 1 : 0;
  const countKeys: Array<Array<string | number>> = [];
  if (c.hasIncoming) {
    countKeys.push(['i', c.ownerId, read], ['s', c.senderId, read]);
    countKeys.push(['so', c.senderId, c.ownerId, read]);
  }
  for (const u of c.outgoingBy) countKeys.push(['o', u, read]);
  return { ...c, listKeys, countKeys };
}

/** Every record of a database, by store: keys and values (conversations without stored keys). */
export type Dump = Map<string, [IDBValidKey[], unknown[]]>;

export async function dump(name: string): Promise<Dump> {
  const db = await openDB(name);
  const stores = new Map<string, [IDBValidKey[], unknown[]]>();
  for (const store of [...RECORD_STORES, 'ends', 'pending'])
    stores.set(store, [await db.getAllKeys(store), await db.getAll(store)]);
  db.close();
  for (const c of stores.get('conversations')![1] as Array<Record<string, unknown>>) {
    delete c.listKeys;
    delete c.countKeys;
  }
  return stores;
}

/** Writes `records` into a new database `name` in the layout of `version`. */
export async function createPrevious(name: string, version: 3 | 4, records: Dump): Promise<void> {
  const db = await openDB(name, version, {
    upgrade(db, _old, _new, tx) {
      for (const store of RECORD_STORES) db.createObjectStore(store);
      tx.objectStore('messages').createIndex('thread', ['conversationId', 'createdAt', 'id']);
      const conversations = tx.objectStore('conversations');
      conversations.createIndex('activity', ['lastActivityAt', 'id']);
      conversations.createIndex('users', 'listKeys', { multiEntry: true });
      if (version === 4) conversations.createIndex('counts', 'countKeys', { multiEntry: true });
      db.createObjectStore('ends');
      db.createObjectStore('pending');
    },
  });
  const tx = db.transaction([...records.keys()], 'readwrite');
  for (const [store, [keys, values]] of records)
    values.forEach((value, i) => {
      const record =
        store === 'conversations' ? previousStored(value as Conversation, version) : value;
      void tx.objectStore(store).put(record, keys[i]);
    });
  await tx.done;
  db.close();
}
