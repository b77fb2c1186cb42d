/** From the desk to Twilio and back: hand-off, retries that never send twice, statuses by ledger. */
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import type { StatusUpdate } from '../../src/rules/status.js';
import {
  createCarrierDispatcher,
  createTwilioProvider,
  createWebhookPipeline,
  memoryInbox,
  memoryLedger,
} from '../../src/server/carriers/index.js';
import type { Conversation, Message, SenderId, Template } from '../../src/types.js';
import {
  fixture,
  internalRequest,
  post,
  PUBLIC_BASE,
  testDesk,
  twilioSignature,
} from './support.js';

const SID = 'AC00000000000000000000000000000000';
const TOKEN = 'token';
const API = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
const sender: SenderId = {
  id: 'support-sms',
  channel: 'sms',
  address: '+14155550100',
  label: 'Support',
  access: { type: 'shared', userIds: ['sam'] },
};
const template: Template = {
  id: 't1',
  name: 'order_ready',
  type: 'conversation',
  channel: 'sms',
  registered: true,
  body: 'Hi {{contact.firstName}}, your order is ready.',
};
const conversation = {
  id: 'c1',
  senderId: 'support-sms',
  channel: 'sms',
  customer: '+14155550101',
} as Conversation;
const message = (over: Partial<Message> = {}): Message => ({
  id: 'm1',
  conversationId: 'c1',
  direction: 'out',
  text: 'Your order is ready for pickup.',
  media: [],
  status: 'queued',
  statusTimes: { queued: 0 },
  attempt: 1,
  createdAt: 0,
  ...over,
});

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

let clock: ManualClock;
let applied: Array<[string, StatusUpdate]>;
let dispatcher: ReturnType<typeof createCarrierDispatcher>;
const provider = createTwilioProvider({
  accountSid: SID,
  authToken: TOKEN,
  webhookUrl: `${PUBLIC_BASE}/webhooks/twilio`,
  contentSids: { order_ready: 'HX0123456789abcdef0123456789abcdef' },
  timeoutMs: 200,
});
const whatsappSender: SenderId = { ...sender, id: 'support-wa', channel: 'whatsapp' };

beforeEach(() => {
  clock = createManualClock(1000);
  applied = [];
  dispatcher = createCarrierDispatcher({
    carrierFor: () => provider,
    lookups: {
      sender: async (id) => [sender, whatsappSender].find((s) => s.id === id),
      template: async (id) => (id === template.id ? template : undefined),
      contact: async (phone) => ({
        id: 'k1',
        phone,
        firstName: 'Eli',
        lastName: 'Ortega',
        createdAt: 0,
        updatedAt: 0,
      }),
    },
    ledger: memoryLedger(),
    applyStatus: async (id, update) => void applied.push([id, update]),
    clock,
    onError: () => undefined,
  });
});

const created = () => HttpResponse.json(fixture('twilio/send-response.json'), { status: 201 });

describe('carrier dispatcher', () => {
  it("hands the desk's message to the carrier, and its statuses come back to that message and attempt", async () => {
    const forms: URLSearchParams[] = [];
    msw.use(
      http.post(API, async ({ request }) => {
        forms.push(new URLSearchParams(await request.text()));
        return created();
      }),
    );
    dispatcher.dispatch(message({ attempt: 2 }), conversation, 0);
    await vi.waitFor(() => expect(forms).toHaveLength(1));
    expect(Object.fromEntries(forms[0]!)).toEqual(fixture('twilio/send-sms-request.json'));

    const desk = { ...testDesk(), status: dispatcher.status };
    const pipeline = createWebhookPipeline({ providers: [provider], inbox: memoryInbox(), desk });
    const params = fixture<Record<string, string>>('twilio/status-delivered.json');
    const url = `${PUBLIC_BASE}/webhooks/twilio`;
    await vi.waitFor(async () => {
      await post(
        pipeline,
        'twilio',
        internalRequest('/webhooks/twilio', {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilioSignature(TOKEN, url, params),
          },
          body: new URLSearchParams(params).toString(),
        }),
      );
      await pipeline.idle();
      expect(applied).toEqual([
        ['m1', expect.objectContaining({ status: 'delivered', attempt: 2 })],
      ]);
    });
  });

  it('a registered WhatsApp template goes as its Content SID with the merge-field values', async () => {
    const forms: URLSearchParams[] = [];
    msw.use(
      http.post(API, async ({ request }) => {
        forms.push(new URLSearchParams(await request.text()));
        return created();
      }),
    );
    dispatcher.dispatch(
      message({
        text: 'Hi Eli, your order is ready.',
        template: { id: 't1', name: 'order_ready', registered: true },
      }),
      { ...conversation, senderId: 'support-wa', channel: 'whatsapp' },
      0,
    );
    await vi.waitFor(() => expect(forms).toHaveLength(1));
    expect(forms[0]!.get('From')).toBe('whatsapp:+14155550100');
    expect(forms[0]!.get('ContentSid')).toBe('HX0123456789abcdef0123456789abcdef');
    expect(JSON.parse(forms[0]!.get('ContentVariables')!)).toEqual({ 1: 'Eli' });
  });

  it('429 is tried again after a delay, and the message goes once', async () => {
    let calls = 0;
    msw.use(
      http.post(API, () =>
        ++calls === 1
          ? HttpResponse.json(fixture('twilio/error-20429.json'), { status: 429 })
          : created(),
      ),
    );
    dispatcher.dispatch(message(), conversation, 0);
    await vi.waitFor(() => expect(calls).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.advance(2000);
    await vi.waitFor(() => expect(calls).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(2);
    expect(applied).toEqual([]);
  });

  it("SN7: the carrier's refusal fails the message with its reason (21610 → opted out)", async () => {
    msw.use(
      http.post(API, () => HttpResponse.json(fixture('twilio/error-21610.json'), { status: 400 })),
    );
    dispatcher.dispatch(message(), conversation, 0);
    await vi.waitFor(() =>
      expect(applied).toEqual([
        [
          'm1',
          expect.objectContaining({
            status: 'failed',
            attempt: 1,
            reason: expect.stringMatching(/21610/),
          }),
        ],
      ]),
    );
  });

  it('a timeout is never sent again blindly: the message fails and the user may retry', async () => {
    let calls = 0;
    msw.use(
      http.post(API, async () => {
        calls++;
        await delay(1000);
        return created();
      }),
    );
    dispatcher.dispatch(message(), conversation, 0);
    await vi.waitFor(() => expect(applied).toHaveLength(1), { timeout: 3000 });
    expect(applied[0]![1]).toMatchObject({ status: 'failed' });
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(1);
  });
});
