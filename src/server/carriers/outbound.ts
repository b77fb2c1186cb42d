/**
 * The server's way out to the carriers: the engine's provider is a carrier dispatcher whose
 * journal and ledger live in Postgres, whose retries are durable jobs, and whose status updates
 * (its own failures, and the carriers' status webhooks) go through the domain's SN7 command in one
 * transaction with their events, which the log then fans out.
 */
import type { Db } from '../db.js';
import type { DeskDomain } from '../domain.js';
import { appendEvents } from '../event-log.js';
import type { JobHandler } from '../jobs.js';
import type { Carriers } from './config.js';
import { createCarrierDispatcher, type CarrierDispatcher, type SendJob } from './dispatch.js';
import { postgresLedger } from './pg-inbox.js';
import { CARRIER_SEND_JOB, postgresJournal } from './pg-journal.js';
import { systemClock } from '../../clock.js';
import type { StatusUpdate } from '../../rules/status.js';

export interface Outbound {
  /** The engine's provider (pass it to the domain factory). */
  dispatcher: CarrierDispatcher;
  /** The job handlers to register on the server's job runner. */
  jobs: Record<string, JobHandler>;
  /** The domain, once opened: it takes the dispatcher, so it comes after; work waits for it. */
  attach(domain: DeskDomain): void;
}

export interface OutboundOptions {
  db: Db;
  carriers: Carriers;
  /** First retry delay, doubled each try. Default 2 s. */
  retryAfterMs?: number;
  maxTries?: number;
  onError(error: unknown): void;
}

export function createOutbound(options: OutboundOptions): Outbound {
  const { db } = options;
  let attach: (domain: DeskDomain) => void = () => undefined;
  const opened = new Promise<DeskDomain>((resolve) => (attach = resolve));
  const applyStatus = async (messageId: string, update: StatusUpdate) => {
    const domain = await opened;
    await db.transaction().execute(async (tx) => {
      const { events } = await domain.applyStatus(tx, messageId, update);
      await appendEvents(tx, events, Date.now());
    });
  };
  const dispatcher = createCarrierDispatcher({
    carrierFor: (channel) => options.carriers.forChannel(channel),
    lookups: {
      sender: async (id) => (await opened).directory.sender(id),
      template: async (id) => (await opened).directory.template(id),
      contact: async (phone) => (await opened).directory.contact(phone),
    },
    ledger: postgresLedger(db),
    journal: postgresJournal(db),
    applyStatus,
    clock: systemClock,
    ...(options.retryAfterMs !== undefined && { retryAfterMs: options.retryAfterMs }),
    ...(options.maxTries !== undefined && { maxTries: options.maxTries }),
    onError: (error) => options.onError(error),
  });
  return {
    dispatcher,
    jobs: { [CARRIER_SEND_JOB]: (payload) => dispatcher.resume(payload as SendJob) },
    attach,
  };
}
