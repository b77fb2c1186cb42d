/**
 * `withOutbox(adapter)`: an outbox in IndexedDB in front of any adapter's `send`. A send is written
 * down before any network call and stays until the backend has answered for it: delivered, or
 * refused. It is delivered by flush runs, one at a time across tabs (a Web Lock), oldest first per
 * conversation: a new send never overtakes one that waits, whatever faults, reloads and tabs
 * happen in between. The backend dedupes on the idempotency key, so a repeat after a lost answer
 * or a reload sends nothing twice.
 */
import type {
  BackendAdapter,
  EventListener,
  EventMeta,
  HeldSend,
  SendRequest,
  SendResult,
  ServerEvent,
  Session,
  SubscribeOptions,
} from '../adapter.js';
import { systemClock, type Clock } from '../clock.js';
import type { RecipientPolicy } from '../types.js';
import { DeskError, isDeskError } from '../errors.js';
import { openLocalDatabase, type LocalDatabase, type OutboxEntry } from './database.js';
import { emitTo, Layer, WorkTracker } from './layer.js';
import {
  expiredError,
  isTransient,
  KEY_RETENTION_MS,
  laneOf,
  LOCAL_PREFIX,
  heldSends,
  offlinePolicy,
  queuedError,
  sortEntries,
} from './outbox-entries.js';
import { Runs } from './runs.js';

export interface OutboxOptions {
  /** The IndexedDB database. Default `converse-desk-outbox`. */
  databaseName?: string;
  clock?: Clock;
  /** For jitter; tests pass a seeded one. */
  random?: () => number;
  /** Background delivery: first delay after a failure, doubling up to the ceiling. */
  flush?: { baseDelayMs?: number; maxDelayMs?: number };
  /**
   * How long the backend remembers an idempotency key (docs/protocol.md: 7 days). An entry older
   * than this is failed, not sent: sending it could make a second message.
   */
  maxAgeMs?: number;
}

const SEEN_MESSAGES = 2000;

interface Waiter {
  resolve(result: SendResult): void;
  reject(error: unknown): void;
}

export function withOutbox(adapter: BackendAdapter, options: OutboxOptions = {}): Outbox {
  return new Outbox(adapter, options);
}

export class Outbox extends Layer {
  readonly #options: OutboxOptions;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #work = new WorkTracker();
  readonly #db: Promise<LocalDatabase>;
  readonly #listeners = new Set<EventListener>();
  readonly #watchers = new Set<(held: readonly HeldSend[]) => void>();
  readonly #waiters = new Map<string, Waiter>();
  /** Ids of messages whose `message.created` reached the listeners: each reaches them once. */
  readonly #seen = new Set<string>();
  #held: HeldSend[] = [];
  #me: string | undefined;
  #unsubscribe: (() => void) | null = null;
  #closed = false;
  readonly #runs: Runs;
  /** The last `createdAt` given: strictly increasing, so sends of one millisecond keep their order. */
  #lastStamp = 0;

  constructor(inner: BackendAdapter, options: OutboxOptions = {}) {
    super(inner);
    this.#options = options;
    this.#name = options.databaseName ?? 'converse-desk-outbox';
    this.#clock = options.clock ?? systemClock;
    this.#db = openLocalDatabase(this.#name);
    this.#runs = new Runs({
      lockName: `converse-desk-outbox:${this.#name}`,
      clock: this.#clock,
      random: options.random ?? Math.random,
      flush: options.flush ?? {},
      run: (force) => this.#run(force),
      background: (work) => this.#work.background(work),
    });
    const target = globalThis as { addEventListener?: EventTarget['addEventListener'] };
    target.addEventListener?.('online', this.#onOnline);
    // Entries left by a previous page load go out as soon as possible.
    this.#work.background(this.#refresh().then(() => this.#runs.request(true)));
  }

  /** The outbox as stored now, oldest first (waiting, or failed until retried). */
  async entries(): Promise<OutboxEntry[]> {
    return sortEntries(await (await this.#db).all('outbox'));
  }

  /** Deliver now, whatever the backoff said (the network or the sign-in came back). */
  flushNow(): void {
    this.#runs.request(true);
  }

  override async session(): Promise<Session> {
    const session = await this.inner.session();
    if (this.#me !== session.user.id) {
      this.#me = session.user.id;
      // This user's waiting messages may go now, and only theirs show.
      this.#work.background(this.#refresh().then(() => this.#runs.request(true)));
    }
    return session;
  }

  /**
   * SN4, SN5. Offline (or signed out), for a number never seen: no consent and no opt-out, so the
   * send guard allows a reply in an open window and the message waits here; the backend, which
   * has the last word, refuses it on delivery if the number opted out meanwhile.
   */
  override async getRecipient(phone: string): Promise<RecipientPolicy> {
    try {
      return await this.inner.getRecipient(phone);
    } catch (error) {
      if (!isTransient(error) && !isDeskError(error, 'unauthorized')) throw error;
      return offlinePolicy(phone);
    }
  }

  /**
   * Written before any network call, then delivered behind what waits for the same conversation.
   * Resolves with the backend's answer; a refusal rejects and keeps nothing; when the backend
   * cannot answer now, rejects with `details.queued` (code `network`, or `unauthorized` until the
   * user signs in again): the message stays here and arrives later as `message.created`.
   */
  override async send(request: SendRequest): Promise<SendResult> {
    if (!request.idempotencyKey) {
      throw new DeskError('invalid_input', 'A send needs an idempotency key.');
    }
    const createdAt = this.#stamp(); // before any wait: the order the user pressed Send
    const db = await this.#db;
    const existing = await db.get('outbox', request.idempotencyKey);
    const entry: OutboxEntry = existing ?? {
      key: request.idempotencyKey,
      request,
      state: 'waiting',
      reason: 'offline',
      ...(this.#me && { userId: this.#me }),
      createdAt,
      attempts: 0,
      notBefore: 0,
    };
    if (!existing) await this.#work.track(db.write('outbox', [entry]));
    return this.#await(entry.key);
  }

  /** SN7: a message refused on a later delivery goes again under its own key. */
  override async retry(messageId: string, idempotencyKey: string): Promise<SendResult> {
    if (!messageId.startsWith(LOCAL_PREFIX)) return this.inner.retry(messageId, idempotencyKey);
    const db = await this.#db;
    const entry = await db.get('outbox', messageId.slice(LOCAL_PREFIX.length));
    if (!entry) {
      throw new DeskError('not_found', `Unknown message ${messageId}.`, { details: { messageId } });
    }
    if (this.#expired(entry)) throw expiredError(entry);
    const again: OutboxEntry = {
      ...entry,
      state: 'waiting',
      reason: 'offline',
      attempts: entry.attempts + 1,
      notBefore: 0,
    };
    delete again.failure;
    await this.#work.track(db.write('outbox', [again]));
    return this.#await(entry.key);
  }

  override subscribe(listener: EventListener, options?: SubscribeOptions): () => void {
    this.#listeners.add(listener);
    this.#unsubscribe ??= this.inner.subscribe(
      (event, meta) => this.#onEvent(event, meta),
      options,
    );
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size > 0) return;
      this.#unsubscribe?.();
      this.#unsubscribe = null;
    };
  }

  override watchOutbox(listener: (held: readonly HeldSend[]) => void): () => void {
    this.#watchers.add(listener);
    listener(this.#held);
    return () => this.#watchers.delete(listener);
  }

  override async settled(): Promise<void> {
    await this.#work.settled();
    await super.settled();
  }

  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#runs.stop();
    const target = globalThis as { removeEventListener?: EventTarget['removeEventListener'] };
    target.removeEventListener?.('online', this.#onOnline);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await super.close(); // aborts requests in flight: the entries stay for the next page load
    await this.#work.settled();
    // Sends not attempted: kept for the next page load.
    for (const key of [...this.#waiters.keys()])
      this.#settle(key, undefined, queuedError('offline'));
    (await this.#db).close();
  }

  readonly #onOnline = () => this.#runs.request(true);

  #onEvent(event: ServerEvent, meta?: EventMeta): void {
    if (event.type === 'message.created') {
      if (this.#seen.has(event.message.id)) {
        // Already shown from a delivery: the conversation may have moved on, the message has not.
        this.#emit({ type: 'conversation.updated', conversation: event.conversation }, meta);
        return;
      }
      this.#remember(event.message.id);
      const key = event.message.idempotencyKey;
      // Delivered by another tab: this tab's copy of the outbox is out of date.
      if (key && this.#held.some((h) => h.key === key)) this.#work.background(this.#refresh());
    }
    this.#emit(event, meta);
  }

  #emit(event: ServerEvent, meta?: EventMeta): void {
    emitTo(this.#listeners, event, meta);
  }

  #remember(id: string): void {
    this.#seen.add(id);
    if (this.#seen.size > SEEN_MESSAGES) this.#seen.delete(this.#seen.values().next().value!);
  }

  #await(key: string): Promise<SendResult> {
    const outcome = new Promise<SendResult>((resolve, reject) => {
      this.#waiters.get(key)?.reject(queuedError('offline'));
      this.#waiters.set(key, { resolve, reject });
    });
    if (this.#closed) this.#settle(key, undefined, queuedError('offline'));
    this.#runs.request(false);
    return outcome;
  }

  #stamp(): number {
    this.#lastStamp = Math.max(this.#clock.now(), this.#lastStamp + 0.001);
    return this.#lastStamp;
  }

  /** Whether this adapter may deliver or show an entry: never one of another user. */
  #mine(entry: OutboxEntry): boolean {
    return entry.userId === undefined || entry.userId === this.#me;
  }

  #expired(entry: OutboxEntry): boolean {
    return this.#clock.now() - entry.createdAt > (this.#options.maxAgeMs ?? KEY_RETENTION_MS);
  }

  /**
   * One run, inside the lock so no entry is sent by two runs: each conversation's entries in the
   * order they were written, conversations side by side. A conversation stops at its first entry
   * that is not due or that fails for now; everything behind it waits.
   */
  async #run(force: boolean): Promise<void> {
    const waiting = new Set(this.#waiters.keys());
    const db = await this.#db;
    const lanes = new Map<string, OutboxEntry[]>();
    for (const entry of await this.entries()) {
      if (entry.state === 'failed' || !this.#mine(entry)) continue;
      const lane = laneOf(entry.request);
      const list = lanes.get(lane);
      if (list) list.push(entry);
      else lanes.set(lane, [entry]);
    }
    let next = Infinity;
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const entry of lane) {
          if (this.#closed) return;
          if (this.#expired(entry)) {
            await this.#fail(db, entry, expiredError(entry), false);
            continue;
          }
          if (!force && entry.notBefore > this.#clock.now()) {
            next = Math.min(next, entry.notBefore);
            return;
          }
          const at = await this.#deliver(db, entry);
          if (at !== undefined) {
            next = Math.min(next, at);
            return; // keep the order: the rest of this conversation waits behind it
          }
        }
      }),
    );
    // Sends this run saw but did not deliver: kept, and shown as waiting.
    for (const key of waiting) {
      const entry = await db.get('outbox', key);
      this.#settle(key, undefined, queuedError(entry?.reason ?? 'offline'));
    }
    await this.#refresh();
    if (next < Infinity) this.#runs.schedule(next);
  }

  /** One attempt for one entry; the time of the next attempt when it must wait. */
  async #deliver(db: LocalDatabase, entry: OutboxEntry): Promise<number | undefined> {
    let result: SendResult;
    try {
      result = await this.inner.send(entry.request);
    } catch (error) {
      if (this.#closed) return Infinity;
      const unauthorized = isDeskError(error, 'unauthorized');
      if (!isTransient(error) && !unauthorized) {
        // A first attempt the user waits for: the refusal shows at once and nothing is kept.
        await this.#fail(db, entry, error, entry.attempts === 0 && this.#waiters.has(entry.key));
        return undefined;
      }
      const retryAfter = Number((error as DeskError).details.retryAfterMs) || 0;
      const at = this.#clock.now() + Math.max(retryAfter, this.#runs.backoff());
      const reason = unauthorized ? 'unauthorized' : 'offline';
      await this.#work.track(
        db.write('outbox', [{ ...entry, reason, attempts: entry.attempts + 1, notBefore: at }]),
      );
      return at;
    }
    this.#runs.failures = 0;
    // Not waited for: the next send need not wait for the removal. A reload before it lands sends
    // the entry again under its key, which the backend answers from the first time.
    this.#work.background(db.write('outbox', [], [entry.key]));
    if (!this.#waiters.has(entry.key) && !this.#seen.has(result.message.id)) {
      // Nobody waits for this answer in this tab (a reload, a later flush): tell the listeners,
      // once (the stream's copy of the event is then not repeated).
      this.#remember(result.message.id);
      this.#emit({ type: 'message.created', ...result });
    }
    this.#settle(entry.key, result);
    return undefined;
  }

  /**
   * A refusal. With its send still waiting for the answer the user sees it at once and nothing is
   * kept; later (a flush, a reload) it stays, failed with the reason, for a retry by hand.
   */
  async #fail(db: LocalDatabase, entry: OutboxEntry, error: unknown, drop: boolean) {
    const refusal = isDeskError(error) ? error : new DeskError('server', String(error));
    if (drop) {
      await this.#work.track(db.write('outbox', [], [entry.key]));
    } else {
      const failure = { code: refusal.code, message: refusal.message };
      await this.#work.track(db.write('outbox', [{ ...entry, state: 'failed', failure }]));
    }
    this.#settle(entry.key, undefined, refusal);
  }

  #settle(key: string, result?: SendResult, error?: unknown): void {
    const waiter = this.#waiters.get(key);
    if (!waiter) return;
    this.#waiters.delete(key);
    if (result) waiter.resolve(result);
    else waiter.reject(error);
  }

  /** Reads the outbox again and tells the watchers what this user's entries are now. */
  async #refresh(): Promise<void> {
    if (this.#closed) return;
    const stored = await this.entries();
    // Entries of an earlier page load come first, whatever this tab's clock says.
    for (const e of stored) this.#lastStamp = Math.max(this.#lastStamp, e.createdAt);
    this.#held = heldSends(stored.filter((e) => this.#mine(e)));
    for (const watcher of [...this.#watchers]) watcher(this.#held);
  }
}
