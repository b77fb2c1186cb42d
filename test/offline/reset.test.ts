/**
 * N1 after a reset: when the backend cannot resume its events, the client loads the inbox and the
 * open threads again and raises the notifications the missed events would have raised.
 */
import { describe, expect, it } from 'vitest';
import { createDeskClient, type DeskEventMap } from '../../src/index.js';
import { createDesk, PHONE, settle } from '../support/desk.js';
import { Faulty, until } from './support.js';

describe('reset', () => {
  it('N1: after a reset, the missed incoming message and assignment raise their notifications; the open thread catches up', async () => {
    const desk = await createDesk();
    const { conversation: mine } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const adapter = new Faulty(desk.backend.connect('alice'));
    const client = createDeskClient({ adapter, clock: desk.clock });
    await client.connect();
    await client.open(mine.id);
    const raised: Array<DeskEventMap['notification']> = [];
    client.on('notification', (e) => raised.push(e));

    adapter.deaf = true; // the events of the next moments never arrive
    desk.clock.advance(60_000);
    await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Missed',
    });
    const { conversation: bobs } = await desk.backend.simulateIncoming({
      senderId: 'bob-wa',
      from: PHONE.eli,
      text: 'Hello Bob',
    });
    await desk.backend.connect('admin').assign([bobs.id], 'alice');
    await settle(client);
    expect(client.getState().unseenNotifications).toBe(0);

    adapter.deaf = false;
    adapter.inject({ type: 'reset' }, 'r1');
    await until(() => client.getState().unseenNotifications === 2, 'two notifications');
    expect(raised.map((n) => [n.kind, n.conversationId])).toEqual([
      ['incoming', mine.id],
      ['assignment', bobs.id],
    ]);
    expect(client.getState().conversations.get(bobs.id)?.ownerId).toBe('alice');
    const texts = client
      .getState()
      .threads.get(mine.id)!
      .items.map((m) => m.text);
    expect(texts).toEqual(['Hi', 'Missed']);
    client.disconnect();
  });
});
