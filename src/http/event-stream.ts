/**
 * Server-sent events over `fetch`, so the request can carry the `Authorization` header (an
 * `EventSource` cannot). The parser follows the WHATWG "event stream interpretation" algorithm;
 * the connection reconnects with backoff and jitter and resumes with `Last-Event-ID`.
 */
import type { Clock } from '../clock.js';
import { DeskError, isDeskError } from '../errors.js';
import { backoffDelay } from './transport.js';

/** One dispatched event. `id` is the stream's last event id after this event. */
export interface StreamMessage {
  id: string;
  event: string;
  data: string;
}

/**
 * The event stream format: lines end in CRLF, LF or CR (a CR at the end of a chunk waits for the
 * next one), `field: value` with one optional space, `:` comments, a blank line dispatches.
 */
export class EventStreamParser {
  /** The last event id buffer; persists across events (and connections, when seeded). */
  lastEventId: string;
  /** The reconnection time the server asked for with `retry:`. */
  retry: number | undefined;
  #pending = '';
  #data = '';
  #hasData = false;
  #event = '';
  #idBuffer: string;

  constructor(lastEventId = '') {
    this.lastEventId = lastEventId;
    this.#idBuffer = lastEventId;
  }

  /** Feeds decoded text; returns the events completed by it, in order. */
  feed(text: string): StreamMessage[] {
    const out: StreamMessage[] = [];
    const buffer = this.#pending + text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === buffer.length - 1) break; // is it CRLF? the next chunk says
      this.#line(buffer.slice(start, i), out);
      if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.#pending = buffer.slice(start);
    return out;
  }

  #line(line: string, out: StreamMessage[]): void {
    if (line === '') {
      this.lastEventId = this.#idBuffer;
      if (this.#hasData) {
        const data = this.#data.endsWith('\n') ? this.#data.slice(0, -1) : this.#data;
        out.push({ id: this.lastEventId, event: this.#event || 'message', data });
      }
      this.#data = '';
      this.#hasData = false;
      this.#event = '';
      return;
    }
    if (line.startsWith(':')) return; // a comment: heartbeats
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data += `${value}\n`;
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default: // unknown fields are ignored
    }
  }
}

export type StreamState = 'idle' | 'connecting' | 'open' | 'closed';

export interface EventStreamOptions {
  /** Opens one connection; `lastEventId` is empty on the very first one. */
  open(lastEventId: string, signal: AbortSignal): Promise<Response>;
  onMessage(message: StreamMessage): void;
  /** The last event id changed without an event (an `id:` field with no data). */
  onLastEventId?(id: string): void;
  onOpen?(): void;
  /** A failed or dropped connection (the stream reconnects by itself unless stopped). */
  onError?(error: DeskError): void;
  clock: Clock;
  random: () => number;
  /** Reconnection backoff; a `retry:` field from the server replaces `baseDelayMs`. */
  backoff: { baseDelayMs: number; maxDelayMs: number; jitter: boolean };
  /** Reconnects when nothing (not even a heartbeat comment) arrives for this long; 0 turns it off. */
  heartbeatTimeoutMs: number;
  /** Resume point, e.g. persisted across a page load. */
  lastEventId?: string;
}

/** A self-healing event stream: connects, reads, and on any drop reconnects where it left off. */
export class EventStream {
  readonly #options: EventStreamOptions;
  #state: StreamState = 'idle';
  #lastEventId: string;
  #retry: number | undefined;
  #failures = 0;
  #connection: AbortController | null = null;
  #wake: (() => void) | null = null;
  #now = false;
  #watchdog: unknown = null;
  #stopped = false;
  /** Connections opened so far (a reconnect makes it grow); for status and tests. */
  connections = 0;

  constructor(options: EventStreamOptions) {
    this.#options = options;
    this.#lastEventId = options.lastEventId ?? '';
  }

  get state(): StreamState {
    return this.#state;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** Moves the resume point (a tab taking over resumes from what it last got by broadcast). */
  set lastEventId(id: string) {
    this.#lastEventId = id;
  }

  start(): void {
    if (this.#state !== 'idle') return;
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#state = 'closed';
    this.#connection?.abort();
    this.#wake?.();
    this.#disarm();
  }

  /** Drops the current connection and reconnects at once (e.g. the network came back). */
  reconnect(): void {
    this.#failures = 0;
    this.#now = true;
    this.#connection?.abort();
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let retryAfter = 0;
      const connection = new AbortController();
      this.#connection = connection;
      this.#state = 'connecting';
      try {
        const response = await this.#options.open(this.#lastEventId, connection.signal);
        if (this.#stopped) break;
        if (response.status === 204) {
          // The server asks the client not to reconnect.
          this.stop();
          break;
        }
        if (!response.body) throw new DeskError('server', 'The event stream has no body.');
        this.#state = 'open';
        this.connections++;
        this.#failures = 0;
        this.#options.onOpen?.();
        await this.#read(response.body, connection);
        if (!this.#stopped) {
          this.#options.onError?.(new DeskError('network', 'The event stream ended.'));
        }
      } catch (cause) {
        if (this.#stopped) break;
        const error = isDeskError(cause)
          ? cause
          : new DeskError('network', 'The event stream dropped.', { cause });
        retryAfter = Number(error.details.retryAfterMs) || 0;
        this.#options.onError?.(error);
      }
      if (this.#stopped) break;
      this.#state = 'connecting';
      if (this.#now) {
        this.#now = false;
        continue;
      }
      const base = this.#retry ?? this.#options.backoff.baseDelayMs;
      const backoff = { ...this.#options.backoff, baseDelayMs: base };
      // A `Retry-After` on a refused connection (503, 429) is a floor.
      await this.#pause(
        Math.max(retryAfter, backoffDelay(this.#failures++, backoff, this.#options.random)),
      );
    }
    this.#state = 'closed';
  }

  async #read(body: ReadableStream<Uint8Array>, connection: AbortController): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new EventStreamParser(this.#lastEventId);
    const abort = () => void reader.cancel().catch(() => undefined);
    connection.signal.addEventListener('abort', abort, { once: true });
    try {
      for (;;) {
        this.#arm(connection);
        const { done, value } = await reader.read();
        if (done || connection.signal.aborted) break;
        for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
          this.#lastEventId = message.id;
          this.#options.onMessage(message);
          if (this.#stopped || connection.signal.aborted) return;
        }
        if (parser.lastEventId !== this.#lastEventId) {
          this.#lastEventId = parser.lastEventId;
          this.#options.onLastEventId?.(this.#lastEventId);
        }
        if (parser.retry !== undefined) this.#retry = parser.retry;
      }
    } finally {
      this.#disarm();
      connection.signal.removeEventListener('abort', abort);
      abort();
    }
  }

  #arm(connection: AbortController): void {
    this.#disarm();
    const ms = this.#options.heartbeatTimeoutMs;
    if (ms > 0) this.#watchdog = this.#options.clock.setTimeout(() => connection.abort(), ms);
  }

  #disarm(): void {
    if (this.#watchdog !== null) this.#options.clock.clearTimeout(this.#watchdog);
    this.#watchdog = null;
  }

  #pause(ms: number): Promise<void> {
    const { clock } = this.#options;
    return new Promise((resolve) => {
      const handle = clock.setTimeout(() => this.#wake?.(), ms);
      this.#wake = () => {
        clock.clearTimeout(handle);
        this.#wake = null;
        this.#now = false;
        resolve();
      };
    });
  }
}
