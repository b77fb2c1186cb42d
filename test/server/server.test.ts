/**
 * The team server on PGlite, in process: auth, demo mode, limits, idempotency and the event
 * stream's edges. The multi-instance and restart tests are in their own files.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/server/db.js';
import { type RunningServer, type ServerConfig } from '../../src/server/index.js';
import {
  api,
  incoming,
  openDesk,
  openPglite,
  SECRET,
  seed,
  token,
  until,
  type Desk,
  startTestServer,
} from './support.js';

vi.setConfig({ testTimeout: 30_000 }); // a server starts in each test; CI machines are shared

let database: Database;
let server: RunningServer | undefined;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database.close());
const desks: Desk[] = [];

async function start(config: Partial<ServerConfig> = {}) {
  server = await startTestServer(database, { demo: true, ...config });
  return server;
}

afterEach(async () => {
  for (const desk of desks.splice(0)) desk.stop();
  await server?.close();
  server = undefined;
});

describe('auth (JWT)', () => {
  it('refuses a missing, forged or expired token with 401 unauthorized', async () => {
    const { url } = await start();
    expect((await api(url, null, '/session')).status).toBe(401);
    const forged = await fetch(`${url}/session`, {
      headers: {
        authorization: `Bearer ${await signTokenWith('another-secret-another-secret-1234', 'ada')}`,
      },
    });
    expect(forged.status).toBe(401);
    const expired = await fetch(`${url}/session`, {
      headers: { authorization: `Bearer ${await signTokenWith(SECRET, 'ada', -10)}` },
    });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('acts as the token subject, and refuses a subject that is not a user of the desk', async () => {
    const { url } = await start();
    const session = await api(url, 'sam', '/session');
    expect(session.status).toBe(200);
    expect(session.body.user.id).toBe('sam');
    expect((await api(url, 'mallory', '/session')).status).toBe(401);
  });

  it('ends an open event stream when its token expires', async () => {
    const { url } = await start();
    const desk = openDesk(() => [url], 'ada', 1);
    desks.push(desk);
    await until(() => desk.stream.connections === 1, 5000, 'first connection');
    // The token lives 1 s: the server ends the stream, the desk reconnects with a fresh one.
    await until(() => desk.stream.connections >= 2, 5000, 'reconnection');
    expect(server!.stats().expired).toBeGreaterThanOrEqual(1);
  });
});

describe('demo mode', () => {
  it('has no token issuer and no /simulate/* outside demo mode', async () => {
    const { url } = await start({ demo: false });
    expect((await api(url, null, '/demo/token', { body: { userId: 'ada' } })).status).toBe(404);
    expect((await incoming(url, 'hello')).status).toBe(404);
    expect((await api(url, 'ada', '/simulate/stats')).status).toBe(404);
    expect((await api(url, 'ada', '/demo/reset', { body: {} })).status).toBe(404);
  });

  it('resets the demo data for a signed-in user; a connected desk is told reset', async () => {
    const history = [{ senderId: 'sam-sms', from: '+14155550123', text: 'from the history' }];
    const { url } = await start({ history });
    const texts = async () =>
      (
        (await api(url, 'ada', '/conversations')).body.items as Array<{
          lastMessage?: { text: string };
        }>
      )
        .map((c) => c.lastMessage?.text)
        .sort();
    // The history may be stored already by an earlier test's start on this database.
    await api(url, 'ada', '/demo/reset', { body: {} });
    expect(await texts()).toEqual(['from the history']);
    const desk = openDesk(() => [url], 'sam');
    desks.push(desk);
    expect((await incoming(url, 'after the start')).status).toBe(201);
    await until(() => desk.ids().length > 0, 5000, 'the desk got the incoming message');
    await api(url, 'sam', '/simulate/business-hours', {
      body: { hours: { timeZone: 'UTC', weekly: {} } },
    });
    const before = (await api(url, 'ada', '/session')).body;

    expect((await api(url, null, '/demo/reset', { body: {} })).status).toBe(401);
    expect(await texts()).toEqual(['after the start', 'from the history']);
    const reset = await api(url, 'lee', '/demo/reset', { body: {} });
    expect(reset.status).toBe(200);
    expect(await texts()).toEqual(['from the history']);
    expect((await api(url, 'ada', '/session')).body.settings).toEqual(seed.settings);
    expect(before.settings).not.toEqual(seed.settings);
    await until(
      () => desk.messages.some((m) => m.event === 'reset'),
      5000,
      'the desk resumed and was told reset',
    );
    // The desk goes on: a new message after the reset reaches it.
    const seen = desk.ids().length;
    expect((await incoming(url, 'after the reset')).status).toBe(201);
    await until(() => desk.ids().length > seen, 5000, 'a new event after the reset');
    expect(await texts()).toEqual(['after the reset', 'from the history']);
  });

  it('issues tokens and authenticates /simulate/* in demo mode', async () => {
    const { url } = await start({ auth: {} });
    const issued = await api(url, null, '/demo/token', { body: { userId: 'lee' } });
    expect(issued.status).toBe(200);
    const session = await fetch(`${url}/session`, {
      headers: { authorization: `Bearer ${issued.body.token}` },
    });
    expect(((await session.json()) as { user: { id: string } }).user.id).toBe('lee');
    const anonymous = await api(url, null, '/simulate/incoming', {
      body: { senderId: 'sam-sms', from: '+14155550100', text: 'hi' },
    });
    expect(anonymous.status).toBe(401);
    expect((await api(url, null, '/demo/token', { body: { userId: 'nobody' } })).status).toBe(404);
  });

  it('checks demo bodies with the engine schemas: invalid_input naming the field, like every other route, nothing changed', async () => {
    const { url } = await start({ auth: {} });
    const refused = async (path: string, token: string | null, body: unknown) => {
      const answer = await api(url, token, path, { body });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.code, path).toBe('invalid_input');
      return answer.body.error.details?.field as string;
    };
    expect(await refused('/demo/token', null, { userId: 7 })).toBe('userId');
    expect(await refused('/demo/token', null, { userId: 'lee', ttlSeconds: 1.5 })).toBe(
      'ttlSeconds',
    );
    const { body: issued } = await api(url, null, '/demo/token', { body: { userId: 'sam' } });
    const sam = issued.token as string;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sam}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as never }));
    const bad = async (path: string, body: unknown) => {
      const answer = (await post(path, body)) as {
        status: number;
        body: { error: { code: string; details?: { field?: string } } };
      };
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.code, path).toBe('invalid_input');
      return answer.body.error.details?.field;
    };
    expect(await bad('/simulate/incoming', { senderId: 'sam-sms', from: 5 })).toBe('from');
    expect(
      await bad('/simulate/incoming', { senderId: 'sam-sms', from: '+14155550100', text: 3 }),
    ).toBe('text');
    expect(await bad('/simulate/consent', { phone: '+14155550100', consent: 'yes' })).toBe(
      'consent',
    );
    expect(await bad('/simulate/fail-next', { phone: ['+1'] })).toBe('phone');
    expect(
      await bad('/simulate/campaign', {
        input: { senderId: 'sam-sms', userId: 'sam', to: 'x', text: 'hi' },
      }),
    ).toBe('input.to');
    // Nothing was stored: the conversations are as before.
    const before = await api(url, 'sam', '/conversations?view=mine');
    expect(await bad('/simulate/incoming', { senderId: 'sam-sms', from: {} })).toBe('from');
    expect((await api(url, 'sam', '/conversations?view=mine')).body).toEqual(before.body);
    // A good body still works, with a text longer than the old hand-written 10 000 limit.
    const long = await post('/simulate/incoming', {
      senderId: 'sam-sms',
      from: '+14155550100',
      text: 'x'.repeat(20_000),
    });
    expect(long.status).toBe(201);
  });
});

describe('limits', () => {
  it('answers 429 rate_limited with Retry-After past the rate limit', async () => {
    const { url } = await start({ rateLimit: { max: 3, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(url, 'sam', '/session')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await api(url, 'sam', '/session');
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Per user: another user still gets through.
    expect((await api(url, 'lee', '/session')).status).toBe(200);
  });

  it('caps the event streams per user', async () => {
    const { url } = await start({ streams: { perUser: 2 } });
    const open = async () =>
      fetch(`${url}/events`, { headers: { authorization: `Bearer ${await token('sam')}` } });
    const first = await open();
    const second = await open();
    const third = await open();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.headers.get('retry-after')).toBe('5');
    await first.body?.cancel();
    await second.body?.cancel();
  });

  it('refuses a body over the limit and bad input with typed errors', async () => {
    const { url } = await start({ bodyLimit: 1024 });
    const big = await api(url, 'sam', '/contacts', { body: { firstName: 'x'.repeat(2000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('invalid_input');
    const bad = await api(url, 'sam', '/conversations/read', {
      body: { conversationIds: 'c1', read: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    const limit = await api(url, 'sam', '/contacts?limit=abc');
    expect(limit.status).toBe(400);
    expect((await api(url, 'sam', '/contacts?limit=2')).body.items).toHaveLength(2);
    const noKey = await api(url, 'sam', '/messages', {
      body: { target: { conversationId: 'c1' }, content: { text: 'hi' } },
    });
    expect(noKey.status).toBe(400);
  });

  it('cuts a request whose body stalls', async () => {
    const { port } = await start({ bodyTimeoutMs: 300 });
    const { connect } = await import('node:net');
    const socket = connect(port, '127.0.0.1');
    const auth = `Bearer ${await token('sam')}`;
    socket.write(
      `POST /contacts HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"firstName":`,
    );
    const closedAfter = await new Promise<number>((resolve) => {
      const start = Date.now();
      socket.on('close', () => resolve(Date.now() - start));
      socket.on('error', () => undefined);
    });
    expect(closedAfter).toBeLessThan(5000);
  });
});

describe('idempotency', () => {
  it('acts once per user and key, replays the answer, and keeps another user’s key apart', async () => {
    const { url } = await start();
    const send = (userId: string, key: string) =>
      api(url, userId, '/messages', {
        body: {
          target: { senderId: 'sam-sms', customer: '+14155550177' },
          content: { text: 'Hi' },
        },
        headers: { 'idempotency-key': key },
      });
    const [a, b] = await Promise.all([send('sam', 'k1'), send('sam', 'k1')]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.message.id).toBe(b.body.message.id);
    const replayed = a.status === 200 ? a : b;
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const thread = await api(url, 'sam', `/conversations/${a.body.conversation.id}/messages`);
    expect(thread.body.items.filter((m: { text: string }) => m.text === 'Hi')).toHaveLength(1);
    // Records are per user: ada's first request with the same key is not a replay of sam's.
    // (That the domain also keys sends per user is the engine's fix, issue 8.)
    const other = await send('ada', 'k1');
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
  });

  it('forgets a refused request: the key may succeed later', async () => {
    const { url } = await start();
    const send = (text: string) =>
      api(url, 'sam', '/messages', {
        body: { target: { senderId: 'sam-sms', customer: '+14155550178' }, content: { text } },
        headers: { 'idempotency-key': 'k2' },
      });
    expect((await send('   ')).status).toBe(400);
    const later = await send('Now with text');
    expect(later.status).toBe(201);
  });
});

describe('event stream', () => {
  it('delivers events to the users they are for, with increasing ids', async () => {
    const { url } = await start();
    const ada = openDesk(() => [url], 'ada');
    const sam = openDesk(() => [url], 'sam');
    const lee = openDesk(() => [url], 'lee');
    desks.push(ada, sam, lee);
    await until(() => [ada, sam, lee].every((d) => d.stream.connections === 1));
    for (let i = 0; i < 5; i++) expect((await incoming(url, `m${i}`)).status).toBe(201);
    const created = (d: Desk) => d.messages.filter((m) => m.event === 'message.created');
    // Other events may come too (statuses of earlier tests' sends: the state is durable).
    await until(() => created(ada).length >= 5 && created(sam).length >= 5);
    await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show up
    expect(created(ada)).toHaveLength(5);
    expect(created(sam)).toHaveLength(5);
    expect(created(lee)).toHaveLength(0); // sam's number: not lee's conversation
    const ids = ada.ids();
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers reset for an id older than the log, or unknown', async () => {
    const { url } = await start();
    const open = async (lastEventId: string) => {
      const response = await fetch(`${url}/events`, {
        headers: { authorization: `Bearer ${await token('ada')}`, 'last-event-id': lastEventId },
      });
      const reader = response.body!.getReader();
      let text = '';
      while (!text.includes('\n\nid:') && !text.includes('event:')) {
        text += new TextDecoder().decode((await reader.read()).value);
      }
      await reader.cancel();
      return text;
    };
    expect(await open('999999')).toContain('event: reset');
    expect(await open('nonsense')).toContain('event: reset');
  });
});

async function signTokenWith(secret: string, userId: string, ttlSeconds = 3600) {
  const { SignJWT } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt(now - 100)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
