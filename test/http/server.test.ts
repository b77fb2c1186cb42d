/** The reference server (examples/server) speaks docs/protocol.md; the error mapping round-trips. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../examples/server/server.js';
import { DeskError, type DeskErrorCode } from '../../src/errors.js';
import {
  errorBody,
  errorFromBody,
  EventStreamParser,
  parseRetryAfter,
  STATUS_OF_CODE,
  type StreamMessage,
} from '../../src/http/index.js';
import { PHONE } from '../support/seed.js';
import { testServer } from './support.js';

let srv: RunningServer;
beforeAll(async () => {
  srv = await testServer({ ringSize: 3 });
});
afterAll(() => srv.close());

const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = 'alice', ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (rest.body) headers.set('Content-Type', 'application/json');
  return fetch(`${srv.url}${path}`, { ...rest, headers });
};

/** Reads an event stream until `count` blocks (events or id-only) arrived, then closes it. */
async function readStream(
  headers: Record<string, string>,
  count: number,
): Promise<Array<StreamMessage | { id: string }>> {
  const controller = new AbortController();
  const response = await fetch(`${srv.url}/events`, {
    headers: { Authorization: 'Bearer alice', ...headers },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const parser = new EventStreamParser();
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const out: Array<StreamMessage | { id: string }> = [];
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    const before = parser.lastEventId;
    const events = parser.feed(decoder.decode(value, { stream: true }));
    out.push(...events);
    if (events.length === 0 && parser.lastEventId !== before) out.push({ id: parser.lastEventId });
  }
  controller.abort();
  return out;
}

describe('protocol: error bodies', () => {
  it('every DeskError code round-trips through its HTTP status and body', () => {
    for (const [code, status] of Object.entries(STATUS_OF_CODE)) {
      const sent = new DeskError(code as DeskErrorCode, `because ${code}`, { details: { x: 1 } });
      const received = errorFromBody(status, JSON.parse(JSON.stringify(errorBody(sent))));
      expect([received.code, received.message, received.details]).toEqual([
        code,
        `because ${code}`,
        { status, x: 1 },
      ]);
    }
  });

  it('Retry-After reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('0', 0)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe('reference server', () => {
  it('U2: a bearer token is required; every refusal has the error body', async () => {
    const anonymous = await call('/session', { token: null });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await call('/session', { token: 'nobody' })).status).toBe(401);
    const session = await (await call('/session')).json();
    expect(session.user.id).toBe('alice');

    const team = await call('/conversations?teamMember=bob');
    expect(team.status).toBe(403);
    expect((await team.json()).error.code).toBe('forbidden');
    expect((await call('/conversations?teamMember=bob', { token: 'admin' })).status).toBe(200);
    expect((await call('/nowhere')).status).toBe(404);
    const bad = await call('/contacts', { method: 'POST', body: '{nope' });
    expect([bad.status, (await bad.json()).error.code]).toEqual([400, 'invalid_input']);
  });

  it('CORS: preflight for localhost origins allows the protocol headers', async () => {
    const preflight = await fetch(`${srv.url}/messages`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:8000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8000');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Last-Event-ID/);
    const foreign = await fetch(`${srv.url}/health`, { headers: { Origin: 'https://evil.test' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('V5: conversations page by cursor, newest first, with no repeats when one is added meanwhile', async () => {
    for (const from of ['+14155550111', '+14155550112', '+14155550113']) {
      await srv.backend.simulateIncoming({ senderId: 'alice-sms', from, text: 'hello' });
      await new Promise((r) => setTimeout(r, 2));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await (await call(`/conversations?limit=1${query}`)).json();
      seen.push(...page.items.map((c: { customer: string }) => c.customer));
      cursor = page.nextCursor;
      if (++pages === 1) {
        // A new conversation arrives while paging: it is newer, so it is not in the later pages.
        await srv.backend.simulateIncoming({
          senderId: 'alice-sms',
          from: '+14155550114',
          text: 'new',
        });
      }
    } while (cursor);
    expect(seen.slice(0, 3)).toEqual(['+14155550113', '+14155550112', '+14155550111']);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain('+14155550114');
  });

  it('POST /messages acts once per Idempotency-Key: 201, then 200 with the same message', async () => {
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const body = JSON.stringify({
      target: { conversationId: conversation.id },
      content: { text: 'Once' },
    });
    const headers = { 'Idempotency-Key': 'srv-key-1' };
    const first = await call('/messages', { method: 'POST', body, headers });
    const again = await call('/messages', { method: 'POST', body, headers });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = [await first.json(), await again.json()];
    expect(b.message.id).toBe(a.message.id);
    const thread = await (await call(`/conversations/${conversation.id}/messages`)).json();
    expect(thread.items.filter((m: { text: string }) => m.text === 'Once')).toHaveLength(1);

    const keyless = await call('/messages', { method: 'POST', body });
    expect([keyless.status, (await keyless.json()).error.code]).toEqual([400, 'invalid_input']);
  });

  it('SN5: a refusal is 422 with its code; a refused key may be sent again later', async () => {
    const body = JSON.stringify({
      target: { senderId: 'alice-sms', customer: PHONE.fay },
      content: { text: 'Sale' },
    });
    const refused = await call('/messages', {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': 'fay-1' },
    });
    expect(refused.status).toBe(422);
    expect((await refused.json()).error.code).toBe('opted_out');
    await srv.backend.setOptOut(PHONE.fay, 'sms', false);
    const later = await call('/messages', {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': 'fay-1' },
    });
    expect(later.status).toBe(201);
  });

  it('POST /contacts honours the Idempotency-Key: one contact, the same answer; 409 for a taken number', async () => {
    const body = JSON.stringify({ firstName: 'Hal', lastName: 'Hughes', phone: '+14155550177' });
    const headers = { 'Idempotency-Key': 'contact-1' };
    const [a, b] = await Promise.all([
      call('/contacts', { method: 'POST', body, headers }),
      call('/contacts', { method: 'POST', body, headers }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect((await a.json()).id).toBe((await b.json()).id);
    const taken = await call('/contacts', {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': 'contact-2' },
    });
    expect([taken.status, (await taken.json()).error.code]).toEqual([409, 'conflict']);
  });

  it('GET /events: the position first, then events with ids; Last-Event-ID replays; too old resets', async () => {
    const fresh = await readStream({}, 1);
    const start = (fresh[0] as { id: string }).id;
    expect(Number(start)).toBeGreaterThanOrEqual(0);

    await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text: 'one' });
    const resumed = (await readStream({ 'Last-Event-ID': start }, 2)) as StreamMessage[];
    expect(resumed[0]!.event).toBe('message.created');
    expect(JSON.parse(resumed[0]!.data).message.text).toBe('one');
    expect(Number(resumed[1]!.id)).toBeGreaterThan(Number(resumed[0]!.id));

    // The ring keeps 3 events per user: a resume from before them cannot be served.
    for (const text of ['two', 'three']) {
      await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text });
    }
    const reset = (await readStream({ 'Last-Event-ID': start }, 1)) as StreamMessage[];
    expect(reset[0]!.event).toBe('reset');
    const unknown = (await readStream({ 'Last-Event-ID': '999999' }, 1)) as StreamMessage[];
    expect(unknown[0]!.event).toBe('reset');
  });

  it('starts with one command', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'examples/server/server.ts', '--port', '0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true });
      const session = await (
        await fetch(`${url}/session`, { headers: { Authorization: 'Bearer sam' } })
      ).json();
      expect(session.user.id).toBe('sam');
    } finally {
      child.kill();
    }
  }, 20_000);
});
