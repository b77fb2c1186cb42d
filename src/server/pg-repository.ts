/**
 * The engine's `DeskRepository` on the server's database. A command runs in the transaction of
 * the unit it was called in (`inUnit`): the server's transaction, which also holds the
 * idempotency claim and appends the command's events, so the change and its events commit
 * together. Writes are serialized per account by a transaction-scoped advisory lock, taken once
 * per transaction before the first command reads: two instances never decide on the same state
 * at once (a customer is never routed twice). Reads outside a transaction take no lock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { AddressedEvent as EngineEvent } from '../engine/audience.js';
import type { DeskRepository } from '../engine/repository.js';
import type { Conversation, Message } from '../types.js';
import type { Db } from './db.js';
import { APPEND_LOCK } from './event-log.js';
import { postgresStore, type PostgresStore } from './pg-store.js';

/** Any constant: the account's lock (one account per database). */
export const ACCOUNT_LOCK = 0x6465736b01;

/** The work of one or more commands in one transaction. */
export interface Unit {
  tx: Db;
  store?: PostgresStore;
  locked: boolean;
  /** What the engine published, in order. */
  events: EngineEvent[];
  /** Messages to hand to the provider once the transaction commits. */
  handOffs: Array<{ message: Message; conversation: Conversation; at: number }>;
  /** Set when the unit's work is over: a late callback must not count itself in it. */
  done: boolean;
}

const units = new AsyncLocalStorage<Unit>();
/** Units running now; with none, the storage is disabled (see `inUnit`). */
let active = 0;
let disabling = false;

export function newUnit(tx: Db, shared?: Pick<Unit, 'store' | 'locked'>): Unit {
  return { tx, locked: false, ...shared, events: [], handOffs: [], done: false };
}

/**
 * Runs `work` with `unit` as the current unit; the unit is closed when the work settles. While
 * the storage is enabled, Node 20 runs a hook at every promise the process creates (and `await`
 * loses its fast path), in the HTTP parsing and the driver too: once no unit runs, it is
 * disabled until the next one (`run` enables it again). A callback that outlives its unit finds
 * no unit either way (`done`).
 */
export async function inUnit<T>(unit: Unit, work: () => Promise<T>): Promise<T> {
  active++;
  try {
    return await units.run(unit, work);
  } finally {
    unit.done = true;
    if (--active === 0 && !disabling) {
      // Not at once: a batch runs its commands one after another.
      disabling = true;
      setImmediate(() => {
        disabling = false;
        if (active === 0) units.disable();
      });
    }
  }
}

/** The unit the caller runs in, if it is still open. */
export function currentUnit(): Unit | undefined {
  const unit = units.getStore();
  return unit && !unit.done ? unit : undefined;
}

export async function lockAccount(tx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK})`.execute(tx);
}

/** The account lock, then the event log's (the order every writer takes them in), at once. */
export async function lockAccountAndLog(unit: Unit): Promise<void> {
  await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK}), pg_advisory_xact_lock(${APPEND_LOCK})`.execute(
    unit.tx,
  );
  unit.locked = true;
}

/** Takes the account lock for `unit` once, and answers its store. */
export async function storeOf(unit: Unit): Promise<PostgresStore> {
  if (unit.tx.isTransaction && !unit.locked) {
    await lockAccount(unit.tx);
    unit.locked = true;
  }
  return (unit.store ??= postgresStore(unit.tx));
}

export function postgresRepository(db: Db): DeskRepository {
  return {
    async transaction(work) {
      const unit = currentUnit();
      if (unit) return work(await storeOf(unit));
      // Called outside any unit (a CRM's own code): a transaction of its own.
      return db.transaction().execute(async (tx) => {
        await lockAccount(tx);
        const store = postgresStore(tx);
        const result = await work(store);
        await store.flush();
        return result;
      });
    },
  };
}
