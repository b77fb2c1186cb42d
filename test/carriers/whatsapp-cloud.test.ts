/** WhatsApp Cloud API: handshake, signed webhooks in, Graph API out, errors mapped; no network. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createWebhookPipeline,
  createWhatsAppCloudProvider,
  memoryInbox,
  type OutgoingMessage,
  type Provider,
} from '../../src/server/carriers/index.js';
import { templateValues } from '../../src/rules/templates.js';
import { rejects } from '../support/errors.js';
import {
  fixture,
  internalRequest,
  metaSignature,
  post,
  testDesk,
  type TestDesk,
} from './support.js';

const SECRET = 'meta-app-secret-for-tests';
const PHONE_ID = '106540352242922';
const API = `https://graph.facebook.com/v21.0/${PHONE_ID}/messages`;
const PATH = '/webhooks/whatsapp';
const STATUS_ID = 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

let provider: Provider;
let desk: TestDesk;
let inbox: ReturnType<typeof memoryInbox>;
let pipeline: ReturnType<typeof createWebhookPipeline>;

beforeEach(() => {
  provider = createWhatsAppCloudProvider({
    phoneNumberId: PHONE_ID,
    accessToken: 'EAAG-test-token',
    appSecret: SECRET,
    verifyToken: 'my-verify-token',
  });
  desk = testDesk();
  inbox = memoryInbox();
  pipeline = createWebhookPipeline({ providers: [provider], inbox, desk });
});

/** Meta posts the JSON as it serialized it; the signature covers exactly those bytes. */
const raw = (file: string) => JSON.stringify(fixture(file));

function metaRequest(body: string, signature: string | null = metaSignature(SECRET, body)) {
  return internalRequest(PATH, {
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    body,
  });
}

async function deliver(body: string) {
  const response = await post(pipeline, 'whatsapp', metaRequest(body));
  await pipeline.idle();
  return response;
}

describe('WhatsApp Cloud API webhooks', () => {
  it('answers the GET verification handshake with the challenge, and refuses a wrong token', async () => {
    const handshake = (token: string, mode = 'subscribe') =>
      post(
        pipeline,
        'whatsapp',
        internalRequest(
          `${PATH}?hub.mode=${mode}&hub.verify_token=${token}&hub.challenge=1158201444`,
          { method: 'GET' },
        ),
      );
    expect(await handshake('my-verify-token')).toMatchObject({ status: 200, body: '1158201444' });
    expect((await handshake('wrong-token')).status).toBe(403);
    expect((await handshake('my-verify-token', 'unsubscribe')).status).toBe(403);
  });

  it('accepts a genuine text message', async () => {
    const response = await deliver(raw('whatsapp/incoming-text.json'));
    expect(response.status).toBe(200);
    expect(desk.received).toEqual([
      {
        kind: 'message',
        carrierMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        channel: 'whatsapp',
        from: '+16505551234',
        to: '+15550783881',
        text: 'Does it come in another colour?',
        media: [],
        at: 1739321024000,
        profileName: 'Sheena Nelson',
      },
    ]);
  });

  it('reads an image with its caption; its media id is left to fetch (it needs the token)', async () => {
    await deliver(raw('whatsapp/incoming-image.json'));
    expect(desk.received[0]).toMatchObject({
      text: 'This one',
      media: [],
      carrierMedia: [{ id: '1003383421387256', mimeType: 'image/jpeg' }],
    });
  });

  it('skips changes for another business number of the same app', async () => {
    const body = raw('whatsapp/incoming-text.json').replace(PHONE_ID, '999999999999999');
    expect((await deliver(body)).status).toBe(200);
    expect(inbox.entries()).toEqual([]);
  });

  describe('forged webhooks get 403 and store nothing', () => {
    const body = () => raw('whatsapp/incoming-text.json');
    const cases: Array<[string, () => Request]> = [
      [
        'a wrong signature (another secret)',
        () => metaRequest(body(), metaSignature('guess', body())),
      ],
      ['a missing X-Hub-Signature-256', () => metaRequest(body(), null)],
      [
        'a tampered body',
        () =>
          metaRequest(body().replace('another colour', 'a refund'), metaSignature(SECRET, body())),
      ],
      ['a signature that is not hex', () => metaRequest(body(), 'sha256=not-hex')],
      [
        'a SHA-1 signature',
        () => metaRequest(body(), metaSignature(SECRET, body()).replace('sha256', 'sha1')),
      ],
    ];
    for (const [name, request] of cases) {
      it(name, async () => {
        const response = await post(pipeline, 'whatsapp', request());
        await pipeline.idle();
        expect(response.status).toBe(403);
        expect(inbox.entries()).toEqual([]);
        expect(desk.received).toEqual([]);
      });
    }
  });

  it('a signed body that is not a WhatsApp webhook is refused with 400, nothing stored', async () => {
    const response = await deliver(JSON.stringify({ object: 'page', entry: [] }));
    expect(response.status).toBe(400);
    expect(inbox.entries()).toEqual([]);
  });

  it('the same webhook delivered twice is stored and processed once', async () => {
    await deliver(raw('whatsapp/incoming-text.json'));
    await deliver(raw('whatsapp/incoming-text.json'));
    expect(inbox.entries()).toHaveLength(1);
    expect(desk.received).toHaveLength(1);
  });

  it('SN7: statuses out of order and twice stay monotonic, at the carrier times', async () => {
    desk.sent('whatsapp', STATUS_ID, 'whatsapp');
    await deliver(raw('whatsapp/status-read.json'));
    const read = desk.message('whatsapp', STATUS_ID);
    expect(read).toMatchObject({ status: 'read', statusTimes: { read: 1750857390000 } });
    await deliver(raw('whatsapp/status-delivered.json'));
    await deliver(raw('whatsapp/status-sent.json'));
    await deliver(raw('whatsapp/status-read.json'));
    expect(desk.message('whatsapp', STATUS_ID)).toBe(read);
  });

  it('SN7: a failed status maps 131047 to window_closed with a reason', async () => {
    desk.sent('whatsapp', STATUS_ID, 'whatsapp');
    await deliver(raw('whatsapp/status-failed-131047.json'));
    expect(inbox.entries()[0]!.event).toMatchObject({
      status: 'failed',
      code: 'window_closed',
      carrierCode: '131047',
    });
    expect(desk.message('whatsapp', STATUS_ID).failureReason).toMatch(
      /care window is closed.*WhatsApp 131047/,
    );
  });

  it('SN5: STOP on WhatsApp opts the customer out of WhatsApp', async () => {
    await deliver(
      raw('whatsapp/incoming-text.json').replace('Does it come in another colour?', 'STOP'),
    );
    expect(desk.recipients.get('+16505551234')?.optedOut).toEqual(['whatsapp']);
  });
});

describe('WhatsApp Cloud API sending', () => {
  const base: OutgoingMessage = {
    channel: 'whatsapp',
    from: '+15550783881',
    to: '+16505551234',
    text: '',
    media: [],
  };

  function capture() {
    const seen: Array<{ auth: string | null; type: string | null; body: unknown }> = [];
    msw.use(
      http.post(API, async ({ request }) => {
        seen.push({
          auth: request.headers.get('authorization'),
          type: request.headers.get('content-type'),
          body: await request.json(),
        });
        return HttpResponse.json(fixture('whatsapp/send-response.json'));
      }),
    );
    return seen;
  }

  it('posts a text message as documented, field by field', async () => {
    const seen = capture();
    const receipt = await provider.send({ ...base, text: 'Yes, it also comes in green.' });
    expect(receipt).toEqual({ carrierMessageId: STATUS_ID, status: 'queued' });
    expect(seen[0]!.auth).toBe('Bearer EAAG-test-token');
    expect(seen[0]!.type).toBe('application/json');
    expect(seen[0]!.body).toEqual(fixture('whatsapp/send-text-request.json'));
  });

  it('posts media by link with the text as caption', async () => {
    const seen = capture();
    await provider.send({
      ...base,
      text: 'The green one',
      media: [
        {
          url: 'https://shop.example.com/tent-green.jpg',
          mimeType: 'image/jpeg',
          fileName: 'tent-green.jpg',
          size: 1000,
        },
      ],
    });
    expect(seen[0]!.body).toEqual(fixture('whatsapp/send-image-request.json'));
  });

  it('posts a registered template with its merge fields as body parameters', async () => {
    const seen = capture();
    const values = templateValues('Hi {{contact.firstName}}, your order is ready.', {
      contact: { firstName: 'Sheena', lastName: 'Nelson', phone: '+16505551234' },
    });
    await provider.send({
      ...base,
      text: 'Hi Sheena, your order is ready.',
      template: { name: 'order_ready', values },
    });
    expect(seen[0]!.body).toEqual(fixture('whatsapp/send-template-request.json'));
  });

  it('refuses several attachments in one message up front (one per Cloud API message)', async () => {
    const file = { url: 'https://x.example/a.jpg', mimeType: 'image/jpeg', fileName: 'a', size: 1 };
    const error = await rejects(provider.send({ ...base, media: [file, file] }), 'media_rejected');
    expect(error.details.retryable).toBe(false);
  });

  const errors: Array<[string, number, string, boolean]> = [
    ['whatsapp/error-131047.json', 400, 'window_closed', false],
    ['whatsapp/error-131030.json', 400, 'forbidden', false],
    ['whatsapp/error-190.json', 401, 'unauthorized', false],
  ];
  for (const [file, status, code, retryable] of errors) {
    it(`maps ${file.split('/')[1]} to ${code}`, async () => {
      msw.use(http.post(API, () => HttpResponse.json(fixture(file), { status })));
      const error = await rejects(provider.send({ ...base, text: 'Hi' }), code as never);
      const body = fixture<{ error: { code: number; error_data?: { details: string } } }>(file);
      expect(error.details).toMatchObject({
        carrier: 'WhatsApp',
        carrierCode: String(body.error.code),
        httpStatus: status,
        retryable,
      });
      expect(error.message).toContain(body.error.error_data?.details ?? 'access token');
    });
  }
});
