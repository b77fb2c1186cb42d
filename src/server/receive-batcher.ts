/**
 * Group commit for what customers send. Entries that arrive while a batch commits wait for the
 * next one, and a batch is one transaction: the webhooks' inbox rows in one multi-row INSERT,
 * the account lock once, the new messages routed, their events in one INSERT and one NOTIFY, one
 * commit. A webhook is answered only after that commit, so its 200 still means "stored".
 *
 * Each message is still its own command, in arrival order: a refused one (a `DeskError`, decided
 * before any write) fails alone; if the transaction itself fails, each entry is tried again alone,
 * and an entry that still fails is stored without routing (the webhook pipeline routes it later).
 * An inbox row whose key is already stored (the same webhook delivered twice, to any instance)
 * is a duplicate: its message is not routed again.
 */
import { performance } from 'node:perf_hooks';
import type { IncomingInput } from '../embedded/index.js';
import { isDeskError } from '../errors.js';
import type { Db } from './db.js';
import type { Incoming } from './domain.js';
import { APPEND_LOCK, appendEvents, type AddressedEvent, type LoggedEvent } from './event-log.js';
import { insertInboxRows } from './pg-batch-sql.js';
import type { Ahead } from './pg-pipeline.js';
import { postgresStore } from './pg-store.js';
import {
  ACCOUNT_LOCK,
  inUnit,
  lockAccountAndLog,
  newUnit,
  storeOf,
  type Unit,
} from './pg-repository.js';
import type { Tables } from './schema.js';
import { stage, stageClock } from './stage-stats.js';

/** A verified carrier event as the webhook inbox stores it. */
export type InboxRow = Omit<Tables['desk_carrier_inbox'], 'tries' | 'processed_at'>;

export interface IntakeEntry {
  /** Stored in the batch's transaction; a key stored before makes the entry a duplicate. */
  row?: InboxRow;
  /** The customer's message, routed in the same transaction when its row is new. */
  input?: IncomingInput;
}

export type IntakeOutcome =
  | { kind: 'routed'; result: Incoming }
  /** Its key was stored before: nothing changed. */
  | { kind: 'duplicate' }
  /** Stored, not routed (no input, or its routing failed): the inbox row is left unprocessed. */
  | { kind: 'stored'; error?: unknown };

export interface ReceiveBatcherOptions {
  db: Db;
  /** The command, run in the current unit. */
  run(input: IncomingInput): Promise<Incoming>;
  /** The unit's jobs and log rows, in its transaction. */
  finish(unit: Unit): Promise<AddressedEvent[]>;
  now(): number;
  /** Entries per transaction at most. Default 500. */
  maxBatch?: number;
  /** A batch's events as logged, once committed (the hub hands them out without a read). */
  onCommitted?(events: LoggedEvent[]): void;
  /**
   * A batch's fan-out and answers (a few ms of socket writes) wait until the next batch's first
   * statement is written, so that a database server runs it meanwhile instead of waiting for
   * them. Not for PGlite, which runs it on this thread.
   */
  overlap?: boolean;
}

interface Waiting {
  entry: IntakeEntry;
  /** performance.now() when it was queued. */
  at: number;
  resolve(outcome: IntakeOutcome): void;
  reject(error: unknown): void;
}

export interface ReceiveBatcher {
  /** Stores and routes `entry` with those arriving at the same time; resolves after the commit. */
  intake(entry: IntakeEntry): Promise<IntakeOutcome>;
  /** A message without an inbox row: resolves with its routing, rejects with its refusal. */
  receive(input: IncomingInput): Promise<Incoming>;
}

export function createReceiveBatcher(options: ReceiveBatcherOptions): ReceiveBatcher {
  const maxBatch = options.maxBatch ?? 500;
  /** Settles `work` after the next batch's first statement is written (see `flush`). */
  const afterNext = (work: () => void) => (options.overlap ? setImmediate(work) : work());
  const queue: Waiting[] = [];
  let running = false;

  async function runBatch(entries: IntakeEntry[]): Promise<IntakeOutcome[]> {
    let logged: LoggedEvent[] = [];
    const lap = stageClock();
    stage('batch size', entries.length);
    const outcomes = await options.db.transaction().execute(async (tx) => {
      lap('batch: begin');
      const now = options.now();
      const outcomes: Array<IntakeOutcome | undefined> = entries.map(() => undefined);
      // The locks in the inbox rows' statement when a message may be routed, and what routing
      // reads written right behind it (it runs after the locks): one round trip for the three.
      const wantLocks = entries.some((e) => e.row && e.input);
      const early = wantLocks ? postgresStore(tx) : undefined;
      const read = early?.prefetchAhead(
        entries.filter((e) => e.input).map((e) => pairOf(e.input!)),
      );
      let stored: Awaited<ReturnType<typeof storeRows>>;
      try {
        stored = await storeRows(tx, entries, now, wantLocks, read?.ahead);
      } finally {
        read?.ahead.release();
      }
      const { fresh, locked } = stored;
      lap('batch: inbox insert + locks');
      const routed: number[] = [];
      entries.forEach((entry, i) => {
        if (entry.row && !fresh.has(i)) outcomes[i] = { kind: 'duplicate' };
        else if (!entry.input) outcomes[i] = { kind: 'stored' };
        else routed.push(i);
      });
      if (routed.length === 0) return outcomes as IntakeOutcome[];

      const shared: Pick<Unit, 'store' | 'locked'> = { locked: false };
      const events: AddressedEvent[] = [];
      const refused: string[] = [];
      // The locks once (after the inbox rows: see storeRows), then what routing reads.
      const first = newUnit(tx, shared);
      if (locked) {
        // The read ran after the locks: what it read holds. Without them it ran before: unused.
        Object.assign(first, { locked: true, store: early });
        await read?.read();
      } else await lockAccountAndLog(first);
      lap('batch: locks');
      const store = await storeOf(first);
      Object.assign(shared, { store, locked: first.locked });
      await store.prefetch(routed.map((i) => pairOf(entries[i]!.input!)));
      lap('batch: routing read');
      for (const i of routed) {
        const { input, row } = entries[i]!;
        const unit = newUnit(tx, shared);
        try {
          const result = await inUnit(unit, () => options.run(input!));
          events.push(...(await options.finish(unit)));
          outcomes[i] = { kind: 'routed', result };
        } catch (error) {
          if (!isDeskError(error)) throw error; // the transaction is broken: all again, alone
          outcomes[i] = { kind: 'stored', error };
          if (row) refused.push(row.key);
        } finally {
          Object.assign(shared, { store: unit.store, locked: unit.locked });
        }
      }
      // A refusal is the pipeline's to report and settle: its row is left unprocessed.
      if (refused.length) {
        await tx
          .updateTable('desk_carrier_inbox')
          .set({ processed_at: null })
          .where('key', 'in', refused)
          .execute();
      }
      lap('batch: routing (engine)');
      // The batch's rows and its events (APPEND_LOCK is held) in one statement, the last: on
      // PostgreSQL the commit is sent behind it (one round trip); nothing may follow it here.
      logged = shared.store
        ? await shared.store.flush({ events, now, last: true })
        : await appendEvents(tx, events, now, true);
      lap('batch: write + log');
      return outcomes as IntakeOutcome[];
    });
    lap('batch: commit');
    if (logged.length) afterNext(() => options.onCommitted?.(logged));
    return outcomes;
  }

  /** One entry alone, after its batch failed; if its routing still fails, stored only. */
  async function runAlone(entry: IntakeEntry): Promise<IntakeOutcome> {
    try {
      return (await runBatch([entry]))[0]!;
    } catch (error) {
      if (!entry.row || !entry.input) throw error;
      const [outcome] = await runBatch([{ row: entry.row }]);
      return outcome!.kind === 'stored' ? { kind: 'stored', error } : outcome!;
    }
  }

  async function flush(): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0, maxBatch);
      const start = performance.now();
      for (const w of batch) stage('batch: queued', start - w.at);
      try {
        const outcomes = await runBatch(batch.map((w) => w.entry));
        const done = performance.now();
        for (const w of batch) stage('batch: queued → committed', done - w.at);
        afterNext(() => batch.forEach((w, i) => w.resolve(outcomes[i]!)));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const w of batch) await runAlone(w.entry).then(w.resolve, w.reject);
      }
    }
    running = false;
  }

  const intake = (entry: IntakeEntry) =>
    new Promise<IntakeOutcome>((resolve, reject) => {
      queue.push({ entry, at: performance.now(), resolve, reject });
      if (running) return;
      running = true;
      setImmediate(() => void flush()); // what arrives in the same turn joins the first batch
    });

  return {
    intake,
    async receive(input) {
      const outcome = await intake({ input });
      if (outcome.kind === 'routed') return outcome.result;
      throw (outcome as { error?: unknown }).error;
    },
  };
}

const pairOf = (input: IncomingInput) => ({ senderId: input.senderId, customer: input.from });

/**
 * The batch's inbox rows in one INSERT; answers the indexes of the entries whose row is new. A
 * row to be routed is stored as processed (a refusal resets it). Rows go in key order and before
 * the account lock, so two instances storing the same keys wait for each other without deadlock;
 * a key twice in one batch is new for its first entry only. `withLocks`: the locks are taken in
 * the same statement, after the rows (answered `locked` when they were).
 */
async function storeRows(
  tx: Db,
  entries: IntakeEntry[],
  now: number,
  withLocks: boolean,
  ahead?: Ahead,
): Promise<{ fresh: Set<number>; locked: boolean }> {
  const firstOf = new Map<string, number>();
  entries.forEach((e, i) => e.row && !firstOf.has(e.row.key) && firstOf.set(e.row.key, i));
  if (firstOf.size === 0) return { fresh: new Set(), locked: false };
  const keys = [...firstOf.keys()].sort();
  const { keys: inserted, locked } = await insertInboxRows(
    tx,
    keys.map((key) => {
      const entry = entries[firstOf.get(key)!]!;
      return { ...entry.row!, processed_at: entry.input ? now : null };
    }),
    withLocks ? [ACCOUNT_LOCK, APPEND_LOCK] : [],
    ahead,
  );
  return { fresh: new Set(inserted.map((key) => firstOf.get(key)!)), locked };
}
