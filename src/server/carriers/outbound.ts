/**
 * The server's way out to the carriers: the engine's provider is a carrier dispatcher whose
 * journal and ledger live in Postgres and whose retries are durable jobs. Its status updates (its
 * own failures, and the carriers' status webhooks through `dispatcher.status`) go through the
 * domain's SN7 command (`ProviderDesk.applyStatus`: one transaction with their events, which the
 * log then fans out).
 */
import { systemClock } from '../../clock.js';
import type { StatusUpdate } from '../../rules/status.js';
import type { Db } from '../db.js';
import type { JobHandler } from '../jobs.js';
import type { PostgresDomainOptions, ProviderDesk } from '../pg-domain.js';
import type { Carriers } from './config.js';
import { createCarrierDispatcher, type CarrierDispatcher, type SendJob } from './dispatch.js';
import { postgresLedger } from './pg-inbox.js';
import { CARRIER_SEND_JOB, postgresJournal } from './pg-journal.js';

export interface Outbound {
  dispatcher: CarrierDispatcher;
  /** The domain factory's `provider` option: binds the dispatcher to the desk it reports to. */
  provider: NonNullable<PostgresDomainOptions['provider']>;
  /** The job handlers to register on the server's job runner. */
  jobs: Record<string, JobHandler>;
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
  // The domain takes the dispatcher, so it binds its desk after: work waits for it.
  let bind: (desk: ProviderDesk) => void = () => undefined;
  const bound = new Promise<ProviderDesk>((resolve) => (bind = resolve));
  const dispatcher = createCarrierDispatcher({
    carrierFor: (channel) => options.carriers.forChannel(channel),
    lookups: {
      sender: async (id) => (await bound).read((store) => store.getSender(id)),
      template: async (id) => (await bound).read((store) => store.getTemplate(id)),
      contact: async (phone) => (await bound).read((store) => store.getContactByPhone(phone)),
    },
    ledger: postgresLedger(db),
    journal: postgresJournal(db),
    applyStatus: async (messageId: string, update: StatusUpdate) =>
      (await bound).applyStatus(messageId, update),
    optedOut: async (messageId: string) => (await bound).optOutRecipientOf(messageId),
    clock: systemClock,
    ...(options.retryAfterMs !== undefined && { retryAfterMs: options.retryAfterMs }),
    ...(options.maxTries !== undefined && { maxTries: options.maxTries }),
    onError: (error) => options.onError(error),
  });
  return {
    dispatcher,
    provider(desk) {
      bind(desk);
      return dispatcher;
    },
    jobs: { [CARRIER_SEND_JOB]: (payload) => dispatcher.resume(payload as SendJob) },
  };
}
