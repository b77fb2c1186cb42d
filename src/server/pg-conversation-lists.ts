/**
 * The conversation lists (V1–V4 and what a user may see without a view) and their counts, each
 * a range of one index (migration 0010), so a page reads about a page of rows whatever the
 * account's size (test/server/query-plans.test.ts proves it on PGlite and PostgreSQL):
 * - `all`: `desk_conversations_all`, on `-last_activity_at` so that no view can walk it;
 * - `inbox` (V1, V3): `desk_conversations_inbox_page`; `sender` (V2): `…_sender_page` (an
 *   admin's), `…_sender_owner_page` (a standard user's);
 * - `sent` (V4): a page of `desk_conversations_owner_wrote` (owned, written in) and one of
 *   `desk_conversation_writers_page` (written in, owned by another: the side table the batch
 *   write keeps), merged: a sort of at most two pages;
 * - `involving`: a page of each of the user's three lists (owned with or without an incoming
 *   message, written in and owned by another), merged: a sort of at most three pages.
 * V6's search narrows a list by ids found through the trigram index of the numbers' side table.
 * A next page seeks to its cursor (`last_activity_at <= at` is the index's range; the rest of
 * the cursor only drops the rows of that same instant).
 */
import { sql, type RawBuilder } from 'kysely';
import type { ConversationFilter, TimeCursor } from '../engine/repository.js';
import type { SearchQuery } from '../rules/views.js';
import { containing } from './pg-store-records.js';

type Ref = RawBuilder<unknown>;
const none = sql``;

/** After `cursor` in `(at desc, id)` order, as an index range plus the same instant's tie. */
function afterCursor(cursor: TimeCursor | undefined, at: Ref, id: Ref) {
  if (!cursor) return none;
  return sql`and ${at} <= ${cursor.at} and (${at} < ${cursor.at} or ${id} > ${cursor.id})`;
}

/** V6: the conversation (by `id`) has a number containing the digits, or a contact so named. */
function matching(match: SearchQuery | undefined, id: Ref) {
  if (match?.digits) {
    return sql`and ${id} in (select conversation_id from desk_conversation_numbers
      where customer like ${containing(match.digits)})`;
  }
  if (match?.text) {
    return sql`and ${id} in (select n.conversation_id from desk_conversation_numbers n
      where n.customer in (select phone from desk_contacts
        where folded like ${containing(match.text)}))`;
  }
  return none;
}

const ID = sql.ref('id');
const AT = sql.ref('last_activity_at');

/** One page of `filter`'s list, newest first (V5), strictly after `after`. */
export function conversationPage(
  filter: ConversationFilter,
  after: TimeCursor | undefined,
  limit: number,
  match?: SearchQuery,
): RawBuilder<{ data: string }> {
  const cursor = afterCursor(after, AT, ID);
  const search = matching(match, ID);
  const page = (where: RawBuilder<unknown>, column = sql.ref('data')) =>
    sql<{ data: string }>`select ${column} from desk_conversations where ${where} ${cursor}
      ${search} order by last_activity_at desc, id limit ${limit}`;
  switch (filter.kind) {
    case 'all': {
      const seek = after ? sql`and (-last_activity_at, id) > (${-after.at}, ${after.id})` : none;
      return sql`select data from desk_conversations where true ${seek} ${search}
        order by -last_activity_at, id limit ${limit}`;
    }
    case 'inbox':
      return page(sql`owner_id = ${filter.userId} and has_incoming`);
    case 'sender': {
      const owner = filter.userId === undefined ? none : sql`and owner_id = ${filter.userId}`;
      return page(sql`sender_id = ${filter.senderId} and has_incoming ${owner}`);
    }
    case 'sent': {
      // The conversations the user owns and wrote in, and those it wrote in and others own.
      const u = filter.userId;
      return sql`select data from desk_conversations where id in (
          (${page(sql`owner_id = ${u} and owner_id = any(outgoing_by)`, ID)})
          union all (${otherWriters(u, after, limit, match)}))
        order by last_activity_at desc, id limit ${limit}`;
    }
    case 'involving': {
      const u = filter.userId;
      return sql`select data from desk_conversations where id in (
          (${page(sql`owner_id = ${u} and has_incoming`, ID)})
          union all (${page(sql`owner_id = ${u} and not has_incoming`, ID)})
          union all (${otherWriters(u, after, limit, match)}))
        order by last_activity_at desc, id limit ${limit}`;
    }
  }
}

/** A page of the ids of the conversations the user wrote in and another user owns. */
function otherWriters(
  userId: string,
  after: TimeCursor | undefined,
  limit: number,
  match: SearchQuery | undefined,
) {
  return sql`select conversation_id from desk_conversation_writers where user_id = ${userId}
    ${afterCursor(after, AT, sql.ref('conversation_id'))}
    ${matching(match, sql.ref('conversation_id'))}
    order by last_activity_at desc, conversation_id limit ${limit}`;
}

/** A view's size and unread rows, over the index its pages read. */
export function conversationCount(filter: ConversationFilter, n: number): RawBuilder<unknown> {
  const count = (from: RawBuilder<unknown>) =>
    sql`select ${n}::int as n, count(*)::int as total,
      (count(*) filter (where unread))::int as unread from ${from}`;
  switch (filter.kind) {
    case 'all':
      return count(sql`desk_conversations`);
    case 'inbox':
      return count(sql`desk_conversations where owner_id = ${filter.userId} and has_incoming`);
    case 'sender': {
      const owner = filter.userId === undefined ? none : sql`and owner_id = ${filter.userId}`;
      return count(
        sql`desk_conversations where sender_id = ${filter.senderId} and has_incoming ${owner}`,
      );
    }
    case 'sent':
      return count(sql`(select unread from desk_conversations
        where owner_id = ${filter.userId} and owner_id = any(outgoing_by)
        union all select unread from desk_conversation_writers
        where user_id = ${filter.userId}) s`);
    case 'involving': {
      const u = filter.userId;
      return count(sql`desk_conversations where id in (
        select id from desk_conversations where owner_id = ${u} and has_incoming
        union all select id from desk_conversations where owner_id = ${u} and not has_incoming
        union all select conversation_id from desk_conversation_writers where user_id = ${u})`);
    }
  }
}
