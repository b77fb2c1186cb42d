/** Helpers for the HTTP adapter's tests: clocks that record waits, switchable fetch, the server. */
import type { Clock } from '../../src/clock.js';
import { startServer, type ServerOptions } from '../../examples/server/server.js';
import { createHttpAdapter, type HttpAdapterOptions } from '../../src/http/index.js';
import { seed } from '../support/seed.js';

/**
 * A clock on real time whose timers fire after `scale × ms`, recording every wait asked for: the
 * tests check the delays (backoff, `Retry-After`) without sleeping them.
 */
export function recordingClock(scale = 0): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now(),
    setTimeout(callback, ms) {
      waits.push(ms);
      return globalThis.setTimeout(callback, Math.round(ms * scale));
    },
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** Polls until `check` holds (or throws with `what`); for effects that cross real I/O. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A fetch that can be switched offline (rejects like a browser with no network). */
export function switchableFetch(base: typeof fetch = (...a) => globalThis.fetch(...a)) {
  const control = {
    offline: false,
    requests: [] as Array<{ method: string; url: string; headers: Headers }>,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      control.requests.push({ method: request.method, url: request.url, headers: request.headers });
      if (control.offline) throw new TypeError('Failed to fetch');
      return base(request);
    }) as typeof fetch,
  };
  return control;
}

let n = 0;
/** A database name no other test uses. */
export const dbName = (what: string) => `${what}-${process.pid}-${++n}-${Math.random()}`;

/** The reference server in process, on the test seed, with a fast provider and reconnection. */
export function testServer(options: ServerOptions = {}) {
  return startServer({
    port: 0,
    seed: seed(),
    statusDelayMs: 2,
    reconnectMs: 10,
    heartbeatMs: 60_000,
    ...options,
  });
}

/** An adapter for `userId` on `url`, quick to retry; the token is the user id. */
export function adapterFor(url: string, userId: string, options: Partial<HttpAdapterOptions> = {}) {
  return createHttpAdapter({
    baseUrl: url,
    token: () => userId,
    retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 },
    events: { baseDelayMs: 5, maxDelayMs: 20, heartbeatTimeoutMs: 0 },
    flush: { baseDelayMs: 5, maxDelayMs: 20 },
    outbox: false,
    cache: false,
    ...options,
  });
}
