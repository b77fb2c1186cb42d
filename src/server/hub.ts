/**
 * Fan-out on one instance. Every instance LISTENs on the event channel; a NOTIFY (from any
 * instance's commit) makes the hub read the log after its cursor, once for all its streams, and
 * hand each event to the streams of the users it is for. Reading by cursor, not by payload, makes
 * it exactly once: a missed or repeated NOTIFY costs a query, never an event. A slow poll covers a
 * listener connection that dropped.
 */
import type { UserId } from '../types.js';
import type { Database } from './db.js';
import { EVENTS_CHANNEL, logHead, readEvents, type LoggedEvent } from './event-log.js';

/** Receives events in id order, several at once when they came in one read (one write). */
export type EventSink = (events: LoggedEvent[]) => void;

export interface HubOptions {
  /** Safety poll when no NOTIFY arrives. Default 2 s. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

const BATCH = 1000;

export class EventHub {
  /** The last id handed to the streams of this instance. */
  cursor = 0;
  readonly #database: Database;
  readonly #options: HubOptions;
  readonly #sinks = new Map<UserId, Set<EventSink>>();
  #pulling: Promise<void> | null = null;
  #again = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #stopped = false;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(database: Database, options: HubOptions = {}) {
    this.#database = database;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.cursor = await logHead(this.#database.db);
    const pull = () => void this.pull();
    this.#unlisten = await this.#database.listen(EVENTS_CHANNEL, pull, pull);
    this.#timer = setInterval(pull, this.#options.pollMs ?? 2000);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
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

  /** Reads everything after the cursor and dispatches it; calls while one runs coalesce. */
  pull(): Promise<void> {
    if (this.#pulling) {
      this.#again = true;
      return this.#pulling;
    }
    this.#pulling = (async () => {
      do {
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
      const events = await readEvents(this.#database.db, this.cursor, BATCH);
      if (events.length > 0) {
        this.cursor = events[events.length - 1]!.id;
        this.#dispatch(events);
      }
      if (events.length < BATCH) return;
    }
  }

  /** Groups a read by sink, so that a burst costs one write per stream, not one per event. */
  #dispatch(events: LoggedEvent[]): void {
    const bySink = new Map<EventSink, LoggedEvent[]>();
    for (const event of events) {
      for (const userId of event.audience ?? this.#sinks.keys()) {
        const sinks = this.#sinks.get(userId);
        if (!sinks) continue;
        for (const sink of sinks) {
          const list = bySink.get(sink);
          if (list) list.push(event);
          else bySink.set(sink, [event]);
        }
      }
    }
    for (const [sink, list] of bySink) sink(list);
  }
}
