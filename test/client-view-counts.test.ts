/**
 * Issue 11: the navigation's counts are the account's, not the loaded rows', on an account
 * bigger than the connect page (500), and stay right after every kind of event without loading
 * the rest (V1–V4, RD1, A1, U2).
 */
import { describe, expect, it } from 'vitest';
import type { BackendAdapter } from '../src/adapter.js';
import { createDeskClient, type DeskClient, type ViewKey } from '../src/index.js';
import { createDesk, settle, type Desk } from './support/desk.js';

const MINE: ViewKey = { kind: 'mine' };
const SENT: ViewKey = { kind: 'sent' };
const ALICE_SMS: ViewKey = { kind: 'sender', senderId: 'alice-sms' };
const number = (i: number) => `+1415777${String(i).padStart(4, '0')}`;
const BIG = 530;

/** Alice's inbox of `BIG` conversations on alice-sms, oldest first (number(0) is the oldest). */
async function bigDesk(): Promise<Desk> {
  const desk = await createDesk();
  for (let i = 0; i < BIG; i++) {
    desk.clock.advance(1000);
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(i), text: 'Hi' });
  }
  return desk;
}

/** The client's counts equal the backend's for every navigation view. */
async function agrees(desk: Desk, client: DeskClient, userId: string, what: string) {
  await settle(client);
  const views: ViewKey[] = [
    MINE,
    ...client.senderInboxes().map((s) => ({ kind: 'sender', senderId: s.id }) as const),
    SENT,
  ];
  const truth = await desk.backend.connect(userId).countViews!(views);
  expect(
    views.map((v) => client.viewCount(v)),
    what,
  ).toEqual(truth);
}

describe('view counts beyond the first page (issue 11)', () => {
  it('V1–V4, RD1, A1: the counts follow incoming messages, reads, assignment and sends', async () => {
    const desk = await bigDesk();
    const { backend, clock } = desk;
    const alice = await desk.client('alice');
    await alice.idle(); // the counts' module loads apart from the first load
    expect(alice.view(MINE).count).toBe(500); // the connect page
    expect(alice.hasMore(MINE)).toBe(true);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG, unread: BIG });
    expect(alice.viewCount(ALICE_SMS)).toEqual({ total: BIG, unread: BIG });
    expect(alice.viewCount(SENT)).toEqual({ total: 0, unread: 0 });

    // A new conversation (RT1): one more, unread.
    clock.advance(1000);
    await backend.simulateIncoming({ senderId: 'alice-sms', from: number(9000), text: 'New' });
    await settle(alice);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG + 1, unread: BIG + 1 });

    // RD2 on a conversation the client never loaded (the oldest), from another tab.
    const other = backend.connect('alice');
    const oldest = (await other.listConversations({ view: MINE, limit: 1000 })).items.at(-1)!;
    expect(alice.getState().conversations.has(oldest.id)).toBe(false);
    await other.markRead([oldest.id], true, 'owner');
    await settle(alice);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG + 1, unread: BIG });
    expect(alice.getState().conversations.has(oldest.id)).toBe(true); // it came with its event

    // An incoming message to another unloaded, still unread conversation moves no count.
    const second = (await other.listConversations({ view: MINE, limit: 1000 })).items.at(-2)!;
    await backend.simulateIncoming({ senderId: 'alice-sms', from: second.customer, text: 'Again' });
    await settle(alice);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG + 1, unread: BIG });
    // …and one to the read conversation makes it unread again (RD1).
    await backend.simulateIncoming({ senderId: 'alice-sms', from: oldest.customer, text: 'Again' });
    await settle(alice);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG + 1, unread: BIG + 1 });

    // RD2 from this client, on a loaded row.
    const top = alice.view(MINE).at(0)!.conversation;
    await alice.markRead([top.id], true);
    await agrees(desk, alice, 'alice', 'after a read');
    expect(alice.viewCount(MINE).unread).toBe(BIG);

    // A1: the admin gives two of Alice's conversations (one loaded, one not) to Bob.
    const far = (await other.listConversations({ view: MINE, limit: 1000 })).items.at(-5)!;
    await backend.connect('admin').assign([top.id, far.id], 'bob');
    await agrees(desk, alice, 'alice', 'after an assignment');
    expect(alice.viewCount(MINE)).toEqual({ total: BIG - 1, unread: BIG - 1 });

    // V4: a reply and a new outgoing conversation join Sent Messages.
    await alice.send(alice.view(MINE).at(0)!.conversation.id, { text: 'Reply' });
    await alice.startConversation({
      phone: number(9500),
      senderId: 'alice-sms',
      content: { text: 'Hello' },
    });
    await agrees(desk, alice, 'alice', 'after sends');
    expect(alice.viewCount(SENT)).toEqual({ total: 2, unread: 0 });

    // Loaded whole, a view counts its rows.
    while (await alice.loadMore(MINE));
    expect(alice.hasMore(MINE)).toBe(false);
    expect(alice.viewCount(MINE)).toEqual({
      total: alice.view(MINE).count,
      unread: alice.view(MINE).unread,
    });
    await agrees(desk, alice, 'alice', 'loaded whole');
    alice.disconnect();
    await backend.close();
  }, 60_000);

  it('V3, U2: an admin counts the Team Inbox entries; a standard user is not asked them', async () => {
    const desk = await bigDesk();
    const admin = await desk.client('admin');
    await admin.idle(); // the counts' module loads apart from the first load
    const team: ViewKey = { kind: 'team', userId: 'alice' };
    expect(admin.view(team).count).toBeLessThan(BIG);
    expect(admin.viewCount(team)).toEqual({ total: BIG, unread: BIG });
    const asked: ViewKey[][] = [];
    const adapter = desk.backend.connect('alice');
    const spy: BackendAdapter = {
      ...adapter,
      countViews: (views) => {
        asked.push(views);
        return adapter.countViews!(views);
      },
    };
    const alice = createDeskClient({ adapter: spy, clock: desk.clock });
    await alice.connect();
    await alice.idle(); // the counts' module loads apart from the first load
    expect(asked.flat().some((v) => v.kind === 'team')).toBe(false);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG, unread: BIG });
    alice.disconnect();
    admin.disconnect();
    await desk.backend.close();
  }, 60_000);

  it('an event that does not say what its conversation was makes the client ask again', async () => {
    const desk = await bigDesk();
    const adapter = desk.backend.connect('alice');
    let asked = 0;
    // A backend that sends no `previous` (an older one, or an offline layer's copy).
    const older: BackendAdapter = {
      ...adapter,
      countViews: (views) => {
        asked++;
        return adapter.countViews!(views);
      },
      subscribe: (listener, options) =>
        adapter.subscribe((event, meta) => {
          const { previous: _previous, ...rest } = event as typeof event & { previous?: unknown };
          listener(rest as typeof event, meta);
        }, options),
    };
    const alice = createDeskClient({ adapter: older, clock: desk.clock });
    await alice.connect();
    await alice.idle(); // the counts' module loads apart from the first load
    expect(asked).toBe(1);
    const other = desk.backend.connect('alice');
    const oldest = (await other.listConversations({ view: MINE, limit: 1000 })).items.at(-1)!;
    await other.markRead([oldest.id], true, 'owner');
    await settle(alice);
    await settle(alice);
    expect(asked).toBeGreaterThan(1);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG, unread: BIG - 1 });
    alice.disconnect();
    await desk.backend.close();
  }, 60_000);

  it('the counts are asked once the first pages are in, never beside them (a large view counts slowly)', async () => {
    const desk = await bigDesk();
    const adapter = desk.backend.connect('alice');
    const calls: string[] = [];
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const traced: BackendAdapter = {
      ...adapter,
      listConversations: async (query) => {
        calls.push('listConversations');
        await held;
        return adapter.listConversations(query);
      },
      countViews: (views) => (calls.push('countViews'), adapter.countViews!(views)),
    };
    const alice = createDeskClient({ adapter: traced, clock: desk.clock });
    const connected = alice.connect();
    await import('../src/client/view-counts.js'); // the counts' module is loaded meanwhile
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual(['listConversations']);
    release();
    await connected;
    await alice.idle();
    expect(calls).toEqual(['listConversations', 'countViews']);
    expect(alice.viewCount(MINE)).toEqual({ total: BIG, unread: BIG });
    alice.disconnect();
    await desk.backend.close();
  }, 60_000);

  it('without countViews (a smaller adapter) a view counts its loaded rows', async () => {
    const desk = await bigDesk();
    const { countViews: _none, ...rest } = desk.backend.connect('alice');
    const alice = createDeskClient({ adapter: rest as BackendAdapter, clock: desk.clock });
    await alice.connect();
    await alice.idle(); // the counts' module loads apart from the first load
    expect(alice.viewCount(MINE)).toEqual({ total: 500, unread: 500 });
    alice.disconnect();
    await desk.backend.close();
  }, 60_000);
});
