import { describe, expect, it } from 'vitest';
import { createDeskClient, DeskError, type DeskClient, type DeskEvent } from '../src/index.js';
import { createRoutes } from '../examples/server/routes.js';
import { deletingOperations, operationNames } from '../src/conformance/index.js';
import { createDeskEngine, createMemoryRepository } from '../src/engine/index.js';
import { createHttpAdapter } from '../src/http/index.js';
import { createDesk, PHONE, seed, settle } from './support/desk.js';
import { expectDeskError, rejects } from './support/errors.js';

function record(client: DeskClient) {
  const events: DeskEvent[] = [];
  client.on('message.incoming', (e) => events.push(e));
  client.on('notification', (e) => events.push(e));
  client.on('conversation.assigned', (e) => events.push(e));
  client.on('message.status', (e) => events.push(e));
  return events;
}

describe('routing through the embedded backend', () => {
  it('RT1: an incoming message on an owned sender ID lands unread in its owner’s My Inbox', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const bob = await desk.client('bob');
    const { conversation, routing } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice, bob);
    expect(routing.rule).toBe('RT1');
    const mine = alice.view({ kind: 'mine' });
    expect(mine.rows.map((r) => r.conversation.id)).toEqual([conversation.id]);
    expect(mine.unread).toBe(1);
    expect(mine.rows[0]!.title).toBe('Dana Díaz');
    expect(bob.view({ kind: 'mine' }).rows).toHaveLength(0);
    expect(bob.getState().conversations.has(conversation.id)).toBe(false);
  });

  it('RT2: on a shared sender ID the reply joins the conversation of the last outgoing message, owned by its sender', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const bob = await desk.client('bob');
    await bob.startConversation({
      phone: PHONE.eli,
      senderId: 'team-sms',
      content: { text: 'Your order shipped' },
    });
    const { routing, conversation } = await desk.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.eli,
      text: 'Thanks',
    });
    await settle(alice, bob);
    expect(routing).toMatchObject({
      rule: 'RT2',
      ownerId: 'bob',
      facts: { lastOutgoingBy: 'bob' },
    });
    expect(bob.view({ kind: 'mine' }).rows[0]!.conversation.id).toBe(conversation.id);
    expect(bob.view({ kind: 'sender', senderId: 'team-sms' }).rows).toHaveLength(1);
    // V2: Alice shares the sender ID but does not see Bob's conversation.
    expect(alice.view({ kind: 'sender', senderId: 'team-sms' }).rows).toHaveLength(0);
  });

  it('RT3: a first message from an unknown number on a shared sender ID goes to the default admin', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const { routing, conversation } = await desk.backend.simulateIncoming({
      senderId: 'team-wa',
      from: PHONE.unknown,
      text: 'Hello?',
    });
    await settle(admin);
    expect(routing).toMatchObject({ rule: 'RT3', ownerId: 'admin' });
    expect(admin.view({ kind: 'mine' }).rows[0]!.conversation.id).toBe(conversation.id);
    expect(admin.view({ kind: 'mine' }).rows[0]!.conversation.routing?.reason).toMatch(
      /never messaged/,
    );
  });

  it('RT4: after an assignment the next incoming message goes to the assignee; a reply takes it back', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(admin);
    await admin.assign([conversation.id], 'bob');
    const second = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Anyone?',
    });
    expect(second.routing).toMatchObject({
      rule: 'RT4',
      ownerId: 'bob',
      facts: { assignedTo: 'bob' },
    });
    await settle(alice);
    expect(alice.view({ kind: 'mine' }).rows).toHaveLength(0);
    // Alice replies (she can still see it? no: she never sent in it), so she is refused.
    await rejects(alice.send(conversation.id, { text: 'me' }), 'not_found');
  });

  it('RT5: an incoming message marks the conversation unread and notifies only its owner (N1)', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const admin = await desk.client('admin');
    const aliceEvents = record(alice);
    const adminEvents = record(admin);
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await settle(alice, admin);
    expect(aliceEvents.map((e) => e.type)).toEqual(['message.incoming', 'notification']);
    expect(alice.getState().unseenNotifications).toBe(1);
    expect(adminEvents.map((e) => e.type)).toEqual(['message.incoming']);
    expect(admin.getState().unseenNotifications).toBe(0);
    alice.acknowledgeNotifications();
    expect(alice.getState().unseenNotifications).toBe(0);
  });

  it('C1: one conversation per sender ID and number, with the sender ID’s channel', async () => {
    const desk = await createDesk();
    const bob = await desk.client('bob');
    const a = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.dana,
      text: '1',
    });
    const b = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.dana,
      text: '2',
    });
    const c = await desk.backend.simulateIncoming({
      senderId: 'team-wa',
      from: PHONE.dana,
      text: '3',
    });
    expect(b.conversation.id).toBe(a.conversation.id);
    expect(c.conversation.id).not.toBe(a.conversation.id);
    expect(a.conversation.channel).toBe('whatsapp');
    await settle(bob);
    await bob.open(a.conversation.id);
    expect(
      bob
        .getState()
        .threads.get(a.conversation.id)!
        .items.map((m) => m.text),
    ).toEqual(['1', '2']);
  });

  it('C2: there is no delete operation anywhere', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const engine = createDeskEngine({ repository: createMemoryRepository(), clock: desk.clock });
    const http = createHttpAdapter({ baseUrl: 'http://127.0.0.1:9', token: () => 'x' });
    const surfaces: Array<[string, object, string]> = [
      ['client', alice, 'send'],
      ['embedded adapter', desk.backend.connect('alice'), 'send'],
      ['embedded backend', desk.backend, 'connect'],
      ['engine', engine, 'assign'],
      ['HTTP adapter', http, 'send'],
    ];
    for (const [what, surface, known] of surfaces) {
      const names = operationNames(surface);
      expect(names, `${what}: the walk finds its operations`).toContain(known);
      expect(deletingOperations(surface), what).toEqual([]);
    }
    http.close();
    // The reference server's routes (the team server's: test/server/no-delete.test.ts).
    const routes = createRoutes({ sendAttempts: new Map(), openStream: () => undefined });
    expect(routes.map(([method]) => method)).toContain('POST');
    expect(routes.filter(([method]) => method === 'DELETE')).toEqual([]);
  });

  it('C3: a campaign creates no conversation until the customer replies; then it is the first message', async () => {
    const desk = await createDesk();
    const bob = await desk.client('bob');
    const result = await desk.backend.sendCampaign({
      senderId: 'team-sms',
      userId: 'bob',
      to: [PHONE.dana, PHONE.fay],
      text: 'Sale today',
    });
    expect(result.skipped).toEqual([{ phone: PHONE.fay, code: 'opted_out' }]);
    await settle(bob);
    expect(bob.getState().conversations.size).toBe(0);
    expect(bob.view({ kind: 'sent' }).rows).toHaveLength(0);
    desk.clock.advance(60_000);
    const { conversation, routing } = await desk.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.dana,
      text: 'Interested',
    });
    expect(routing).toMatchObject({ rule: 'RT2', ownerId: 'bob', facts: { campaign: true } });
    await settle(bob);
    const thread = await bob.open(conversation.id);
    expect(thread.items.map((m) => [m.direction, m.text, m.campaign ?? false])).toEqual([
      ['out', 'Sale today', true],
      ['in', 'Interested', false],
    ]);
    expect(bob.view({ kind: 'sent' }).rows).toHaveLength(1);
  });
});

describe('views', () => {
  it('V1: My Inbox holds only my conversations with at least one incoming message', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    await alice.startConversation({
      phone: PHONE.eli,
      senderId: 'alice-sms',
      content: { text: 'Outgoing only' },
    });
    await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Incoming',
    });
    await settle(alice);
    expect(alice.view({ kind: 'mine' }).rows.map((r) => r.conversation.customer)).toEqual([
      PHONE.dana,
    ]);
    expect(alice.view({ kind: 'sent' }).rows.map((r) => r.conversation.customer)).toEqual([
      PHONE.eli,
    ]);
  });

  it('V2: one Sender ID inbox per sender ID owned or shared; an admin sees every conversation on it', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const admin = await desk.client('admin');
    expect(alice.senderInboxes().map((s) => s.id)).toEqual(['alice-sms', 'team-sms', 'team-wa']);
    await alice.startConversation({
      phone: PHONE.eli,
      senderId: 'team-sms',
      content: { text: 'x' },
    });
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.eli, text: 'y' });
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.unknown, text: 'z' });
    await settle(alice, admin);
    expect(
      alice.view({ kind: 'sender', senderId: 'team-sms' }).rows.map((r) => r.conversation.customer),
    ).toEqual([PHONE.eli]);
    expect(admin.view({ kind: 'sender', senderId: 'team-sms' }).rows).toHaveLength(2);
  });

  it('V3: the Team Inbox lists licensed standard users, and is refused to a standard user', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const alice = await desk.client('alice');
    expect(admin.teamMembers().map((u) => u.id)).toEqual(['alice', 'bob']);
    expect(alice.teamMembers()).toEqual([]);
    await desk.backend.simulateIncoming({ senderId: 'bob-wa', from: PHONE.dana, text: 'for bob' });
    await settle(admin);
    expect(admin.view({ kind: 'team', userId: 'bob' }).rows).toHaveLength(1);
    expect(admin.view({ kind: 'team', userId: 'alice' }).rows).toHaveLength(0);
    // U2: a standard user asking the client for a Team Inbox view gets forbidden, not a list.
    expectDeskError(() => alice.view({ kind: 'team', userId: 'bob' }), 'forbidden');
    // U2: the adapter refuses too, whatever the client does.
    await rejects(
      desk.backend.connect('alice').listConversations({ scope: { teamMember: 'bob' } }),
      'forbidden',
    );
    expect(
      (await desk.backend.connect('admin').listConversations({ scope: { teamMember: 'bob' } }))
        .items,
    ).toHaveLength(1);
  });

  it('V4: Sent Messages keeps a conversation I replied in after it is assigned away', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice, admin);
    await alice.send(conversation.id, { text: 'Hello Dana' });
    await admin.assign([conversation.id], 'bob');
    await settle(alice);
    expect(alice.view({ kind: 'mine' }).rows).toHaveLength(0);
    expect(alice.view({ kind: 'sent' }).rows.map((r) => r.conversation.id)).toEqual([
      conversation.id,
    ]);
    expect(alice.view({ kind: 'sent' }).rows[0]!.conversation.ownerId).toBe('bob');
  });

  it('V5: lists are ordered by last activity, newest first, with preview, channel and unread state', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.dana, text: 'first' });
    desk.clock.advance(1000);
    await desk.backend.simulateIncoming({ senderId: 'team-wa', from: PHONE.eli, text: 'second' });
    desk.clock.advance(1000);
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.dana, text: 'third' });
    await settle(admin);
    const rows = admin.view({ kind: 'mine' }).rows;
    expect(
      rows.map((r) => [
        r.title,
        r.conversation.channel,
        r.conversation.lastMessage?.text,
        r.conversation.unread,
      ]),
    ).toEqual([
      ['Dana Díaz', 'sms', 'third', true],
      ['Eli', 'whatsapp', 'second', true],
    ]);
  });

  it('V6: My Inbox and Sent Messages search by name (accents ignored) or any part of the digits', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.dana, text: 'a' });
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.fay, text: 'b' });
    await settle(admin);
    const mine = { kind: 'mine' } as const;
    const customers = (q: string) => admin.search(mine, q).map((r) => r.conversation.customer);
    expect(customers('diaz')).toEqual([PHONE.dana]);
    expect(customers('DANA d')).toEqual([PHONE.dana]);
    expect(customers('7911 123')).toEqual([PHONE.fay]); // without the country code
    expect(customers('+44 7911')).toEqual([PHONE.fay]); // with it
    expect(customers('4155550101')).toEqual([PHONE.dana]);
    expect(customers('nobody')).toEqual([]);
    expect(customers('  ')).toHaveLength(2);
    expect(() => admin.search({ kind: 'team', userId: 'alice' }, 'x')).toThrowError(/searched/);
  });
});

describe('read state', () => {
  it('RD1: opening marks read for the owner', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    await alice.open(conversation.id);
    expect(alice.conversation(conversation.id).unread).toBe(false);
    expect((await desk.backend.connect('alice').listConversations()).items[0]!.unread).toBe(false);
  });

  it('RD1: opening while the backend cannot be reached still opens; the conversation stays unread', async () => {
    const desk = await createDesk();
    const adapter = desk.backend.connect('alice');
    const offline = { on: false };
    const client = createDeskClient({
      adapter: new Proxy(adapter, {
        get(target, key, receiver) {
          if (key === 'markRead' && offline.on)
            return () =>
              Promise.reject(new DeskError('network', 'The backend could not be reached.'));
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
      clock: desk.clock,
    });
    await client.connect();
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(client);
    offline.on = true;
    const thread = await client.open(conversation.id);
    expect(thread.items.map((m) => m.text)).toEqual(['Hi']);
    expect(client.conversation(conversation.id).unread).toBe(true);
    // Back online, the next open marks it read.
    offline.on = false;
    await client.open(conversation.id);
    expect(client.conversation(conversation.id).unread).toBe(false);
  });

  it('RD2: mark one or many read or unread; not someone else’s conversation', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const admin = await desk.client('admin');
    const a = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: '1',
    });
    const b = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text: '2',
    });
    await settle(alice, admin);
    await alice.markRead([a.conversation.id, b.conversation.id], true);
    expect(alice.view({ kind: 'mine' }).unread).toBe(0);
    await alice.markRead([b.conversation.id], false);
    expect(alice.view({ kind: 'mine' }).unread).toBe(1);
    const before = admin.getState();
    await rejects(admin.markRead([a.conversation.id], true), 'forbidden');
    expect(admin.getState()).toBe(before);
    await rejects(alice.markRead([], true), 'invalid_input');
    await rejects(alice.markRead(['nope'], true), 'not_found');
  });

  it('RD3: an admin opening a Team Inbox conversation does not change the owner’s read state', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const admin = await desk.client('admin');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice, admin);
    await admin.open(conversation.id);
    await settle(alice, admin);
    expect(admin.conversation(conversation.id).unread).toBe(true);
    expect(alice.conversation(conversation.id).unread).toBe(true);
  });

  it('RD4: an admin marks a Team Inbox conversation only with confirmation, and it changes the owner’s state', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const admin = await desk.client('admin');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice, admin);
    await rejects(
      admin.markReadAsAdmin([conversation.id], true, { confirmed: false }),
      'confirmation_required',
    );
    expect(admin.conversation(conversation.id).unread).toBe(true);
    await admin.markReadAsAdmin([conversation.id], true, { confirmed: true });
    await settle(alice);
    expect(alice.conversation(conversation.id).unread).toBe(false);
    await rejects(
      alice.markReadAsAdmin([conversation.id], false, { confirmed: true }),
      'forbidden',
    );
    await rejects(
      desk.backend.connect('alice').markRead([conversation.id], false, 'admin'),
      'forbidden',
    );
  });
});

describe('assignment', () => {
  it('A1: an admin assigns several conversations to one standard user; others are refused', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const alice = await desk.client('alice');
    const a = await desk.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.dana,
      text: '1',
    });
    const b = await desk.backend.simulateIncoming({
      senderId: 'team-wa',
      from: PHONE.eli,
      text: '2',
    });
    await settle(admin, alice);
    const ids = [a.conversation.id, b.conversation.id];
    await rejects(admin.assign(ids, 'admin'), 'invalid_input');
    await rejects(admin.assign(ids, 'ghost'), 'not_found');
    await rejects(admin.assign([], 'bob'), 'invalid_input');
    await rejects(alice.assign(ids, 'bob'), 'forbidden');
    await rejects(desk.backend.connect('alice').assign(ids, 'bob'), 'forbidden');
    expect(admin.conversation(a.conversation.id).ownerId).toBe('admin');
    await admin.assign(ids, 'bob');
    expect(ids.map((id) => admin.conversation(id).ownerId)).toEqual(['bob', 'bob']);
  });

  it('A2: assignment moves the conversation, marks it unread for the assignee and notifies them (N1)', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const alice = await desk.client('alice');
    const bob = await desk.client('bob');
    const bobEvents = record(bob);
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(admin, alice, bob);
    await alice.open(conversation.id);
    await admin.assign([conversation.id], 'bob');
    await settle(admin, alice, bob);
    expect(alice.getState().conversations.has(conversation.id)).toBe(false);
    const row = bob.view({ kind: 'mine' }).rows[0]!;
    expect(row.conversation).toMatchObject({ id: conversation.id, unread: true, ownerId: 'bob' });
    expect(row.conversation.routing).toMatchObject({ rule: 'RT4', facts: { assignedTo: 'bob' } });
    expect(bobEvents.map((e) => e.type)).toEqual(['conversation.assigned', 'notification']);
    expect(bob.getState().unseenNotifications).toBe(1);
    // Bob may reply from Alice's sender ID now; the reply keeps him the owner.
    await bob.send(conversation.id, { text: 'Bob here' });
    expect(bob.conversation(conversation.id).ownerId).toBe('bob');
  });
});

describe('users and numbers', () => {
  it('U1: users are admins or standard users, and a standard user may hold a portal license', async () => {
    const desk = await createDesk();
    const carol = await desk.client('carol');
    expect(carol.me).toMatchObject({ role: 'standard', portalLicense: false });
    const admin = await desk.client('admin');
    expect(admin.teamMembers().some((u) => u.id === 'carol')).toBe(false);
  });

  it('U2: a standard user gets a permission error from the SDK and from the backend adapter', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    await rejects(alice.assign(['x'], 'bob'), 'forbidden');
    await rejects(desk.backend.connect('alice').assign(['x'], 'bob'), 'forbidden');
    await rejects(
      desk.backend.connect('alice').listConversations({ scope: { teamMember: 'bob' } }),
      'forbidden',
    );
  });

  it('S1: a sender ID is owned by one user or shared among standard users only', async () => {
    const desk = await createDesk({ seed: seed() });
    const bad = seed();
    bad.senders.push({
      id: 'x',
      channel: 'sms',
      address: '+1',
      label: 'X',
      access: { type: 'shared', userIds: ['alice', 'admin'] },
    });
    await expect(desk.backend.seed(bad)).rejects.toMatchObject({ code: 'invalid_input' });
    const bob = await desk.client('bob');
    await rejects(
      bob.startConversation({ phone: PHONE.dana, senderId: 'alice-sms', content: { text: 'x' } }),
      'forbidden',
    );
  });

  it('S2: numbers are E.164 from a country code plus a national number; invalid ones are refused', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const contact = await alice.saveContact({
      firstName: 'Gus',
      countryCallingCode: '44',
      nationalNumber: '07911 123457',
    });
    expect(contact.phone).toBe('+447911123457');
    // The views' counts arrive after connect, in the background: the state is compared once they are in.
    await alice.idle();
    const before = alice.getState();
    await rejects(
      alice.saveContact({ firstName: 'Bad', countryCallingCode: '1', nationalNumber: '123' }),
      'invalid_phone',
    );
    await rejects(
      alice.startConversation({
        countryCallingCode: '1',
        nationalNumber: 'abc',
        senderId: 'alice-sms',
        content: { text: 'x' },
      }),
      'invalid_phone',
    );
    expect(alice.getState()).toBe(before);
  });
});

describe('contacts', () => {
  it('CT1: saving an unknown number as a contact renames every conversation with it, and search finds it', async () => {
    const desk = await createDesk();
    const admin = await desk.client('admin');
    const alice = await desk.client('alice');
    await desk.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.unknown, text: 'a' });
    await desk.backend.simulateIncoming({ senderId: 'team-wa', from: PHONE.unknown, text: 'b' });
    await settle(admin, alice);
    expect(admin.view({ kind: 'mine' }).rows.map((r) => r.title)).toEqual([
      PHONE.unknown,
      PHONE.unknown,
    ]);
    expect(admin.search({ kind: 'mine' }, 'zed')).toHaveLength(0);
    const contact = await admin.saveContact({
      phone: PHONE.unknown,
      firstName: 'Zed',
      lastName: 'Zane',
    });
    expect(admin.view({ kind: 'mine' }).rows.map((r) => r.title)).toEqual(['Zed Zane', 'Zed Zane']);
    expect(admin.search({ kind: 'mine' }, 'zed')).toHaveLength(2);
    await rejects(admin.saveContact({ phone: PHONE.unknown, firstName: 'Again' }), 'conflict');
    await admin.updateContact(contact.id, { firstName: 'Zoe' });
    expect(admin.view({ kind: 'mine' }).rows[0]!.title).toBe('Zoe Zane');
    await settle(alice);
    expect(alice.getState().contacts.get(PHONE.unknown)?.firstName).toBe('Zoe');
    await rejects(admin.updateContact(contact.id, { firstName: '  ' }), 'invalid_input');
    await rejects(admin.updateContact('nope', { firstName: 'x' }), 'not_found');
  });
});
