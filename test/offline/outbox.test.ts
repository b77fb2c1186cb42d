/**
 * `withOutbox` over any adapter (here the embedded backend, made to fail on demand): order per
 * conversation, one delivery to the listeners, auth failures kept, the key retention.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDeskClient,
  isDeskError,
  type DeskClient,
  type ServerEvent,
} from '../../src/index.js';
import { withOutbox, type Outbox } from '../../src/offline/index.js';
import { createDesk, PHONE, settle, type Desk } from '../support/desk.js';
import { Faulty, until } from './support.js';

const DAY = 24 * 3600 * 1000;
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

interface Setup {
  desk: Desk;
  faulty: Faulty;
  outbox: Outbox;
  client: DeskClient;
  conversationId: string;
  events: ServerEvent[];
}

async function setup(): Promise<Setup> {
  const desk = await createDesk();
  const { conversation } = await desk.backend.simulateIncoming({
    senderId: 'alice-sms',
    from: PHONE.dana,
    text: 'Hi',
  });
  const faulty = new Faulty(desk.backend.connect('alice'));
  const outbox = withOutbox(faulty, {
    clock: desk.clock,
    databaseName: `outbox-${Math.random()}`,
    flush: { baseDelayMs: 1000, maxDelayMs: 1000 },
  });
  let n = 0;
  const client = createDeskClient({
    adapter: outbox,
    clock: desk.clock,
    createKey: () => `k${++n}`,
  });
  const events: ServerEvent[] = [];
  outbox.subscribe((event) => events.push(event));
  closing.push(async () => {
    client.disconnect();
    await outbox.close();
  });
  await client.connect();
  await client.open(conversation.id);
  return { desk, faulty, outbox, client, conversationId: conversation.id, events };
}

const outgoing = async (s: Setup) =>
  (await s.desk.backend.connect('alice').listMessages(s.conversationId)).items
    .filter((m) => m.direction === 'out')
    .map((m) => m.text);

describe('withOutbox', () => {
  it('SN6: a new send waits behind a queued one of the same conversation: the order the user pressed Send', async () => {
    const s = await setup();
    s.faulty.failing = 'network';
    const first = await s.client.send(s.conversationId, { text: 'first' });
    expect(first).toMatchObject({ status: 'queued', queueReason: 'offline' });
    s.faulty.failing = null; // the network is back, but the first still waits for its turn
    const second = await s.client.send(s.conversationId, { text: 'second' });
    expect(second).toMatchObject({ status: 'queued', queueReason: 'offline' });
    expect(s.faulty.posted).toEqual(['k1']); // the second did not overtake the first
    s.outbox.flushNow();
    await until(async () => (await s.outbox.entries()).length === 0, 'both delivered');
    expect(s.faulty.posted).toEqual(['k1', 'k1', 'k2']);
    expect(await outgoing(s)).toEqual(['first', 'second']);
  });

  it('a flushed entry reaches the listeners once, though the backend announces it too', async () => {
    const s = await setup();
    s.faulty.failing = 'server';
    await s.client.send(s.conversationId, { text: 'later' });
    s.faulty.failing = null;
    s.outbox.flushNow();
    await until(async () => (await s.outbox.entries()).length === 0, 'delivered');
    await s.outbox.settled();
    await settle(s.client);
    const created = s.events.filter(
      (e) => e.type === 'message.created' && e.message.idempotencyKey === 'k1',
    );
    expect(created).toHaveLength(1);
    const thread = s.client.getState().threads.get(s.conversationId)!.items;
    expect(thread.filter((m) => m.idempotencyKey === 'k1').map((m) => m.id)).not.toContain(
      'local:k1',
    );
    expect(thread.filter((m) => m.idempotencyKey === 'k1')).toHaveLength(1);
  });

  it('an auth failure keeps the message; the client says how many wait for a new sign-in', async () => {
    const s = await setup();
    const notices: number[] = [];
    s.client.on('outbox', (e) => notices.push(e.signInRequired));
    s.faulty.failing = 'unauthorized';
    for (const text of ['one', 'two', 'three']) {
      const m = await s.client.send(s.conversationId, { text });
      expect(m).toMatchObject({ status: 'queued' });
    }
    await until(() => s.client.getState().outbox.signInRequired === 3, 'sign in again to send 3');
    expect(notices.at(-1)).toBe(3);
    expect((await s.outbox.entries()).map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);
    expect(s.faulty.posted).toEqual(['k1']); // the others wait behind it, in order
    s.faulty.failing = null; // signed in again
    s.outbox.flushNow();
    await until(() => s.client.getState().outbox.waiting === 0, 'all sent');
    expect(await outgoing(s)).toEqual(['one', 'two', 'three']);
    expect(notices.at(-1)).toBe(0);
  });

  it('an entry older than the 7 days the server keeps keys fails with the reason, and is not sent', async () => {
    const s = await setup();
    s.faulty.failing = 'network';
    await s.client.send(s.conversationId, { text: 'stale' });
    s.faulty.failing = null;
    s.desk.clock.advance(8 * DAY);
    s.outbox.flushNow();
    await until(async () => (await s.outbox.entries())[0]?.state === 'failed', 'failed');
    const [entry] = await s.outbox.entries();
    expect(entry!.failure).toMatchObject({ code: 'not_retryable' });
    expect(entry!.failure!.message).toMatch(/7 days/);
    expect(s.faulty.posted).toEqual(['k1']);
    await until(
      () => s.client.getState().threads.get(s.conversationId)!.items.at(-1)?.status === 'failed',
      'the local copy shows failed',
    );
    expect(s.client.getState().outbox.failed).toBe(1);
    const error = await s.client.retry('local:k1').catch((e: unknown) => e);
    expect(isDeskError(error, 'not_retryable')).toBe(true);
    expect(await outgoing(s)).toEqual([]);
  });
});
