/**
 * The load side of the server bench, made cheap so that it measures the server, not itself (it
 * shares the machine's 2 cores with the server and PostgreSQL):
 * - the carrier's webhooks are signed and serialized as whole HTTP/1.1 requests before the clock
 *   starts, and written over keep-alive connections (plain TCP sockets, one request in flight on
 *   each, as a carrier's client does); each answer is read (status line, `content-length`) and
 *   must be 200;
 * - the desks are in bench/server-desks.ts.
 */
import { connect, type Socket } from 'node:net';
import type { SignedWebhook } from '../src/server/carriers/simulator.js';

/** A webhook as the bytes of its HTTP request. */
export type Prepared = Buffer;

export function prepare(webhook: SignedWebhook): Prepared {
  const url = new URL(webhook.url);
  const body = Buffer.from(webhook.body);
  const headers = Object.entries({
    host: url.host,
    ...webhook.headers,
    'content-length': String(body.length),
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`POST ${url.pathname} HTTP/1.1\r\n${headers}\r\n`), body]);
}

const HEAD_END = Buffer.from('\r\n\r\n');
const LENGTH = /\r\ncontent-length: *(\d+)/i;

/** One keep-alive connection: a request at a time; the answer is read by its length. */
class Connection {
  readonly socket: Socket;
  #pending: { resolve(): void; reject(error: Error): void } | null = null;
  #buffer: Buffer = Buffer.alloc(0);

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.socket.on('error', (error) => this.#fail(error));
    this.socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  post(request: Prepared): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    const head = this.#buffer.indexOf(HEAD_END);
    if (head < 0) return;
    const text = this.#buffer.toString('latin1', 0, head);
    const length = Number(LENGTH.exec(text)?.[1] ?? NaN);
    if (!Number.isFinite(length)) return this.#fail(new Error(`answer without length: ${text}`));
    if (this.#buffer.length < head + 4 + length) return;
    this.#buffer = this.#buffer.subarray(head + 4 + length);
    const status = text.slice(9, 12);
    const pending = this.#pending;
    this.#pending = null;
    if (status === '200') pending?.resolve();
    else pending?.reject(new Error(`webhook answered ${status}`));
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = null;
    pending?.reject(error);
  }
}

/**
 * Posts prepared webhooks as a carrier does: one request at a time per keep-alive connection,
 * and a new connection whenever every open one is busy (a carrier opens as many as its rate
 * needs), up to `maxConnections`; beyond that, requests wait here for a free one (and that wait
 * counts in their latency). `inFlight`/`maxInFlight` say how many the server held at once.
 */
export class Carrier {
  readonly #port: number;
  readonly #max: number;
  readonly #all: Connection[] = [];
  readonly #free: Connection[] = [];
  readonly #waiting: Array<(connection: Connection) => void> = [];
  inFlight = 0;
  /** The most requests in flight at once since `resetPeak()`. */
  maxInFlight = 0;
  /** Requests that waited for a connection (the cap was reached) since `resetPeak()`. */
  waited = 0;

  constructor(port: number, maxConnections: number) {
    this.#port = port;
    this.#max = maxConnections;
  }

  get connections(): number {
    return this.#all.length;
  }

  resetPeak(): void {
    this.maxInFlight = this.inFlight;
    this.waited = 0;
  }

  /** Resolves when the server answered 200 (stored, routed and committed). */
  async post(webhook: Prepared): Promise<void> {
    const connection = await this.#take();
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      await connection.post(webhook);
    } finally {
      this.inFlight--;
      const next = this.#waiting.shift();
      if (next) next(connection);
      else this.#free.push(connection);
    }
  }

  #take(): Promise<Connection> {
    const free = this.#free.pop();
    if (free) return Promise.resolve(free);
    if (this.#all.length < this.#max) {
      const connection = new Connection(this.#port);
      this.#all.push(connection);
      return Promise.resolve(connection);
    }
    this.waited++;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  close(): void {
    for (const connection of this.#all) connection.socket.destroy();
  }
}
