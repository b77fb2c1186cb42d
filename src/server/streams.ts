/**
 * The event streams of one instance (docs/protocol.md section 7): resume from the durable log,
 * live events from the hub, a cap per user, a heartbeat, the end of a stream when its token
 * expires, and a cut for readers that do not keep up (they resume where they were).
 */
import type { ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { RESET_EVENT } from '../http/protocol.js';
import type { UserId } from '../types.js';
import type { Db } from './db.js';
import { logHead, logHorizon, readEvents, type LoggedEvent } from './event-log.js';
import { eventBatch, frameOf, httpChunk, type EventBatch, type EventHub } from './hub.js';

export interface StreamOptions {
  perUser: number;
  heartbeatMs: number;
  reconnectMs: number;
  maxBufferedBytes: number;
  maxReplay: number;
}

export interface StreamStats {
  openStreams: Record<UserId, number>;
  connections: number;
  resumed: number;
  resets: number;
  /** Streams cut because their reader fell behind. */
  slowReaders: number;
  /** Streams ended because their token expired. */
  expired: number;
}

interface Stream {
  userId: UserId;
  res: ServerResponse;
  /** The last id written to this stream. */
  cursor: number;
  /** Live events that arrive while the stream replays the log. */
  backlog: LoggedEvent[] | null;
}

export class Streams {
  readonly #db: Db;
  readonly #hub: EventHub;
  readonly #options: StreamOptions;
  readonly #open = new Set<Stream>();
  readonly #stats = { connections: 0, resumed: 0, resets: 0, slowReaders: 0, expired: 0 };

  constructor(db: Db, hub: EventHub, options: StreamOptions) {
    this.#db = db;
    this.#hub = hub;
    this.#options = options;
  }

  /** Whether this user may open one more stream here. */
  hasRoom(userId: UserId): boolean {
    let count = 0;
    for (const s of this.#open) if (s.userId === userId) count++;
    return count < this.#options.perUser;
  }

  /** Serves a stream on `res` (headers already decided by the caller). */
  async open(
    userId: UserId,
    res: ServerResponse,
    headers: Record<string, string>,
    lastEventId: string | undefined,
    expiresAt: number | undefined,
  ): Promise<void> {
    this.#stats.connections++;
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders(); // out before any write that goes straight to the socket (`#write`)
    res.socket?.setTimeout(0); // the heartbeat keeps it alive, not the body timeout
    const stream: Stream = { userId, res, cursor: 0, backlog: [] };
    this.#open.add(stream);
    const unsubscribe = this.#hub.subscribe(userId, (batch) => this.#push(stream, batch));
    const heartbeat = setInterval(
      () => this.#write(stream, ': ping\n\n'),
      this.#options.heartbeatMs,
    );
    const expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(
            () => {
              this.#stats.expired++;
              res.end(); // the adapter reconnects, with a fresh token after its 401
            },
            Math.max(0, expiresAt - Date.now()),
          );
    res.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      this.#open.delete(stream);
    });

    this.#write(stream, `retry: ${this.#options.reconnectMs}\n\n`);
    try {
      await this.#start(stream, lastEventId);
    } catch (error) {
      res.destroy();
      throw error;
    }
    const backlog = stream.backlog ?? [];
    stream.backlog = null;
    if (backlog.length > 0) this.#send(stream, eventBatch(backlog));
  }

  async #start(stream: Stream, lastEventId: string | undefined): Promise<void> {
    if (lastEventId === undefined || lastEventId === '') {
      // A fresh connection: the current position, so a drop before any event loses nothing.
      stream.cursor = this.#hub.cursor;
      this.#write(stream, `id: ${stream.cursor}\n\n`);
      return;
    }
    const last = Number(lastEventId);
    const [horizon, head] = await Promise.all([logHorizon(this.#db), logHead(this.#db)]);
    const missed =
      Number.isSafeInteger(last) && last >= horizon && last <= head
        ? await readEvents(this.#db, last, this.#options.maxReplay + 1, stream.userId)
        : undefined;
    if (!missed || missed.length > this.#options.maxReplay) {
      this.#stats.resets++;
      stream.cursor = Math.max(head, this.#hub.cursor);
      this.#write(stream, `id: ${stream.cursor}\nevent: ${RESET_EVENT}\ndata: {}\n\n`);
      return;
    }
    this.#stats.resumed++;
    stream.cursor = last;
    this.#send(stream, eventBatch(missed));
  }

  #push(stream: Stream, batch: EventBatch): void {
    if (stream.backlog) stream.backlog.push(...batch.events);
    else this.#send(stream, batch);
  }

  /**
   * One write for the events not sent yet. Live, that is the whole batch: its shared bytes. A
   * replay may have sent some already: those are skipped, and the rest encoded for this stream.
   */
  #send(stream: Stream, batch: EventBatch): void {
    const { events } = batch;
    if (events.length === 0) return;
    const last = events[events.length - 1]!.id;
    if (last <= stream.cursor) return;
    if (events[0]!.id > stream.cursor) {
      stream.cursor = last;
      this.#write(stream, batch);
      return;
    }
    const rest = events.filter((event) => event.id > stream.cursor);
    stream.cursor = last;
    this.#write(stream, rest.map(frameOf).join(''));
  }

  /**
   * Once the headers are out, straight to the socket: a fan-out writes the same bytes to every
   * stream, so the chunk's framing is built once (`EventBatch.chunk`), and each stream costs one
   * socket write, without the response's per-write framing, cork and `writev` of three buffers.
   */
  #write(stream: Stream, data: string | EventBatch): void {
    const { res } = stream;
    if (res.destroyed || res.writableEnded) return;
    // A real socket only (an injected request's is a stand-in that keeps nothing).
    const socket = res.socket instanceof Socket ? res.socket : null;
    if (!socket) res.write(typeof data === 'string' ? data : data.frames());
    else if (typeof data !== 'string') {
      socket.write(res.chunkedEncoding ? data.chunk() : data.frames());
    } else {
      const bytes = Buffer.from(data, 'utf8');
      socket.write(res.chunkedEncoding ? httpChunk(bytes) : bytes);
    }
    if ((socket ?? res).writableLength > this.#options.maxBufferedBytes) {
      this.#stats.slowReaders++;
      res.destroy(); // it resumes from its last id
    }
  }

  /** Ends every stream (shutdown, or a demo's drop): clients resume, here or elsewhere. */
  endAll(): void {
    for (const stream of [...this.#open]) stream.res.end();
  }

  stats(): StreamStats {
    const openStreams: Record<UserId, number> = {};
    for (const s of this.#open) openStreams[s.userId] = (openStreams[s.userId] ?? 0) + 1;
    return { openStreams, ...this.#stats };
  }
}
