/** Twilio: signed webhooks in, the Messages API out, errors mapped; no network (msw). */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTwilioProvider,
  createWebhookPipeline,
  memoryInbox,
  type Provider,
} from '../../src/server/carriers/index.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/server/carriers/media-fetch.js';
import { rejects } from '../support/errors.js';
import {
  fixture,
  internalRequest,
  post,
  PUBLIC_BASE,
  testDesk,
  twilioSignature,
  type TestDesk,
} from './support.js';

const SID = 'AC00000000000000000000000000000000';
const TOKEN = 'twilio-auth-token-for-tests';
const PATH = '/webhooks/twilio';
const URL_SIGNED = `${PUBLIC_BASE}${PATH}`;
const API = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

let provider: Provider;
let desk: TestDesk;
let inbox: ReturnType<typeof memoryInbox>;
let pipeline: ReturnType<typeof createWebhookPipeline>;

beforeEach(() => {
  provider = createTwilioProvider({ accountSid: SID, authToken: TOKEN, webhookUrl: URL_SIGNED });
  desk = testDesk();
  inbox = memoryInbox();
  pipeline = createWebhookPipeline({ providers: [provider], inbox, desk });
});

/** A webhook as Twilio sends it: form body, signature over the public URL and the parameters. */
function twilioRequest(
  params: Record<string, string>,
  options: { token?: string; signedUrl?: string; body?: string; signature?: string | null } = {},
) {
  const signature =
    options.signature === undefined
      ? twilioSignature(options.token ?? TOKEN, options.signedUrl ?? URL_SIGNED, params)
      : options.signature;
  return internalRequest(PATH, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: options.body ?? new URLSearchParams(params).toString(),
  });
}

async function deliver(params: Record<string, string>) {
  const response = await post(pipeline, 'twilio', twilioRequest(params));
  await pipeline.idle();
  return response;
}

const MEDIA_URL = fixture<Record<string, string>>('twilio/incoming-whatsapp-media.json').MediaUrl0!;
const CDN = 'https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC0/ME4c1d';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 0xff, 0xd9]);
const mediaRef = { id: MEDIA_URL, mimeType: 'image/jpeg', fileName: 'ME4c1d' };

describe('Twilio media', () => {
  it("fetches MediaUrl with the account's basic auth, following Twilio's redirect", async () => {
    const calls: Array<{ url: string; authorization: string | null }> = [];
    msw.use(
      http.get(MEDIA_URL, ({ request }) => {
        calls.push({ url: request.url, authorization: request.headers.get('authorization') });
        return new HttpResponse(null, { status: 307, headers: { location: CDN } });
      }),
      http.get(CDN, ({ request }) => {
        calls.push({ url: request.url, authorization: request.headers.get('authorization') });
        return new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } });
      }),
    );
    const fetched = await provider.fetchMedia!(mediaRef, DEFAULT_MEDIA_LIMITS);
    expect(fetched.mimeType).toBe('image/jpeg');
    expect([...fetched.bytes]).toEqual([...JPEG]);
    expect(calls[0]).toEqual({ url: MEDIA_URL, authorization: `Basic ${btoa(`${SID}:${TOKEN}`)}` });
    // The credentials stay with Twilio: the storage host it redirects to never sees them.
    expect(calls[1]).toEqual({ url: CDN, authorization: null });
  });

  it("refuses, without a request, a URL that is not the account's media on Twilio", async () => {
    for (const id of [
      'https://evil.example.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1',
      'https://api.twilio.com/2010-04-01/Accounts/ACother/Messages/MM1/Media/ME1',
      'not a url',
    ]) {
      await rejects(
        provider.fetchMedia!({ ...mediaRef, id }, DEFAULT_MEDIA_LIMITS),
        'media_rejected',
      );
    }
  });

  it('refuses a type the desk does not accept, and a file that is not the declared type', async () => {
    await rejects(
      provider.fetchMedia!(
        { ...mediaRef, mimeType: 'application/x-msdownload' },
        DEFAULT_MEDIA_LIMITS,
      ),
      'media_rejected',
    );
    msw.use(
      http.get(
        MEDIA_URL,
        () => new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    await rejects(provider.fetchMedia!(mediaRef, DEFAULT_MEDIA_LIMITS), 'media_rejected');
  });

  it('an outage is retryable (the webhook pipeline tries again)', async () => {
    msw.use(http.get(MEDIA_URL, () => new HttpResponse(null, { status: 503 })));
    const error = await rejects(provider.fetchMedia!(mediaRef, DEFAULT_MEDIA_LIMITS), 'server');
    expect(error.details.retryable).toBe(true);
  });
});

describe('Twilio webhooks', () => {
  it('accepts a genuine incoming SMS and answers with empty TwiML', async () => {
    const response = await deliver(fixture('twilio/incoming-sms.json'));
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/xml');
    expect(response.body).toContain('<Response></Response>');
    expect(desk.received).toEqual([
      {
        kind: 'message',
        carrierMessageId: 'SM1f0e8ae6ade43cb3c0ce4525424e404f',
        channel: 'sms',
        from: '+14155550101',
        to: '+14155550100',
        text: 'Hi, is my order ready?',
        media: [],
        at: expect.any(Number),
      },
    ]);
  });

  it('reads a WhatsApp message with its media and profile name', async () => {
    await deliver(fixture('twilio/incoming-whatsapp-media.json'));
    const [message] = desk.received;
    expect(message).toMatchObject({
      channel: 'whatsapp',
      from: '+14155550101',
      to: '+14155550199',
      text: 'This one, please',
      profileName: 'Eli Ortega',
      // Never shown as Twilio's URL: the server fetches it and serves it at /media/{id}.
      media: [],
      carrierMedia: [
        {
          id: fixture<Record<string, string>>('twilio/incoming-whatsapp-media.json').MediaUrl0,
          mimeType: 'image/jpeg',
          fileName: 'ME4c1d8e2f9a0b3c5d7e6f1a2b3c4d5e6f',
        },
      ],
    });
  });

  it("validates Twilio's own documented signature vector with the official helper", async () => {
    // github.com/TwilioDevEd/api-snippets security/signature_validation (3.x): token 12345.
    const documented = createTwilioProvider({
      accountSid: SID,
      authToken: '12345',
      webhookUrl: 'https://mycompany.com/myapp.php?foo=1&bar=2',
    });
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675310',
      Digits: '1234',
      From: '+14158675310',
      To: '+18005551212',
    };
    const request = (signature: string) =>
      documented.verifyWebhook({
        method: 'POST',
        url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
        headers: { 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
        receivedAt: 0,
      });
    // The signature passes; the vector has no AccountSid, so it is refused as another account's.
    const passed = await rejects(request('GvWf1cFY/Q7PnoempGyD5oXAezc='), 'forbidden');
    expect(passed.message).toMatch(/another account/);
    const failed = await rejects(request('GvWf1cFY/Q7PnoempGyD5oXAezd='), 'forbidden');
    expect(failed.message).toMatch(/signature does not match/);
  });

  describe('forged webhooks get 403 and store nothing', () => {
    const params = () => fixture<Record<string, string>>('twilio/incoming-sms.json');
    const cases: Array<[string, () => Request]> = [
      ['a wrong signature (another token)', () => twilioRequest(params(), { token: 'guess' })],
      ['a missing X-Twilio-Signature', () => twilioRequest(params(), { signature: null })],
      [
        'a tampered body',
        () =>
          twilioRequest(params(), {
            body: new URLSearchParams({ ...params(), Body: 'Send me a refund' }).toString(),
          }),
      ],
      [
        'a tampered URL (signed for another host)',
        () => twilioRequest(params(), { signedUrl: 'https://evil.example.com/webhooks/twilio' }),
      ],
      [
        'an extra parameter',
        () =>
          twilioRequest(params(), {
            body: `${new URLSearchParams(params()).toString()}&Extra=1`,
          }),
      ],
    ];
    for (const [name, request] of cases) {
      it(name, async () => {
        const response = await post(pipeline, 'twilio', request());
        await pipeline.idle();
        expect(response.status).toBe(403);
        expect(inbox.entries()).toEqual([]);
        expect(desk.received).toEqual([]);
      });
    }
  });

  it('the same webhook delivered twice is stored and processed once', async () => {
    const params = fixture<Record<string, string>>('twilio/incoming-sms.json');
    expect((await deliver(params)).status).toBe(200);
    expect((await deliver(params)).status).toBe(200);
    expect(inbox.entries()).toHaveLength(1);
    expect(desk.received).toHaveLength(1);
  });

  it('SN7: statuses out of order and twice stay monotonic', async () => {
    const sid = 'SM3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f';
    desk.sent('twilio', sid, 'sms');
    await deliver(fixture('twilio/status-delivered.json'));
    expect(desk.message('twilio', sid).status).toBe('delivered');
    const before = desk.message('twilio', sid);
    await deliver(fixture('twilio/status-sent.json')); // late
    await deliver(fixture('twilio/status-delivered.json')); // again
    await deliver(fixture('twilio/status-undelivered-30003.json')); // after delivery
    expect(desk.message('twilio', sid)).toBe(before);
  });

  it('SN7: a failed status carries our code and reason (63016 → window_closed)', async () => {
    const sid = 'SM5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
    desk.sent('twilio', sid, 'whatsapp');
    await deliver(fixture('twilio/status-failed-63016.json'));
    const [entry] = inbox.entries();
    expect(entry!.event).toMatchObject({
      status: 'failed',
      code: 'window_closed',
      carrierCode: '63016',
    });
    expect(desk.message('twilio', sid)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/care window is closed.*Twilio 63016/),
    });
    await deliver(fixture('twilio/status-read-whatsapp.json'));
    expect(desk.message('twilio', sid).status).toBe('failed'); // failed is final
  });

  it('SN5: STOP opts the customer out of SMS, START opts back in', async () => {
    await deliver(fixture('twilio/incoming-stop.json'));
    expect(desk.recipients.get('+14155550101')?.optedOut).toEqual(['sms']);
    await deliver({
      ...fixture<Record<string, string>>('twilio/incoming-sms.json'),
      MessageSid: 'SM00000000000000000000000000000077',
      Body: ' start ',
    });
    expect(desk.recipients.get('+14155550101')?.optedOut).toEqual([]);
  });
});

describe('Twilio sending', () => {
  it('posts the documented Messages API request, field by field', async () => {
    let seen: { url: string; auth: string | null; type: string | null; form: URLSearchParams };
    msw.use(
      http.post(API, async ({ request }) => {
        seen = {
          url: request.url,
          auth: request.headers.get('authorization'),
          type: request.headers.get('content-type'),
          form: new URLSearchParams(await request.text()),
        };
        return HttpResponse.json(fixture('twilio/send-response.json'), { status: 201 });
      }),
    );
    const receipt = await provider.send({
      channel: 'sms',
      from: '+14155550100',
      to: '+14155550101',
      text: 'Your order is ready for pickup.',
      media: [],
    });
    expect(receipt).toEqual({
      carrierMessageId: 'SM3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f',
      status: 'queued',
    });
    expect(seen!.url).toBe(API);
    expect(seen!.auth).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(seen!.type).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(seen!.form)).toEqual(fixture('twilio/send-sms-request.json'));
  });

  it('WhatsApp: addresses get the whatsapp: prefix, media go as MediaUrl, templates as ContentSid', async () => {
    const forms: URLSearchParams[] = [];
    msw.use(
      http.post(API, async ({ request }) => {
        forms.push(new URLSearchParams(await request.text()));
        return HttpResponse.json(fixture('twilio/send-response.json'), { status: 201 });
      }),
    );
    const whatsapp = createTwilioProvider({
      accountSid: SID,
      authToken: TOKEN,
      webhookUrl: URL_SIGNED,
      contentSids: { order_ready: 'HX0123456789abcdef0123456789abcdef' },
    });
    await whatsapp.send({
      channel: 'whatsapp',
      from: '+14155550199',
      to: '+14155550101',
      text: 'Here it is',
      media: [
        {
          url: 'https://shop.example.com/a.jpg',
          mimeType: 'image/jpeg',
          fileName: 'a.jpg',
          size: 1,
        },
      ],
    });
    await whatsapp.send({
      channel: 'whatsapp',
      from: '+14155550199',
      to: '+14155550101',
      text: 'Hi Eli, your order is ready.',
      media: [],
      template: { name: 'order_ready', values: ['Eli'] },
    });
    expect(forms[0]!.get('To')).toBe('whatsapp:+14155550101');
    expect(forms[0]!.get('From')).toBe('whatsapp:+14155550199');
    expect(forms[0]!.get('Body')).toBe('Here it is');
    expect(forms[0]!.getAll('MediaUrl')).toEqual(['https://shop.example.com/a.jpg']);
    expect(forms[1]!.get('ContentSid')).toBe('HX0123456789abcdef0123456789abcdef');
    expect(JSON.parse(forms[1]!.get('ContentVariables')!)).toEqual({ 1: 'Eli' });
    expect(forms[1]!.has('Body')).toBe(false);
    expect(forms[1]!.get('StatusCallback')).toBe(URL_SIGNED);
  });

  const errors: Array<[string, number, string, boolean]> = [
    ['twilio/error-21610.json', 400, 'opted_out', false],
    ['twilio/error-21211.json', 400, 'invalid_phone', false],
    ['twilio/error-20429.json', 429, 'rate_limited', true],
  ];
  for (const [file, status, code, retryable] of errors) {
    it(`maps ${file.split('/')[1]} to ${code}`, async () => {
      msw.use(http.post(API, () => HttpResponse.json(fixture(file), { status })));
      const error = await rejects(
        provider.send({
          channel: 'sms',
          from: '+14155550100',
          to: '+14155550101',
          text: 'Hi',
          media: [],
        }),
        code as never,
      );
      expect(error.details).toMatchObject({
        carrier: 'Twilio',
        carrierCode: String(fixture<{ code: number }>(file).code),
        httpStatus: status,
        retryable,
      });
    });
  }

  it('a 5xx answer is a retryable server error; no answer is a network error', async () => {
    msw.use(http.post(API, () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));
    const message = {
      channel: 'sms' as const,
      from: '+14155550100',
      to: '+14155550101',
      text: 'Hi',
      media: [],
    };
    const server = await rejects(provider.send(message), 'server');
    expect(server.details.retryable).toBe(true);
    msw.use(http.post(API, () => HttpResponse.error()));
    const network = await rejects(provider.send(message), 'network');
    expect(network.details.retryable).toBe(true);
  });

  it('never sent twice: a 2xx answer that cannot be read is ambiguous, not retried', async () => {
    msw.use(http.post(API, () => new HttpResponse('<html>OK</html>', { status: 201 })));
    const error = await rejects(
      provider.send({
        channel: 'sms',
        from: '+14155550100',
        to: '+14155550101',
        text: 'Hi',
        media: [],
      }),
      'server',
    );
    expect(error.details).toMatchObject({ retryable: false, ambiguous: true });
  });
});
