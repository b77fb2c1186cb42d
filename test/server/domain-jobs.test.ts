/**
 * The engine's timers as durable jobs on Postgres (PGlite here): SN6's release at the next
 * opening and the provider hand-off after the commit, each run by exactly one of two instances
 * sharing the database; a hand-off whose instance stopped before running it is not lost.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../../src/clock.js';
import { createManualClock } from '../../src/clock.js';
import { closedNowSeed } from '../../src/conformance/fixture.js';
import type { Database } from '../../src/server/db.js';
import { JobRunner } from '../../src/server/jobs.js';
import { JOB, openPostgresDomain, type PostgresDomain } from '../../src/server/pg-domain.js';
import type { Message } from '../../src/types.js';
import { openPglite } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

/** An instance: a domain with a recording provider, and its job runner (started by the test). */
async function instance(db: Database, clock: ManualClock, seed: ReturnType<typeof closedNowSeed>) {
  const dispatched: Message[] = [];
  const domain: PostgresDomain = await openPostgresDomain({
    database: db,
    seed,
    clock,
    resumeInFlight: false,
    provider: () => ({ dispatch: (message) => void dispatched.push(message) }),
  });
  const runner = new JobRunner(db, domain.jobs, { now: () => clock.now(), pollMs: 3_600_000 });
  return { domain, runner, dispatched };
}

const send = (domain: PostgresDomain, db: Database, text: string) =>
  db.db.transaction().execute((tx) =>
    domain.run(tx, 'alice', (api) =>
      api.send({
        target: { senderId: 'alice-sms', customer: '+14155550111' },
        content: { text },
        idempotencyKey: text,
      }),
    ),
  );

const jobsOf = (db: Database, kind: string) =>
  db.db.selectFrom('desk_jobs').selectAll().where('kind', '=', kind).execute();

describe('engine timers as Postgres jobs', () => {
  it('SN6: a message queued for business hours is released at the opening by exactly one of two instances', async () => {
    const start = Date.UTC(2026, 11, 1, 6, 0);
    const clock = createManualClock(start);
    const seed = closedNowSeed(start);
    database = await openPglite();
    const a = await instance(database, clock, seed);
    const b = await instance(database, clock, seed); // the same account: not seeded twice

    const { result } = await send(a.domain, database, 'after hours');
    expect(result.message.status).toBe('queued');
    expect(result.message.queueReason).toBe('business_hours');
    const [release] = await jobsOf(database, JOB.release);
    const opens = release!.run_at;
    expect(opens).toBeGreaterThan(start);

    // Before the opening, nothing runs; at the opening both instances look for due jobs at once.
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    expect(a.dispatched.length + b.dispatched.length).toBe(0);
    clock.set(opens);
    await Promise.all([a.runner.tick(), b.runner.tick()]);
    await Promise.all([a.runner.tick(), b.runner.tick()]); // the dispatch job the release made

    const handed = [...a.dispatched, ...b.dispatched];
    expect(handed.map((m) => m.id)).toEqual([result.message.id]);
    expect(handed[0]!.queueReason).toBeUndefined();
    // The next opening is planned again only while something waits: nothing does.
    expect(await jobsOf(database, JOB.release)).toHaveLength(0);
    const listed = await a.domain.run(database.db, 'alice', (api) =>
      api.listMessages(result.conversation.id),
    );
    expect(listed.result.items.map((m) => m.queueReason)).toEqual([undefined]);
  });

  it('hands a sent message to the provider only after the commit, once, even if the instance that accepted it stopped', async () => {
    const clock = createManualClock(Date.UTC(2026, 11, 1, 12, 0));
    const seed = { ...closedNowSeed(), settings: { defaultAdminId: 'admin' } }; // always open
    database = await openPglite();
    const a = await instance(database, clock, seed);
    const { result } = await send(a.domain, database, 'hello');
    expect(a.dispatched).toHaveLength(0); // not before the commit: a job waits for it
    expect(await jobsOf(database, JOB.dispatch)).toHaveLength(1);
    await a.domain.close(); // A stops without running its jobs

    const b = await instance(database, clock, seed);
    await b.runner.tick();
    expect(b.dispatched.map((m) => m.id)).toEqual([result.message.id]);
    await b.runner.tick();
    expect(b.dispatched).toHaveLength(1);
    expect(await jobsOf(database, JOB.dispatch)).toHaveLength(0);
  });

  it('a refused send leaves no job and no state behind', async () => {
    const clock = createManualClock(Date.UTC(2026, 11, 1, 12, 0));
    database = await openPglite();
    const a = await instance(database, clock, closedNowSeed(clock.now()));
    const refused = send(a.domain, database, '');
    await expect(refused).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await jobsOf(database, JOB.dispatch)).toHaveLength(0);
    expect(await database.db.selectFrom('desk_messages').selectAll().execute()).toHaveLength(0);
  });
});
