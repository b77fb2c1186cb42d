/**
 * The carriers mounted on the desk server (PGlite in memory): signed webhooks over real HTTP reach
 * the desk once; forged ones are refused with 403 and leave no row; the demo's phone simulator
 * writes through the simulated carrier's signed webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carriersFromEnv } from '../../src/server/carriers/index.js';
import { request } from 'node:http';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { demoSeed } from '../../examples/demo/seed.js';
import { serverBackend } from '../../examples/demo/server-backend.js';
import type { Database } from '../../src/server/db.js';
import { openPglite } from '../server/support.js';
import { fixture, metaSignature, twilioSignature } from './support.js';

const PUBLIC = 'https://desk.example.com';
const TWILIO_SID = 'AC00000000000000000000000000000000';
const TWILIO_TOKEN = 'twilio-token';
const APP_SECRET = 'meta-secret';
const PHONE_ID = '106540352242922';

let server: RunningServer;
let database: Database;

beforeAll(async () => {
  database = await openPglite();
  server = await startServer({
    port: 0,
    database,
    logLevel: 'silent',
    demo: true,
    seed: demoSeed,
    publicUrl: PUBLIC,
    carriers: carriersFromEnv({
      DESK_PUBLIC_URL: PUBLIC,
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WHATSAPP_ACCESS_TOKEN: 'EAAG',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
    }),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.close();
});

const inboxRows = () => server.database.db.selectFrom('desk_carrier_inbox').selectAll().execute();

async function messagesWithText(text: string) {
  const rows = await server.database.db
    .selectFrom('desk_events')
    .select('data')
    .where('type', '=', 'message.created')
    .execute();
  return rows.filter(
    (r) => (JSON.parse(r.data) as { message: { text: string } }).message.text === text,
  );
}

async function demoToken(userId: string): Promise<string> {
  const response = await fetch(`${server.url}/demo/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Waits for background processing (the carrier was answered before it). */
async function eventually(check: () => Promise<void>) {
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function twilioPost(params: Record<string, string>, signature: string | null) {
  return fetch(`${server.url}/webhooks/twilio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe('carriers on the server', () => {
  const sms = {
    ...fixture<Record<string, string>>('twilio/incoming-sms.json'),
    To: '+12025550143', // support-sms
    Body: 'Is the shop open on Sunday?',
  };

  it('a genuine Twilio webhook needs no bearer token, is answered with TwiML and reaches the desk', async () => {
    const response = await twilioPost(
      sms,
      twilioSignature(TWILIO_TOKEN, `${PUBLIC}/webhooks/twilio`, sms),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/xml/);
    await eventually(async () =>
      expect(await messagesWithText('Is the shop open on Sunday?')).toHaveLength(1),
    );
  });

  it('the same webhook again changes nothing', async () => {
    const before = (await inboxRows()).length;
    const response = await twilioPost(
      sms,
      twilioSignature(TWILIO_TOKEN, `${PUBLIC}/webhooks/twilio`, sms),
    );
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await inboxRows()).toHaveLength(before);
    expect(await messagesWithText('Is the shop open on Sunday?')).toHaveLength(1);
  });

  it('forged webhooks get 403 and store nothing', async () => {
    const forged = { ...sms, MessageSid: 'SM99999999999999999999999999999999', Body: 'forged' };
    const before = (await inboxRows()).length;
    const signedElsewhere = twilioSignature(
      TWILIO_TOKEN,
      `http://evil.example/webhooks/twilio`,
      forged,
    );
    expect((await twilioPost(forged, signedElsewhere)).status).toBe(403);
    expect((await twilioPost(forged, null)).status).toBe(403);
    const body = JSON.stringify(fixture('whatsapp/incoming-text.json'));
    const meta = await fetch(`${server.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': metaSignature('x', body),
      },
      body,
    });
    expect(meta.status).toBe(403);
    expect(await inboxRows()).toHaveLength(before);
    expect(await messagesWithText('forged')).toEqual([]);
  });

  it('webhooks over the body limit get 413, declared or streamed, and store nothing; an unknown carrier 404', async () => {
    const before = (await inboxRows()).length;
    const big = 'Body=' + 'x'.repeat(1024 * 1024 + 10);
    const declared = await fetch(`${server.url}/webhooks/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    expect(declared.status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/webhooks/twilio`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 17; i++) req.write('x'.repeat(64 * 1024)); // chunked: no length
      req.end();
    });
    expect(streamed).toBe(413);
    expect((await fetch(`${server.url}/webhooks/nobody`, { method: 'POST' })).status).toBe(404);
    expect(await inboxRows()).toHaveLength(before);
  });

  it("answers Meta's verification handshake", async () => {
    const response = await fetch(
      `${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('42');
  });

  it('a genuine WhatsApp Cloud webhook for a WhatsApp sender ID reaches the desk', async () => {
    const body = JSON.stringify(fixture('whatsapp/incoming-text.json')).replace(
      '15550783881',
      '12025550144', // support-wa
    );
    const response = await fetch(`${server.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': metaSignature(APP_SECRET, body),
      },
      body,
    });
    expect(response.status).toBe(200);
    await eventually(async () =>
      expect(await messagesWithText('Does it come in another colour?')).toHaveLength(1),
    );
  });

  it("demo: the phone simulator's message goes through the simulated carrier's signed webhook", async () => {
    const tokenResponse = await fetch(`${server.url}/demo/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'ada' }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const response = await fetch(`${server.url}/simulate/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ senderId: 'sam-sms', from: '+14155550177', text: 'Via the webhook' }),
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as { routing: { rule: string } };
    expect(result.routing.rule).toBe('RT1');
    const rows = await inboxRows();
    expect(
      rows.filter((r) => r.carrier === 'simulator' && r.event.includes('Via the webhook')),
    ).toHaveLength(1);
  });

  it("demo: the phone simulator's STOP goes through the signed webhook and opts the number out (SN5)", async () => {
    const auth = { authorization: `Bearer ${await demoToken('sam')}` };
    const customer = '+14155550178';
    const write = (text: string) =>
      fetch(`${server.url}/simulate/incoming`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ senderId: 'sam-sms', from: customer, text }),
      });
    expect((await write('STOP')).status).toBe(201);
    const rows = await inboxRows();
    expect(
      rows.filter(
        (r) => r.carrier === 'simulator' && r.event.includes(customer) && r.event.includes('STOP'),
      ),
    ).toHaveLength(1);
    const recipient = await fetch(`${server.url}/recipients/${encodeURIComponent(customer)}`, {
      headers: auth,
    });
    expect(((await recipient.json()) as { optedOut: string[] }).optedOut).toEqual(['sms']);
    expect((await write('START')).status).toBe(201);
    const back = await fetch(`${server.url}/recipients/${encodeURIComponent(customer)}`, {
      headers: auth,
    });
    expect(((await back.json()) as { optedOut: string[] }).optedOut).toEqual([]);
  });

  it("demo: the demo page's phone simulator (examples/demo/server-backend.ts) writes through the signed webhook", async () => {
    const { simulator } = serverBackend(server.url);
    const customer = '+14155550180';
    const { routing } = await simulator.simulateIncoming({
      senderId: 'sam-sms',
      from: customer,
      text: 'From the demo page',
    });
    expect(routing.rule).toMatch(/^RT[1-5]$/);
    await simulator.simulateIncoming({ senderId: 'sam-sms', from: customer, text: 'STOP' });
    const events = (await inboxRows())
      .filter((r) => r.carrier === 'simulator' && r.event.includes(customer))
      .map((r) => (JSON.parse(r.event) as { text: string }).text);
    expect(events.sort()).toEqual(['From the demo page', 'STOP']);
    const recipient = await fetch(`${server.url}/recipients/${encodeURIComponent(customer)}`, {
      headers: { authorization: `Bearer ${await demoToken('sam')}` },
    });
    expect(((await recipient.json()) as { optedOut: string[] }).optedOut).toEqual(['sms']);
  });

  it('demo: /simulate/* needs a signed-in user; the simulated webhook refuses a forged signature', async () => {
    const anonymous = await fetch(`${server.url}/simulate/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ senderId: 'sam-sms', from: '+14155550179', text: 'Hi' }),
    });
    expect(anonymous.status).toBe(401);
    const before = (await inboxRows()).length;
    const forged = await fetch(`${server.url}/webhooks/simulator`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-simulator-signature': '00'.repeat(32) },
      body: JSON.stringify({
        type: 'message',
        id: 'sim-in-forged',
        channel: 'sms',
        from: '+14155550179',
        to: '+12025550141',
        text: 'Hi',
      }),
    });
    expect(forged.status).toBe(403);
    expect(await inboxRows()).toHaveLength(before);
  });
});
