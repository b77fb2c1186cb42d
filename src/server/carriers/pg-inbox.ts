/**
 * The carriers' Postgres stores (PGlite or PostgreSQL). The webhook inbox (PGlite or PostgreSQL): the event's key is the primary key, so a
 * webhook delivered twice, to any instance, is stored once. `pending` claims its entries for a
 * lease with FOR UPDATE SKIP LOCKED, so two instances draining at once never take the same event;
 * an instance that dies mid-way leaves its entries to be taken again when the lease ends.
 */
import { sql } from 'kysely';
import type { Db } from '../db.js';
import type { CarrierLedger } from './dispatch.js';
import type { CarrierEvent } from './provider.js';
import type { InboxEntry, WebhookInbox } from './webhooks.js';

export interface PostgresInboxOptions {
  /** How long a taken entry is the taker's. Default 60 s. */
  leaseMs?: number;
  /** Processed entries older than this are deleted by `prune`. Default 7 days. */
  keepMs?: number;
}

interface Row {
  key: string;
  carrier: string;
  event: string;
  received_at: number | string;
  retry_at: number | string;
  tries: number | string;
}

const entryOf = (row: Row): InboxEntry => ({
  key: row.key,
  carrier: row.carrier,
  event: JSON.parse(row.event) as CarrierEvent,
  receivedAt: Number(row.received_at),
  retryAt: Number(row.retry_at),
  tries: Number(row.tries),
});

/** An entry as its row (`tries` and `processed_at` aside). */
export const inboxRow = (e: InboxEntry) => ({
  key: e.key,
  carrier: e.carrier,
  event: JSON.stringify(e.event),
  received_at: e.receivedAt,
  retry_at: e.retryAt,
});

export function postgresInbox(
  db: Db,
  options: PostgresInboxOptions = {},
): WebhookInbox & { prune(now: number): Promise<number> } {
  const leaseMs = options.leaseMs ?? 60_000;
  const keepMs = options.keepMs ?? 7 * 24 * 3600_000;
  return {
    async add(entries) {
      if (entries.length === 0) return [];
      const rows = await db
        .insertInto('desk_carrier_inbox')
        .values(entries.map((e) => ({ ...inboxRow(e), processed_at: null })))
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .execute();
      const added = new Set(rows.map((r) => r.key));
      return entries.filter((e) => added.has(e.key));
    },

    async pending(now, limit) {
      const { rows } = await sql<Row>`
        update desk_carrier_inbox set retry_at = ${now + leaseMs}
        where key in (
          select key from desk_carrier_inbox
          where processed_at is null and retry_at <= ${now}
          order by received_at, key limit ${limit}
          for update skip locked)
        returning key, carrier, event, received_at, retry_at, tries`.execute(db);
      return rows.map(entryOf).sort((a, b) => a.receivedAt - b.receivedAt);
    },

    async defer(key, retryAt) {
      await db
        .updateTable('desk_carrier_inbox')
        .set((eb) => ({ retry_at: retryAt, tries: eb('tries', '+', 1) }))
        .where('key', '=', key)
        .execute();
    },

    async done(key) {
      await db
        .updateTable('desk_carrier_inbox')
        .set({ processed_at: Date.now() })
        .where('key', '=', key)
        .execute();
    },

    async prune(now) {
      const result = await db
        .deleteFrom('desk_carrier_inbox')
        .where('processed_at', '<', now - keepMs)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** The carrier ledger in Postgres: a carrier id recorded twice keeps its first message. */
export function postgresLedger(db: Db): CarrierLedger {
  return {
    async record(carrier, carrierMessageId, messageId, attempt) {
      await db
        .insertInto('desk_carrier_messages')
        .values({
          carrier,
          carrier_message_id: carrierMessageId,
          message_id: messageId,
          attempt,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['carrier', 'carrier_message_id']).doNothing())
        .execute();
    },
    async find(carrier, carrierMessageId) {
      const row = await db
        .selectFrom('desk_carrier_messages')
        .select(['message_id', 'attempt'])
        .where('carrier', '=', carrier)
        .where('carrier_message_id', '=', carrierMessageId)
        .executeTakeFirst();
      return row && { messageId: row.message_id, attempt: Number(row.attempt) };
    },
  };
}
