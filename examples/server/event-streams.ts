/**
 * The reference server's event streams: one ring of recent events per user (ids from one counter)
 * for `Last-Event-ID` resume, the open `/events` responses, and their statistics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerEvent } from '../../src/adapter.js';
import type { EmbeddedBackend } from '../../src/embedded/index.js';
import { DeskError } from '../../src/errors.js';
import { errorBody, HEADERS, RESET_EVENT } from '../../src/http/protocol.js';
import type { UserId } from '../../src/types.js';
import { sendJson, writeEvent } from './support.js';

interface Stream {
  userId: UserId;
  response: ServerResponse;
  heartbeat: ReturnType<typeof setInterval>;
}

interface Ring {
  events: Array<{ id: number; event: ServerEvent }>;
  /** The highest id dropped from the ring: a resume from before it would miss events. */
  dropped: number;
}

export interface StreamOptions {
  ringSize: number;
  heartbeatMs: number;
  reconnectMs: number;
}

export class EventStreams {
  readonly stats = { connections: 0, resumed: 0, resets: 0 };
  #seq = 0;
  readonly #rings = new Map<UserId, Ring>();
  readonly #streams = new Set<Stream>();
  readonly #unsubscribes: Array<() => void> = [];
  readonly #options: StreamOptions;
  #refuseUntil = 0;

  constructor(desk: EmbeddedBackend, options: StreamOptions) {
    this.#options = options;
    for (const user of desk.listUsers()) {
      const ring: Ring = { events: [], dropped: 0 };
      this.#rings.set(user.id, ring);
      this.#unsubscribes.push(
        desk.connect(user.id).subscribe((event) => {
          const id = ++this.#seq;
          ring.events.push({ id, event });
          if (ring.events.length > options.ringSize) ring.dropped = ring.events.shift()!.id;
          for (const stream of this.#streams) {
            if (stream.userId === user.id) writeEvent(stream.response, id, event);
          }
        }),
      );
    }
  }

  /** `GET /events`: resumes after `Last-Event-ID` from the ring, or answers `reset`. */
  open(userId: UserId, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    if (Date.now() < this.#refuseUntil) {
      const wait = Math.ceil((this.#refuseUntil - Date.now()) / 1000);
      return sendJson(res, 503, errorBody(new DeskError('server', 'The event stream is paused.')), {
        [HEADERS.retryAfter]: String(wait),
      });
    }
    const ring = this.#rings.get(userId)!;
    const seq = this.#seq;
    const header = req.headers['last-event-id'];
    const from = (typeof header === 'string' ? header : undefined) ?? query.get('lastEventId');
    this.stats.connections++;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${this.#options.reconnectMs}\n\n`);
    const last = from === null || from === undefined || from === '' ? undefined : Number(from);
    if (last === undefined) {
      // A fresh connection: the current position, so a drop before any event loses nothing.
      res.write(`id: ${seq}\n\n`);
    } else if (!Number.isInteger(last) || last > seq || last < ring.dropped) {
      this.stats.resets++;
      res.write(`id: ${seq}\nevent: ${RESET_EVENT}\ndata: {}\n\n`);
    } else {
      this.stats.resumed++;
      for (const { id, event } of ring.events) if (id > last) writeEvent(res, id, event);
    }
    const stream: Stream = {
      userId,
      response: res,
      heartbeat: setInterval(() => res.write(`: ping\n\n`), this.#options.heartbeatMs),
    };
    this.#streams.add(stream);
    const end = () => {
      clearInterval(stream.heartbeat);
      this.#streams.delete(stream);
    };
    res.on('close', end);
    req.on('close', end);
  }

  /** Open streams per user. */
  openStreams(): Record<UserId, number> {
    const open: Record<UserId, number> = {};
    for (const s of this.#streams) open[s.userId] = (open[s.userId] ?? 0) + 1;
    return open;
  }

  /** Cuts every open stream; with `holdMs`, refuses new ones (503) for that long. */
  drop(holdMs = 0): void {
    this.#refuseUntil = holdMs > 0 ? Date.now() + holdMs : 0;
    for (const stream of [...this.#streams]) stream.response.destroy();
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    for (const stream of [...this.#streams]) stream.response.destroy();
  }
}
