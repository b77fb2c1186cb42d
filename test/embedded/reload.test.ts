/**
 * Issue 11: the embedded backend reopens without reading every message. Threads are paged from
 * IndexedDB, the version-2 layout is upgraded in place, in-flight messages resume, and commands
 * issued while the account loads wait for it.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/index.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { DB_VERSION, RECORD_STORES } from '../../src/embedded/idb-schema.js';
import type { Message } from '../../src/types.js';
import { createDesk, PHONE, settle, T0 } from '../support/desk.js';

const fresh = () => `reload-${Math.random()}`;

/** Every message of a thread, paging from its newest page back (as `<cd-conversation>` does). */
async function wholeThread(backend: EmbeddedBackend, conversationId: string, limit = 50) {
  const admin = backend.connect('admin');
  const pages: Message[][] = [];
  let cursor: string | null = null;
  do {
    const page = await admin.listMessages(conversationId, { cursor, limit });
    pages.unshift(page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return pages.flat();
}

/** A copy of a database in the version-2 layout: the same stores and records, no indexes. */
async function copyAsVersion2(from: string, to: string): Promise<void> {
  const source = await openDB(from);
  const dump = new Map<(typeof RECORD_STORES)[number], [IDBValidKey[], unknown[]]>();
  for (const store of RECORD_STORES)
    dump.set(store, [await source.getAllKeys(store), await source.getAll(store)]);
  source.close();
  const old = await openDB(to, 2, {
    upgrade(db) {
      for (const store of RECORD_STORES) db.createObjectStore(store);
    },
  });
  const tx = old.transaction([...RECORD_STORES], 'readwrite');
  for (const [store, [keys, records]] of dump)
    records.forEach((record, i) => void tx.objectStore(store).put(record, keys[i]));
  await tx.done;
  old.close();
}

describe('embedded backend reload (issue 11)', () => {
  it('a reopened backend pages a thread from IndexedDB, with the messages not written yet on top', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    let conversationId = '';
    for (let i = 0; i < 120; i++) {
      first.clock.advance(1000);
      const r = await first.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: PHONE.dana,
        text: `m${i}`,
      });
      conversationId = r.conversation.id;
    }
    await first.backend.close();

    const second = await createDesk({ databaseName: name });
    const expected = Array.from({ length: 120 }, (_, i) => `m${i}`);
    expect((await wholeThread(second.backend, conversationId)).map((m) => m.text)).toEqual(
      expected,
    );
    // Routed in this task: not committed to IndexedDB yet, and already in the thread's pages.
    for (let i = 120; i < 123; i++)
      await second.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: PHONE.dana,
        text: `m${i}`,
      });
    const thread = await wholeThread(second.backend, conversationId, 7);
    expect(thread.map((m) => m.text)).toEqual([...expected, 'm120', 'm121', 'm122']);
    // RT: the thread's end was known without reading it, so times keep increasing after a reload.
    const times = thread.map((m) => m.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    await second.backend.close();
  });

  it('upgrading from the version-2 layout keeps every record, thread end and message in flight', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    first.clock.advance(60_000); // the reopened desk's clock starts earlier: times must not go back
    const alice = await first.client('alice');
    const { conversation } = await first.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    await alice.open(conversation.id);
    const reply = await alice.send(conversation.id, { text: 'Reply' });
    await alice.saveContact({ phone: PHONE.unknown, firstName: 'Una' });
    await first.backend.sendCampaign({
      senderId: 'team-sms',
      userId: 'bob',
      to: [PHONE.eli],
      text: 'Promo',
    });
    alice.disconnect();
    await first.backend.close(); // before the provider's first update for the reply

    const old = fresh();
    await copyAsVersion2(name, old);
    const second = await createDesk({ databaseName: old });
    expect(second.backend.seeded).toBe(true);
    const db = await openDB(old);
    expect(db.version).toBe(DB_VERSION);
    db.close();
    const again = await second.client('alice');
    expect(again.view({ kind: 'mine' }).rows.map((r) => r.conversation.id)).toEqual([
      conversation.id,
    ]);
    expect(again.getState().contacts.get(PHONE.unknown)?.firstName).toBe('Una');
    // SN7: the reply, in flight when the page closed, resumes.
    second.clock.advance(10_000);
    await settle(again);
    const { message: later } = await second.backend.connect('alice').send({
      idempotencyKey: 'after-the-upgrade',
      target: { conversationId: conversation.id },
      content: { text: 'After the upgrade' },
    });
    const thread = await wholeThread(second.backend, conversation.id);
    expect(thread.map((m) => [m.text, m.status])).toEqual([
      ['Hi', 'delivered'],
      ['Reply', 'delivered'],
      ['After the upgrade', 'queued'],
    ]);
    expect(thread[1]!.id).toBe(reply.id);
    expect(later.createdAt).toBeGreaterThan(thread[1]!.createdAt);
    // C3: the pending campaign survived; the reply makes it a conversation of its sender.
    const joined = await second.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.eli,
      text: 'Yes',
    });
    expect(joined.routing).toMatchObject({ rule: 'RT2', ownerId: 'bob' });
    expect((await wholeThread(second.backend, joined.conversation.id)).map((m) => m.text)).toEqual([
      'Promo',
      'Yes',
    ]);
    again.disconnect();
    await second.backend.close();
  });

  it('SN7: every message in flight when the page closed reaches its final status after reopening', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    const admin = first.backend.connect('admin');
    const sent: Message[] = [];
    for (const [senderId, from] of [
      ['alice-sms', PHONE.dana],
      ['team-sms', PHONE.eli],
      ['bob-wa', PHONE.dana],
    ] as const) {
      const { conversation } = await first.backend.simulateIncoming({ senderId, from, text: 'Hi' });
      const result = await admin.send({
        idempotencyKey: `k-${senderId}`,
        target: { conversationId: conversation.id },
        content: { text: 'On its way' },
      });
      sent.push(result.message);
    }
    first.clock.advance(500); // `sent`, not yet `delivered`
    await settle();
    await first.backend.close();

    const second = await createDesk({ databaseName: name });
    second.clock.advance(10_000);
    await settle();
    const statuses = [];
    for (const m of sent) {
      const thread = await wholeThread(second.backend, m.conversationId);
      statuses.push(thread.find((x) => x.id === m.id)!.status);
    }
    expect(statuses).toEqual(['delivered', 'delivered', 'read']);
    await second.backend.close();
  });

  it('a command issued while the account loads waits for it and answers from the whole account', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    const before = await first.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.dana,
      text: 'First',
    });
    await first.backend.close();

    const backend = await EmbeddedBackend.open({
      clock: createManualClock(T0),
      databaseName: name,
    });
    let loaded = false;
    void backend.loaded.then(() => (loaded = true));
    // Both issued at once after opening: routing needs the account (C1, RT2), the list does not.
    const routing = backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.dana,
      text: 'Again',
    });
    const listing = backend.connect('admin').listConversations();
    const routed = await routing;
    expect(loaded).toBe(true);
    expect(routed.conversation.id).toBe(before.conversation.id); // C1: the same conversation
    expect(routed.routing).toMatchObject({ ownerId: before.conversation.ownerId });
    expect(routed.message.createdAt).toBeGreaterThan(before.message.createdAt);
    const page = await listing; // called after the routing: it sees it
    expect(page.items.map((c) => [c.id, c.lastMessage?.text])).toEqual([
      [before.conversation.id, 'Again'],
    ]);
    expect((await wholeThread(backend, before.conversation.id)).map((m) => m.text)).toEqual([
      'First',
      'Again',
    ]);
    await backend.close();
  });
});
