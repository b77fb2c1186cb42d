/** The HTTP adapter's requests against msw: token refresh, retries, Retry-After, timeouts, errors. */
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isDeskError, type DeskError } from '../../src/errors.js';
import { createHttpAdapter, type HttpAdapterOptions } from '../../src/http/index.js';
import { recordingClock } from './support.js';

const BASE = 'https://crm.test/desk/v1';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const session = {
  user: { id: 'alice', name: 'Alice', role: 'standard', portalLicense: true },
  settings: { defaultAdminId: 'admin' },
};
const error = (status: number, code: string, message = code, details?: object) =>
  HttpResponse.json({ error: { code, message, ...(details && { details }) } }, { status });

function adapter(options: Partial<HttpAdapterOptions> = {}) {
  const clock = recordingClock();
  const instance = createHttpAdapter({
    baseUrl: BASE,
    token: () => 'token-1',
    clock,
    outbox: false,
    cache: false,
    retry: { limit: 3, baseDelayMs: 100, maxDelayMs: 1000, jitter: false },
    ...options,
  });
  return { adapter: instance, clock };
}

async function failure(promise: Promise<unknown>): Promise<DeskError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDeskError(outcome), `expected a DeskError, got ${String(outcome)}`).toBe(true);
  return outcome as DeskError;
}

describe('HTTP adapter: authentication', () => {
  it('sends the bearer token from the provider', async () => {
    const seen: Array<string | null> = [];
    server.use(
      http.get(`${BASE}/session`, ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json(session);
      }),
    );
    const { adapter: a } = adapter();
    expect((await a.session()).user.id).toBe('alice');
    expect(seen).toEqual(['Bearer token-1']);
  });

  it('on a 401 asks the provider once for a fresh token and repeats the request', async () => {
    const asked: boolean[] = [];
    server.use(
      http.get(`${BASE}/session`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer fresh'
          ? HttpResponse.json(session)
          : error(401, 'unauthorized'),
      ),
    );
    const { adapter: a, clock } = adapter({
      token: ({ refresh }) => {
        asked.push(refresh);
        return refresh ? 'fresh' : 'expired';
      },
    });
    expect((await a.session()).user.id).toBe('alice');
    expect(asked).toEqual([false, true]);
    expect(clock.waits).toEqual([]); // a refresh is not a retry: no backoff
    // The fresh token is kept for the next calls.
    await a.session();
    expect(asked).toEqual([false, true]);
  });

  it('a second 401 after the refresh fails with unauthorized (one refresh only)', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () => {
        calls++;
        return error(401, 'unauthorized', 'Token revoked');
      }),
    );
    let refreshes = 0;
    const { adapter: a } = adapter({
      token: ({ refresh }) => (refresh ? `t${++refreshes}` : 't0'),
    });
    const e = await failure(a.session());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toBe('Token revoked');
    expect(calls).toBe(2);
    expect(refreshes).toBe(1);
  });

  it('concurrent 401s share one refresh', async () => {
    server.use(
      http.get(`${BASE}/users`, ({ request }) =>
        request.headers.get('authorization') === 'Bearer fresh'
          ? HttpResponse.json({ items: [], nextCursor: null })
          : error(401, 'unauthorized'),
      ),
    );
    let refreshes = 0;
    const { adapter: a } = adapter({
      token: async ({ refresh }) => {
        if (!refresh) return 'old';
        refreshes++;
        await delay(10);
        return 'fresh';
      },
    });
    await Promise.all([a.listUsers(), a.listUsers(), a.listUsers()]);
    expect(refreshes).toBe(1);
  });

  it('a failing token provider is unauthorized, not a crash', async () => {
    const { adapter: a } = adapter({
      token: () => {
        throw new Error('signed out');
      },
    });
    expect((await failure(a.session())).code).toBe('unauthorized');
  });
});

describe('HTTP adapter: retries and timeouts', () => {
  it('retries a 5xx with exponential backoff, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () =>
        ++calls < 3 ? error(503, 'server', 'Down for a moment') : HttpResponse.json(session),
      ),
    );
    const { adapter: a, clock } = adapter();
    expect((await a.session()).user.id).toBe('alice');
    expect(calls).toBe(3);
    expect(clock.waits).toEqual([100, 200]);
  });

  it('gives up after the retry limit with `server` and the backend message', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () => {
        calls++;
        return error(500, 'server', 'Database unavailable');
      }),
    );
    const { adapter: a, clock } = adapter();
    const e = await failure(a.session());
    expect(e.code).toBe('server');
    expect(e.message).toBe('Database unavailable');
    expect(e.details.status).toBe(500);
    expect(calls).toBe(4);
    expect(clock.waits).toEqual([100, 200, 400]);
  });

  it('backoff is capped and jittered (equal jitter: between half and all of the delay)', async () => {
    server.use(http.get(`${BASE}/session`, () => error(502, 'server')));
    const { adapter: a, clock } = adapter({
      retry: { limit: 6, baseDelayMs: 100, maxDelayMs: 500, jitter: true },
      random: () => 0.5,
    });
    await failure(a.session());
    expect(clock.waits).toEqual([75, 150, 300, 375, 375, 375]);
  });

  it('a 429 waits exactly what Retry-After says (seconds), then retries', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () =>
        ++calls === 1
          ? HttpResponse.json(
              { error: { code: 'rate_limited', message: 'Slow down' } },
              { status: 429, headers: { 'Retry-After': '2' } },
            )
          : HttpResponse.json(session),
      ),
    );
    const { adapter: a, clock } = adapter();
    await a.session();
    expect(clock.waits).toEqual([2000]);
  });

  it('Retry-After may be an HTTP date', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () =>
        ++calls === 1
          ? new HttpResponse(null, {
              status: 503,
              headers: { 'Retry-After': new Date(Date.now() + 3000).toUTCString() },
            })
          : HttpResponse.json(session),
      ),
    );
    const { adapter: a, clock } = adapter();
    await a.session();
    expect(clock.waits[0]).toBeGreaterThan(1000);
    expect(clock.waits[0]).toBeLessThanOrEqual(3000);
  });

  it('a Retry-After beyond the cap is not waited: rate_limited with retryAfterMs', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () => {
        calls++;
        return HttpResponse.json(
          { error: { code: 'rate_limited', message: 'Quota' } },
          { status: 429, headers: { 'Retry-After': '3600' } },
        );
      }),
    );
    const { adapter: a, clock } = adapter({ retry: { maxRetryAfterMs: 60_000 } });
    const e = await failure(a.session());
    expect(e.code).toBe('rate_limited');
    expect(e.details.retryAfterMs).toBe(3_600_000);
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('429 after the retries is rate_limited', async () => {
    server.use(http.get(`${BASE}/session`, () => new HttpResponse(null, { status: 429 })));
    const { adapter: a } = adapter({ retry: { limit: 1, baseDelayMs: 1 } });
    expect((await failure(a.session())).code).toBe('rate_limited');
  });

  it('network errors are retried, then fail with `network`', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const { adapter: a, clock } = adapter({ retry: { limit: 2, baseDelayMs: 10, jitter: false } });
    const e = await failure(a.session());
    expect(e.code).toBe('network');
    expect(calls).toBe(3);
    expect(clock.waits).toEqual([10, 20]);
  });

  it('an attempt without an answer in time is abandoned (timeout) and retried', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/session`, async () => {
        // The first attempt never answers: only the timeout lets the session arrive.
        if (++calls === 1) await delay('infinite');
        return HttpResponse.json(session);
      }),
    );
    const { adapter: a } = adapter({ timeoutMs: 50, retry: { limit: 1, baseDelayMs: 1 } });
    expect((await a.session()).user.id).toBe('alice');
    expect(calls).toBe(2);
  });

  it('timeouts after the retries fail with `network` and details.timeout', async () => {
    server.use(
      http.get(`${BASE}/session`, async () => {
        await delay(300);
        return HttpResponse.json(session);
      }),
    );
    const { adapter: a } = adapter({ timeoutMs: 20, retry: { limit: 1, baseDelayMs: 1 } });
    const e = await failure(a.session());
    expect(e.code).toBe('network');
    expect(e.details.timeout).toBe(true);
  });

  it('a 4xx refusal is never retried', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/conversations`, () => {
        calls++;
        return error(403, 'forbidden', 'Only an admin may open the Team Inbox.');
      }),
    );
    const { adapter: a, clock } = adapter();
    const e = await failure(a.listConversations({ scope: { teamMember: 'bob' } }));
    expect(e.code).toBe('forbidden');
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });
});

describe('HTTP adapter: error bodies map to DeskError codes', () => {
  it('SN3: a 422 window_closed keeps its code, message and details', async () => {
    server.use(
      http.post(`${BASE}/messages`, () =>
        error(422, 'window_closed', 'The care window closed.', { closedAt: 123 }),
      ),
    );
    const { adapter: a } = adapter();
    const e = await failure(
      a.send({ idempotencyKey: 'k1', target: { conversationId: 'c1' }, content: { text: 'hi' } }),
    );
    expect(e.code).toBe('window_closed');
    expect(e.message).toBe('The care window closed.');
    expect(e.details).toMatchObject({ closedAt: 123, status: 422 });
  });

  it.each([
    [400, 'invalid_input'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [418, 'invalid_input'],
    [422, 'invalid_input'],
  ])('without a known code, HTTP %i maps to %s', async (status, code) => {
    server.use(
      http.get(`${BASE}/session`, () => new HttpResponse('<html>nope</html>', { status })),
    );
    const { adapter: a } = adapter({ retry: { limit: 0 } });
    expect((await failure(a.session())).code).toBe(code);
  });

  it('an unknown code in the body falls back to the status', async () => {
    server.use(http.get(`${BASE}/session`, () => error(409, 'teapot_overflow')));
    const { adapter: a } = adapter();
    expect((await failure(a.session())).code).toBe('conflict');
  });
});

describe('HTTP adapter: idempotency keys', () => {
  it('every attempt of a send carries the same Idempotency-Key', async () => {
    const keys: Array<string | null> = [];
    server.use(
      http.post(`${BASE}/messages`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return keys.length < 3
          ? error(503, 'server')
          : HttpResponse.json({ message: {}, conversation: {} }, { status: 201 });
      }),
    );
    const { adapter: a } = adapter();
    await a.send({
      idempotencyKey: 'key-42',
      target: { conversationId: 'c1' },
      content: { text: 'hi' },
    });
    expect(keys).toEqual(['key-42', 'key-42', 'key-42']);
  });

  it('createContact sends an Idempotency-Key too, the same on its retries', async () => {
    const keys: Array<string | null> = [];
    server.use(
      http.post(`${BASE}/contacts`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return keys.length === 1
          ? HttpResponse.error()
          : HttpResponse.json({ id: 'c', phone: '+1' }, { status: 201 });
      }),
    );
    const { adapter: a } = adapter();
    await a.createContact({ firstName: 'Hal', phone: '+14155550177' });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
  });

  it('retry sends its key; marks and assignments need none', async () => {
    const seen: Record<string, string | null> = {};
    const conversation = { id: 'c1' };
    server.use(
      http.post(`${BASE}/messages/:id/retry`, ({ request, params }) => {
        seen[`retry ${String(params.id)}`] = request.headers.get('idempotency-key');
        return HttpResponse.json({ message: {}, conversation });
      }),
      http.post(`${BASE}/conversations/read`, async ({ request }) => {
        seen.read = JSON.stringify(await request.json());
        return HttpResponse.json({ items: [conversation] });
      }),
    );
    const { adapter: a } = adapter();
    await a.retry('m 1/2', 'r-key');
    await a.markRead(['c1'], true, 'owner');
    expect(seen).toEqual({
      'retry m 1/2': 'r-key',
      read: JSON.stringify({ conversationIds: ['c1'], read: true, mode: 'owner' }),
    });
  });

  it('paginated collections follow cursors; recipients are path-encoded', async () => {
    server.use(
      http.get(`${BASE}/templates`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(
          cursor === 'p2'
            ? { items: [{ id: 't2' }], nextCursor: null }
            : { items: [{ id: 't1' }], nextCursor: 'p2' },
        );
      }),
      http.get(`${BASE}/recipients/:phone`, ({ params }) =>
        HttpResponse.json({ phone: params.phone, whatsappConsent: true, optedOut: [] }),
      ),
    );
    const { adapter: a } = adapter();
    expect((await a.listTemplates()).map((t) => t.id)).toEqual(['t1', 't2']);
    expect((await a.getRecipient('+14155550101')).phone).toBe('+14155550101');
  });
});
