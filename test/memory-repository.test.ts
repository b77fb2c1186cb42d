/** The memory repository's indexes answer as a sort of everything would (V5 paging, contacts). */
import { describe, expect, it } from 'vitest';
import { createMemoryRepository, type ConversationFilter } from 'converse-desk/engine';
import type { Contact, Conversation } from '../src/types.js';

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const conversation = (i: number, at: number, ownerId: string): Conversation => ({
  id: `c${String(i).padStart(4, '0')}`,
  senderId: 's1',
  channel: 'sms',
  customer: `+1415200${String(i).padStart(4, '0')}`,
  ownerId,
  unread: false,
  hasIncoming: i % 3 !== 0,
  lastActivityAt: at,
  outgoingBy: i % 5 === 0 ? ['bob'] : [],
  createdAt: 0,
  revision: 1,
});

const newestFirst = (a: Conversation, b: Conversation) =>
  b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1);

describe('memory repository indexes', () => {
  it('V5: pages of conversations by activity stay right through moves, ties, late times and owner changes, for the account and per user', async () => {
    const next = random(7);
    const initial = Array.from({ length: 300 }, (_, i) => conversation(i, i % 40, 'admin'));
    const repository = createMemoryRepository({ initial: { conversations: initial } });
    const stored = new Map(initial.map((c) => [c.id, c]));
    await repository.transaction(async (store) => {
      const check = async () => {
        const filters: Array<[ConversationFilter, (c: Conversation) => boolean]> = [
          [{ kind: 'all' }, () => true],
          [{ kind: 'inbox', userId: 'alice' }, (c) => c.hasIncoming && c.ownerId === 'alice'],
          [
            { kind: 'involving', userId: 'bob' },
            (c) => c.ownerId === 'bob' || c.outgoingBy.includes('bob'),
          ],
          [
            { kind: 'involving', userId: 'alice' },
            (c) => c.ownerId === 'alice' || c.outgoingBy.includes('alice'),
          ],
          [{ kind: 'inbox', userId: 'bob' }, (c) => c.hasIncoming && c.ownerId === 'bob'],
          [{ kind: 'involving', userId: 'nobody' }, () => false],
        ];
        for (const [filter, keep] of filters) {
          const expected = [...stored.values()].filter(keep).sort(newestFirst);
          const pages: Conversation[] = [];
          let after: { at: number; id: string } | undefined;
          for (;;) {
            const page = await store.listConversations({ filter, after, limit: 37 });
            pages.push(...page);
            if (page.length < 37) break;
            const last = page.at(-1)!;
            after = { at: last.lastActivityAt, id: last.id };
          }
          expect(pages.map((c) => c.id)).toEqual(expected.map((c) => c.id));
          expect(pages).toEqual(expected); // the stored versions, not older ones
        }
      };
      for (let n = 0; n < 6000; n++) {
        const before = [...stored.values()][Math.floor(next() * stored.size)]!;
        // Mostly newer times, many equal (a frozen clock), some older (late messages), new ones.
        const roll = next();
        const at = roll < 0.6 ? 40 + Math.floor(n / 50) : roll < 0.9 ? before.lastActivityAt : 5;
        // Owners move between users (leaving one user's list for another's); some write in it.
        const who = next();
        const ownerId = who < 0.45 ? 'alice' : who < 0.9 ? 'admin' : 'bob';
        const writer = next() < 0.05 ? (next() < 0.5 ? 'alice' : 'bob') : undefined;
        const outgoingBy =
          writer && !before.outgoingBy.includes(writer)
            ? [...before.outgoingBy, writer]
            : before.outgoingBy;
        const changed =
          roll > 0.97
            ? conversation(300 + n, at, ownerId)
            : { ...before, lastActivityAt: at, ownerId, outgoingBy };
        stored.set(changed.id, changed);
        await store.putConversation(changed);
        // Lists after a few changes, then after many (the ways the order catches up: one by one,
        // merged, and on its own when changes pile up without a list).
        if (n < 700 ? n % 7 === 0 : n === 5999) await check();
      }
    });
  });

  it('V5: a conversation changed many times between two lists (noted once) is in its latest place, also after its owner moved away and back', async () => {
    const next = random(11);
    const initial = Array.from({ length: 40 }, (_, i) => conversation(i, i, 'alice'));
    const repository = createMemoryRepository({ initial: { conversations: initial } });
    const stored = new Map(initial.map((c) => [c.id, c]));
    const involves = (userId: string) => (c: Conversation) =>
      c.ownerId === userId || c.outgoingBy.includes(userId);
    await repository.transaction(async (store) => {
      for (let round = 0; round < 30; round++) {
        // Many changes to a few conversations (routing's case: same owner), the odd owner change.
        for (let n = 0; n < 200; n++) {
          const before = [...stored.values()][Math.floor(next() * 6)]!;
          const ownerId =
            next() < 0.05 ? (before.ownerId === 'alice' ? 'bob' : 'alice') : before.ownerId;
          const changed = { ...before, ownerId, lastActivityAt: Math.floor(next() * 100) };
          stored.set(changed.id, changed);
          await store.putConversation(changed);
        }
        for (const [filter, keep] of [
          [{ kind: 'all' }, () => true],
          [{ kind: 'involving', userId: 'alice' }, involves('alice')],
          [{ kind: 'involving', userId: 'bob' }, involves('bob')],
        ] as Array<[ConversationFilter, (c: Conversation) => boolean]>) {
          const page = await store.listConversations({ filter, limit: 100 });
          expect(page).toEqual([...stored.values()].filter(keep).sort(newestFirst));
        }
      }
    });
  });

  it('C1: one conversation per sender ID and number, found even when numbers share their last nine digits or are not digits', async () => {
    const at = (i: number, senderId: string, customer: string): Conversation => ({
      ...conversation(i, i, 'admin'),
      senderId,
      customer,
    });
    // Same last nine digits in two countries, the same number on two sender IDs, and a text key.
    const initial = [
      at(1, 's1', '+14152000001'),
      at(2, 's1', '+44152000001'),
      at(3, 's2', '+14152000001'),
      at(4, 's1', 'short'),
      at(5, 's2', 'short'),
      at(6, 's1', '1234567890123456789'), // more than seven characters before the last nine
    ];
    const repository = createMemoryRepository({ initial: { conversations: initial.slice(0, 4) } });
    const found = await repository.transaction(async (store) => {
      await store.putConversation(initial[4]!);
      await store.putConversation(initial[5]!);
      // A conversation moved to another number leaves its old pair (no real command does this).
      await store.putConversation({ ...initial[1]!, customer: '+33152000001' });
      const find = async (senderId: string, customer: string) =>
        (await store.findConversation(senderId, customer))?.id;
      return [
        await find('s1', '+14152000001'),
        await find('s1', '+44152000001'),
        await find('s1', '+33152000001'),
        await find('s2', '+14152000001'),
        await find('s1', 'short'),
        await find('s2', 'short'),
        await find('s2', '+44152000001'),
        await find('s3', '+14152000001'),
        await find('s1', '152000001'),
        await find('s1', '+4152000001'),
        await find('s1', '1234567890123456789'),
        await find('s1', '9234567890123456789'),
      ];
    });
    const id = (i: number) => conversation(i, 0, 'admin').id;
    expect(found).toEqual([
      id(1),
      undefined,
      id(2),
      id(3),
      id(4),
      id(5),
      undefined,
      undefined,
      undefined,
      undefined,
      id(6),
      undefined,
    ]);
  });

  it('contacts page by id, new ones inserted in place', async () => {
    const contact = (id: string): Contact => ({
      id,
      phone: `+1415555${id.padStart(4, '0')}`,
      firstName: id,
      lastName: '',
      createdAt: 0,
      updatedAt: 0,
    });
    const repository = createMemoryRepository({
      initial: { contacts: ['50', '10', '30'].map(contact) },
    });
    const ids = await repository.transaction(async (store) => {
      for (const id of ['20', '60', '05', '30']) await store.putContact(contact(id));
      const first = await store.listContacts({ limit: 4 });
      const rest = await store.listContacts({ after: first.at(-1)!.id, limit: 10 });
      return [...first, ...rest].map((c) => c.id);
    });
    expect(ids).toEqual(['05', '10', '20', '30', '50', '60']);
  });
});
