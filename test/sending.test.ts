import { describe, expect, it } from 'vitest';
import { CARE_WINDOW_MS, type DeskState } from '../src/index.js';
import { createDesk, PHONE, settle, T0 } from './support/desk.js';
import { rejects } from './support/errors.js';

const HOUR = 3_600_000;

/** State unchanged by a refusal; the only allowed difference is the recipient cache filling. */
function expectUnchanged(before: DeskState, after: DeskState) {
  for (const key of Object.keys(before) as Array<keyof DeskState>) {
    if (key === 'recipients') continue;
    expect(after[key], key).toBe(before[key]);
  }
  for (const [phone, policy] of before.recipients) expect(after.recipients.get(phone)).toBe(policy);
}

describe('sending through the desk client', () => {
  it('SN1: a new conversation from a typed name, country code and number saves the contact and sends', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const suggestions = await alice.suggestContacts('dan');
    expect(suggestions.map((c) => c.phone)).toEqual([PHONE.dana]);
    const { message, conversation: started } = await alice.startConversation({
      name: 'Hal Hughes',
      countryCallingCode: '1',
      nationalNumber: '(415) 555-0177',
      senderId: 'alice-sms',
      content: { text: 'Welcome!' },
    });
    expect(message.status).toBe('queued');
    const conversation = alice.conversation(message.conversationId);
    expect(started).toEqual(conversation);
    expect(conversation.customer).toBe('+14155550177');
    expect(alice.getState().contacts.get('+14155550177')).toMatchObject({
      firstName: 'Hal',
      lastName: 'Hughes',
    });
    expect(alice.view({ kind: 'sent' }).rows[0]!.title).toBe('Hal Hughes');
  });

  it('SN1, SN2: the name typed for a new number fills the template; missing fields typed inline fill it too', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const hal = '+14155550177';
    expect(alice.previewTemplate('t-sms-hi', hal)).toEqual({
      text: 'Hi {{contact.firstName}}!',
      missing: ['contact.firstName'],
    });
    expect(alice.previewTemplate('t-sms-hi', hal, { name: ' Hal  Hughes ' }).text).toBe('Hi Hal!');
    const refused = await alice.checkSend(
      { senderId: 'alice-sms', customer: hal },
      { templateId: 't-sms-hi' },
    );
    expect(refused).toMatchObject({ outcome: 'refused', code: 'template_missing_fields' });
    const before = alice.getState();
    await rejects(
      alice.startConversation({
        phone: hal,
        senderId: 'alice-sms',
        content: { templateId: 't-sms-hi' },
      }),
      'template_missing_fields',
    );
    expectUnchanged(before, alice.getState());
    const { message } = await alice.startConversation({
      name: 'Hal Hughes',
      phone: hal,
      senderId: 'alice-sms',
      content: { templateId: 't-sms-hi' },
    });
    expect(message.text).toBe('Hi Hal!');
    expect(alice.getState().contacts.get(hal)).toMatchObject({
      firstName: 'Hal',
      lastName: 'Hughes',
    });

    const gus = '+14155550188';
    const filled = alice.previewTemplate('t-sms-hi', gus, {
      values: { 'contact.firstName': 'Gus' },
    });
    expect(filled).toEqual({ text: 'Hi Gus!', missing: [] });
    const { message: second } = await alice.startConversation({
      phone: gus,
      senderId: 'alice-sms',
      content: { templateId: 't-sms-hi', text: filled.text },
    });
    expect(second.text).toBe('Hi Gus!');
    expect(second.template?.id).toBe('t-sms-hi');
  });

  it('SN2: a template is filled from the contact; one for the wrong channel or of campaign type is refused', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    expect(alice.templatesFor('sms').map((t) => t.id)).toEqual(['t-sms-hi']);
    const { message: sent } = await alice.startConversation({
      phone: PHONE.dana,
      senderId: 'alice-sms',
      content: { templateId: 't-sms-hi' },
    });
    expect(sent.text).toBe('Hi Dana!');
    const conversationId = sent.conversationId;
    const before = alice.getState();
    await rejects(
      alice.send(conversationId, { templateId: 't-wa-hello' }),
      'template_channel_mismatch',
    );
    await rejects(
      alice.send(conversationId, { templateId: 't-sms-promo' }),
      'template_not_conversation',
    );
    await rejects(alice.send(conversationId, { templateId: 'missing' }), 'not_found');
    // An unknown number has no first name to merge.
    const error = await rejects(
      alice.startConversation({
        phone: PHONE.unknown,
        senderId: 'alice-sms',
        content: { templateId: 't-sms-hi' },
      }),
      'template_missing_fields',
    );
    expect(error.details.missing).toEqual(['contact.firstName']);
    expectUnchanged(before, alice.getState());
  });

  it('SN3: free text is allowed inside the 24-hour care window, then only a registered template', async () => {
    const desk = await createDesk();
    const bob = await desk.client('bob');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.eli,
      text: 'Hi',
    });
    await settle(bob);
    await desk.backend.setConsent(PHONE.eli, true);
    await settle(bob);
    const open = await bob.checkSend({ conversationId: conversation.id }, { text: 'Hello' });
    expect(open).toMatchObject({
      outcome: 'allowed',
      careWindow: { open: true, expiresAt: T0 + CARE_WINDOW_MS },
    });
    await bob.send(conversation.id, { text: 'Hello' });
    desk.clock.advance(CARE_WINDOW_MS);
    await settle(bob); // the provider's status updates are commands too
    const closed = await bob.checkSend({ conversationId: conversation.id }, { text: 'Late reply' });
    expect(closed).toMatchObject({ outcome: 'refused', code: 'window_closed' });
    const before = bob.getState();
    await rejects(bob.send(conversation.id, { text: 'Late reply' }), 'window_closed');
    await rejects(bob.send(conversation.id, { templateId: 't-wa-free' }), 'window_closed');
    expectUnchanged(before, bob.getState());
    // The backend refuses it too, whatever a client does.
    await rejects(
      desk.backend.connect('bob').send({
        idempotencyKey: 'k',
        target: { conversationId: conversation.id },
        content: { text: 'x' },
      }),
      'window_closed',
    );
    const template = await bob.send(conversation.id, { templateId: 't-wa-hello' });
    expect(template.text).toBe('Hi Eli, how can we help?');
    // A new incoming message restarts the window.
    await desk.backend.simulateIncoming({ senderId: 'bob-wa', from: PHONE.eli, text: 'Back' });
    await settle(bob);
    const restarted = bob.careWindow(conversation.id);
    expect(restarted.open).toBe(true);
    // Times are unique within a thread, so the window may start 1 ms after the reply.
    expect(restarted.remainingMs - CARE_WINDOW_MS).toBeGreaterThanOrEqual(0);
    expect(restarted.remainingMs - CARE_WINDOW_MS).toBeLessThanOrEqual(1);
  });

  it('SN4: starting a WhatsApp conversation needs consent on record', async () => {
    const desk = await createDesk();
    const bob = await desk.client('bob');
    const error = await rejects(
      bob.startConversation({
        phone: PHONE.eli,
        senderId: 'bob-wa',
        content: { templateId: 't-wa-hello' },
      }),
      'no_consent',
    );
    expect(error.message).toMatch(/consent/i);
    expect(bob.getState().conversations.size).toBe(0);
    const { message: ok } = await bob.startConversation({
      phone: PHONE.dana,
      senderId: 'bob-wa',
      content: { templateId: 't-wa-hello' },
    });
    expect(ok.text).toBe('Hi Dana, how can we help?');
  });

  it('SN5: nothing is sent to a number that opted out of the channel, including after a STOP', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    await rejects(
      alice.startConversation({ phone: PHONE.fay, senderId: 'alice-sms', content: { text: 'Hi' } }),
      'opted_out',
    );
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text: 'STOP',
    });
    await settle(alice);
    const verdict = await alice.checkSend(
      { conversationId: conversation.id },
      { text: 'Sorry to see you go' },
    );
    expect(verdict).toMatchObject({ outcome: 'refused', code: 'opted_out' });
    await rejects(alice.send(conversation.id, { text: 'x' }), 'opted_out');
    // Opted out of SMS only: WhatsApp is another channel.
    expect((await alice.recipient(PHONE.eli)).optedOut).toEqual(['sms']);
  });

  it('SN6: outside business hours a message is queued and goes out when the hours open', async () => {
    const desk = await createDesk();
    // T0 is Monday 15:00 UTC = 10:00 in New York; open 12:00–17:00 New York time.
    desk.backend.setBusinessHours({
      timeZone: 'America/New_York',
      weekly: { mon: [['12:00', '17:00']] },
    });
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    const verdict = await alice.checkSend({ conversationId: conversation.id }, { text: 'Reply' });
    expect(verdict).toMatchObject({
      outcome: 'queued',
      reason: 'business_hours',
      until: T0 + 2 * HOUR,
    });
    const message = await alice.send(conversation.id, { text: 'Reply' });
    expect(message).toMatchObject({
      status: 'queued',
      queueReason: 'business_hours',
      queuedUntil: T0 + 2 * HOUR,
    });
    await alice.open(conversation.id);
    desk.clock.advance(2 * HOUR - 1);
    await settle(alice);
    expect(alice.getState().threads.get(conversation.id)!.items.at(-1)!.status).toBe('queued');
    desk.clock.advance(1 + 400);
    await settle(alice);
    const released = alice.getState().threads.get(conversation.id)!.items.at(-1)!;
    expect(released).toMatchObject({ id: message.id, status: 'sent' });
    expect(released.queueReason).toBeUndefined();
  });

  it('SN6: free WhatsApp text that would leave after the care window closes is refused up front', async () => {
    const desk = await createDesk();
    desk.backend.setBusinessHours({ timeZone: 'UTC', weekly: { wed: [['09:00', '17:00']] } });
    const bob = await desk.client('bob');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(bob);
    await rejects(bob.send(conversation.id, { text: 'Free text' }), 'window_closed');
    const queued = await bob.send(conversation.id, { templateId: 't-wa-hello' });
    expect(queued).toMatchObject({ status: 'queued', queueReason: 'business_hours' });
  });

  it('SN6: a queued message to a number that opts out before the hours open fails with the reason', async () => {
    const desk = await createDesk();
    desk.backend.setBusinessHours({ timeZone: 'UTC', weekly: { wed: [['09:00', '17:00']] } });
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    await alice.open(conversation.id);
    const message = await alice.send(conversation.id, { text: 'See you Wednesday' });
    expect(message.status).toBe('queued');
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'stop' });
    desk.clock.advance(2 * 24 * HOUR);
    await settle(alice);
    const failed = alice
      .getState()
      .threads.get(conversation.id)!
      .items.find((m) => m.id === message.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/opted out/i);
  });

  it('SN5: an opt-out reaches connected clients as state, so the UI can re-check before Send', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text: 'Hi',
    });
    await settle(alice);
    expect(await alice.checkSend({ conversationId: conversation.id }, { text: 'x' })).toMatchObject(
      { outcome: 'allowed' },
    );
    const seen: string[][] = [];
    alice.select(
      (s) => s.recipients.get(PHONE.eli)?.optedOut,
      (optedOut) => seen.push([...(optedOut ?? [])]),
    );
    await desk.backend.setOptOut(PHONE.eli, 'sms', true);
    await settle(alice);
    expect(seen).toEqual([['sms']]);
    expect(await alice.checkSend({ conversationId: conversation.id }, { text: 'x' })).toMatchObject(
      { code: 'opted_out' },
    );
  });

  it('SN6: new business hours reach connected clients without reconnecting', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    expect(await alice.checkSend({ conversationId: conversation.id }, { text: 'x' })).toMatchObject(
      { outcome: 'allowed' },
    );
    desk.backend.setBusinessHours({ timeZone: 'UTC', weekly: { wed: [['09:00', '17:00']] } });
    await settle(alice);
    expect(alice.getState().settings?.businessHours?.timeZone).toBe('UTC');
    expect(await alice.checkSend({ conversationId: conversation.id }, { text: 'x' })).toMatchObject(
      { outcome: 'queued' },
    );
  });

  it('SN7: messages of the same millisecond keep the order they were sent in', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'question',
    });
    await settle(alice);
    await alice.open(conversation.id);
    for (const text of ['one', 'two', 'three']) await alice.send(conversation.id, { text });
    await settle(alice);
    expect(
      alice
        .getState()
        .threads.get(conversation.id)!
        .items.map((m) => m.text),
    ).toEqual(['question', 'one', 'two', 'three']);
    const fresh = await desk.client('alice');
    const thread = await fresh.open(conversation.id);
    expect(thread.items.map((m) => m.text)).toEqual(['question', 'one', 'two', 'three']);
  });

  it('SN7: status goes sent, delivered, read on WhatsApp and stops at delivered on SMS', async () => {
    const desk = await createDesk();
    const bob = await desk.client('bob');
    const wa = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.dana,
      text: 'Hi',
    });
    const sms = await desk.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.eli,
      text: 'Hi',
    });
    await settle(bob);
    const admin = await desk.client('admin');
    await admin.assign([sms.conversation.id], 'bob');
    await settle(bob);
    await bob.open(wa.conversation.id);
    await bob.open(sms.conversation.id);
    const m1 = await bob.send(wa.conversation.id, { text: 'wa' });
    const m2 = await bob.send(sms.conversation.id, { text: 'sms' });
    const statuses: string[] = [];
    bob.on('message.status', (e) => statuses.push(`${e.message.text}:${e.message.status}`));
    desk.clock.advance(10_000);
    await settle(bob);
    expect(statuses).toEqual(['wa:sent', 'sms:sent', 'wa:delivered', 'sms:delivered', 'wa:read']);
    const find = (cid: string, id: string) =>
      bob
        .getState()
        .threads.get(cid)!
        .items.find((m) => m.id === id)!;
    expect(Object.keys(find(wa.conversation.id, m1.id).statusTimes)).toEqual([
      'queued',
      'sent',
      'delivered',
      'read',
    ]);
    expect(find(sms.conversation.id, m2.id).status).toBe('delivered');
    expect(bob.conversation(wa.conversation.id).lastMessage?.status).toBe('read');
  });

  it('SN7: a failed send shows its reason, and a retry sends it again as a new attempt', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    await alice.open(conversation.id);
    await desk.backend.failNextSend(PHONE.dana, 'Carrier unreachable');
    const message = await alice.send(conversation.id, { text: 'Hello' });
    desk.clock.advance(5000);
    await settle(alice);
    const thread = () => alice.getState().threads.get(conversation.id)!.items;
    expect(thread().at(-1)).toMatchObject({
      id: message.id,
      status: 'failed',
      failureReason: 'Carrier unreachable',
    });
    await rejects(alice.retry(thread()[0]!.id), 'not_retryable');
    const retried = await alice.retry(message.id);
    expect(retried).toMatchObject({ id: message.id, status: 'queued', attempt: 2 });
    desk.clock.advance(5000);
    await settle(alice);
    expect(thread().filter((m) => m.direction === 'out')).toHaveLength(1);
    expect(thread().at(-1)).toMatchObject({ id: message.id, status: 'delivered', attempt: 2 });
    expect(thread().at(-1)!.failureReason).toBeUndefined();
  });

  it('SN7: messages and statuses that arrive while a thread is loading are not lost', async () => {
    const desk = await createDesk();
    const adapter = desk.backend.connect('alice');
    let release: () => void = () => undefined;
    const listMessages = async (id: string, query?: { cursor?: string | null; limit?: number }) => {
      const page = await adapter.listMessages(id, query);
      await new Promise<void>((r) => (release = r));
      return page;
    };
    const slow = new Proxy(adapter, {
      get: (target, key) => {
        if (key === 'listMessages') return listMessages;
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value; // optional members too
      },
    });
    const { createDeskClient } = await import('../src/index.js');
    const alice = createDeskClient({ adapter: slow, clock: desk.clock });
    await alice.connect();
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'first',
    });
    const other = await desk.client('alice');
    await settle(alice, other);
    const reply = await other.send(conversation.id, { text: 'reply' });
    const opening = alice.open(conversation.id);
    await new Promise((r) => setTimeout(r, 0)); // the page is read; the answer is held
    await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'second',
    });
    desk.clock.advance(2000); // the reply is sent and delivered meanwhile
    await settle(alice);
    release();
    const thread = await opening;
    expect(thread.items.map((m) => [m.text, m.status])).toEqual([
      ['first', 'delivered'],
      ['reply', 'delivered'],
      ['second', 'delivered'],
    ]);
    expect(thread.items[1]!.id).toBe(reply.id);
  });

  it('SN7: the same idempotency key never sends twice', async () => {
    const desk = await createDesk();
    const adapter = desk.backend.connect('alice');
    const request = {
      idempotencyKey: 'once',
      target: { senderId: 'alice-sms', customer: PHONE.dana },
      content: { text: 'Hi' },
    };
    const a = await adapter.send(request);
    const b = await adapter.send(request);
    expect(b.message.id).toBe(a.message.id);
    expect((await adapter.listMessages(a.conversation.id)).items).toHaveLength(1);
  });

  it('SN8: the client exposes carrier segment counts for the compose box', async () => {
    const { countSegments } = await import('../src/index.js');
    expect(countSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', parts: 2 });
    expect(countSegments('Hi 😀')).toMatchObject({ encoding: 'UCS-2', ucs2Characters: ['😀'] });
  });

  it('bad input gets a typed error and leaves state unchanged', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    const before = alice.getState();
    await rejects(alice.send(conversation.id, { text: '   ' }), 'invalid_input');
    await rejects(alice.send('nope', { text: 'x' }), 'not_found');
    await rejects(
      alice.startConversation({ phone: PHONE.dana, senderId: 'nope', content: { text: 'x' } }),
      'not_found',
    );
    await rejects(alice.retry('nope'), 'not_found');
    await rejects(
      alice.send(conversation.id, {
        media: [
          {
            url: 'https://x/y.exe',
            mimeType: 'application/x-msdownload',
            fileName: 'y.exe',
            size: 10,
          },
        ],
      }),
      'media_rejected',
    );
    expectUnchanged(before, alice.getState());
    const page = await desk.backend.connect('alice').listMessages(conversation.id);
    expect(page.items).toHaveLength(1);
  });
});
