/**
 * The load side of the server bench, made cheap so that it measures the server, not itself (it
 * shares the machine's 2 cores with the server and PostgreSQL):
 * - the carrier's webhooks are signed and serialized as whole HTTP/1.1 requests before the clock
 *   starts, and written over keep-alive connections (plain TCP sockets, one request in flight on
 *   each, as a carrier's client does); each answer is read (status line, `content-length`) and
 *   must be 200;
 * - the 100 desks read `/events` over plain TCP sockets too: 99 scan the bytes for the
 *   `message.created` frames (a native byte search); every tenth of those also reads each frame's
 *   id (in order, never twice) and the message's text (which names the webhook it came from) for
 *   the latency. One real `DeskClient` (the HTTP adapter's stream, the client's state) proves that
 *   the events are complete and real.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createDeskClient } from '../src/client.js';
import { createHttpAdapter } from '../src/http/index.js';
import type { SignedWebhook } from '../src/server/carriers/simulator.js';

/** Text of the `i`-th webhook of run `run`: what the timed desks read back. */
export const markerOf = (run: number, i: number) => `b${run}-${i}`;
const MARKER = /^b(\d+)-(\d+)$/;

/** The send times of each run's webhooks (ms, performance.now), by index. */
export const sentAt: Float64Array[] = [];

// ---- the carrier -------------------------------------------------------------------------------

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

// ---- the desks ---------------------------------------------------------------------------------

const MARK = Buffer.from('\nevent: message.created\n');

export interface DeskReader {
  /** `message.created` frames received. */
  created: number;
  /** Chunks read: about one per write the server made to this stream. */
  chunks: number;
  /** Timed readers: frames whose id was not above the previous one, or whose webhook repeated. */
  duplicates: number;
  close(): void;
}

/** `GET /events` over a plain socket; resolves once the answer's status is 200. */
function openStream(url: string, token: string, onData: (chunk: Buffer) => void): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let head = '';
    const onHead = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onHead);
      if (!head.startsWith('HTTP/1.1 200')) {
        socket.destroy();
        return reject(new Error(head.slice(0, 20)));
      }
      socket.on('data', onData);
      resolve(socket);
      const rest = Buffer.from(head.slice(end + 4), 'latin1');
      if (rest.length) onData(rest);
    };
    socket.on('data', onHead);
    socket.on('error', reject);
    socket.write(
      `GET /events HTTP/1.1\r\nhost: ${hostname}:${port}\r\n` +
        `authorization: Bearer ${token}\r\naccept: text/event-stream\r\n\r\n`,
    );
  });
}

/**
 * Counts the `message.created` frames: one native byte search per chunk. The stream is chunked
 * (HTTP/1.1); the server writes whole frames, so a chunk's size line never splits a frame.
 */
export async function countingDesk(url: string, token: string): Promise<DeskReader> {
  let tail: Buffer = Buffer.alloc(0); // the last MARK.length - 1 bytes: a frame split across reads
  const reader: DeskReader = { created: 0, chunks: 0, duplicates: 0, close: () => undefined };
  const socket = await openStream(url, token, (chunk) => {
    reader.chunks++;
    if (tail.length > 0) {
      const seam = Buffer.concat([tail, chunk.subarray(0, MARK.length - 1)]);
      if (seam.indexOf(MARK) >= 0) reader.created++;
    }
    for (let at = chunk.indexOf(MARK); at >= 0; at = chunk.indexOf(MARK, at + MARK.length)) {
      reader.created++;
    }
    tail =
      chunk.length >= MARK.length - 1
        ? chunk.subarray(chunk.length - MARK.length + 1)
        : Buffer.concat([tail, chunk]).subarray(-(MARK.length - 1));
  });
  socket.on('error', () => undefined);
  reader.close = () => socket.destroy();
  return reader;
}

const CREATED = '\nevent: message.created\ndata: ';

/**
 * Also reads each frame's id (each above the last) and the message's text, `b<run>-<i>`: the
 * latency is its arrival minus that webhook's send time.
 */
export async function timedDesk(
  url: string,
  token: string,
  latencies: () => number[],
): Promise<DeskReader> {
  const seen = new Map<number, Uint8Array>();
  const reader: DeskReader = { created: 0, chunks: 0, duplicates: 0, close: () => undefined };
  let buffer = '';
  let lastId = 0;
  const socket = await openStream(url, token, (chunk) => {
    const now = performance.now();
    reader.chunks++;
    buffer += chunk.toString('latin1'); // ids and markers are ASCII
    const end = buffer.lastIndexOf('\n\n'); // complete frames only
    if (end < 0) return;
    for (
      let at = buffer.indexOf(CREATED);
      at >= 0 && at < end;
      at = buffer.indexOf(CREATED, at + 1)
    ) {
      reader.created++;
      const id = Number(buffer.slice(buffer.lastIndexOf('id: ', at) + 4, at));
      const ordered = id > lastId;
      lastId = id;
      // The message is serialized before its conversation: the first text is the message's.
      const from = buffer.indexOf('"text":"', at) + 8;
      const match = MARKER.exec(buffer.slice(from, buffer.indexOf('"', from)));
      const run = Number(match?.[1]);
      const i = Number(match?.[2]);
      const sent = sentAt[run];
      if (!sent) {
        if (!ordered) reader.duplicates++;
        continue;
      }
      let flags = seen.get(run);
      if (!flags) seen.set(run, (flags = new Uint8Array(sent.length)));
      if (!ordered || flags[i]) reader.duplicates++;
      flags[i] = 1;
      latencies().push(now - sent[i]!);
    }
    buffer = buffer.slice(end + 2);
  });
  socket.on('error', () => undefined);
  reader.close = () => socket.destroy();
  return reader;
}

/** A real `DeskClient` on the HTTP adapter: counts each webhook's message as the client gets it. */
export async function realDesk(url: string, token: () => Promise<string>) {
  const adapter = createHttpAdapter({
    baseUrl: url,
    token,
    outbox: false,
    cache: false,
    events: { heartbeatTimeoutMs: 0 },
  });
  const client = createDeskClient({ adapter });
  const counts = new Map<string, number>();
  client.on('message.incoming', ({ message }) => {
    counts.set(message.text, (counts.get(message.text) ?? 0) + 1);
  });
  await client.connect();
  return {
    /** Of run `run`'s `count` webhooks: how many the client never got, and got twice or more. */
    check(run: number, count: number) {
      let missed = 0;
      let duplicated = 0;
      for (let i = 0; i < count; i++) {
        const n = counts.get(markerOf(run, i)) ?? 0;
        if (n === 0) missed++;
        if (n > 1) duplicated++;
      }
      return { missed, duplicated };
    },
    received: (run: number, count: number) => {
      let n = 0;
      for (let i = 0; i < count; i++) if (counts.has(markerOf(run, i))) n++;
      return n;
    },
    close: () => client.disconnect(),
  };
}
