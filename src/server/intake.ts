/**
 * The webhook inbox with group commit: each webhook's events are stored with those arriving at
 * the same time, and the customer messages among them routed, in one transaction (see
 * receive-batcher.ts). The carrier's answer waits for that commit. What is left (statuses,
 * messages whose attachments must be fetched first, refusals) stays in the inbox for the webhook
 * pipeline, exactly as a plain Postgres inbox would leave it.
 */
import type { IncomingInput } from '../embedded/index.js';
import { inboxRow, postgresInbox } from './carriers/pg-inbox.js';
import type { InboundMessage } from './carriers/provider.js';
import type { InboxEntry, WebhookInbox } from './carriers/webhooks.js';
import type { Db } from './db.js';
import type { Incoming } from './domain.js';
import type { IntakeEntry, IntakeOutcome } from './receive-batcher.js';

export interface IntakeInboxOptions {
  db: Db;
  /** The domain's group commit. */
  intake(entry: IntakeEntry): Promise<IntakeOutcome>;
  /** The desk's input for a message routed as it is stored; undefined: left to the pipeline. */
  inputOf(message: InboundMessage): IncomingInput | undefined;
  /** A message routed as it was stored. */
  onRouted?(message: InboundMessage, result: Incoming): void;
}

export function intakeInbox(options: IntakeInboxOptions): WebhookInbox {
  return {
    ...postgresInbox(options.db),
    async add(entries: InboxEntry[]) {
      const outcomes = await Promise.all(
        entries.map((e) => {
          const input = e.event.kind === 'message' ? options.inputOf(e.event) : undefined;
          return options.intake({ row: inboxRow(e), ...(input && { input }) });
        }),
      );
      return entries.filter((e, i) => {
        const outcome = outcomes[i]!;
        if (outcome.kind === 'routed' && e.event.kind === 'message') {
          options.onRouted?.(e.event, outcome.result);
        }
        return outcome.kind === 'stored';
      });
    },
  };
}
