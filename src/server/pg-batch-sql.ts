/**
 * The statements a group commit runs, as SQL written once. A table's rows go in as one JSON
 * parameter (`json_to_recordset($1::json)`), so the text is the same whatever the batch size
 * (Kysely builds nothing per batch, PostgreSQL plans each text once: they are named prepared
 * statements), and the rows are encoded by the native `JSON.stringify`, not escaped element by
 * element as the driver does for a Postgres array. The same on both drivers (pg, PGlite).
 */
import { sql } from 'kysely';
import { named, type Db } from './db.js';
import type { Ahead } from './pg-pipeline.js';
import type { AddressedEvent, LoggedEvent } from './event-log.js';
import type { Tables } from './schema.js';

type InboxRow = Omit<Tables['desk_carrier_inbox'], 'tries'>;
type ConversationRow = Tables['desk_conversations'];
type MessageRow = Tables['desk_messages'];

/**
 * The inbox rows (in the caller's order); answers the keys that were new. With `locks` (the
 * account's, then the event log's), they are taken in the same statement once the rows are in
 * (when any row was new): the rows first, then the locks, the order every writer keeps.
 * `ahead`: a statement written right behind this one (pg-pipeline.ts), which runs after the locks.
 */
export async function insertInboxRows(
  tx: Db,
  rows: InboxRow[],
  locks: readonly number[] = [],
  ahead?: Ahead,
): Promise<{ keys: string[]; locked: boolean }> {
  if (rows.length === 0) return { keys: [], locked: false };
  const [first = 0, second = 0] = locks;
  const { rows: result } = await sql<{
    keys: string[] | null;
    locked: number | null;
  }>`${sql.raw(named('inbox-insert', { ahead }))}
    with inserted as (
      insert into desk_carrier_inbox (key, carrier, event, received_at, retry_at, processed_at)
      select key, carrier, event, received_at, retry_at, processed_at
      from rows from (json_to_recordset(${JSON.stringify(rows)}::json) as (key text,
        carrier text, event text, received_at bigint, retry_at bigint, processed_at bigint))
        with ordinality as r (key, carrier, event, received_at, retry_at, processed_at, n)
      order by n
      on conflict (key) do nothing
      returning key
    )
    select k.keys, case when k.keys is not null and ${locks.length === 2}::boolean then
        (select count(*) from (select pg_advisory_xact_lock(${first}::bigint),
          pg_advisory_xact_lock(${second}::bigint)) l)
      end as locked
    from (select array_agg(key) as keys from inserted) k`.execute(tx);
  const row = result[0];
  return { keys: row?.keys ?? [], locked: row?.locked != null };
}

export interface BatchWrite {
  conversations: ConversationRow[];
  messages: MessageRow[];
  /** Appended to the log (the caller holds APPEND_LOCK), with one NOTIFY of the last id. */
  events: AddressedEvent[];
  now: number;
  /** The transaction's last statement: its commit goes right behind it (`thenCommit`, db.ts). */
  last?: boolean;
}

/**
 * Upserts the conversations and messages and appends the events, in one statement; answers the
 * events as logged (ids in order), as a read of the log would give them. Data-modifying CTEs all
 * run whatever the final SELECT reads.
 */
export async function writeBatch(
  tx: Db,
  batch: BatchWrite,
  channel: string,
): Promise<LoggedEvent[]> {
  const { conversations: cs, messages: ms, events, now, last = false } = batch;
  if (cs.length === 0 && ms.length === 0 && events.length === 0) return [];
  const audiences = events.map((e) => (e.audience ? [...new Set(e.audience)] : null));
  const data = events.map((e) => JSON.stringify(e.event));
  const jsonArray = `array(select json_array_elements_text`;
  const logRows = events.map((e, i) => ({
    type: e.event.type,
    audience: audiences[i],
    data: data[i],
  }));
  const { rows } = await sql<{
    ids: number[];
  }>`${sql.raw(named('batch-write', { thenCommit: last }))}
    with input as materialized (
      select * from json_to_recordset(${JSON.stringify(cs)}::json) as r (id text,
        sender_id text, customer text, owner_id text, has_incoming boolean, unread boolean,
        outgoing_by json, last_activity_at bigint, data text)
    ), conversations as (
      insert into desk_conversations
        (id, sender_id, customer, owner_id, has_incoming, unread, outgoing_by, last_activity_at,
        data)
      select id, sender_id, customer, owner_id, has_incoming, unread,
        ${sql.raw(jsonArray)}(outgoing_by)), last_activity_at, data
      from input
      on conflict (id) do update set sender_id = excluded.sender_id,
        customer = excluded.customer, owner_id = excluded.owner_id,
        has_incoming = excluded.has_incoming, unread = excluded.unread,
        outgoing_by = excluded.outgoing_by,
        last_activity_at = excluded.last_activity_at, data = excluded.data
    ), writers as (
      -- V4 (migration 0010): the users other than the owner who wrote in it, at its activity
      -- (the owner's own V4 rows are an index of desk_conversations); outgoing_by only grows.
      insert into desk_conversation_writers (user_id, conversation_id, last_activity_at, unread)
      select u, id, last_activity_at, unread
      from input, json_array_elements_text(outgoing_by) u
      where u <> owner_id
      on conflict (user_id, conversation_id) do update
        set last_activity_at = excluded.last_activity_at, unread = excluded.unread
        where (desk_conversation_writers.last_activity_at, desk_conversation_writers.unread)
          is distinct from (excluded.last_activity_at, excluded.unread)
    ), owners as (
      -- A writer who now owns it (RT4, A2) is no longer in the side table.
      delete from desk_conversation_writers w using input i
      where w.user_id = i.owner_id and w.conversation_id = i.id
    ), numbers as (
      -- V6's search key, written once: the number never changes (C1).
      insert into desk_conversation_numbers (customer, conversation_id)
      select customer, id from input
      on conflict do nothing
    ), messages as (
      insert into desk_messages (id, conversation_id, created_at, waiting, data)
      select id, conversation_id, created_at, waiting, data
      from json_to_recordset(${JSON.stringify(ms)}::json) as r (id text, conversation_id text,
        created_at bigint, waiting text, data text)
      on conflict (id) do update set conversation_id = excluded.conversation_id,
        created_at = excluded.created_at, waiting = excluded.waiting, data = excluded.data
    ), logged as (
      insert into desk_events (at, type, audience, data)
      select ${now}::bigint, type,
        case when audience is null then null else ${sql.raw(jsonArray)}(audience)) end, data
      from rows from (json_to_recordset(${JSON.stringify(logRows)}::json)
        as (type text, audience json, data text)) with ordinality as e (type, audience, data, n)
      order by n
      returning id
    )
    select array_agg(id order by id) as ids, pg_notify(${channel}, max(id)::text) as notified
    from logged having count(*) > 0`.execute(tx);
  const ids = rows[0]?.ids ?? [];
  return events.map((e, i) => ({
    id: Number(ids[i]),
    type: e.event.type,
    audience: audiences[i]!,
    data: data[i]!,
  }));
}
