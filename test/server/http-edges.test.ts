/**
 * Issue 9, serving: CORS from configuration, the rate limit on unauthenticated requests (token
 * guessing), and graceful shutdown (a request in flight completes, open streams end, then close
 * resolves). Nothing here depends on timing: each step waits for the event it names.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/server/db.js';
import { type RunningServer, type ServerConfig } from '../../src/server/index.js';
import { api, openPglite, token, startTestServer } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let database: Database;
let server: RunningServer | undefined;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database.close());
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const start = async (config: Partial<ServerConfig> = {}) =>
  (server = await startTestServer(database, config));

describe('CORS on the team server', () => {
  it('answers an allowed origin with its header and another origin without', async () => {
    const { url } = await start({ corsOrigins: ['https://crm.example'] });
    const preflight = (origin: string) =>
      fetch(`${url}/messages`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
    const allowed = await preflight('https://crm.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.example');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'idempotency-key',
    );
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const get = (origin: string) =>
      api(url, 'sam', '/session', { headers: { origin } }).then((r) => r.headers);
    expect((await get('https://crm.example')).get('access-control-allow-origin')).toBe(
      'https://crm.example',
    );
    expect((await get('https://crm.example')).get('access-control-expose-headers')).toContain(
      'Retry-After',
    );
    expect((await get('https://evil.example')).get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limit', () => {
  it('counts unauthenticated requests too (token guessing), by address', async () => {
    const { url } = await start({ rateLimit: { max: 3, windowMs: 60_000 } });
    const guess = () =>
      fetch(`${url}/session`, { headers: { authorization: 'Bearer guess' } }).then(async (r) => [
        r.status,
        ((await r.json()) as { error: { code: string } }).error.code,
      ]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await guess());
    expect(answers).toEqual([
      [401, 'unauthorized'],
      [401, 'unauthorized'],
      [401, 'unauthorized'],
      [429, 'rate_limited'],
    ]);
    // A signed-in user counts apart (per user), from the same address.
    expect((await api(url, 'sam', '/session')).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, ends the open streams, then resolves close', async () => {
    const running = await start();
    const stream = await fetch(`${running.url}/events`, {
      headers: { authorization: `Bearer ${await token('sam')}` },
    });
    const reader = stream.body!.getReader();
    await reader.read(); // connected
    const streamEnded = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })();

    // A request whose body is still arriving when close() is called.
    const body = JSON.stringify({ firstName: 'Late', phone: '+14155550191' });
    const half = Math.floor(body.length / 2);
    const socket = connect(running.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const answered = new Promise((resolve) => socket.on('end', resolve));
    const received = new Promise((resolve) => running.app.server.once('request', resolve));
    socket.write(
      `POST /contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${await token('sam')}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
        body.slice(0, half),
    );
    await received; // the server has the request's head: it is in flight

    let closed = false;
    const closing = running.close().then(() => (closed = true));
    server = undefined;
    expect(await streamEnded).toBe(true);
    expect(closed).toBe(false); // the request in flight holds it open
    // Not socket.end(): a client's FIN makes Node's server abort the request it is answering.
    socket.write(body.slice(half));
    await answered; // Connection: close, so the server ends the socket once it has answered
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(answer).toContain('"firstName":"Late"');
    await closing;
    expect(closed).toBe(true);
    // Nothing more is served.
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });
});
