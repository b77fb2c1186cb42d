/**
 * The desk server on real carriers, end to end (PGlite in memory, the carriers' APIs mocked with
 * msw from their documented payloads): an agent sends through the HTTP API, the carrier receives
 * the documented request, its signed status webhooks move the message (SN7), its signed incoming
 * webhooks create the customer's messages, Twilio's OptOutType opts the number out and back in
 * (SN5), WhatsApp media is fetched and served to agents only. Forged webhooks change nothing.
 */
import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { carriersFromEnv } from '../../src/server/carriers/index.js';
import type { Database } from '../../src/server/db.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import type { Message } from '../../src/types.js';
import { demoSeed } from '../../examples/demo/seed.js';
import { api, openPglite, SECRET, token } from '../server/support.js';
import { fixture, metaSignature, twilioSignature } from './support.js';

const PUBLIC = 'https://desk.example.com';
const SID = 'AC00000000000000000000000000000000';
const TWILIO_TOKEN = 'twilio-token';
const APP_SECRET = 'meta-secret';
const PHONE_ID = '106540352242922';
const TWILIO_API = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages.json`;
const GRAPH = 'https://graph.facebook.com/v21.0';
const CUSTOMER = '+14155550101';
const WA_CUSTOMER = '16505551234';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7, 0xff, 0xd9]);

let server: RunningServer;
let database: Database;
/** What the mocked carriers received, in order. */
const twilioForms: URLSearchParams[] = [];
const graphBodies: Array<Record<string, unknown>> = [];
/** Twilio's next answers (status codes, or documented error bodies); 201 once these run out. */
const twilioFailures: Array<number | { status: number; body: Record<string, unknown> }> = [];
/** The Graph API's next message ids; the fixture's once these run out. */
const graphIds: string[] = [];
let sids = 0;

const msw = setupServer(
  http.post(TWILIO_API, async ({ request }) => {
    twilioForms.push(new URLSearchParams(await request.text()));
    const failure = twilioFailures.shift();
    if (typeof failure === 'object') return HttpResponse.json(failure.body, failure);
    if (failure)
      return HttpResponse.json({ code: 20500, message: 'Internal' }, { status: failure });
    const sid = `SM${String(++sids).padStart(32, '0')}`;
    return HttpResponse.json(
      { ...fixture<Record<string, unknown>>('twilio/send-response.json'), sid },
      { status: 201 },
    );
  }),
  http.post(`${GRAPH}/${PHONE_ID}/messages`, async ({ request }) => {
    graphBodies.push((await request.json()) as Record<string, unknown>);
    const answer = fixture<{ messages: Array<{ id: string }> }>('whatsapp/send-response.json');
    const id = graphIds.shift();
    if (id) answer.messages[0]!.id = id;
    return HttpResponse.json(answer);
  }),
  http.get(`${GRAPH}/:mediaId`, ({ params }) =>
    HttpResponse.json({
      ...fixture<Record<string, unknown>>('whatsapp/media-url.json'),
      id: params.mediaId,
      sha256: createHash('sha256').update(JPEG).digest('hex'),
      ...(params.mediaId === 'EXE1' && { mime_type: 'application/x-msdownload' }),
      file_size: String(JPEG.byteLength),
    }),
  ),
  http.get(
    `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/:mm/Media/:me`,
    ({ request }) =>
      request.headers.get('authorization') === `Basic ${btoa(`${SID}:${TWILIO_TOKEN}`)}`
        ? new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } })
        : new HttpResponse(null, { status: 401 }),
  ),
  http.get('https://lookaside.fbsbx.com/whatsapp_business/attachments/', ({ request }) =>
    request.headers.get('authorization') === 'Bearer EAAG'
      ? new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } })
      : new HttpResponse(null, { status: 401 }),
  ),
);

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'bypass' });
  database = await openPglite();
  server = await startServer({
    port: 0,
    database,
    logLevel: 'silent',
    auth: { jwtSecret: SECRET },
    seed: demoSeed,
    publicUrl: PUBLIC,
    carrierRetryMs: 20,
    carriers: carriersFromEnv({
      DESK_PUBLIC_URL: PUBLIC,
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: 'EAAG',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
    }),
  });
}, 120_000);
afterEach(() => {
  twilioFailures.length = 0;
});
afterAll(async () => {
  msw.close();
  await server?.close();
  await database?.close();
});

const db = () => server.database.db;
const inboxRows = () => db().selectFrom('desk_carrier_inbox').selectAll().execute();
const statusEvents = async (messageId: string) =>
  (
    await db()
      .selectFrom('desk_events')
      .select('data')
      .where('type', '=', 'message.status')
      .execute()
  )
    .map((r) => JSON.parse(r.data) as { messageId: string; status: string })
    .filter((e) => e.messageId === messageId)
    .map((e) => e.status);

async function twilioWebhook(params: Record<string, string>, signature?: string) {
  return fetch(`${server.url}/webhooks/twilio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature':
        signature ?? twilioSignature(TWILIO_TOKEN, `${PUBLIC}/webhooks/twilio`, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

async function metaWebhook(payload: unknown, secret = APP_SECRET) {
  const body = JSON.stringify(payload).replaceAll('15550783881', '12025550144'); // support-wa
  return fetch(`${server.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': metaSignature(secret, body),
    },
    body,
  });
}

const send = (userId: string, target: Record<string, string>, text: string) =>
  api(server.url, userId, '/messages', {
    body: { target, content: { text } },
    headers: { 'idempotency-key': `k-${Math.random()}` },
  });

async function messageWithText(conversationId: string, text: string) {
  const { body } = await api(server.url, 'sam', `/conversations/${conversationId}/messages`);
  return (body.items as Message[]).find((m) => m.text === text);
}

async function messageOf(userId: string, conversationId: string, id: string): Promise<Message> {
  const { body } = await api(server.url, userId, `/conversations/${conversationId}/messages`);
  return (body.items as Message[]).find((m) => m.id === id)!;
}

function statusParams(sid: string, status: string, over: Record<string, string> = {}) {
  return {
    ...fixture<Record<string, string>>('twilio/status-delivered.json'),
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    From: '+12025550141',
    To: CUSTOMER,
    ...over,
  };
}

describe('the server on Twilio', () => {
  let sent: { message: Message; conversation: { id: string } };
  let sid: string;

  it('an agent sends through the HTTP API and Twilio receives the documented request', async () => {
    const response = await send(
      'sam',
      { senderId: 'sam-sms', customer: CUSTOMER },
      'Your order is ready.',
    );
    expect(response.status).toBe(201);
    sent = response.body;
    await vi.waitFor(() => expect(twilioForms).toHaveLength(1));
    expect(Object.fromEntries(twilioForms[0]!)).toEqual({
      To: CUSTOMER,
      From: '+12025550141',
      Body: 'Your order is ready.',
      StatusCallback: `${PUBLIC}/webhooks/twilio`,
    });
    sid = `SM${String(sids).padStart(32, '0')}`;
    await vi.waitFor(async () =>
      expect(
        await db()
          .selectFrom('desk_carrier_messages')
          .selectAll()
          .where('carrier_message_id', '=', sid)
          .execute(),
      ).toHaveLength(1),
    );
  });

  it('SN7: a signed status webhook moves the message to delivered, once, whatever the order', async () => {
    expect((await twilioWebhook(statusParams(sid, 'delivered'))).status).toBe(200);
    await vi.waitFor(async () =>
      expect(await statusEvents(sent.message.id)).toEqual(['delivered']),
    );
    // The same callback again, then an older one: nothing moves back, no event is logged.
    await twilioWebhook(statusParams(sid, 'delivered'));
    await twilioWebhook(statusParams(sid, 'sent'));
    await vi.waitFor(async () =>
      expect(
        (await inboxRows()).filter(
          (r) => r.key.startsWith(`twilio:status:${sid}`) && r.processed_at !== null,
        ),
      ).toHaveLength(2),
    );
    expect(await statusEvents(sent.message.id)).toEqual(['delivered']);
    expect((await messageOf('sam', sent.conversation.id, sent.message.id)).status).toBe(
      'delivered',
    );
  });

  it('a forged status webhook is refused with 403 before parsing and changes nothing', async () => {
    const before = (await inboxRows()).length;
    const failed = statusParams(sid, 'failed', { ErrorCode: '30003' });
    const wrong = twilioSignature('not-the-token', `${PUBLIC}/webhooks/twilio`, failed);
    expect((await twilioWebhook(failed, wrong)).status).toBe(403);
    const response = await fetch(`${server.url}/webhooks/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'not=a&valid=%%%form',
    });
    expect(response.status).toBe(403);
    expect(await inboxRows()).toHaveLength(before);
    expect((await messageOf('sam', sent.conversation.id, sent.message.id)).status).toBe(
      'delivered',
    );
  });

  it("a signed incoming webhook creates the customer's message in the agent's conversation", async () => {
    const params = {
      ...fixture<Record<string, string>>('twilio/incoming-sms.json'),
      MessageSid: 'SM11111111111111111111111111111111',
      From: CUSTOMER,
      To: '+12025550141',
      Body: 'Thanks, on my way',
    };
    expect((await twilioWebhook(params)).status).toBe(200);
    expect((await twilioWebhook(params)).status).toBe(200); // delivered twice
    await vi.waitFor(async () => {
      const { body } = await api(
        server.url,
        'sam',
        `/conversations/${sent.conversation.id}/messages`,
      );
      const texts = (body.items as Message[]).map((m) => `${m.direction}:${m.text}`);
      expect(texts.filter((t) => t === 'in:Thanks, on my way')).toHaveLength(1);
    });
  });

  it("an MMS arrives: Twilio's MediaUrl is fetched with the account's auth and served at /media", async () => {
    const mediaUrl = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/MM0000000000000000000000000000000a/Media/ME0000000000000000000000000000000a`;
    const params = {
      ...fixture<Record<string, string>>('twilio/incoming-sms.json'),
      MessageSid: 'MM0000000000000000000000000000000a',
      From: CUSTOMER,
      To: '+12025550141',
      Body: 'Here is the damage',
      NumMedia: '1',
      MediaUrl0: mediaUrl,
      MediaContentType0: 'image/jpeg',
    };
    expect((await twilioWebhook(params)).status).toBe(200);
    let photo: Message | undefined;
    await vi.waitFor(async () => {
      photo = await messageWithText(sent.conversation.id, 'Here is the damage');
      expect(photo?.media).toHaveLength(1);
    });
    const media = photo!.media[0]!;
    expect(media).toMatchObject({ mimeType: 'image/jpeg', size: JPEG.byteLength });
    expect(media.url).toMatch(/^https:\/\/desk\.example\.com\/media\/[0-9a-f-]{36}$/);
    expect(JSON.stringify(photo)).not.toContain('api.twilio.com');
    const response = await fetch(`${server.url}${new URL(media.url).pathname}`, {
      headers: { authorization: `Bearer ${await token('sam')}` },
    });
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(JPEG);
  });

  it('SN5: OptOutType STOP (any keyword Twilio knows) opts the number out; HELP does not; START lifts it', async () => {
    const keyword = (n: number, Body: string, OptOutType: string) => ({
      ...fixture<Record<string, string>>('twilio/incoming-stop.json'),
      MessageSid: `SM2222222222222222222222222222222${n}`,
      SmsSid: `SM2222222222222222222222222222222${n}`,
      SmsMessageSid: `SM2222222222222222222222222222222${n}`,
      From: CUSTOMER,
      To: '+12025550141',
      Body,
      OptOutType,
    });
    const recipient = async () =>
      (await api(server.url, 'sam', `/recipients/${encodeURIComponent(CUSTOMER)}`)).body;
    // A custom opt-out keyword of the Messaging Service: the text alone would not opt out.
    expect((await twilioWebhook(keyword(1, 'Arrêt', 'STOP'))).status).toBe(200);
    await vi.waitFor(async () => expect((await recipient()).optedOut).toEqual(['sms']));

    const calls = twilioForms.length;
    const refused = await send('sam', { conversationId: sent.conversation.id }, 'Are you sure?');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('opted_out');
    await new Promise((r) => setTimeout(r, 50));
    expect(twilioForms).toHaveLength(calls);

    await twilioWebhook(keyword(2, 'Help', 'HELP'));
    await vi.waitFor(async () =>
      expect((await inboxRows()).some((r) => r.key.endsWith('2') && r.processed_at !== null)).toBe(
        true,
      ),
    );
    expect((await recipient()).optedOut).toEqual(['sms']);

    await twilioWebhook(keyword(3, 'Start', 'START'));
    await vi.waitFor(async () => expect((await recipient()).optedOut).toEqual([]));
    expect(
      (await send('sam', { conversationId: sent.conversation.id }, 'Welcome back')).status,
    ).toBe(201);
    await vi.waitFor(() => expect(twilioForms).toHaveLength(calls + 1));
  });

  it('a 503 from Twilio is tried again as a durable job, and the message goes once', async () => {
    twilioFailures.push(503);
    const calls = twilioForms.length;
    const response = await send('sam', { conversationId: sent.conversation.id }, 'Retry me');
    expect(response.status).toBe(201);
    const { id, attempt } = response.body.message as Message;
    await vi.waitFor(() => expect(twilioForms).toHaveLength(calls + 2), { timeout: 8000 });
    await vi.waitFor(async () =>
      expect(
        await db()
          .selectFrom('desk_carrier_sends')
          .select(['state', 'tries'])
          .where('message_id', '=', id)
          .where('attempt', '=', attempt)
          .execute(),
      ).toEqual([{ state: 'sent', tries: 2 }]),
    );
    expect(twilioForms.slice(calls).map((f) => f.get('Body'))).toEqual(['Retry me', 'Retry me']);
    expect(
      await db().selectFrom('desk_jobs').selectAll().where('kind', '=', 'carrier.send').execute(),
    ).toEqual([]);
  }, 15_000);
});

describe('the server on the WhatsApp Cloud API', () => {
  let conversationId: string;

  it("a signed incoming webhook creates the customer's conversation; the agent's reply goes to the Graph API", async () => {
    expect((await metaWebhook(fixture('whatsapp/incoming-text.json'))).status).toBe(200);
    let found: { id: string } | undefined;
    await vi.waitFor(async () => {
      const { body } = await api(server.url, 'ada', '/conversations');
      found = (body.items as Array<{ id: string; customer: string; senderId: string }>).find(
        (c) => c.customer === `+${WA_CUSTOMER}` && c.senderId === 'support-wa',
      );
      expect(found).toBeDefined();
    });
    conversationId = found!.id;
    const reply = await send('ada', { conversationId }, 'Yes, it also comes in green.');
    expect(reply.status).toBe(201);
    await vi.waitFor(() => expect(graphBodies).toHaveLength(1));
    expect(graphBodies[0]).toEqual(fixture('whatsapp/send-text-request.json'));

    expect((await metaWebhook(fixture('whatsapp/status-delivered.json'))).status).toBe(200);
    await vi.waitFor(async () =>
      expect(await statusEvents(reply.body.message.id)).toEqual(['delivered']),
    );
    // Forged: a body signed with another secret is refused and the read status never lands.
    expect((await metaWebhook(fixture('whatsapp/status-read.json'), 'other')).status).toBe(403);
    await new Promise((r) => setTimeout(r, 100));
    expect(await statusEvents(reply.body.message.id)).toEqual(['delivered']);
  });

  it('an image arrives: fetched by media id, stored, and served to signed-in agents only', async () => {
    expect((await metaWebhook(fixture('whatsapp/incoming-image.json'))).status).toBe(200);
    let image: Message | undefined;
    await vi.waitFor(async () => {
      const { body } = await api(server.url, 'ada', `/conversations/${conversationId}/messages`);
      image = (body.items as Message[]).find((m) => m.text === 'This one');
      expect(image?.media).toHaveLength(1);
    });
    const media = image!.media[0]!;
    expect(media).toMatchObject({ mimeType: 'image/jpeg', size: JPEG.byteLength });
    expect(media.url).toMatch(/^https:\/\/desk\.example\.com\/media\/[0-9a-f-]{36}$/);
    const path = new URL(media.url).pathname;
    expect((await fetch(`${server.url}${path}`)).status).toBe(401);
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${await token('ada')}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(JPEG);
  });

  it('an attachment is served only to users who may see its conversation; others get not_found', async () => {
    const { body } = await api(server.url, 'ada', `/conversations/${conversationId}/messages`);
    const url = (body.items as Message[]).find((m) => m.media.length)!.media[0]!.url;
    const answers: Record<string, [number, number, string?]> = {};
    for (const user of ['ada', 'sam', 'lee']) {
      const thread = await api(server.url, user, `/conversations/${conversationId}/messages`);
      const media = await fetch(`${server.url}${new URL(url).pathname}`, {
        headers: { authorization: `Bearer ${await token(user)}` },
      });
      const error = media.ok ? undefined : ((await media.json()) as { error: { code: string } });
      answers[user] = [thread.status, media.status, error?.error.code];
    }
    expect(answers.ada).toEqual([200, 200, undefined]);
    // Whoever may not see the conversation may not see its files, with the same answer.
    const outsiders = Object.values(answers).filter(([thread]) => thread === 404);
    expect(outsiders.length).toBeGreaterThan(0);
    for (const answer of outsiders) expect(answer).toEqual([404, 404, 'not_found']);
    for (const [thread, media] of Object.values(answers)) expect(media).toBe(thread);
  });

  it('a file of a type the desk does not accept never reaches agents; the message keeps a note', async () => {
    const payload = fixture<{
      entry: Array<{ changes: Array<{ value: { messages: unknown[] } }> }>;
    }>('whatsapp/incoming-image.json');
    payload.entry[0]!.changes[0]!.value.messages = [
      {
        from: WA_CUSTOMER,
        id: 'wamid.EXE1',
        timestamp: '1744344600',
        type: 'document',
        document: { filename: 'invoice\u202Efdp.exe', mime_type: 'application/pdf', id: 'EXE1' },
      },
    ];
    expect((await metaWebhook(payload)).status).toBe(200);
    let note: Message | undefined;
    await vi.waitFor(async () => {
      const { body } = await api(server.url, 'ada', `/conversations/${conversationId}/messages`);
      note = (body.items as Message[]).find((m) => m.text.includes('invoicefdp.exe'));
      expect(note).toBeDefined();
    });
    expect(note!.media).toEqual([]);
    expect(note!.text).toMatch(/not accepted: .*application\/x-msdownload/);
    expect(
      await db()
        .selectFrom('desk_carrier_media')
        .select('id')
        .where('carrier_media_id', '=', 'EXE1')
        .execute(),
    ).toEqual([]);
  });

  it('SN5: STOP on WhatsApp opts the number out of WhatsApp only; the desk then refuses to send', async () => {
    const stop = JSON.parse(
      JSON.stringify(fixture('whatsapp/incoming-text.json'))
        .replace('Does it come in another colour?', 'STOP')
        .replace(/wamid\.[A-Za-z0-9=]+/, 'wamid.STOP1'),
    ) as unknown;
    expect((await metaWebhook(stop)).status).toBe(200);
    await vi.waitFor(async () => {
      const { body } = await api(
        server.url,
        'ada',
        `/recipients/${encodeURIComponent(`+${WA_CUSTOMER}`)}`,
      );
      expect(body.optedOut).toEqual(['whatsapp']);
    });
    const calls = graphBodies.length;
    const refused = await send('ada', { conversationId }, 'One more thing');
    expect(refused.body.error.code).toBe('opted_out');
    await new Promise((r) => setTimeout(r, 50));
    expect(graphBodies).toHaveLength(calls);
  });
});

describe("SN5: the carrier's opt-out refusals are recorded", () => {
  const recipient = async (phone: string) =>
    (await api(server.url, 'sam', `/recipients/${encodeURIComponent(phone)}`)).body as {
      optedOut: string[];
    };
  const failedMessage = async (conversationId: string, id: string) => {
    let message: Message | undefined;
    await vi.waitFor(async () => {
      message = await messageOf('sam', conversationId, id);
      expect(message.status).toBe('failed');
    });
    return message!;
  };

  it('Twilio answers the send with 21610: the message fails opted_out and the number is opted out', async () => {
    const phone = '+14155550131';
    twilioFailures.push({
      status: 400,
      body: fixture<Record<string, unknown>>('twilio/error-21610.json'),
    });
    const response = await send('sam', { senderId: 'sam-sms', customer: phone }, 'Sale today');
    expect(response.status).toBe(201);
    const { message, conversation } = response.body as {
      message: Message;
      conversation: { id: string };
    };
    expect((await failedMessage(conversation.id, message.id)).failureReason).toMatch(/21610/);
    await vi.waitFor(async () => expect((await recipient(phone)).optedOut).toEqual(['sms']));
    const calls = twilioForms.length;
    const refused = await send('sam', { conversationId: conversation.id }, 'Again');
    expect(refused.body.error.code).toBe('opted_out');
    expect(twilioForms).toHaveLength(calls);
  });

  it("Twilio's status callback fails the message with 21610: the number is opted out", async () => {
    const phone = '+14155550132';
    const response = await send('sam', { senderId: 'sam-sms', customer: phone }, 'Hello');
    const { message, conversation } = response.body as {
      message: Message;
      conversation: { id: string };
    };
    await vi.waitFor(async () =>
      expect(
        await db()
          .selectFrom('desk_carrier_messages')
          .select('carrier_message_id')
          .where('message_id', '=', message.id)
          .execute(),
      ).toHaveLength(1),
    );
    const sid = `SM${String(sids).padStart(32, '0')}`;
    const params = {
      ...fixture<Record<string, string>>('twilio/status-failed-21610.json'),
      MessageSid: sid,
      SmsSid: sid,
      To: phone,
      From: '+12025550141',
    };
    expect((await twilioWebhook(params)).status).toBe(200);
    expect((await failedMessage(conversation.id, message.id)).failureReason).toMatch(
      /opted out.*21610/,
    );
    await vi.waitFor(async () => expect((await recipient(phone)).optedOut).toEqual(['sms']));
    expect((await recipient(phone)).optedOut).not.toContain('whatsapp');
  });

  it("Meta's status webhook fails the message with 131050: the number is opted out of WhatsApp", async () => {
    const wa = '16505550133';
    const incoming = JSON.parse(
      JSON.stringify(fixture('whatsapp/incoming-text.json'))
        .replaceAll(WA_CUSTOMER, wa)
        .replace(/wamid\.[A-Za-z0-9=]+/, 'wamid.IN131050'),
    ) as unknown;
    expect((await metaWebhook(incoming)).status).toBe(200);
    let conversationId = '';
    await vi.waitFor(async () => {
      const { body } = await api(server.url, 'ada', '/conversations');
      const found = (body.items as Array<{ id: string; customer: string }>).find(
        (c) => c.customer === `+${wa}`,
      );
      expect(found).toBeDefined();
      conversationId = found!.id;
    });
    graphIds.push('wamid.OUT131050');
    const reply = await send('ada', { conversationId }, 'Here is our catalogue');
    expect(reply.status).toBe(201);
    const id = (reply.body.message as Message).id;
    await vi.waitFor(async () =>
      expect(
        await db()
          .selectFrom('desk_carrier_messages')
          .select('message_id')
          .where('carrier_message_id', '=', 'wamid.OUT131050')
          .execute(),
      ).toEqual([{ message_id: id }]),
    );
    const status = JSON.parse(
      JSON.stringify(fixture('whatsapp/status-failed-131050.json'))
        .replace(/wamid\.[A-Za-z0-9=]+/, 'wamid.OUT131050')
        .replaceAll(WA_CUSTOMER, wa),
    ) as unknown;
    expect((await metaWebhook(status)).status).toBe(200);
    let failed: Message | undefined;
    await vi.waitFor(async () => {
      failed = await messageOf('ada', conversationId, id);
      expect(failed.status).toBe('failed');
    });
    expect(failed!.failureReason).toMatch(/131050/);
    await vi.waitFor(async () =>
      expect((await recipient(`+${wa}`)).optedOut).toEqual(['whatsapp']),
    );
  });
});

describe('a restart between a 503 and its retry', () => {
  it('the next server process sends the message once, from the jobs table', async () => {
    // A first process whose retry is an hour away: Twilio answers 503 once.
    const config = {
      port: 0,
      database,
      logLevel: 'silent',
      auth: { jwtSecret: SECRET },
      seed: demoSeed,
      publicUrl: PUBLIC,
      carrierRetryMs: 3_600_000,
      carriers: carriersFromEnv({
        DESK_PUBLIC_URL: PUBLIC,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      }),
    };
    await server.close();
    server = await startServer(config);
    twilioFailures.push(503);
    const calls = twilioForms.length;
    const response = await send(
      'lee',
      { senderId: 'support-sms', customer: '+14155550102' },
      'After restart',
    );
    expect(response.status).toBe(201);
    const jobsOf = () =>
      db()
        .selectFrom('desk_jobs')
        .select(['id', 'run_at'])
        .where('kind', '=', 'carrier.send')
        .execute();
    await vi.waitFor(async () => expect(await jobsOf()).toHaveLength(1));
    expect(twilioForms).toHaveLength(calls + 1);
    await server.close();

    // The hour passes while no process runs; a new one starts on the same database.
    await db()
      .updateTable('desk_jobs')
      .set({ run_at: Date.now() })
      .where('kind', '=', 'carrier.send')
      .execute();
    server = await startServer(config);
    await vi.waitFor(() => expect(twilioForms).toHaveLength(calls + 2), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await jobsOf()).toEqual([]));
    await new Promise((r) => setTimeout(r, 300));
    expect(twilioForms.slice(calls).map((f) => f.get('Body'))).toEqual([
      'After restart',
      'After restart',
    ]);
    const { id, attempt } = response.body.message as Message;
    expect(
      await db()
        .selectFrom('desk_carrier_sends')
        .select(['state', 'tries'])
        .where('message_id', '=', id)
        .where('attempt', '=', attempt)
        .execute(),
    ).toEqual([{ state: 'sent', tries: 2 }]);
  }, 60_000);
});
