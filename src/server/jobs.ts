/**
 * Durable jobs in Postgres: a row per job, taken by any instance with FOR UPDATE SKIP LOCKED under
 * a lease. A job whose instance died is taken again when its lease runs out; a failed job is
 * retried with backoff. Hand-rolled on one table rather than pg-boss or graphile-worker, which
 * need a pg connection of their own and cannot run on PGlite, the zero-setup default.
 */
import { sql } from 'kysely';
import { notify, type Database, type Db } from './db.js';

export const JOBS_CHANNEL = 'desk_jobs';

export interface JobInput {
  kind: string;
  payload?: unknown;
  /** Epoch ms; default now. */
  runAt?: number;
  /** At most one pending job per key: scheduling again moves it to the new time. */
  uniqueKey?: string;
}

export type JobHandler = (payload: unknown, job: { id: number; attempts: number }) => Promise<void>;

export interface JobRunnerOptions {
  /** How often due jobs are looked for without a NOTIFY. Default 1 s. */
  pollMs?: number;
  /** How long a taken job is the taker's; after that another instance may take it. Default 60 s. */
  leaseMs?: number;
  /** Jobs taken at once. Default 10. */
  batch?: number;
  now?: () => number;
  onError?: (error: unknown, kind: string) => void;
}

/** Schedules a job in the caller's transaction: it exists only if the transaction commits. */
export async function scheduleJob(tx: Db, job: JobInput, now = Date.now()): Promise<void> {
  const row = {
    kind: job.kind,
    payload: JSON.stringify(job.payload ?? null),
    run_at: job.runAt ?? now,
    unique_key: job.uniqueKey ?? null,
    locked_until: null,
  };
  await tx
    .insertInto('desk_jobs')
    .values(row)
    .onConflict((oc) =>
      oc.column('unique_key').doUpdateSet({ run_at: row.run_at, payload: row.payload }),
    )
    .execute();
  // Its time too: every instance wakes for it then, without waiting for a poll.
  await notify(tx, JOBS_CHANNEL, `${job.kind} ${row.run_at}`);
}

export class JobRunner {
  readonly #database: Database;
  readonly #handlers: Record<string, JobHandler>;
  readonly #options: Required<Omit<JobRunnerOptions, 'onError'>> &
    Pick<JobRunnerOptions, 'onError'>;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #unlisten: (() => Promise<void>) | null = null;
  /** The next wake-up for a job scheduled later, and when it is. */
  #wake: { timer: ReturnType<typeof setTimeout>; at: number } | null = null;

  constructor(
    database: Database,
    handlers: Record<string, JobHandler>,
    options: JobRunnerOptions = {},
  ) {
    this.#database = database;
    this.#handlers = handlers;
    this.#options = {
      pollMs: options.pollMs ?? 1000,
      leaseMs: options.leaseMs ?? 60_000,
      batch: options.batch ?? 10,
      now: options.now ?? Date.now,
      onError: options.onError,
    };
  }

  async start(): Promise<void> {
    const tick = () => void this.tick();
    const onNotify = (payload: string) => {
      tick();
      this.#wakeAt(Number(payload.split(' ')[1]));
    };
    this.#unlisten = await this.#database.listen(JOBS_CHANNEL, onNotify, tick);
    this.#timer = setInterval(tick, this.#options.pollMs);
    this.#timer.unref?.();
    tick();
  }

  /** Stops taking jobs and waits for the ones running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#wake) clearTimeout(this.#wake.timer);
    await this.#unlisten?.();
    await this.#running;
  }

  /** One timer at a time, for the earliest job announced for later (a poll finds the rest). */
  #wakeAt(at: number): void {
    const delay = at - this.#options.now();
    if (!(delay > 0) || delay > this.#options.pollMs * 60 || this.#stopped) return;
    if (this.#wake && this.#wake.at <= at) return;
    if (this.#wake) clearTimeout(this.#wake.timer);
    const timer = setTimeout(() => {
      this.#wake = null;
      void this.tick();
    }, delay + 5);
    timer.unref?.();
    this.#wake = { timer, at };
  }

  /** Runs every due job; calls while one runs coalesce. */
  tick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        while (!this.#stopped && (await this.#runBatch()) === this.#options.batch);
      } while (this.#again && !this.#stopped);
    })()
      .catch((error: unknown) => this.#options.onError?.(error, 'jobs'))
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  async #runBatch(): Promise<number> {
    const { db } = this.#database;
    const now = this.#options.now();
    const { rows } = await sql<{ id: number; kind: string; payload: string; attempts: number }>`
      update desk_jobs set locked_until = ${now + this.#options.leaseMs}, attempts = attempts + 1
      where id in (
        select id from desk_jobs
        where run_at <= ${now} and (locked_until is null or locked_until < ${now})
        order by run_at limit ${this.#options.batch}
        for update skip locked)
      returning id, kind, payload, attempts`.execute(db);
    for (const job of rows) {
      const handler = this.#handlers[job.kind];
      try {
        if (!handler) throw new Error(`No handler for job kind ${job.kind}.`);
        await handler(JSON.parse(job.payload) as unknown, { id: job.id, attempts: job.attempts });
        await db.deleteFrom('desk_jobs').where('id', '=', job.id).execute();
      } catch (error) {
        this.#options.onError?.(error, job.kind);
        const backoff = Math.min(3_600_000, 1000 * 2 ** Math.min(job.attempts, 12));
        await db
          .updateTable('desk_jobs')
          .set({
            run_at: this.#options.now() + backoff,
            locked_until: null,
            last_error: String(error),
          })
          .where('id', '=', job.id)
          .execute();
      }
    }
    return rows.length;
  }
}
