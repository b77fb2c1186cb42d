/**
 * Never sent twice, even across a restart: the outgoing journal in Postgres claims each message
 * attempt, a 429/5xx retry is a job in the server's jobs table, and a new process (a new
 * dispatcher and job runner on the same database) sends it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { DeskError } from '../../src/errors.js';
import type { StatusUpdate } from '../../src/rules/status.js';
import {
  createCarrierDispatcher,
  postgresLedger,
  type Provider,
} from '../../src/server/carriers/index.js';
import { CARRIER_SEND_JOB, postgresJournal } from '../../src/server/carriers/pg-journal.js';
import type { SendJob } from '../../src/server/carriers/dispatch.js';
import type { Database } from '../../src/server/db.js';
import { JobRunner } from '../../src/server/jobs.js';
import type { Conversation, Message, SenderId } from '../../src/types.js';
import { openPglite } from '../server/support.js';

let database: Database;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database?.close());

const sender: SenderId = {
  id: 'support-sms',
  channel: 'sms',
  address: '+14155550100',
  label: 'Support',
  access: { type: 'shared', userIds: ['sam'] },
};
const conversation = {
  id: 'c1',
  senderId: 'support-sms',
  channel: 'sms',
  customer: '+14155550101',
} as Conversation;
const message = (id: string): Message => ({
  id,
  conversationId: 'c1',
  direction: 'out',
  text: 'Your order is ready.',
  media: [],
  status: 'queued',
  statusTimes: { queued: 0 },
  attempt: 1,
  createdAt: 0,
});

/** A carrier that answers 503 `failures` times, then takes the message. */
function carrier(failures: number) {
  const sends: string[] = [];
  const provider: Provider = {
    name: 'fake',
    async send(outgoing) {
      sends.push(outgoing.text);
      if (sends.length <= failures) {
        throw new DeskError('server', 'Fake 503', {
          details: { retryable: true, httpStatus: 503 },
        });
      }
      return { carrierMessageId: `C${sends.length}`, status: 'queued' };
    },
    async verifyWebhook() {
      throw new Error('unused');
    },
  };
  return { provider, sends };
}

/** One process's dispatcher on the shared database. */
function processOn(provider: Provider, applied: Array<[string, StatusUpdate]>) {
  return createCarrierDispatcher({
    carrierFor: () => provider,
    lookups: {
      sender: async () => sender,
      template: async () => undefined,
      contact: async () => undefined,
    },
    ledger: postgresLedger(database.db),
    journal: postgresJournal(database.db, { staleMs: 60_000 }),
    applyStatus: async (id, update) => void applied.push([id, update]),
    clock: systemClock,
    retryAfterMs: 30_000,
  });
}

const jobs = () =>
  database.db.selectFrom('desk_jobs').selectAll().where('kind', '=', CARRIER_SEND_JOB).execute();
const journal = (id: string) =>
  database.db
    .selectFrom('desk_carrier_sends')
    .select(['state', 'tries'])
    .where('message_id', '=', id)
    .execute();
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('durable carrier retries', () => {
  it('a retry after 503 survives a restart and the message goes exactly once more', async () => {
    const { provider, sends } = carrier(1);
    const applied: Array<[string, StatusUpdate]> = [];
    processOn(provider, applied).dispatch(message('m1'), conversation, 0);
    await expect.poll(jobs).toHaveLength(1);
    expect(sends).toHaveLength(1);
    expect(await journal('m1')).toEqual([{ state: 'retry', tries: 1 }]);
    const job = (await jobs())[0]!;
    expect(Number(job.run_at)).toBeGreaterThan(Date.now() + 20_000);

    // Restart: a new process hands the messages in flight over again, then runs the due jobs.
    const after = processOn(provider, applied);
    after.dispatch(message('m1'), conversation, 0);
    await settle();
    expect(sends).toHaveLength(1);
    const runner = new JobRunner(
      database,
      { [CARRIER_SEND_JOB]: (payload) => after.resume(payload as SendJob) },
      { now: () => Date.now() + 60_000 },
    );
    await runner.tick();
    expect(sends).toEqual(['Your order is ready.', 'Your order is ready.']);
    expect(await journal('m1')).toEqual([{ state: 'sent', tries: 2 }]);
    expect(await jobs()).toEqual([]);
    expect(await postgresLedger(database.db).find('fake', 'C2')).toEqual({
      messageId: 'm1',
      attempt: 1,
    });
    // The same job delivered again (a lease that ran out mid-way) sends nothing.
    await after.resume(JSON.parse(job.payload) as SendJob);
    expect(sends).toHaveLength(2);
    expect(applied).toEqual([]);
  });

  it('a try cut by a crash mid-request is ambiguous: the next hand-off fails it, never resends', async () => {
    const { provider, sends } = carrier(0);
    const applied: Array<[string, StatusUpdate]> = [];
    // The dead process had claimed m2 long ago and never finished.
    await postgresJournal(database.db).begin('m2', 1, Date.now() - 120_000);
    processOn(provider, applied).dispatch(message('m2'), conversation, 0);
    await expect.poll(() => applied.length).toBe(1);
    expect(applied[0]).toEqual(['m2', expect.objectContaining({ status: 'failed', attempt: 1 })]);
    expect(sends).toEqual([]);
    expect(await journal('m2')).toEqual([{ state: 'failed', tries: 1 }]);
  });

  it('gives up after its tries: the message fails with the reason and the user may retry', async () => {
    const { provider, sends } = carrier(10);
    const applied: Array<[string, StatusUpdate]> = [];
    const dispatcher = createCarrierDispatcher({
      carrierFor: () => provider,
      lookups: {
        sender: async () => sender,
        template: async () => undefined,
        contact: async () => undefined,
      },
      ledger: postgresLedger(database.db),
      journal: postgresJournal(database.db),
      applyStatus: async (id, update) => void applied.push([id, update]),
      clock: systemClock,
      retryAfterMs: 1,
      maxTries: 2,
    });
    dispatcher.dispatch(message('m3'), conversation, 0);
    await expect.poll(jobs).toHaveLength(1);
    const runner = new JobRunner(
      database,
      { [CARRIER_SEND_JOB]: (payload) => dispatcher.resume(payload as SendJob) },
      { now: () => Date.now() + 1000 },
    );
    await runner.tick();
    expect(sends).toHaveLength(2);
    expect(applied).toEqual([
      ['m3', expect.objectContaining({ status: 'failed', reason: expect.stringContaining('503') })],
    ]);
    expect(await journal('m3')).toEqual([{ state: 'failed', tries: 2 }]);
  });
});
