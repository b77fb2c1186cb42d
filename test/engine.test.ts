/** The engine on its own (as a CRM server runs it), and the client's boundary. */
import { describe, expect, it } from 'vitest';
import {
  createDeskEngine,
  createMemoryRepository,
  IDEMPOTENCY_TTL_MS,
  reaches,
  type AddressedEvent,
  type DeskRepository,
} from 'converse-desk/engine';
import { createManualClock } from '../src/index.js';
import { createDesk, PHONE, seed, settle, T0 } from './support/desk.js';
import { rejects } from './support/errors.js';

/** A repository with only the required interface: no `now`, no combined reads or writes. */
function plainRepository(): DeskRepository {
  const inner = createMemoryRepository();
  return {
    transaction: (work) =>
      inner.transaction((store) =>
        work({ ...store, incomingFacts: undefined, putIncoming: undefined }),
      ),
  };
}

async function engine(repository: DeskRepository = createMemoryRepository()) {
  const clock = createManualClock(T0);
  const events: AddressedEvent[] = [];
  let n = 0;
  const desk = createDeskEngine({
    repository,
    clock,
    createId: () => `id${++n}`,
    publish: (event) => events.push(event),
  });
  await desk.seed(seed());
  return { desk, clock, events };
}

describe('desk engine', () => {
  it('RT5, N1: events are addressed: the owner, the senders and the admins, nobody else', async () => {
    const { desk, events } = await engine();
    await desk.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    const created = events.find((e) => e.event.type === 'message.created')!;
    const users = await desk.listUsers();
    const who = users.filter((u) => reaches(created.audience, u)).map((u) => u.id);
    expect(who).toEqual(['admin', 'alice']);
    const note = events.find((e) => e.event.type === 'notification')!;
    expect(users.filter((u) => reaches(note.audience, u)).map((u) => u.id)).toEqual(['alice']);
  });

  it('SN7: an idempotency key is remembered 7 days per user, then forgotten', async () => {
    const { desk, clock } = await engine();
    const request = {
      idempotencyKey: 'k',
      target: { senderId: 'team-sms', customer: PHONE.eli },
      content: { text: 'Hi' },
    };
    const first = await desk.send('alice', request);
    clock.advance(IDEMPOTENCY_TTL_MS - 1);
    expect((await desk.send('alice', request)).message.id).toBe(first.message.id);
    clock.advance(2);
    await desk.purgeIdempotency();
    expect((await desk.send('alice', request)).message.id).not.toBe(first.message.id);
  });

  it('bad input: the field is named and nothing changes', async () => {
    const { desk, events } = await engine();
    const error = await rejects(
      desk.send('alice', {
        idempotencyKey: 'k',
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'ok', media: [{ url: 1 }] },
      }),
      'invalid_input',
    );
    expect(error.details.field).toBe('content.media.0.url');
    await rejects(desk.receive({ senderId: 'alice-sms', from: null, text: 'x' }), 'invalid_input');
    await rejects(
      desk.sendCampaign({ senderId: 'team-sms', userId: 'bob', to: 'x', text: 'y' }),
      'invalid_input',
    );
    expect(events).toEqual([]);
  });
});

describe('routing at once and in a transaction', () => {
  it('RT1–RT5, C3, SN5: a store that answers now and one with only the async interface route alike', async () => {
    const script = async ({ desk, clock, events }: Awaited<ReturnType<typeof engine>>) => {
      const outcomes: unknown[] = [];
      const receive = (input: object) =>
        desk.receive(input).then(
          (r) => outcomes.push(r),
          (e: { code?: string }) => outcomes.push(e.code),
        );
      await desk.sendCampaign({
        senderId: 'team-sms',
        userId: 'bob',
        to: [PHONE.eli],
        text: 'Sale',
      });
      clock.advance(1000);
      await receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Yes?' }); // C3, RT2
      await receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' }); // RT1
      await receive({ senderId: 'team-sms', from: PHONE.dana, text: 'Hello' }); // RT3
      // Several at once: each waits for the one before (the first may go at once).
      await Promise.all([
        receive({ senderId: 'team-sms', from: PHONE.dana, text: 'again' }),
        receive({ senderId: 'team-sms', from: PHONE.dana, text: ' STOP ' }), // SN5
        receive({ senderId: 'nope', from: PHONE.dana, text: 'x' }), // not_found
        receive({ senderId: 'team-sms', from: PHONE.dana, text: '  ' }), // invalid_input
        receive({ senderId: 'team-sms', from: '+1415', text: 'x' }), // invalid_phone
      ]);
      const stopped = await desk.getRecipient(PHONE.dana);
      await desk.assign(
        'admin',
        [(outcomes[2] as { conversation: { id: string } }).conversation.id],
        'carol',
      );
      await receive({ senderId: 'team-sms', from: PHONE.dana, text: 'START' }); // RT4, SN5
      const page = await desk.listConversations('admin', { limit: 50 });
      const threads = await Promise.all(
        page.items.map((c) => desk.listMessages('admin', c.id, { limit: 50 })),
      );
      const started = await desk.getRecipient(PHONE.dana);
      // Audiences are worked out when read: compared explicitly.
      const audiences = events.map((e) => e.audience);
      return { outcomes, events, audiences, page, threads, stopped, started };
    };
    const memory = createMemoryRepository();
    let atOnce = 0;
    const counted: DeskRepository = {
      transaction: (work) => memory.transaction(work),
      now() {
        const store = memory.now!();
        if (store) atOnce++;
        return store;
      },
    };
    const now = await script(await engine(counted));
    expect(atOnce).toBeGreaterThanOrEqual(4);
    const inTransaction = await script(await engine(plainRepository()));
    expect(now.outcomes.filter((o) => typeof o === 'string')).toEqual([
      'not_found',
      'invalid_input',
      'invalid_phone',
    ]);
    expect(now.stopped.optedOut).toEqual(['sms']);
    expect(now.started.optedOut).toEqual([]);
    expect(inTransaction).toEqual(now);
    expect(now.audiences.length).toBe(now.events.length);
    expect(now.audiences).toContainEqual({ userIds: ['bob'], admins: true }); // C3, RT2
  });
});

describe('routing over the memory repository', () => {
  it('RT1–RT5: a message routed as the one before keeps its explanation and time; a new decision gets a new one', async () => {
    const { desk, clock } = await engine();
    const first = await desk.receive({ senderId: 'team-sms', from: PHONE.dana, text: 'a' });
    expect(first.routing).toMatchObject({ rule: 'RT3', facts: { created: true }, at: T0 });
    clock.advance(1000);
    const second = await desk.receive({ senderId: 'team-sms', from: PHONE.dana, text: 'b' });
    expect(second.routing).toMatchObject({ rule: 'RT3', facts: { created: false }, at: T0 + 1000 });
    clock.advance(1000);
    const third = await desk.receive({ senderId: 'team-sms', from: PHONE.dana, text: 'c' });
    expect(third.routing).toBe(second.routing); // the same decision: one explanation
    expect(third.conversation.routing).toBe(second.routing);
    await desk.assign('admin', [third.conversation.id], 'carol');
    clock.advance(1000);
    const fourth = await desk.receive({ senderId: 'team-sms', from: PHONE.dana, text: 'd' });
    expect(fourth.routing).toMatchObject({ rule: 'RT4', ownerId: 'carol', at: T0 + 3000 });
    expect(fourth.conversation.ownerId).toBe('carol');
  });

  it('S2, C1: a send that starts a conversation needs a valid number, not only one shaped like E.164', async () => {
    const { desk, events } = await engine();
    const send = (customer: string) =>
      desk.send('alice', {
        idempotencyKey: customer,
        target: { senderId: 'team-sms', customer },
        content: { text: 'Hi' },
      });
    await rejects(send('+10000000000'), 'invalid_phone'); // E.164 form, no such number
    expect(events).toEqual([]);
    // Routing finds a conversation under the number as received: an invalid one never has one.
    await rejects(
      desk.receive({ senderId: 'team-sms', from: '+10000000000', text: 'x' }),
      'invalid_phone',
    );
    const sent = await send(PHONE.eli);
    const reply = await desk.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Yes' });
    expect(reply.conversation.id).toBe(sent.conversation.id);
  });

  it('incoming messages are found by id after routing, whenever they are asked for', async () => {
    const { desk } = await engine();
    const received = [];
    for (const text of ['a', 'b', 'c'])
      received.push(await desk.receive({ senderId: 'team-sms', from: PHONE.dana, text }));
    const byId = (id: string) => desk.repository.transaction((s) => s.getMessage(id));
    expect(await byId('nothing')).toBeUndefined();
    for (const { message } of received) expect(await byId(message.id)).toEqual(message);
    const later = await desk.receive({ senderId: 'team-sms', from: PHONE.fay, text: 'd' });
    expect(await byId(later.message.id)).toEqual(later.message);
    // A late provider status for an incoming message changes nothing.
    await desk.applyStatus(later.message.id, { status: 'read', at: T0, attempt: 1 });
    expect(await byId(later.message.id)).toEqual(later.message);
  });
});

describe('desk client boundary', () => {
  it("U2, bad input: an unknown view kind is invalid_input; a standard user's Team Inbox is forbidden", async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    expect(() => alice.view({ kind: 'bogus' } as never)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(() => alice.view({ kind: 'team', userId: 'bob' })).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    await rejects(alice.send('x', { text: 42 } as never), 'invalid_input');
  });

  it('SN2, SN3: { templateId, text } means the same to the client and the backend: edited is free text', async () => {
    const desk = await createDesk();
    const bob = await desk.client('bob');
    const target = { senderId: 'bob-wa', customer: PHONE.dana };
    const edited = { templateId: 't-wa-hello', text: 'Hi Dana, 50% off!' };
    expect(await bob.checkSend(target, edited)).toMatchObject({
      outcome: 'refused',
      code: 'window_closed',
    });
    await rejects(
      desk.backend.connect('bob').send({ idempotencyKey: 'e', target, content: edited }),
      'window_closed',
    );
    const unedited = { templateId: 't-wa-hello', text: 'Hi Dana, how can we help?' };
    expect(await bob.checkSend(target, unedited)).toMatchObject({ outcome: 'allowed' });
    const { message } = await bob.startConversation({
      phone: PHONE.dana,
      senderId: 'bob-wa',
      content: unedited,
    });
    expect(message).toMatchObject({ text: unedited.text, template: { id: 't-wa-hello' } });
    await settle(bob);
  });

  it('RT2: a user sharing the sender ID messages a number a colleague already messaged on it', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const bob = await desk.client('bob');
    await alice.startConversation({
      phone: PHONE.eli,
      senderId: 'team-sms',
      content: { text: 'Alice' },
    });
    const { message } = await bob.startConversation({
      phone: PHONE.eli,
      senderId: 'team-sms',
      content: { text: 'Bob' },
    });
    await settle(alice, bob);
    expect(bob.conversation(message.conversationId).ownerId).toBe('bob');
    expect(alice.conversation(message.conversationId).ownerId).toBe('bob'); // V4: still in her Sent
  });

  it('U2: a conversation one may not see is not_found from the client as from the backend', async () => {
    const desk = await createDesk();
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.dana,
      text: 'for bob',
    });
    const alice = await desk.client('alice');
    await rejects(alice.send(conversation.id, { text: 'x' }), 'not_found');
    await rejects(alice.markRead([conversation.id], true), 'not_found');
    await rejects(alice.open(conversation.id), 'not_found');
    const adapter = desk.backend.connect('alice');
    await rejects(adapter.listMessages(conversation.id), 'not_found');
    await rejects(adapter.markRead([conversation.id], true, 'owner'), 'not_found');
  });
});
