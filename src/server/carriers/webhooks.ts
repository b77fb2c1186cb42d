/**
 * The webhook pipeline, the same for every carrier: verify, store durably, answer at once, then
 * process each stored event once.
 *
 * - A request that fails verification is answered 403 and nothing is stored.
 * - Each event is stored under a key (`eventKey`): the same webhook delivered twice is stored once
 *   and so processed once; SN7 then keeps statuses monotonic whatever their order.
 * - The carrier gets its answer as soon as the events are stored; the desk's work follows, on the
 *   instance that stored them: they are stored claimed for `leaseMs`, so another instance takes
 *   them only if this one died before processing them.
 * - A status for a message whose carrier id the desk does not know yet (the callback overtook the
 *   send's answer) waits and is tried again, until `orphanAfterMs`.
 * - Each customer's messages are processed in order, in a lane of their own: one customer's slow
 *   attachment download never holds up another customer's messages or any status.
 */
import { systemClock, type Clock } from '../../clock.js';
import { isDeskError } from '../../errors.js';
import { STATUS_OF_CODE } from '../../http/protocol.js';
import {
  eventKey,
  type CarrierEvent,
  type CarrierStatus,
  type InboundMessage,
  type Provider,
  type WebhookReply,
  type WebhookRequest,
} from './provider.js';

export interface InboxEntry {
  key: string;
  carrier: string;
  event: CarrierEvent;
  receivedAt: number;
  /** Not handed out by `pending` before this time. */
  retryAt: number;
  tries: number;
}

/** Where verified events wait for processing. The server keeps it in Postgres. */
export interface WebhookInbox {
  /**
   * Stores the entries whose key is new (atomically, across instances); resolves with those left
   * to process (an inbox may process some in the transaction that stores them: intake.ts).
   */
  add(entries: InboxEntry[]): Promise<InboxEntry[]>;
  /** Unprocessed entries due at `now`, oldest first. */
  pending(now: number, limit: number): Promise<InboxEntry[]>;
  /** Tries again later. */
  defer(key: string, retryAt: number): Promise<void>;
  /** Processed (or given up): never handed out again. */
  done(key: string): Promise<void>;
}

/** What the pipeline needs from the desk engine. */
export interface CarrierDesk {
  /**
   * A customer's message: routing (RT1–RT5), SN5 keywords. Idempotent on the carrier id. A
   * `DeskError` other than `server`, `network` or `rate_limited` is final: reported, not retried.
   */
  receive(carrier: string, message: InboundMessage): Promise<void>;
  /** SN7: a status of a message sent as `carrierMessageId`; false when no such message is known. */
  status(carrier: string, update: CarrierStatus): Promise<boolean>;
}

export interface WebhookPipelineOptions {
  providers: Provider[];
  inbox: WebhookInbox;
  desk: CarrierDesk;
  clock?: Clock;
  /** How long a status for an unknown message is kept trying. Default 10 minutes. */
  orphanAfterMs?: number;
  /** Delay before an event is tried again. Default 2 s. */
  retryAfterMs?: number;
  /** How long the instance that stored an event has it to itself. Default 60 s. */
  leaseMs?: number;
  /** Errors of background processing (the carrier was already answered). */
  onError?: (error: unknown, entry?: InboxEntry) => void;
}

export interface WebhookPipeline {
  /** Verifies and stores; the answer for the carrier. Processing follows in the background. */
  handle(carrier: string, request: WebhookRequest): Promise<WebhookReply>;
  /** Processes the stored events that are due; also run it at start-up. */
  drain(): Promise<void>;
  /** Resolves when background processing has nothing left to do now (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

/** Desk failures worth trying again; any other refusal is final. */
const TRANSIENT = new Set(['server', 'network', 'rate_limited']);

const reply = (status: number, body: string): WebhookReply => ({
  status,
  contentType: 'text/plain',
  body,
});

export function createWebhookPipeline(options: WebhookPipelineOptions): WebhookPipeline {
  const clock = options.clock ?? systemClock;
  const providers = new Map(options.providers.map((p) => [p.name, p]));
  const orphanAfterMs = options.orphanAfterMs ?? 10 * 60_000;
  const retryAfterMs = options.retryAfterMs ?? 2000;
  const leaseMs = options.leaseMs ?? 60_000;
  /** The last work queued in each lane (a customer's messages; each status alone). */
  const lanes = new Map<string, Promise<void>>();
  /** Keys of the entries queued or being processed here: a sweep never takes them twice. */
  const inFlight = new Set<string>();
  const onError = options.onError ?? (() => undefined);
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let wakeTimer: unknown = null;

  const wakeAt = (at: number) => {
    if (closed) return;
    if (wakeTimer !== null) clock.clearTimeout(wakeTimer);
    wakeTimer = clock.setTimeout(
      () => {
        wakeTimer = null;
        void drain();
      },
      Math.max(0, at - clock.now()),
    );
  };

  async function process(entry: InboxEntry): Promise<void> {
    const { event, carrier } = entry;
    try {
      if (event.kind === 'message') {
        await options.desk.receive(carrier, event);
      } else if (!(await options.desk.status(carrier, event))) {
        if (clock.now() - entry.receivedAt >= orphanAfterMs) {
          onError(new Error(`No message is known for ${entry.key}; the status is dropped.`), entry);
        } else {
          await options.inbox.defer(entry.key, clock.now() + retryAfterMs);
          wakeAt(clock.now() + retryAfterMs);
          return;
        }
      }
      await options.inbox.done(entry.key);
    } catch (error) {
      onError(error, entry);
      // A refusal of the desk (no sender ID for that number, say) will not change by retrying.
      if (isDeskError(error) && !TRANSIENT.has(error.code)) {
        await options.inbox.done(entry.key);
        return;
      }
      await options.inbox.defer(entry.key, clock.now() + retryAfterMs);
      wakeAt(clock.now() + retryAfterMs);
    }
  }

  const laneOf = ({ carrier, event, key }: InboxEntry) =>
    event.kind === 'message' ? `${carrier}|${event.channel}|${event.from}|${event.to}` : key;

  /** Queues an entry behind the earlier ones of its lane; other lanes run meanwhile. */
  function schedule(entry: InboxEntry): Promise<void> | undefined {
    if (closed || inFlight.has(entry.key)) return undefined;
    inFlight.add(entry.key);
    const lane = laneOf(entry);
    const tail: Promise<void> = (lanes.get(lane) ?? Promise.resolve())
      .then(() => process(entry))
      .catch((error: unknown) => onError(error, entry))
      .finally(() => {
        inFlight.delete(entry.key);
        if (lanes.get(lane) === tail) lanes.delete(lane);
      });
    lanes.set(lane, tail);
    return tail;
  }

  /** The stored events that are due (after a restart, a retry, a lease that ended). */
  async function run(): Promise<void> {
    do {
      again = false;
      for (;;) {
        const batch = await options.inbox.pending(clock.now(), 100);
        const started = batch.map(schedule).filter((p) => p !== undefined);
        if (started.length === 0) break;
        await Promise.all(started);
        if (batch.length < 100) break;
      }
    } while (again && !closed);
  }

  function drain(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = run()
      .catch((error) => onError(error))
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    async handle(carrier, request) {
      const provider = providers.get(carrier);
      if (!provider) return reply(404, 'Unknown carrier.');
      let outcome;
      try {
        outcome = await provider.verifyWebhook(request);
      } catch (error) {
        // Forged (403) or not understood (400): refused before anything is stored.
        if (isDeskError(error)) return reply(STATUS_OF_CODE[error.code] ?? 400, error.message);
        throw error;
      }
      if (outcome.events.length) {
        const added = await options.inbox.add(
          outcome.events.map((event) => ({
            key: eventKey(carrier, event),
            carrier,
            event,
            receivedAt: request.receivedAt,
            retryAt: request.receivedAt + leaseMs,
            tries: 0,
          })),
        );
        // Started in arrival order, at once: the desk groups them into one transaction.
        for (const entry of added) void schedule(entry);
      }
      return outcome.reply;
    },
    drain,
    async idle() {
      while (running || lanes.size) await Promise.all([running, ...lanes.values()]);
    },
    close() {
      closed = true;
      if (wakeTimer !== null) clock.clearTimeout(wakeTimer);
    },
  };
}

/** An in-memory inbox: for tests and the embedded demo. The server's lives in Postgres. */
export function memoryInbox(): WebhookInbox & { entries(): InboxEntry[] } {
  const entries = new Map<string, InboxEntry & { processed: boolean }>();
  return {
    async add(batch) {
      const added = batch.filter((e) => !entries.has(e.key));
      for (const e of added) entries.set(e.key, { ...e, processed: false });
      return added;
    },
    async pending(now, limit) {
      return [...entries.values()]
        .filter((e) => !e.processed && e.retryAt <= now)
        .slice(0, limit)
        .map(({ processed: _p, ...e }) => e);
    },
    async defer(key, retryAt) {
      const e = entries.get(key);
      if (e) Object.assign(e, { retryAt, tries: e.tries + 1 });
    },
    async done(key) {
      const e = entries.get(key);
      if (e) e.processed = true;
    },
    entries: () => [...entries.values()].map(({ processed: _p, ...e }) => e),
  };
}
