import { describe, expect, it, vi } from 'vitest';
import { createDesk, PHONE, settle } from './support/desk.js';

describe('the client API a newcomer reaches for', () => {
  it('SN7: client.message(id) gives a status without opening the thread, and its status events are kept', async () => {
    const desk = await createDesk();
    const sender = await desk.client('alice');
    const watcher = await desk.client('alice'); // another tab of the same user
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    await settle(sender, watcher);
    const sent = await sender.send(conversation.id, { text: 'Hello' });
    await settle(sender, watcher);
    const events: string[] = [];
    watcher.on('message.status', (e) => events.push(`${e.message.id}:${e.message.status}`));

    desk.clock.advance(10_000);
    await settle(sender, watcher);

    expect(watcher.getState().threads.has(conversation.id)).toBe(false);
    expect(watcher.message(sent.id)?.status).toBe('delivered');
    expect(Object.keys(watcher.message(sent.id)!.statusTimes)).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);
    expect(events).toEqual([`${sent.id}:sent`, `${sent.id}:delivered`]);
    // The sender's copy, from its open thread, agrees.
    expect(sender.message(sent.id)?.status).toBe('delivered');
    expect(watcher.message('no-such-message')).toBeUndefined();
  });

  it('SN1, C1: startConversation gives the conversation with the message', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    const { message, conversation } = await alice.startConversation({
      phone: PHONE.eli,
      senderId: 'alice-sms',
      content: { text: 'Hello Eli' },
    });
    expect(conversation.id).toBe(message.conversationId);
    expect(conversation.customer).toBe(PHONE.eli);
    expect(conversation.senderId).toBe('alice-sms');
    // C1: the same number on the same sender ID is the same conversation.
    const again = await alice.startConversation({
      phone: PHONE.eli,
      senderId: 'alice-sms',
      content: { text: 'Again' },
    });
    expect(again.conversation.id).toBe(conversation.id);
  });

  it('the public store is read-only: a host reads and subscribes, only commands write', async () => {
    const desk = await createDesk();
    const alice = await desk.client('alice');
    expect('setState' in alice.store).toBe(false);
    expect(Object.isFrozen(alice.store)).toBe(true);
    expect(alice.store.getState()).toBe(alice.getState());
    const unread = vi.fn();
    alice.store.subscribeWithSelector((s) => s.conversations.size, unread);
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await settle(alice);
    expect(unread).toHaveBeenCalledWith(1, 0);
  });
});
