/**
 * The simulated carrier signs its webhooks like a real one and goes through the same pipeline; and
 * the pipeline's own guarantees: unknown carrier, a status that overtakes its send, desk failures.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import { DeskError } from '../../src/errors.js';
import {
  createSimulatedCarrier,
  createWebhookPipeline,
  handleWebhookRequest,
  memoryInbox,
  SIMULATOR_SIGNATURE,
  type SignedWebhook,
  type SimulatedCarrier,
  type WebhookPipeline,
} from '../../src/server/carriers/index.js';
import { internalRequest, post, PUBLIC_BASE, testDesk, type TestDesk } from './support.js';

const PATH = '/webhooks/simulator';

let clock: ManualClock;
let carrier: SimulatedCarrier;
let desk: TestDesk;
let inbox: ReturnType<typeof memoryInbox>;
let pipeline: WebhookPipeline;
let replies: number[];

/** What the server does with a webhook the simulator posts: the real route handler. */
async function toServer(webhook: SignedWebhook) {
  const path = new URL(webhook.url).pathname;
  const response = await handleWebhookRequest(
    pipeline,
    'simulator',
    internalRequest(path, { headers: webhook.headers, body: webhook.body }),
    { publicBaseUrl: PUBLIC_BASE, now: () => clock.now() },
  );
  replies.push(response.status);
}

beforeEach(() => {
  clock = createManualClock(Date.UTC(2026, 11, 1, 9));
  replies = [];
  let n = 0;
  carrier = createSimulatedCarrier({
    secret: 'simulator-secret',
    webhookUrl: `${PUBLIC_BASE}${PATH}`,
    deliver: toServer,
    clock,
    createId: () => `id${++n}`,
  });
  desk = testDesk();
  inbox = memoryInbox();
  pipeline = createWebhookPipeline({ providers: [carrier], inbox, desk, clock });
});

describe('simulated carrier', () => {
  it("a customer's message arrives through the signed webhook path", async () => {
    const id = await carrier.incoming({
      channel: 'sms',
      from: '+14155550101',
      to: '+14155550100',
      text: 'Hi there',
    });
    await pipeline.idle();
    expect(replies).toEqual([200]);
    expect(desk.received).toMatchObject([
      { carrierMessageId: id, channel: 'sms', from: '+14155550101', text: 'Hi there' },
    ]);
  });

  it('statuses of a send come back as signed webhooks, in order, up to read on WhatsApp', async () => {
    const receipt = await carrier.send({
      channel: 'whatsapp',
      from: '+14155550199',
      to: '+14155550101',
      text: 'Hello',
      media: [],
    });
    expect(receipt.status).toBe('queued');
    desk.sent('simulator', receipt.carrierMessageId, 'whatsapp');
    clock.advance(1500);
    await vi.waitFor(() =>
      expect(desk.message('simulator', receipt.carrierMessageId).status).toBe('delivered'),
    );
    clock.advance(5000);
    await vi.waitFor(() =>
      expect(desk.message('simulator', receipt.carrierMessageId).status).toBe('read'),
    );
    expect(replies).toEqual([200, 200, 200]);
  });

  it('SN7: failNext makes the carrier report a failure with its reason and code', async () => {
    carrier.failNext('+14155550101', { reason: 'Handset unreachable', code: 'invalid_phone' });
    const receipt = await carrier.send({
      channel: 'sms',
      from: '+14155550100',
      to: '+14155550101',
      text: 'Hello',
      media: [],
    });
    desk.sent('simulator', receipt.carrierMessageId, 'sms');
    clock.advance(400);
    await vi.waitFor(() =>
      expect(desk.message('simulator', receipt.carrierMessageId)).toMatchObject({
        status: 'failed',
        failureReason: 'Handset unreachable',
      }),
    );
  });

  it('SN7: the same status twice and a late one change nothing; SN5: STOP opts out', async () => {
    desk.sent('simulator', 'sim-x', 'whatsapp');
    const read = await carrier.sign({ type: 'status', id: 'sim-x', status: 'read', at: 5 });
    await toServer(read);
    await toServer(read);
    await toServer(await carrier.sign({ type: 'status', id: 'sim-x', status: 'sent', at: 9 }));
    await pipeline.idle();
    expect(desk.message('simulator', 'sim-x')).toMatchObject({
      status: 'read',
      statusTimes: { queued: 0, read: 5 },
    });
    expect(inbox.entries().filter((e) => e.key.includes('sim-x'))).toHaveLength(2);
    await carrier.incoming({
      channel: 'sms',
      from: '+14155550101',
      to: '+14155550100',
      text: 'stop',
    });
    await pipeline.idle();
    expect(desk.recipients.get('+14155550101')?.optedOut).toEqual(['sms']);
  });

  describe('forged simulator webhooks get 403 and store nothing', () => {
    const forge: Array<[string, (w: SignedWebhook) => SignedWebhook]> = [
      ['a tampered body', (w) => ({ ...w, body: w.body.replace('Hi there', 'Refund me') })],
      ['a missing signature', (w) => ({ ...w, headers: { 'content-type': 'application/json' } })],
      ['a tampered URL', (w) => ({ ...w, url: `${PUBLIC_BASE}/webhooks/simulator?x=1` })],
      [
        'a signature with another secret',
        (w) => ({
          ...w,
          headers: { ...w.headers, [SIMULATOR_SIGNATURE]: `sha256=${'00'.repeat(32)}` },
        }),
      ],
    ];
    for (const [name, change] of forge) {
      it(name, async () => {
        const webhook = change(
          await carrier.sign({
            type: 'message',
            id: 'x1',
            channel: 'sms',
            from: '+1',
            to: '+2',
            text: 'Hi there',
          }),
        );
        const url = new URL(webhook.url);
        const response = await post(
          pipeline,
          'simulator',
          internalRequest(url.pathname + url.search, {
            headers: webhook.headers,
            body: webhook.body,
          }),
        );
        expect(response.status).toBe(403);
        expect(inbox.entries()).toEqual([]);
      });
    }
  });

  it('close() cancels the statuses still to come', async () => {
    const receipt = await carrier.send({
      channel: 'sms',
      from: '+1',
      to: '+2',
      text: 'Hi',
      media: [],
    });
    desk.sent('simulator', receipt.carrierMessageId, 'sms');
    carrier.close();
    clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replies).toEqual([]);
  });
});

describe('webhook pipeline', () => {
  it('an unknown carrier gets 404 and nothing is stored', async () => {
    const response = await post(
      pipeline,
      'nobody',
      internalRequest('/webhooks/nobody', { body: '{}' }),
    );
    expect(response.status).toBe(404);
    expect(inbox.entries()).toEqual([]);
  });

  it('a status that overtakes its send waits, then applies once the desk knows the message', async () => {
    const early = await carrier.sign({
      type: 'status',
      id: 'sim-late',
      status: 'delivered',
      at: clock.now(),
    });
    await toServer(early);
    await pipeline.idle();
    expect(replies).toEqual([200]); // acknowledged at once, kept for later
    desk.sent('simulator', 'sim-late', 'sms');
    clock.advance(2000);
    await vi.waitFor(() => expect(desk.message('simulator', 'sim-late').status).toBe('delivered'));
  });

  it('a status for a message never known is dropped after orphanAfterMs, and reported', async () => {
    const errors: unknown[] = [];
    pipeline = createWebhookPipeline({
      providers: [carrier],
      inbox,
      desk,
      clock,
      orphanAfterMs: 5000,
      onError: (error) => errors.push(error),
    });
    await toServer(await carrier.sign({ type: 'status', id: 'sim-ghost', status: 'sent' }));
    await pipeline.idle();
    for (let i = 0; i < 4; i++) {
      clock.advance(2000);
      await pipeline.idle();
    }
    expect(await inbox.pending(clock.now() + 1e9, 10)).toEqual([]);
    expect(String(errors[0])).toMatch(/No message is known for simulator:status:sim-ghost:sent/);
  });

  it('an event the desk fails to apply stays stored and is tried again', async () => {
    let fail = true;
    const flaky = testDesk();
    const receive = flaky.receive;
    flaky.receive = async (c, m) => {
      if (fail) throw new Error('database down');
      return receive(c, m);
    };
    pipeline = createWebhookPipeline({
      providers: [carrier],
      inbox,
      desk: flaky,
      clock,
      onError: () => {},
    });
    await carrier.incoming({
      channel: 'sms',
      from: '+14155550101',
      to: '+14155550100',
      text: 'Hi',
    });
    await pipeline.idle();
    expect(replies).toEqual([200]);
    expect(flaky.received).toEqual([]);
    fail = false;
    clock.advance(2000);
    await vi.waitFor(() => expect(flaky.received).toHaveLength(1));
  });
});

describe('webhook pipeline refusals', () => {
  it('a refusal of the desk is final: reported once, not retried', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const refusing = testDesk();
    refusing.receive = async () => {
      calls++;
      throw new DeskError('not_found', 'No sender ID for sms +14155550100.');
    };
    pipeline = createWebhookPipeline({
      providers: [carrier],
      inbox,
      desk: refusing,
      clock,
      onError: (error) => errors.push(error),
    });
    await carrier.incoming({
      channel: 'sms',
      from: '+14155550101',
      to: '+14155550100',
      text: 'Hi',
    });
    await pipeline.idle();
    clock.advance(10_000);
    await pipeline.idle();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
    expect(await inbox.pending(clock.now() + 1e9, 10)).toEqual([]);
  });
});

describe('webhook pipeline on several instances', () => {
  it('the instance that stored an event processes it; another takes it only when its lease ends', async () => {
    const deskA = testDesk();
    const deskB = testDesk();
    deskA.receive = () => new Promise(() => undefined); // instance A dies mid-way
    const a = createWebhookPipeline({ providers: [carrier], inbox, desk: deskA, clock });
    const b = createWebhookPipeline({ providers: [carrier], inbox, desk: deskB, clock });
    pipeline = a;
    await carrier.incoming({
      channel: 'sms',
      from: '+14155550101',
      to: '+14155550100',
      text: 'Hi',
    });
    await b.drain();
    expect(deskB.received).toEqual([]);
    clock.advance(60_000);
    await b.drain();
    expect(deskB.received).toMatchObject([{ text: 'Hi' }]);
  });
});

describe('webhook pipeline lanes', () => {
  it("one customer's slow message (an attachment downloading) holds up neither other customers nor statuses; that customer's next message waits its turn", async () => {
    const order: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const lanes = testDesk();
    const receive = lanes.receive;
    lanes.receive = async (c, m) => {
      if (m.text === 'photo') await slow; // the download takes its time
      order.push(m.text);
      return receive(c, m);
    };
    lanes.sent('simulator', 'sim-out-1', 'sms');
    pipeline = createWebhookPipeline({ providers: [carrier], inbox, desk: lanes, clock });
    const write = (from: string, text: string) =>
      carrier.incoming({ channel: 'sms', from, to: '+14155550100', text });
    await write('+14155550101', 'photo');
    await write('+14155550101', 'and this');
    await write('+14155550102', 'other customer');
    await toServer(await carrier.sign({ type: 'status', id: 'sim-out-1', status: 'delivered' }));
    expect(replies).toEqual([200, 200, 200, 200]); // answered once stored, download or not

    await vi.waitFor(() => expect(order).toEqual(['other customer']));
    await vi.waitFor(() =>
      expect(lanes.message('simulator', 'sim-out-1').status).toBe('delivered'),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['other customer']); // 'and this' never overtakes 'photo'
    release();
    await pipeline.idle();
    expect(order).toEqual(['other customer', 'photo', 'and this']);
    expect(await inbox.pending(clock.now() + 1e9, 10)).toEqual([]);
  });
});
