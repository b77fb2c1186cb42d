/**
 * Issue 11, RD1, V1–V4: the embedded backend's persisted view counts (store `views`). They are
 * counted once when an older database is upgraded, then moved by every conversation write, in
 * its transaction, also when two tabs write the same database.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { DB_VERSION, openDeskDatabase } from '../../src/embedded/idb-schema.js';
import { readViewCounts, VIEWS_STORE } from '../../src/embedded/idb-view-counts.js';
import type { ConversationFilter } from '../../src/engine/repository.js';
import { ViewCounts } from '../../src/engine/view-counts.js';
import { createManualClock } from '../../src/index.js';
import type { Conversation } from '../../src/types.js';
import { createDesk, T0, type Desk } from '../support/desk.js';
import { createPrevious, dump } from '../support/idb-previous.js';

const SENDERS = ['alice-sms', 'team-sms', 'team-wa', 'bob-wa'];
const USERS = ['admin', 'alice', 'bob', 'carol'];
const VIEWS: ConversationFilter[] = [
  ...USERS.map((userId) => ({ kind: 'inbox', userId }) as const),
  ...SENDERS.map((senderId) => ({ kind: 'sender', senderId }) as const),
  ...USERS.map((userId) => ({ kind: 'sender', senderId: 'team-sms', userId }) as const),
  ...USERS.map((userId) => ({ kind: 'sent', userId }) as const),
];
const fresh = (what: string) => `view-counts-${what}-${Math.random()}`;
const number = (i: number) => `+1415555${String(1000 + i).padStart(4, '0')}`;

/** Incoming on every sender, assignments, reads, and a reply (V4): every kind of view moves. */
async function fill(desk: Desk, from = 0): Promise<void> {
  const admin = desk.backend.connect('admin');
  for (let i = from; i < from + 24; i++) {
    desk.clock.advance(1000);
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: SENDERS[i % SENDERS.length]!,
      from: number(i % 17),
      text: `m${i}`,
    });
    if (i % 5 === 0 && conversation.senderId.startsWith('team'))
      await admin.assign([conversation.id], USERS[i % USERS.length]!);
    if (i % 3 === 0) await admin.markRead([conversation.id], true, 'admin');
  }
  const team = (await admin.listConversations()).items.find((c) => c.senderId === 'team-sms')!;
  await admin.assign([team.id], 'bob');
  await desk.backend.connect('bob').send({
    idempotencyKey: `reply-${from}`,
    target: { conversationId: team.id },
    content: { text: 'Bob here' },
  });
  await admin.assign([team.id], 'carol');
  await desk.backend.flush();
}

/** The counts the loaded account gives. */
const loadedCounts = (backend: EmbeddedBackend) =>
  backend.engine.repository.transaction((s) => s.countConversations(VIEWS));

/** The `views` store's counters, and the same counted again from the stored conversations. */
async function storedAndRecounted(name: string) {
  const db = await openDB(name);
  const counters = new Map<string, unknown>();
  const keys = await db.getAllKeys(VIEWS_STORE);
  const values = (await db.getAll(VIEWS_STORE)) as Array<{ total: number; unread: number }>;
  values.forEach((v, i) => v.total + v.unread > 0 && counters.set(keys[i] as string, v));
  const recount = new ViewCounts();
  recount.load((await db.getAll('conversations')) as Conversation[]);
  db.close();
  return { stored: counters, recounted: new Map(recount.entries()) };
}

describe('persisted view counts (issue 11)', () => {
  for (const version of [3, 4] as const) {
    it(`RD1, V1–V4: a version-${version} database gets every view's counts on upgrade`, async () => {
      const source = fresh('source');
      const desk = await createDesk({ databaseName: source });
      await fill(desk);
      const expected = await loadedCounts(desk.backend);
      await desk.backend.close();
      expect(expected.some((c) => c.total > c.unread && c.unread > 0)).toBe(true);
      expect(expected.filter((_, i) => VIEWS[i]!.kind === 'sent').map((c) => c.total)).toEqual([
        0, 0, 1, 0,
      ]);

      const old = fresh(`v${version}`);
      await createPrevious(old, version, await dump(source));
      const db = await openDeskDatabase(old);
      expect(db.version).toBe(DB_VERSION);
      expect([...db.transaction('conversations').store.indexNames]).not.toContain('counts');
      expect(await readViewCounts(db, VIEWS)).toEqual(expected);
      db.close();

      // The upgraded database keeps counting: the loaded account and the store agree after writes.
      const again = await createDesk({ databaseName: old });
      expect(await loadedCounts(again.backend)).toEqual(expected);
      await fill(again, 100);
      const db2 = await openDeskDatabase(old);
      expect(await readViewCounts(db2, VIEWS)).toEqual(await loadedCounts(again.backend));
      db2.close();
      await again.backend.close();
      const { stored, recounted } = await storedAndRecounted(old);
      expect(stored).toEqual(recounted);
    });
  }

  it('RD1: before the account loads, countViews answers the persisted counts', async () => {
    const name = fresh('early');
    const desk = await createDesk({ databaseName: name });
    await fill(desk);
    const expected = await loadedCounts(desk.backend);
    await desk.backend.close();
    const backend = await EmbeddedBackend.open({
      clock: createManualClock(T0),
      databaseName: name,
    });
    let loaded = false;
    void backend.loaded.then(
      () => (loaded = true),
      () => undefined, // closed before it loaded
    );
    const early = await loadedCounts(backend);
    expect(loaded).toBe(false);
    expect(early).toEqual(expected);
    await backend.close();
  });

  it('RD1, V1–V4: two tabs writing one database keep its counts those of its conversations', async () => {
    const name = fresh('tabs');
    const first = await createDesk({ databaseName: name });
    await fill(first);
    const second = await createDesk({ databaseName: name });
    // Both tabs hold the same conversation; each writes its own change to it.
    const admin1 = first.backend.connect('admin');
    const admin2 = second.backend.connect('admin');
    const shared = (await admin2.listConversations()).items.find((c) => c.unread)!;
    await admin1.markRead([shared.id], true, 'admin');
    await first.backend.flush();
    await admin2.assign([shared.id], shared.ownerId === 'carol' ? 'bob' : 'carol');
    await second.backend.flush();
    await Promise.all([fill(first, 200), fill(second, 300)]);
    await Promise.all([first.backend.close(), second.backend.close()]);
    const { stored, recounted } = await storedAndRecounted(name);
    expect(stored.size).toBeGreaterThan(4);
    expect(stored).toEqual(recounted);
  });
});
