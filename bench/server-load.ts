/**
 * The load side of the server bench, made cheap so that it measures the server, not itself (it
 * shares the machine's 2 cores with the server and PostgreSQL):
 * - the carrier's webhooks are signed before the clock starts and posted over keep-alive
 *   connections (`http.Agent`), not `fetch` with a new signature each;
 * - the 100 desks are plain HTTP readers of `/events`: most count the `message.created` frames
 *   (a byte search), every tenth also reads each frame's id (in order, never twice) and the
 *   message's text (which names the webhook it came from) for the latency. One real `DeskClient`
 *   (the HTTP adapter's stream, the client's state) proves that the events are complete and real.
 */
import { Agent, request, get, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { createDeskClient } from '../src/client.js';
import { createHttpAdapter } from '../src/http/index.js';
import type { SignedWebhook } from '../src/server/carriers/simulator.js';

/** Text of the `i`-th webhook of run `run`: what the timed desks read back. */
export const markerOf = (run: number, i: number) => `b${run}-${i}`;
const MARKER = /^b(\d+)-(\d+)$/;

/** The send times of each run's webhooks (ms, performance.now), by index. */
export const sentAt: Float64Array[] = [];

// ---- the carrier -------------------------------------------------------------------------------

export interface Prepared {
  path: string;
  headers: Record<string, string | number>;
  body: Buffer;
}

export function prepare(webhook: SignedWebhook): Prepared {
  const url = new URL(webhook.url);
  const body = Buffer.from(webhook.body);
  return {
    path: url.pathname,
    headers: { ...webhook.headers, 'content-length': body.length },
    body,
  };
}

/** Posts prepared webhooks over `connections` keep-alive connections. */
export class Carrier {
  readonly #agent: Agent;
  readonly #port: number;

  constructor(port: number, connections: number) {
    this.#port = port;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: connections,
      maxFreeSockets: connections,
    });
  }

  /** Resolves when the server answered (200: stored, routed and committed). */
  post(webhook: Prepared): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.#port,
          method: 'POST',
          path: webhook.path,
          headers: webhook.headers,
          agent: this.#agent,
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve()
              : reject(new Error(`webhook answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(webhook.body);
    });
  }

  close(): void {
    this.#agent.destroy();
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

function openStream(url: string, token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(
      `${url}/events`,
      { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (res) => (res.statusCode === 200 ? resolve(res) : reject(new Error(`${res.statusCode}`))),
    ).on('error', reject);
  });
}

/** Counts the `message.created` frames: one native byte search per chunk. */
export async function countingDesk(url: string, token: string): Promise<DeskReader> {
  const res = await openStream(url, token);
  const reader: DeskReader = { created: 0, chunks: 0, duplicates: 0, close: () => res.destroy() };
  let tail: Buffer = Buffer.alloc(0); // the last MARK.length - 1 bytes: a frame split across chunks
  res.on('data', (chunk: Buffer) => {
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
  res.on('error', () => undefined);
  return reader;
}

/**
 * Also reads each frame's id (each above the last) and the message's text, `b<run>-<i>`: the
 * latency is its arrival minus that webhook's send time.
 */
export async function timedDesk(
  url: string,
  token: string,
  latencies: () => number[],
): Promise<DeskReader> {
  const res = await openStream(url, token);
  const seen = new Map<number, Uint8Array>();
  const reader: DeskReader = { created: 0, chunks: 0, duplicates: 0, close: () => res.destroy() };
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let lastId = 0;
  res.on('data', (chunk: Buffer) => {
    const now = performance.now();
    reader.chunks++;
    buffer += decoder.write(chunk);
    let start = 0;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
      const frame = buffer.slice(start, end);
      start = end + 2;
      if (!frame.startsWith('id: ')) continue;
      const id = Number(frame.slice(4, frame.indexOf('\n')));
      if (!frame.includes('\nevent: message.created\n')) continue;
      reader.created++;
      const ordered = id > lastId;
      lastId = id;
      // The message is serialized before its conversation: the first text is the message's.
      const at = frame.indexOf('"text":"') + 8;
      const match = MARKER.exec(frame.slice(at, frame.indexOf('"', at)));
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
    buffer = buffer.slice(start);
  });
  res.on('error', () => undefined);
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
