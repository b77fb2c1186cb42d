/**
 * Fan-out on one instance. Every instance LISTENs on the event channel; a NOTIFY (from any
 * instance's commit) makes the hub read the log after its cursor, once for all its streams, and
 * hand each event to the streams of the users it is for; events this instance committed are
 * handed out from the commit (`offer`), without a read. Going by cursor, not by payload, makes
 * it exactly once: a missed or repeated NOTIFY costs a query, never an event. A slow poll covers a
 * listener connection that dropped. Under load, fan-outs are spaced by `coalesceMs`, so that each
 * stream gets one write for many events (a socket write costs more than encoding the events), and
 * aligned with this instance's commits (see `#due`).
 */
import { performance } from 'node:perf_hooks';
import type { UserId } from '../types.js';
import { stage, STAGES } from './stage-stats.js';
import type { Database } from './db.js';
import { EVENTS_CHANNEL, logHead, readEvents, type LoggedEvent } from './event-log.js';

/**
 * Events in id order, several at once when they came in one read, with their `text/event-stream`
 * frames encoded once: every stream that gets the same events writes the same bytes.
 */
export interface EventBatch {
  events: LoggedEvent[];
  /** `id: …\nevent: …\ndata: …\n\n` for each event, one Buffer (built on first use, shared). */
  frames(): Buffer;
  /** The same frames as one HTTP/1.1 chunk (`Transfer-Encoding: chunked`), built once, shared. */
  chunk(): Buffer;
}

/** Receives a batch (one write per stream). */
export type EventSink = (batch: EventBatch) => void;

/** The SSE frame of an event (docs/protocol.md section 7). */
export const frameOf = (event: LoggedEvent) =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

/** `data` as one chunk of a `Transfer-Encoding: chunked` body. */
export function httpChunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, CRLF]);
}
const CRLF = Buffer.from('\r\n');

export function eventBatch(events: LoggedEvent[]): EventBatch {
  let bytes: Buffer | undefined;
  let chunk: Buffer | undefined;
  const frames = () => (bytes ??= Buffer.from(events.map(frameOf).join(''), 'utf8'));
  return { events, frames, chunk: () => (chunk ??= httpChunk(frames())) };
}

export interface HubOptions {
  /** Safety poll when no NOTIFY arrives. Default 2 s. */
  pollMs?: number;
  /**
   * Fan-outs at most this often (up to twice at high rates: `windowAfter`); the first after a
   * quiet spell at once. Default 0.
   */
  coalesceMs?: number;
  onError?: (error: unknown) => void;
}

const BATCH = 1000;
const NOTIFY_GRACE_MS = 2;
/**
 * The same while this instance commits (it offered in the last `COMMITTING_MS`): its offer follows
 * the commit's answer, which a busy event loop reaches later; a NOTIFY of another instance's
 * commit is read at the latest then, or at this instance's next offer (a gap: see `offer`).
 */
const OWN_GRACE_MS = 25;
const COMMITTING_MS = 1000;
/** A commit this far into the window after a fan-out goes out at once (see `#due`). */
const RIPE = 0.75;

export class EventHub {
  /** The last id handed to the streams of this instance. */
  cursor = 0;
  readonly #database: Database;
  readonly #options: HubOptions;
  readonly #sinks = new Map<UserId, Set<EventSink>>();
  #pulling: Promise<void> | null = null;
  /** When the last events were handed out (performance.now). */
  #lastFanOut = -Infinity;
  #again = false;
  /** The time between fan-outs now (see `windowAfter`). */
  #window = 0;
  /** The highest id known to be committed (NOTIFY payloads, offers). */
  #head = 0;
  /** A read of the log is due whatever `#head` says (a poll: a NOTIFY may have been missed). */
  #mustRead = false;
  /** Events this instance committed, in id order, not dispatched yet (see `offer`). */
  #offered: LoggedEvent[] = [];
  /** When the oldest of them was offered. */
  #offeredAt = 0;
  /** When the newest of them was offered. */
  #offeredLastAt = -Infinity;
  /** When each offer of them was made (stage stats: each commit's wait). */
  #offerTimes: number[] = [];
  /** Ends the wait before the next fan-out early (an offer made it due). */
  #wake: (() => void) | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #stopped = false;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(database: Database, options: HubOptions = {}) {
    this.#database = database;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.cursor = await logHead(this.#database.db);
    this.#head = this.cursor;
    const poll = () => {
      this.#mustRead = true;
      void this.pull();
    };
    const pull = () => void this.pull();
    const notified = (payload: string) => {
      const id = Number(payload);
      if (Number.isSafeInteger(id) && id > 0) this.#head = Math.max(this.#head, id);
      else this.#mustRead = true;
      // The NOTIFY of a commit here may come before the commit's own answer: a moment for its
      // `offer`, which saves the read.
      const committing = performance.now() - this.#offeredLastAt < COMMITTING_MS;
      setTimeout(pull, committing ? OWN_GRACE_MS : NOTIFY_GRACE_MS);
    };
    this.#unlisten = await this.#database.listen(EVENTS_CHANNEL, notified, poll);
    this.#timer = setInterval(poll, this.#options.pollMs ?? 2000);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    if (this.#timer) clearInterval(this.#timer);
    await this.#unlisten?.();
    await this.#pulling;
  }

  /** Receives the events of `userId` from now on (ids above the hub's cursor). */
  subscribe(userId: UserId, sink: EventSink): () => void {
    let sinks = this.#sinks.get(userId);
    if (!sinks) this.#sinks.set(userId, (sinks = new Set()));
    sinks.add(sink);
    return () => {
      sinks.delete(sink);
      if (sinks.size === 0) this.#sinks.delete(userId);
    };
  }

  /**
   * Events this instance just committed (ids in order), so that they reach its streams without
   * a read of the log. They are dispatched only when the first follows the cursor exactly: ids
   * are given out under APPEND_LOCK, so every lower id was committed or rolled back before them,
   * and none can be missing. After a gap (another instance's events, ids of a rolled-back
   * transaction) the log is read, as for a NOTIFY: exactly once either way, by the cursor.
   */
  offer(events: LoggedEvent[]): void {
    if (events.length === 0) return;
    const last = this.#offered[this.#offered.length - 1];
    if (last && events[0]!.id <= last.id) {
      this.#offered = []; // out of order: the log decides
      this.#offerTimes = [];
    }
    this.#offeredLastAt = performance.now();
    if (STAGES) this.#offerTimes.push(this.#offeredLastAt);
    if (this.#offered.length === 0) this.#offeredAt = this.#offeredLastAt;
    this.#offered.push(...events);
    this.#head = Math.max(this.#head, events[events.length - 1]!.id);
    this.#wake?.(); // a wait under way looks again when it is due
    void this.pull();
  }

  /**
   * When the next fan-out is due. Under load commits come every few ms, each with a batch of
   * events: events committed here go out with the first commit at least `RIPE` of a window after
   * the last fan-out, at once; those of an earlier commit wait for it, or a window at most. Their
   * wait is the time to a later commit, not to a timer that a commit just after it misses by a
   * whole window. A read of the log (a NOTIFY, a poll) waits for the window after the last one.
   */
  #due(): number {
    const next = this.#lastFanOut + this.#window;
    if (this.#offered.length === 0 || this.#mustRead) {
      return this.#mustRead || this.#head > this.cursor ? next : 0; // 0: nothing to hand out
    }
    if (this.#offeredLastAt >= this.#lastFanOut + RIPE * this.#window) return 0;
    return Math.max(next, this.#offeredAt + this.#window);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  /** Reads everything after the cursor and dispatches it; calls while one runs coalesce. */
  pull(): Promise<void> {
    if (this.#pulling) {
      this.#again = true;
      return this.#pulling;
    }
    this.#pulling = (async () => {
      do {
        // Under load, the commits of the next few ms join this fan-out: one write per stream.
        for (let wait = this.#due() - performance.now(); wait > 0 && !this.#stopped;) {
          await this.#sleep(wait);
          wait = this.#due() - performance.now();
        }
        this.#again = false;
        await this.#drain();
      } while (this.#again && !this.#stopped);
    })()
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#pulling = null;
      });
    return this.#pulling;
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      const offered = this.#offered.filter((e) => e.id > this.cursor);
      this.#offered = [];
      let events: LoggedEvent[];
      let read = false;
      if (!this.#mustRead && offered[0]?.id === this.cursor + 1) {
        events = offered; // committed here, nothing before them missing: no read
        const now = performance.now();
        stage('fan-out: commit → write', now - this.#offeredAt);
        for (const at of this.#offerTimes) stage('fan-out: each commit → write', now - at);
        this.#offerTimes = [];
      } else if (!this.#mustRead && this.#head <= this.cursor) {
        return; // a NOTIFY of events already handed out (this instance's own)
      } else {
        this.#offerTimes = [];
        this.#mustRead = false;
        this.#offered = offered; // kept: what the read does not reach yet follows it
        events = await readEvents(this.#database.db, this.cursor, BATCH);
        read = true;
        stage('fan-out: events read from the log', events.length);
      }
      if (events.length > 0) {
        this.cursor = events[events.length - 1]!.id;
        this.#head = Math.max(this.#head, this.cursor);
        this.#lastFanOut = performance.now();
        this.#window = windowAfter(this.#options.coalesceMs ?? 0, events.length);
        this.#dispatch(events);
        stage('fan-out: writes to streams', performance.now() - this.#lastFanOut);
        stage('fan-out: events per write', events.length);
      }
      if (read && events.length < BATCH && this.#offered.every((e) => e.id <= this.cursor)) {
        return;
      }
      if (read && events.length === 0) return; // offered ahead of a gap the log cannot fill yet
    }
  }

  /** Each user's streams get one batch of a read, one write each (see `batchesByUser`). */
  #dispatch(events: LoggedEvent[]): void {
    if (this.#sinks.size === 0) return;
    for (const [userId, batch] of batchesByUser(events, this.#sinks.keys())) {
      for (const sink of this.#sinks.get(userId) ?? []) sink(batch);
    }
  }
}

/**
 * The time until the next fan-out, after one of `events`: `coalesceMs`, up to twice that at high
 * rates (above about 1 000 events/s with 10 ms). A fan-out is a write to every stream whatever
 * it carries, so at high rates a longer window saves writes; at low rates it would only add
 * latency.
 */
export function windowAfter(coalesceMs: number, events: number): number {
  return Math.min(2 * coalesceMs, Math.max(coalesceMs, (coalesceMs * events) / 10));
}

/**
 * The batch of each of `users` in a read: the events for them, in id order. Users whose events
 * are the same (every event for everyone, the usual case) share one batch object, so a read is
 * encoded once however many streams it goes to.
 */
export function batchesByUser(
  events: LoggedEvent[],
  users: Iterable<UserId>,
): Map<UserId, EventBatch> {
  const present = new Set(users);
  const byUser = new Map<UserId, LoggedEvent[]>();
  let addressed = false;
  for (const event of events) {
    if (event.audience) addressed = true;
    for (const userId of event.audience ?? present) {
      if (!present.has(userId)) continue;
      const list = byUser.get(userId);
      if (list) list.push(event);
      else byUser.set(userId, [event]);
    }
  }
  const everything = eventBatch(events);
  const shared = new Map<string, EventBatch>();
  const batches = new Map<UserId, EventBatch>();
  for (const [userId, list] of byUser) {
    let batch = everything;
    if (addressed && list.length !== events.length) {
      const key = list.map((e) => e.id).join(',');
      batch = shared.get(key) ?? eventBatch(list);
      shared.set(key, batch);
    }
    batches.set(userId, batch);
  }
  return batches;
}
