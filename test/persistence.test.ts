import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createManualClock, type Clock } from '../src/index.js';
import { EmbeddedBackend } from '../src/embedded/index.js';
import { createDesk, PHONE, seed, settle, T0 } from './support/desk.js';

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

describe('embedded backend lifecycle (issue 8 defects)', () => {
  it('SN7: provider updates pending when the backend closed resume when it reopens', async () => {
    const name = `desk-${Math.random()}`;
    const first = await createDesk({ databaseName: name });
    const alice = await first.client('alice');
    const { conversation } = await first.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(alice);
    const sent = await alice.send(conversation.id, { text: 'Reply' });
    expect(sent.status).toBe('queued');
    await first.backend.close(); // before the provider's first update

    const second = await createDesk({ databaseName: name });
    second.clock.advance(10_000);
    await settle();
    const page = await second.backend.connect('alice').listMessages(conversation.id);
    expect(page.items.at(-1)).toMatchObject({ id: sent.id, status: 'delivered' });
    await second.backend.close();
  });

  it('SN6, SN7: close() cancels every timer it set (provider and business hours)', async () => {
    const clock = createManualClock(T0);
    const live = new Set<unknown>();
    const counting: Clock = {
      now: () => clock.now(),
      setTimeout(callback, ms) {
        const handle: unknown = clock.setTimeout(() => {
          live.delete(handle);
          callback();
        }, ms);
        live.add(handle);
        return handle;
      },
      clearTimeout(handle) {
        live.delete(handle);
        clock.clearTimeout(handle);
      },
    };
    const backend = await EmbeddedBackend.open({ clock: counting });
    await backend.seed(seed());
    const alice = backend.connect('alice');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    const c = (await alice.listConversations()).items[0]!;
    await alice.send({
      idempotencyKey: 'k1',
      target: { conversationId: c.id },
      content: { text: 'now' },
    });
    await backend.setBusinessHours({ timeZone: 'UTC', weekly: { wed: [['09:00', '17:00']] } });
    await alice.send({
      idempotencyKey: 'k2',
      target: { conversationId: c.id },
      content: { text: 'later' },
    });
    await settle();
    expect(live.size).toBeGreaterThan(1); // provider steps and the release timer
    await backend.close();
    expect(live.size).toBe(0);
  });

  it('SN6: a message released from the business-hours queue drops its stale queueReason, also after a reload', async () => {
    const name = `desk-${Math.random()}`;
    const first = await createDesk({ databaseName: name });
    await first.backend.setBusinessHours({
      timeZone: 'UTC',
      weekly: { tue: [['09:00', '17:00']] },
    });
    const { conversation } = await first.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const queued = await first.backend.connect('alice').send({
      idempotencyKey: 'q1',
      target: { conversationId: conversation.id },
      content: { text: 'Tuesday' },
    });
    expect(queued.message).toMatchObject({ queueReason: 'business_hours' });
    await first.backend.close();

    const second = await createDesk({ databaseName: name });
    second.clock.advance(24 * 3_600_000); // Tuesday 15:00: open
    await settle();
    const [message] = (
      await second.backend.connect('alice').listMessages(conversation.id)
    ).items.slice(-1);
    expect(message).toMatchObject({ id: queued.message.id, status: 'delivered' });
    expect(message!.queueReason).toBeUndefined();
    expect(message!.queuedUntil).toBeUndefined();
    await second.backend.close();
  });
});

describe('embedded backend durability (write-behind)', () => {
  it('RT1–RT5: every message routed before close() is stored when close() resolves; one routed after is refused, never lost', async () => {
    const name = `desk-${Math.random()}`;
    const first = await createDesk({ databaseName: name });
    // A slow command holds the repository: those called after it wait their turn.
    const slow = first.backend.engine.repository.transaction(
      () => new Promise((resolve) => setTimeout(resolve, 20)),
    );
    const fresh = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    const routed = Array.from({ length: 40 }, (_, i) =>
      first.backend.simulateIncoming({
        senderId: 'team-sms',
        from: i % 2 ? PHONE.dana : fresh,
        text: `m${i}`,
      }),
    );
    await first.backend.close();
    await slow;
    const results = await Promise.all(routed);
    await expect(
      first.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.dana, text: 'late' }),
    ).rejects.toMatchObject({ code: 'server' });

    const second = await createDesk({ databaseName: name });
    const admin = second.backend.connect('admin');
    const stored = [];
    for (const id of new Set(results.map((r) => r.conversation.id)))
      stored.push(...(await admin.listMessages(id, { limit: 100 })).items.map((m) => m.text));
    expect(stored.sort()).toEqual(results.map((r) => r.message.text).sort());
    expect(stored).toHaveLength(40);
    await second.backend.close();
  });
});
