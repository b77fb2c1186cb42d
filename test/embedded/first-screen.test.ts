/**
 * Issue 11, V5: before the account has loaded, the lists come from IndexedDB's activity index.
 * They must be the pages the loaded account gives: same order (newest first, equal times by id),
 * same filters, same cursors.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { conversationPage } from '../../src/embedded/first-screen.js';
import { readViewCounts } from '../../src/embedded/idb-view-counts.js';
import { openDeskDatabase } from '../../src/embedded/idb-schema.js';
import type { ConversationFilter, ConversationPageQuery } from '../../src/engine/repository.js';
import type { Conversation } from '../../src/types.js';
import { createDesk } from '../support/desk.js';

const SENDERS = ['alice-sms', 'team-sms', 'team-wa', 'bob-wa'];

describe('first screen from the activity index (issue 11)', () => {
  it('V1–V5: every list, page by page, is the one the loaded account gives', async () => {
    const name = `first-screen-${Math.random()}`;
    const desk = await createDesk({ databaseName: name });
    const { backend } = desk;
    const admin = backend.connect('admin');
    for (let i = 0; i < 40; i++) {
      if (i % 3 === 0) desk.clock.advance(1000); // runs of equal activity times
      const from = `+1415555${String(1000 + (i % 29)).padStart(4, '0')}`;
      const { conversation } = await backend.simulateIncoming({
        senderId: SENDERS[i % SENDERS.length]!,
        from,
        text: `m${i}`,
      });
      if (i % 7 === 0 && conversation.senderId.startsWith('team'))
        await admin.assign([conversation.id], i % 2 ? 'alice' : 'carol');
    }
    // V4: Bob writes in a conversation that is then given to Carol: it stays in Bob's list.
    const team = (await admin.listConversations()).items.find((c) => c.senderId === 'team-sms')!;
    await admin.assign([team.id], 'bob');
    await backend.connect('bob').send({
      idempotencyKey: 'k1',
      target: { conversationId: team.id },
      content: { text: 'Bob here' },
    });
    await admin.assign([team.id], 'carol');
    await backend.flush();
    const db = await openDeskDatabase(name);
    const filters: ConversationFilter[] = [
      { kind: 'all' },
      { kind: 'involving', userId: 'alice' },
      { kind: 'involving', userId: 'carol' },
      { kind: 'involving', userId: 'bob' },
      { kind: 'inbox', userId: 'bob' },
      { kind: 'inbox', userId: 'admin' },
    ];
    // Chunks of 3 records: their edges fall inside runs of equal times.
    for (const [filter, chunk] of filters.flatMap((f) => [[f, 3] as const, [f, 512] as const])) {
      const fromIndex: string[] = [];
      const loaded: string[] = [];
      for (const [read, into] of [
        [(q: ConversationPageQuery) => conversationPage(db, q, chunk), fromIndex],
        [
          (q: ConversationPageQuery) =>
            backend.engine.repository.transaction((s) => s.listConversations(q)),
          loaded,
        ],
      ] as const) {
        let after: ConversationPageQuery['after'];
        for (;;) {
          const page = (await read({ filter, after, limit: 4 })) as Conversation[];
          into.push(...page.map((c) => c.id));
          if (page.length < 4) break;
          after = { at: page.at(-1)!.lastActivityAt, id: page.at(-1)!.id };
        }
      }
      expect(fromIndex.length, filter.kind).toBeGreaterThan(0);
      expect(fromIndex, `${filter.kind} ${'userId' in filter ? filter.userId : ''}`).toEqual(
        loaded,
      );
    }
    // Issue 11: the views' persisted counts are the loaded account's.
    await admin.markRead([team.id], true, 'admin');
    await backend.flush();
    const views: ConversationFilter[] = [
      ...['admin', 'alice', 'bob', 'carol'].map((userId) => ({ kind: 'inbox', userId }) as const),
      ...SENDERS.map((senderId) => ({ kind: 'sender', senderId }) as const),
      { kind: 'sender', senderId: 'team-sms', userId: 'carol' },
      { kind: 'sent', userId: 'bob' },
    ];
    const fromIndex = await readViewCounts(db, views);
    const loaded = await backend.engine.repository.transaction((s) => s.countConversations(views));
    expect(fromIndex).toEqual(loaded);
    expect(loaded.some((c) => c.total > c.unread)).toBe(true); // a read row is counted apart
    expect(loaded.find((_, i) => views[i]!.kind === 'sent')).toEqual({ total: 1, unread: 0 });
    expect(await readViewCounts(db, [{ kind: 'all' }])).toBeUndefined(); // not a view
    db.close();
    await backend.close();
  });
});
