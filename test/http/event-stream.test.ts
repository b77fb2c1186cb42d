/** The event stream: the parser, and reconnection with Last-Event-ID against msw. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../src/adapter.js';
import { createHttpAdapter, EventStreamParser } from '../../src/http/index.js';
import { recordingClock, until } from './support.js';

describe('event stream parser (WHATWG server-sent events)', () => {
  const sample =
    'retry: 250\r\n: a comment\r\nid: 1\r\nevent: message.created\r\ndata: {"a":1}\r\n\r\n' +
    'data: line one\ndata: line two\n\n' +
    'id: 7\n\n' +
    'event: ping\rdata\r\r' +
    'data:no space\nid: 8\nunknown: field\n\n' +
    'data: partial at the end, never dispatched';

  const expected = [
    { id: '1', event: 'message.created', data: '{"a":1}' },
    { id: '1', event: 'message', data: 'line one\nline two' },
    { id: '7', event: 'ping', data: '' },
    { id: '8', event: 'message', data: 'no space' },
  ];

  it('parses fields, comments, multi-line data, ids, retry, and all three line endings', () => {
    const parser = new EventStreamParser();
    expect(parser.feed(sample)).toEqual(expected);
    expect(parser.retry).toBe(250);
    expect(parser.lastEventId).toBe('8');
  });

  it('gives the same events whatever the chunking (CRLF split across chunks included)', () => {
    for (let cut = 1; cut < sample.length; cut++) {
      const parser = new EventStreamParser();
      const events = [...parser.feed(sample.slice(0, cut)), ...parser.feed(sample.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual(expected);
    }
    const parser = new EventStreamParser();
    const oneByOne = [...sample].flatMap((c) => parser.feed(c));
    expect(oneByOne).toEqual(expected);
  });

  it('an id without data moves the last event id without dispatching; NUL ids are ignored', () => {
    const parser = new EventStreamParser('3');
    expect(parser.feed('id: 10\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('10');
    expect(parser.feed('id: 1\u00002\ndata: x\n\n')).toEqual([
      { id: '10', event: 'message', data: 'x' },
    ]);
  });
});

describe('event stream over fetch (msw)', () => {
  const BASE = 'https://crm.test/v1';
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const encoder = new TextEncoder();
  const block = (id: number, event: ServerEvent) =>
    `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  const note = (n: number): ServerEvent => ({
    type: 'notification',
    kind: 'incoming',
    userId: 'alice',
    conversationId: `c${n}`,
    at: n,
  });

  /**
   * A server whose log holds events 1..total; each connection sends what follows its
   * Last-Event-ID, `perConnection` at most, then drops (an error mid-stream).
   */
  function flakyStream(total: number, perConnection: number) {
    const connections: Array<{ lastEventId: string | null; auth: string | null }> = [];
    server.use(
      http.get(`${BASE}/events`, ({ request }) => {
        const lastEventId = request.headers.get('last-event-id');
        connections.push({ lastEventId, auth: request.headers.get('authorization') });
        const from = Number(lastEventId ?? 0);
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('retry: 40\n\n'));
            const last = Math.min(total, from + perConnection);
            for (let id = from + 1; id <= last; id++) {
              // Split each block in two chunks, to cross chunk boundaries.
              const text = block(id, note(id));
              controller.enqueue(encoder.encode(text.slice(0, 9)));
              controller.enqueue(encoder.encode(text.slice(9)));
            }
            // Bytes already sent arrive; then the connection resets (on a later tick, as on a
            // real network: an error in start() would discard the queued chunks).
            if (last < total) setTimeout(() => controller.error(new Error('connection reset')), 5);
          },
        });
        return new HttpResponse(stream, { headers: { 'Content-Type': 'text/event-stream' } });
      }),
    );
    return connections;
  }

  it('reconnects after drops and resumes from Last-Event-ID: every event once, in order', async () => {
    const connections = flakyStream(10, 3);
    const clock = recordingClock();
    const adapter = createHttpAdapter({
      baseUrl: BASE,
      token: () => 'tok',
      clock,
      outbox: false,
      cache: false,
      events: { heartbeatTimeoutMs: 0 },
      random: () => 1,
    });
    const got: ServerEvent[] = [];
    const unsubscribe = adapter.subscribe((e) => got.push(e));
    await until(() => got.length === 10, 'ten events arrived');
    expect(got.map((e) => (e as { at: number }).at)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(connections.map((c) => c.lastEventId)).toEqual([null, '3', '6', '9']);
    expect(connections.every((c) => c.auth === 'Bearer tok')).toBe(true);
    // The server's `retry: 40` is the base of the reconnection delay.
    expect(clock.waits.slice(0, 3)).toEqual([40, 40, 40]);
    expect(adapter.status.lastEventId).toBe('10');
    unsubscribe();
    await adapter.close();
  });

  it('backs off (doubling, capped) while the server refuses, honouring Retry-After', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/events`, () => {
        calls++;
        if (calls === 1) return new HttpResponse(null, { status: 502 });
        if (calls === 2) return new HttpResponse(null, { status: 502 });
        if (calls === 3) {
          return new HttpResponse(null, { status: 503, headers: { 'Retry-After': '5' } });
        }
        return new HttpResponse(encoder.encode(block(1, note(1))), {
          headers: { 'Content-Type': 'text/event-stream' },
        });
      }),
    );
    const clock = recordingClock();
    const adapter = createHttpAdapter({
      baseUrl: BASE,
      token: () => 'tok',
      clock,
      outbox: false,
      cache: false,
      events: { baseDelayMs: 100, maxDelayMs: 300, heartbeatTimeoutMs: 0 },
      random: () => 1,
    });
    const got: ServerEvent[] = [];
    adapter.subscribe((e) => got.push(e));
    await until(() => got.length === 1, 'the event arrived');
    expect(clock.waits.slice(0, 3)).toEqual([100, 200, 5000]);
    await adapter.close();
  });

  it('reconnects when the connection goes silent (no heartbeat)', async () => {
    const lastIds: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/events`, ({ request }) => {
        lastIds.push(request.headers.get('last-event-id'));
        const first = lastIds.length === 1;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(block(first ? 1 : 2, note(first ? 1 : 2))));
            // Then nothing: a half-open connection.
          },
        });
        return new HttpResponse(stream, { headers: { 'Content-Type': 'text/event-stream' } });
      }),
    );
    const adapter = createHttpAdapter({
      baseUrl: BASE,
      token: () => 'tok',
      outbox: false,
      cache: false,
      events: { baseDelayMs: 1, maxDelayMs: 1, heartbeatTimeoutMs: 30 },
    });
    const got: ServerEvent[] = [];
    adapter.subscribe((e) => got.push(e));
    await until(() => got.length === 2, 'the second connection delivered');
    expect(lastIds.slice(0, 2)).toEqual([null, '1']);
    await adapter.close();
  });

  it('a repeated event id is delivered once', async () => {
    server.use(
      http.get(
        `${BASE}/events`,
        () =>
          new HttpResponse(
            encoder.encode(block(1, note(1)) + block(1, note(1)) + block(2, note(2))),
            {
              headers: { 'Content-Type': 'text/event-stream' },
            },
          ),
      ),
    );
    const adapter = createHttpAdapter({
      baseUrl: BASE,
      token: () => 'tok',
      outbox: false,
      cache: false,
      events: { baseDelayMs: 1000, heartbeatTimeoutMs: 0 },
    });
    const got: ServerEvent[] = [];
    adapter.subscribe((e) => got.push(e));
    await until(() => got.length >= 2, 'two events');
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toHaveLength(2);
    await adapter.close();
  });

  it('the last subscriber leaving closes the stream', async () => {
    flakyStream(1, 1);
    const adapter = createHttpAdapter({
      baseUrl: BASE,
      token: () => 'tok',
      outbox: false,
      cache: false,
      events: { heartbeatTimeoutMs: 0 },
    });
    const a = adapter.subscribe(() => undefined);
    const b = adapter.subscribe(() => undefined);
    await until(() => adapter.status.stream === 'open', 'the stream opened');
    a();
    expect(adapter.status.stream).toBe('open');
    b();
    expect(adapter.status.role).toBe('idle');
    await adapter.close();
  });
});
