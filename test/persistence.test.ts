import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createDesk, PHONE, settle } from './support/desk.js';

describe('embedded backend persistence (IndexedDB)', () => {
  it('a reload loses nothing: conversations, messages, contacts, consent, campaigns and queued sends', async () => {
    const name = `desk-${Math.random()}`;
    const first = await createDesk({ databaseName: name });
    first.backend.setBusinessHours({ timeZone: 'UTC', weekly: { wed: [['09:00', '17:00']] } });
    const alice = await first.client('alice');
    const { conversation } = await first.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    await alice.open(conversation.id);
    const queued = await alice.send(conversation.id, { text: 'Queued for Wednesday' });
    await alice.saveContact({ phone: PHONE.unknown, firstName: 'Una' });
    await first.backend.setConsent(PHONE.eli, true);
    await first.backend.sendCampaign({
      senderId: 'team-sms',
      userId: 'bob',
      to: [PHONE.eli],
      text: 'Promo',
    });
    await first.backend.close();

    const second = await createDesk({ databaseName: name });
    expect(second.backend.seeded).toBe(true);
    const again = await second.client('alice');
    expect(again.view({ kind: 'mine' }).rows.map((r) => r.conversation.id)).toEqual([
      conversation.id,
    ]);
    expect(again.conversation(conversation.id)).toMatchObject({
      unread: false,
      ownerId: 'alice',
      revision: expect.any(Number),
    });
    const thread = await again.open(conversation.id);
    expect(thread.items.map((m) => [m.text, m.status])).toEqual([
      ['Hi', 'delivered'],
      ['Queued for Wednesday', 'queued'],
    ]);
    expect(again.getState().contacts.get(PHONE.unknown)?.firstName).toBe('Una');
    expect((await again.recipient(PHONE.eli)).whatsappConsent).toBe(true);
    // The same idempotency key still does not send twice after the reload.
    const replay = await second.backend.connect('alice').send({
      idempotencyKey: queued.idempotencyKey!,
      target: { conversationId: conversation.id },
      content: { text: 'Queued for Wednesday' },
    });
    expect(replay.message.id).toBe(queued.id);
    // C3 survives too: the reply turns the campaign into a conversation.
    const reply = await second.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.eli,
      text: 'Yes',
    });
    expect(reply.routing).toMatchObject({ rule: 'RT2', ownerId: 'bob' });
    // The queued message is released when the hours open, after the reload.
    second.clock.advance(3 * 24 * 3_600_000);
    await settle(again);
    expect(again.getState().threads.get(conversation.id)!.items.at(-1)!.status).toBe('delivered');
    await second.backend.close();
  });
});
