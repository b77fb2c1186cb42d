/**
 * The 100 desks of the server bench. In production each desk is a browser on its own machine;
 * here they share the server's two cores, so they are made as cheap as an honest check allows:
 * - 99 are **light SSE readers** on plain TCP sockets (`GET /events` with a token). Each reads
 *   every byte of its stream into one buffer shared by all of them (`onread`: no allocation per
 *   read) and checks every frame's `id:` line, which must rise (none repeated, none out of order),
 *   and counts the `message.created` frames, which must come to exactly the webhooks sent: so
 *   0 missed, 0 duplicated, in order, per desk, without parsing the JSON payloads. Every tenth
 *   (timed) also reads each message's text, which names its webhook (`b<run>-<i>`): never seen
 *   twice, and its arrival minus that webhook's send time is the latency.
 * - One is a real `DeskClient` on the HTTP adapter (the adapter's stream parser, the client's
 *   state), which must get every message exactly once.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createDeskClient } from '../src/client.js';
import { createHttpAdapter } from '../src/http/index.js';

/** Text of the `i`-th webhook of run `run`: what the timed desks read back. */
export const markerOf = (run: number, i: number) => `b${run}-${i}`;

/** The send times of each run's webhooks (ms, performance.now), by index. */
export const sentAt: Float64Array[] = [];
/** Diagnostics, for the runs that have one: each webhook's latest arrival on a timed desk (ms after its send). */
export const worstAt: Float64Array[] = [];

export interface DeskReader {
  /** `message.created` frames received. */
  created: number;
  /** Reads from the socket: about one per write the server made to this stream. */
  chunks: number;
  /** Frames whose id was not above the previous frame's, or (timed) whose webhook repeated. */
  duplicates: number;
  close(): void;
}

/** Every desk reads into this one buffer: a read is handled before the next one lands. */
const SHARED = Buffer.alloc(1 << 20);
const ID = Buffer.from('\nid: ');
const CREATED = Buffer.from('event: message.created\n');
const TEXT = Buffer.from('"text":"');
const NL = 10;
const QUOTE = 34;
/** Bytes of a read that can finish a frame carried from the last one (its header, its text). */
const SEAM = 4096;

/**
 * Reads one `/events` stream (HTTP/1.1 chunked; the server writes whole frames in each chunk, so
 * a chunk's size line falls between frames, never inside an `id:` line or a payload). Only the
 * few bytes of a frame split across two reads are copied (`carry`).
 */
class SseReader implements DeskReader {
  created = 0;
  chunks = 0;
  duplicates = 0;
  socket!: Socket;
  #lastId = -1;
  #carry: Buffer | null = null;
  #head = '';
  #open: ((error?: Error) => void) | null = null;
  readonly #seen = new Map<number, Uint8Array>();

  constructor(
    /** Timed: also reads each message's text, for the latency and a second duplicate check. */
    /** Where a webhook's latency goes (by its index in its run). */
    readonly latencies: ((index: number) => number[]) | null,
  ) {}

  start(url: string, token: string): Promise<void> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      this.#open = (error) => (error ? reject(error) : resolve());
      this.socket = connect({
        port: Number(port),
        host: hostname,
        onread: { buffer: SHARED, callback: (n: number) => this.#read(n) },
      });
      this.socket.on('error', (error) => this.#open?.(error));
      this.socket.write(
        `GET /events HTTP/1.1\r\nhost: ${hostname}:${port}\r\n` +
          `authorization: Bearer ${token}\r\naccept: text/event-stream\r\n\r\n`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }

  #read(n: number): boolean {
    this.chunks++;
    const data = SHARED.subarray(0, n); // searches stop at this read's bytes
    let from = 0;
    if (this.#open) {
      // The answer's head: `HTTP/1.1 200`, then the body.
      this.#head += data.toString('latin1');
      const end = this.#head.indexOf('\r\n\r\n');
      if (end < 0) return true;
      const ok = this.#head.startsWith('HTTP/1.1 200');
      const open = this.#open;
      this.#open = null;
      if (!ok) {
        this.socket.destroy();
        open(new Error(this.#head.slice(0, 20)));
        return false;
      }
      open();
      from = n - (this.#head.length - end - 4);
      this.#carry = Buffer.from('\n'); // as if a frame ended just before the body
    }
    this.#scan(data, from);
    return true;
  }

  /** Handles the frames in `data[from…]`, after the one carried from the last read, if any. */
  #scan(data: Buffer, from: number): void {
    const now = performance.now();
    const n = data.length;
    const carry = this.#carry;
    if (carry) {
      // Frames that start in the carried bytes, finished with the start of this read.
      this.#carry = null;
      const upTo = Math.min(n, from + SEAM);
      const seam = Buffer.concat([carry, data.subarray(from, upTo)]);
      const stop = this.#frames(seam, 0, carry.length, now);
      if (stop >= 0) {
        if (upTo < n) throw new Error('an SSE frame header longer than the seam');
        this.#carry = Buffer.from(seam.subarray(stop)); // still cut: this read was that short
        return;
      }
      if (n - from < ID.length - 1) {
        // Too short to hold a marker: the seam's last bytes may hold part of the next one.
        this.#carry = Buffer.from(seam.subarray(Math.max(0, seam.length - ID.length + 1)));
        return;
      }
    }
    const stop = this.#frames(data, from, n, now);
    // A cut frame, or the last bytes (they may hold part of an `id:` marker): for the next read.
    const keep = stop >= 0 ? stop : Math.max(from, n - ID.length + 1);
    this.#carry = Buffer.from(data.subarray(keep)); // a copy: the buffer is shared
  }

  /**
   * Checks each frame whose `\nid: ` starts in `buffer[from, before)`; answers where a frame cut
   * by the end of the buffer starts (to be carried), or -1.
   */
  #frames(buffer: Buffer, from: number, before: number, now: number): number {
    const n = buffer.length;
    for (let at = buffer.indexOf(ID, from); at >= 0 && at < before;) {
      let i = at + ID.length;
      let id = 0;
      for (let c = buffer[i]; c !== undefined && c >= 48 && c <= 57; c = buffer[++i]) {
        id = id * 10 + c - 48;
      }
      if (i + 1 + CREATED.length > n) return at; // the id or the type line is cut
      if (buffer[i] !== NL || i === at + ID.length) throw new Error('a bad SSE id line');
      const created = startsWith(buffer, i + 1, CREATED);
      let text = -1;
      let end = -1;
      if (created && this.latencies) {
        // The message's text, `b<run>-<i>` (the message is serialized before its conversation).
        text = buffer.indexOf(TEXT, i) + TEXT.length;
        end = text < TEXT.length ? -1 : buffer.indexOf(QUOTE, text);
        if (end < 0) return at; // cut
      }
      if (id <= this.#lastId) this.duplicates++;
      this.#lastId = id;
      if (created) this.created++;
      if (end >= 0) this.#timed(buffer.toString('latin1', text, end), now);
      at = buffer.indexOf(ID, i);
    }
    return -1;
  }

  /** A bench webhook's message (`b<run>-<i>`): seen once, and its latency. */
  #timed(marker: string, now: number): void {
    const dash = marker.indexOf('-');
    const run = Number(marker.slice(1, dash));
    const index = Number(marker.slice(dash + 1));
    const sent = sentAt[run];
    if (marker[0] !== 'b' || !sent) return; // not a bench webhook
    let flags = this.#seen.get(run);
    if (!flags) this.#seen.set(run, (flags = new Uint8Array(sent.length)));
    if (flags[index]) this.duplicates++;
    flags[index] = 1;
    this.latencies!(index).push(now - sent[index]!);
    const worst = worstAt[run];
    if (worst) worst[index] = Math.max(worst[index]!, now - sent[index]!);
  }
}

/** `buffer` holds `bytes` at `at` (a loop: cheaper than a native call for 23 bytes). */
function startsWith(buffer: Buffer, at: number, bytes: Buffer): boolean {
  for (let k = 0; k < bytes.length; k++) if (buffer[at + k] !== bytes[k]) return false;
  return true;
}

/** A light reader: checks every frame's id and counts the `message.created` frames. */
export async function countingDesk(url: string, token: string): Promise<DeskReader> {
  const reader = new SseReader(null);
  await reader.start(url, token);
  return reader;
}

/** A light reader that also times each message by its text. */
export async function timedDesk(
  url: string,
  token: string,
  latencies: (index: number) => number[],
): Promise<DeskReader> {
  const reader = new SseReader(latencies);
  await reader.start(url, token);
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
