/**
 * Customer messages grouped into one transaction: what arrives while a batch commits waits for
 * the next one, so a burst costs one lock, one commit and one NOTIFY per batch, not per message.
 * Each message is still its own command, in arrival order: a refused one (a `DeskError`, decided
 * before any write) fails alone; if the transaction itself fails, each is tried again alone.
 */
import type { IncomingInput } from '../embedded/index.js';
import { isDeskError } from '../errors.js';
import type { Db } from './db.js';
import type { Incoming } from './domain.js';
import { appendEvents, type AddressedEvent } from './event-log.js';
import { inUnit, newUnit, storeOf, type Unit } from './pg-repository.js';

export interface ReceiveBatcherOptions {
  db: Db;
  /** The command, run in the current unit. */
  run(input: IncomingInput): Promise<Incoming>;
  /** The unit's jobs and log rows, in its transaction. */
  finish(unit: Unit): Promise<AddressedEvent[]>;
  now(): number;
  /** Messages per transaction at most. Default 200. */
  maxBatch?: number;
}

interface Waiting {
  input: IncomingInput;
  resolve(result: Incoming): void;
  reject(error: unknown): void;
}

export function createReceiveBatcher(
  options: ReceiveBatcherOptions,
): (input: IncomingInput) => Promise<Incoming> {
  const maxBatch = options.maxBatch ?? 200;
  const queue: Waiting[] = [];
  let running = false;

  async function runBatch(batch: Waiting[]): Promise<void> {
    const settled = await options.db.transaction().execute(async (tx) => {
      const shared: Pick<Unit, 'store' | 'locked'> = { locked: false };
      const events: AddressedEvent[] = [];
      const results: Array<{ ok: Incoming } | { error: unknown }> = [];
      // Their conversations, waiting campaigns and thread ends, read at once.
      const first = newUnit(tx, shared);
      const store = await storeOf(first); // the account lock, once for the batch
      Object.assign(shared, { store, locked: first.locked });
      await store.prefetch(
        batch.map(({ input }) => ({ senderId: input.senderId, customer: input.from })),
      );
      for (const item of batch) {
        const unit = newUnit(tx, shared);
        try {
          const ok = await inUnit(unit, () => options.run(item.input));
          events.push(...(await options.finish(unit)));
          results.push({ ok });
        } catch (error) {
          if (!isDeskError(error)) throw error; // the transaction is broken: all again, alone
          results.push({ error });
        } finally {
          Object.assign(shared, { store: unit.store, locked: unit.locked });
        }
      }
      await shared.store?.flush();
      await appendEvents(tx, events, options.now());
      return results;
    });
    settled.forEach((r, i) => ('ok' in r ? batch[i]!.resolve(r.ok) : batch[i]!.reject(r.error)));
  }

  async function flush(): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0, maxBatch);
      try {
        await runBatch(batch);
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const item of batch) await runBatch([item]).catch(item.reject);
      }
    }
    running = false;
  }

  return (input) =>
    new Promise<Incoming>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (running) return;
      running = true;
      setImmediate(() => void flush()); // what arrives in the same turn joins the first batch
    });
}
