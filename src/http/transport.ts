/**
 * The request layer of the HTTP adapter, on ky: bearer token with one refresh on a 401, retries
 * with backoff on network errors, 5xx and 429 (honouring `Retry-After`), timeouts, and the mapping
 * of every failure to a `DeskError`.
 *
 * ky's own retry is switched off: its waits use the global timers, while ours go through the
 * injected clock (time is a parameter), and a `Retry-After` longer than the configured cap ends
 * the call with a typed error instead of an unbounded wait.
 */
import ky, { isTimeoutError, type KyInstance } from 'ky';
import type { Clock } from '../clock.js';
import { DeskError, isDeskError } from '../errors.js';
import { errorFromBody, HEADERS, parseRetryAfter } from './protocol.js';

/**
 * Returns the bearer token. Called once, then again with `refresh: true` after the server answered
 * 401, when the provider must not return the token it gave before. The transport keeps the last
 * token it got, and concurrent 401s share one refresh.
 */
export type TokenProvider = (context: { refresh: boolean }) => string | Promise<string>;

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** First backoff delay; doubles at each retry. Default 300 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 10 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails at once. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Equal jitter (half the delay fixed, half random). Default true. */
  jitter?: boolean;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  limit: 3,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  jitter: true,
});

export interface TransportOptions {
  baseUrl: string;
  token: TokenProvider;
  fetch?: typeof globalThis.fetch;
  clock: Clock;
  timeoutMs: number;
  retry: RetryPolicy;
  random: () => number;
}

/** A parameter with a list of values is repeated (`?view=mine&view=sent`). */
export type Query = Record<
  string,
  string | number | boolean | readonly string[] | null | undefined
>;

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH';
  json?: unknown;
  searchParams?: Query;
  /** Sent as `Idempotency-Key`; a call without one is retried only when idempotent by nature. */
  idempotencyKey?: string;
  /** Overrides `retry.limit` for this call. */
  retries?: number;
}

/** The delay before retry number `attempt` (0-based): exponential, capped, with equal jitter. */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number,
): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return policy.jitter ? delay / 2 + random() * (delay / 2) : delay;
}

/** Statuses worth another attempt: the server may answer differently in a moment. */
const isTransient = (status: number) => status === 408 || status === 429 || status >= 500;

export class Transport {
  readonly #options: TransportOptions;
  readonly #api: KyInstance;
  readonly #closed = new AbortController();
  /** The current token (a promise while the provider works). */
  #current: Promise<string> | null = null;
  /** The token `#current` resolved to. */
  #value: string | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    const prefixUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.#api = ky.create({
      prefixUrl,
      // Looked up at call time, so a fetch patched after creation (msw, a service worker shim) is used.
      fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
      timeout: options.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
    });
  }

  get closed(): boolean {
    return this.#closed.signal.aborted;
  }

  /** Aborts every call in flight and every wait; later calls fail with `network`. */
  close(): void {
    this.#closed.abort();
  }

  /**
   * A JSON call with retries; resolves with the parsed body. The body has its own timeout: a
   * response whose headers came but whose body stalls is abandoned and retried like a lost one.
   */
  async json<T>(path: string, options: CallOptions = {}): Promise<T> {
    const text = await this.#call(path, options, {}, (response) => this.#readBody(response));
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A file (an attachment), with the token, its refresh and the retries of any call. */
  async blob(path: string): Promise<Blob> {
    return this.#call(path, {}, { accept: '*/*' }, (response) => response.blob());
  }

  /**
   * The body as text within `timeoutMs`, or a `network` error (details.timeout). Real time, like
   * ky's timeout for the headers: both bound a real connection.
   */
  #readBody(response: Response): Promise<string> {
    const { timeoutMs } = this.#options;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        void response.body?.cancel().catch(() => undefined);
        reject(
          new DeskError('network', 'The backend did not finish its answer in time.', {
            details: { timeout: true },
          }),
        );
      }, timeoutMs);
      response.text().then(
        (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        (cause: unknown) => {
          clearTimeout(timer);
          reject(this.#networkError(cause));
        },
      );
    });
  }

  /**
   * One attempt to open a long-lived response (the event stream): the token and one refresh on a
   * 401, no retries (the stream reconnects with its own backoff), the timeout only until headers.
   */
  async open(
    path: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Response> {
    return this.#call(path, { retries: 0 }, { headers, signal, accept: 'text/event-stream' });
  }

  /** Waits `ms` on the clock; rejects when the transport closes or `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const { clock } = this.#options;
    const signals = signal ? [this.#closed.signal, signal] : [this.#closed.signal];
    return new Promise((resolve, reject) => {
      if (signals.some((s) => s.aborted)) return reject(this.#closedError());
      const onAbort = () => {
        clock.clearTimeout(handle);
        reject(this.#closedError());
      };
      const handle = clock.setTimeout(() => {
        for (const s of signals) s.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
    });
  }

  async #call<R = Response>(
    path: string,
    options: CallOptions,
    extra: { headers?: Record<string, string>; signal?: AbortSignal; accept?: string } = {},
    read: (response: Response) => Promise<R> = async (response) => response as R,
  ): Promise<R> {
    const { retry, clock, random } = this.#options;
    const retries = options.retries ?? retry.limit;
    const signal = extra.signal
      ? AbortSignal.any([this.#closed.signal, extra.signal])
      : this.#closed.signal;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw this.#closedError();
      const token = await this.#currentToken();
      let failure: DeskError;
      let wait: number | undefined;
      let response: Response;
      try {
        response = await this.#api(path, {
          method: options.method ?? 'GET',
          json: options.json,
          searchParams: options.searchParams && clean(options.searchParams),
          signal,
          headers: {
            accept: extra.accept ?? 'application/json',
            [HEADERS.authorization]: `Bearer ${token}`,
            ...(options.idempotencyKey && { [HEADERS.idempotencyKey]: options.idempotencyKey }),
            ...extra.headers,
          },
        });
      } catch (cause) {
        if (signal.aborted) throw this.#closedError();
        failure = this.#networkError(cause);
        if (attempt >= retries) throw failure;
        await this.sleep(backoffDelay(attempt, retry, random), extra.signal);
        continue;
      }
      if (response.ok) {
        try {
          return await read(response);
        } catch (cause) {
          if (signal.aborted) throw this.#closedError();
          failure = isDeskError(cause) ? cause : this.#networkError(cause);
          if (attempt >= retries) throw failure;
          await this.sleep(backoffDelay(attempt, retry, random), extra.signal);
          continue;
        }
      }
      if (response.status === 401 && !refreshed) {
        // One refresh per call; the retry with the new token is not counted as a retry.
        await readJson(response); // drained, so the connection is free for the repeat
        refreshed = true;
        await this.#refresh(token);
        attempt--;
        continue;
      }
      failure = errorFromBody(response.status, await readJson(response));
      if (!isTransient(response.status)) throw failure;
      const after = parseRetryAfter(response.headers.get(HEADERS.retryAfter), clock.now());
      if (after !== undefined) {
        failure.details.retryAfterMs = after;
        if (after > retry.maxRetryAfterMs) throw failure;
        wait = after; // honoured exactly: the server said when
      }
      if (attempt >= retries) throw failure;
      await this.sleep(wait ?? backoffDelay(attempt, retry, random), extra.signal);
    }
  }

  async #currentToken(): Promise<string> {
    const pending = (this.#current ??= this.#remember(this.#token(false)));
    try {
      return await pending;
    } catch (error) {
      if (this.#current === pending) this.#current = null; // the next call asks again
      throw error;
    }
  }

  #remember(token: Promise<string>): Promise<string> {
    return token.then((value) => (this.#value = value));
  }

  async #token(refresh: boolean): Promise<string> {
    if (this.closed) throw this.#closedError();
    try {
      const token = await this.#options.token({ refresh });
      if (typeof token !== 'string' || !token)
        throw new TypeError('The token provider gave no token.');
      return token;
    } catch (cause) {
      if (isDeskError(cause)) throw cause;
      throw new DeskError('unauthorized', 'The token provider failed.', { cause });
    }
  }

  /** Concurrent 401s share one refresh: a call whose token was already replaced just repeats. */
  async #refresh(rejected: string): Promise<void> {
    if (this.#value === rejected) {
      // Decided synchronously, so the first of several failing calls starts the only refresh.
      this.#value = undefined;
      this.#current = this.#remember(this.#token(true));
    }
    await this.#currentToken();
  }

  #networkError(cause: unknown): DeskError {
    if (isTimeoutError(cause)) {
      return new DeskError('network', 'The backend did not answer in time.', {
        cause,
        details: { timeout: true },
      });
    }
    return new DeskError('network', 'The backend could not be reached.', { cause });
  }

  #closedError(): DeskError {
    return new DeskError('network', 'The request was cancelled.', { details: { cancelled: true } });
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function clean(query: Query): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const one of value as string[]) out.append(key, one);
    else if (value !== undefined && value !== null && value !== '') out.append(key, String(value));
  }
  return out;
}
