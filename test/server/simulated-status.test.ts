/**
 * SN7 with the server's simulated provider: a sent message's coming statuses are durable jobs
 * (Postgres, PGlite here), so a status still pending when its instance stops is applied after the
 * restart, and by exactly one of two instances sharing the database.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import { closedNowSeed } from '../../src/conformance/fixture.js';
import type { Database } from '../../src/server/db.js';
import { JobRunner } from '../../src/server/jobs.js';
import { JOB, openPostgresDomain } from '../../src/server/pg-domain.js';
import { SIMULATED_STATUS_JOB } from '../../src/server/pg-simulated-provider.js';
import { openPglite } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const seed = { ...closedNowSeed(), settings: { defaultAdminId: 'admin' } }; // always open
const simulation = { sentAfterMs: 400, deliveredAfterMs: 1500, readAfterMs: 5000 };

/** Every status job any instance ran (SN7 would hide a second application of the same one). */
const applied: string[] = [];

async function instance(db: Database, clock: ManualClock) {
  const domain = await openPostgresDomain({ database: db, seed, clock, simulation });
  const apply = domain.jobs[SIMULATED_STATUS_JOB]!;
  const jobs = {
    ...domain.jobs,
    [SIMULATED_STATUS_JOB]: async (payload: unknown, job: { id: number; attempts: number }) => {
      applied.push((payload as { update: { status: string } }).update.status);
      await apply(payload, job);
    },
  };
  const runner = new JobRunner(db, jobs, { now: () => clock.now(), pollMs: 3_600_000 });
  return { domain, runner };
}

const statusEvents = async (db: Database, messageId: string) =>
  (
    await db.db
      .selectFrom('desk_events')
      .select('data')
      .where('type', '=', 'message.status')
      .execute()
  )
    .map((r) => JSON.parse(r.data) as { messageId: string; status: string })
    .filter((e) => e.messageId === messageId)
    .map((e) => e.status);

const jobsOf = (db: Database, kind: string) =>
  db.db.selectFrom('desk_jobs').selectAll().where('kind', '=', kind).execute();

describe('the simulated provider on Postgres', () => {
  it('SN7: a status pending when its instance stops is applied after the restart, by one of two instances', async () => {
    const clock = createManualClock(Date.UTC(2026, 11, 1, 12, 0));
    database = await openPglite();
    const a = await instance(database, clock);
    const { result } = await database.db.transaction().execute((tx) =>
      a.domain.run(tx, 'alice', (api) =>
        api.send({
          target: { senderId: 'alice-sms', customer: '+14155550111' },
          content: { text: 'hello' },
          idempotencyKey: 'k1',
        }),
      ),
    );
    const id = result.message.id;
    await a.runner.tick(); // the hand-over: its statuses become jobs, none due yet
    expect(await jobsOf(database, JOB.dispatch)).toHaveLength(0);
    expect((await jobsOf(database, SIMULATED_STATUS_JOB)).map((j) => j.run_at).sort()).toEqual([
      clock.now() + 400,
      clock.now() + 1500,
    ]);
    await a.domain.close(); // the instance stops with both statuses pending

    const b = await instance(database, clock);
    const c = await instance(database, clock);
    clock.advance(2000);
    await Promise.all([b.runner.tick(), c.runner.tick()]);
    await Promise.all([b.runner.tick(), c.runner.tick()]);

    expect(applied.sort()).toEqual(['delivered', 'sent']); // each once, on either instance
    expect(await statusEvents(database, id)).toEqual(['sent', 'delivered']);
    expect(await jobsOf(database, SIMULATED_STATUS_JOB)).toHaveLength(0);
    const listed = await b.domain.run(database.db, 'alice', (api) =>
      api.listMessages(result.conversation.id),
    );
    expect(listed.result.items.map((m) => m.status)).toEqual(['delivered']);
    await Promise.all([b.domain.close(), c.domain.close()]);
  });

  it('SN7: "the next send fails", set on one instance, fails the next send handed over on another, once', async () => {
    const clock = createManualClock(Date.UTC(2026, 11, 1, 12, 0));
    database = await openPglite();
    const db = database;
    const a = await instance(db, clock);
    const b = await instance(db, clock);
    const customer = '+14155550122';
    await db.db
      .transaction()
      .execute((tx) =>
        a.domain.simulate(tx, { action: 'fail-next', phone: customer, reason: 'Handset off' }),
      );
    const send = (text: string) =>
      db.db.transaction().execute((tx) =>
        b.domain.run(tx, 'alice', (api) =>
          api.send({
            target: { senderId: 'alice-sms', customer },
            content: { text },
            idempotencyKey: text,
          }),
        ),
      );
    const statusJobs = async () =>
      (await jobsOf(db, SIMULATED_STATUS_JOB)).map((j) => {
        const { update } = JSON.parse(j.payload) as { update: { status: string; reason?: string } };
        return `${update.status}${update.reason ? `: ${update.reason}` : ''}`;
      });
    await send('first');
    await b.runner.tick(); // b hands the send over: the failure set on a is taken
    expect(await statusJobs()).toEqual(['failed: Handset off']);
    clock.advance(500);
    await a.runner.tick();
    await send('second');
    await a.runner.tick(); // the next send is not failed again
    expect((await statusJobs()).sort()).toEqual(['delivered', 'sent']);
    await Promise.all([a.domain.close(), b.domain.close()]);
  });
});
