/**
 * The statements a group commit runs, as SQL written once. Rows go in as one array per column
 * (`unnest($1::text[], …)`), so the text is the same whatever the batch size: Kysely does not
 * build a statement per batch, and the server plans each text once. Both drivers (pg, PGlite)
 * send JS arrays as Postgres arrays; array columns (`outgoing_by`, `audience`) go as JSON text.
 */
import { sql } from 'kysely';
import { named, type Db } from './db.js';
import type { AddressedEvent, LoggedEvent } from './event-log.js';
import type { Tables } from './schema.js';

type InboxRow = Omit<Tables['desk_carrier_inbox'], 'tries'>;
type ConversationRow = Tables['desk_conversations'];
type MessageRow = Tables['desk_messages'];

/**
 * The inbox rows (in the caller's order); answers the keys that were new. With `locks` (the
 * account's, then the event log's), they are taken in the same statement once the rows are in
 * (when any row was new): the rows first, then the locks, the order every writer keeps.
 */
export async function insertInboxRows(
  tx: Db,
  rows: InboxRow[],
  locks: readonly number[] = [],
): Promise<{ keys: string[]; locked: boolean }> {
  if (rows.length === 0) return { keys: [], locked: false };
  const column = <K extends keyof InboxRow>(k: K) => rows.map((r) => r[k]);
  const [first = 0, second = 0] = locks;
  const { rows: result } = await sql<{
    keys: string[] | null;
    locked: number | null;
  }>`${sql.raw(named('inbox-insert'))}
    with inserted as (
      insert into desk_carrier_inbox (key, carrier, event, received_at, retry_at, processed_at)
      select key, carrier, event, received_at, retry_at, processed_at
      from unnest(${column('key')}::text[], ${column('carrier')}::text[], ${column('event')}::text[],
        ${column('received_at')}::bigint[], ${column('retry_at')}::bigint[],
        ${column('processed_at')}::bigint[]) with ordinality
        as r (key, carrier, event, received_at, retry_at, processed_at, n)
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
  const { conversations: cs, messages: ms, events, now } = batch;
  if (cs.length === 0 && ms.length === 0 && events.length === 0) return [];
  const audiences = events.map((e) => (e.audience ? [...new Set(e.audience)] : null));
  const data = events.map((e) => JSON.stringify(e.event));
  const c = <K extends keyof ConversationRow>(k: K) => cs.map((r) => r[k]);
  const m = <K extends keyof MessageRow>(k: K) => ms.map((r) => r[k]);
  const jsonArray = `array(select jsonb_array_elements_text`;
  const { rows } = await sql<{ ids: number[] }>`${sql.raw(named('batch-write'))}
    with conversations as (
      insert into desk_conversations
        (id, sender_id, customer, owner_id, has_incoming, outgoing_by, last_activity_at, data)
      select id, sender_id, customer, owner_id, has_incoming,
        ${sql.raw(jsonArray)}(outgoing::jsonb)), last_activity_at, data
      from unnest(${c('id')}::text[], ${c('sender_id')}::text[], ${c('customer')}::text[],
        ${c('owner_id')}::text[], ${c('has_incoming')}::boolean[],
        ${cs.map((r) => JSON.stringify(r.outgoing_by))}::text[], ${c('last_activity_at')}::bigint[],
        ${c('data')}::text[])
        as r (id, sender_id, customer, owner_id, has_incoming, outgoing, last_activity_at, data)
      on conflict (id) do update set sender_id = excluded.sender_id,
        customer = excluded.customer, owner_id = excluded.owner_id,
        has_incoming = excluded.has_incoming, outgoing_by = excluded.outgoing_by,
        last_activity_at = excluded.last_activity_at, data = excluded.data
    ), messages as (
      insert into desk_messages (id, conversation_id, created_at, waiting, data)
      select * from unnest(${m('id')}::text[], ${m('conversation_id')}::text[],
        ${m('created_at')}::bigint[], ${m('waiting')}::text[], ${m('data')}::text[])
      on conflict (id) do update set conversation_id = excluded.conversation_id,
        created_at = excluded.created_at, waiting = excluded.waiting, data = excluded.data
    ), logged as (
      insert into desk_events (at, type, audience, data)
      select ${now}::bigint, type,
        case when audience is null then null else ${sql.raw(jsonArray)}(audience::jsonb)) end, data
      from unnest(${events.map((e) => e.event.type)}::text[],
        ${audiences.map((a) => a && JSON.stringify(a))}::text[], ${data}::text[]) with ordinality
        as e (type, audience, data, n)
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
