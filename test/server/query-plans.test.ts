/**
 * Issue 9: every list the desk pages through is served by an index, on PGlite and PostgreSQL. An
 * account of a few thousand conversations (several owners and sender IDs, shared ones included)
 * is written through the server's own batch write, analyzed, and every read the store issues is
 * captured as the driver receives it (Kysely's query log), then explained with its parameters.
 *
 * What a plan may hold:
 * - no Seq Scan of an account-sized table (conversations, messages, contacts, their side tables);
 * - a page (a view's first or a deep next page, a thread's pages, routing's read) reads at most
 *   BOUND rows (EXPLAIN ANALYZE's rows, kept or filtered out): each view tested holds over a
 *   thousand rows in the account's oldest quarter, so a plan that walks the account's activity
 *   index and filters, or reads a whole view and sorts it, or walks from the top of a view to a
 *   deep cursor, fails. A Sort is fine when it sorts a few pages (the `involving` union);
 * - a search (V6, SN1) may sort its matches: they come from the trigram indexes, and a search's
 *   matches are what it answers (found by the index, not by reading the account);
 * - a count reads its views' rows through an index, never the account's.
 */
import { CompiledQuery, Kysely, PostgresDialect, type Dialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConversationFilter } from '../../src/engine/repository.js';
import { openDatabase, type Database, type Db } from '../../src/server/db.js';
import { EVENTS_CHANNEL } from '../../src/server/event-log.js';
import { writeBatch } from '../../src/server/pg-batch-sql.js';
import { postgresStore } from '../../src/server/pg-store.js';
import type { Tables } from '../../src/server/schema.js';
import { openPglite, startPostgres, type Postgres } from './support.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

const CONVERSATIONS = 12_000;
/** The oldest quarter: sender ID s0, half of it owned (and written in) by u00, a quiet user. */
const OLD = 3000;
const USERS = Array.from({ length: 20 }, (_, i) => `u${String(i).padStart(2, '0')}`);
const SENDERS = Array.from({ length: 6 }, (_, i) => `s${i}`);
/** More than a few pages, far less than the views tested (each holds 1 000 rows or more). */
const BOUND = 500;
/** A deep cursor's position in a view of 1 200 rows or more: more than BOUND on either side. */
const DEEP = 600;
/** Tables whose size is the account's: none may be read whole. */
const ACCOUNT_TABLES = /^desk_(conversations|messages|contacts|conversation_\w+)$/;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
const SCANS = /Scan$/;

/** Rows the plan's scans of account-sized tables read (kept or thrown away), all loops. */
function rowsRead(plan: PlanNode): number {
  let read = 0;
  for (const node of nodes(plan)) {
    if (!SCANS.test(node['Node Type'])) continue;
    if (
      node['Node Type'] !== 'Bitmap Index Scan' &&
      !ACCOUNT_TABLES.test(node['Relation Name'] ?? '')
    )
      continue;
    const perLoop =
      (node['Actual Rows'] ?? 0) +
      (node['Rows Removed by Filter'] ?? 0) +
      (node['Rows Removed by Index Recheck'] ?? 0);
    read += perLoop * (node['Actual Loops'] ?? 1);
  }
  return read;
}

/**
 * What the plan does wrong for its kind of read; [] when it is acceptable. A page reads at most
 * `bound` rows, whatever it sorts (a Sort over a union of per-list pages is such a page); a
 * count reads its views' rows (twice at most: V4's rows, then their conversations' read state),
 * not the account's; a search reads what its trigram indexes match.
 */
function faults(plan: PlanNode, kind: 'page' | 'search' | 'count', bound = BOUND): string[] {
  const found: string[] = [];
  for (const node of nodes(plan)) {
    const table = node['Relation Name'] ?? '';
    if (node['Node Type'] === 'Seq Scan' && ACCOUNT_TABLES.test(table)) {
      found.push(`Seq Scan on ${table}`);
    }
  }
  const read = rowsRead(plan);
  if (kind !== 'search' && read > bound) found.push(`read ${read} rows (at most ${bound})`);
  return found;
}

/** The plan as indented lines: node, table, index, rows read. */
const shape = (plan: PlanNode, depth = 0): string =>
  [
    `${'  '.repeat(depth)}${plan['Node Type']} ${plan['Relation Name'] ?? ''} ${plan['Index Name'] ?? ''} rows=${plan['Actual Rows']}x${plan['Actual Loops']} removed=${(plan['Rows Removed by Filter'] ?? 0) + (plan['Rows Removed by Index Recheck'] ?? 0)}`,
    ...(plan.Plans ?? []).map((p) => shape(p, depth + 1)),
  ].join('\n');

interface Setup {
  database: Database;
  /** The same database, its queries logged. */
  logged: Kysely<Tables>;
  queries: CompiledQuery[];
  close(): Promise<void>;
}

const customerOf = (i: number) => `+1415${String(5_000_000 + i * 13).padStart(7, '0')}`;

async function seed(db: Db): Promise<void> {
  // Deterministic, oldest first. The views tested (u00's, s0's) sit in the oldest quarter: a
  // plan that walks the account in activity order and filters reads the newer 9 000 first.
  const conversations: Array<Tables['desk_conversations']> = [];
  const messages: Array<Tables['desk_messages']> = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    const id = `c${String(i).padStart(5, '0')}`;
    const old = i < OLD;
    const senderId = old ? 's0' : SENDERS[1 + (i % 5)]!;
    const ownerId = old && i % 2 === 0 ? 'u00' : USERS[1 + ((i * 7) % 19)]!;
    // Mostly the owner wrote; some also another user (a shared sender ID; u00 now and then).
    const other = i % 97 === 0 ? 'u00' : USERS[1 + ((i * 3) % 19)]!;
    const outgoingBy =
      i % 10 === 0 ? [] : i % 5 === 0 || i % 97 === 0 ? [...new Set([ownerId, other])] : [ownerId];
    const at = 1_700_000_000_000 + i * 1000 + (i % 3) * 7;
    const conversation = {
      id,
      senderId,
      customer: customerOf(i),
      ownerId,
      hasIncoming: i % 10 !== 0,
      unread: i % 3 === 0,
      outgoingBy,
      lastActivityAt: at,
    };
    conversations.push({
      id,
      sender_id: senderId,
      customer: conversation.customer,
      owner_id: ownerId,
      has_incoming: conversation.hasIncoming,
      unread: conversation.unread,
      outgoing_by: outgoingBy,
      last_activity_at: at,
      data: JSON.stringify({ ...conversation, preview: 'x'.repeat(200) }),
    });
    const count = i === 0 ? 1200 : 4;
    for (let m = 0; m < count; m++) {
      const mid = `${id}m${String(m).padStart(4, '0')}`;
      const createdAt = at - (count - m) * 10;
      const message = { id: mid, conversationId: id, createdAt, body: 'y'.repeat(120) };
      messages.push({
        id: mid,
        conversation_id: id,
        created_at: createdAt,
        waiting: m === 1 && i % 500 === 0 ? 'queued' : null,
        data: JSON.stringify(message),
      });
    }
  }
  for (let from = 0; from < conversations.length; from += 2000) {
    await writeBatch(
      db,
      { conversations: conversations.slice(from, from + 2000), messages: [], events: [], now: 0 },
      EVENTS_CHANNEL,
    );
  }
  for (let from = 0; from < messages.length; from += 5000) {
    await writeBatch(
      db,
      { conversations: [], messages: messages.slice(from, from + 5000), events: [], now: 0 },
      EVENTS_CHANNEL,
    );
  }
  const contacts = Array.from({ length: CONVERSATIONS }, (_, i) => {
    const phone = customerOf(i);
    const name = `person${i} family${i % 97}`;
    return { id: `k${i}`, phone, folded: name, digits: phone.slice(1), data: JSON.stringify({}) };
  });
  for (let from = 0; from < contacts.length; from += 3000) {
    await db
      .insertInto('desk_contacts')
      .values(contacts.slice(from, from + 3000))
      .execute();
  }
  // As autovacuum would after such a load: statistics, and the visibility map.
  await db.executeQuery(CompiledQuery.raw('vacuum analyze'));
}

function loggedKysely(dialect: Dialect, queries: CompiledQuery[]): Kysely<Tables> {
  return new Kysely<Tables>({
    dialect,
    log(event) {
      if (event.level === 'query') queries.push(event.query);
    },
  });
}

const backends: Array<[string, () => Promise<Setup>]> = [];
let postgres: Postgres | undefined;
backends.push([
  'PGlite',
  async () => {
    const database = await openPglite();
    const queries: CompiledQuery[] = [];
    // Not destroyed: closing it would close the PGlite instance the database closes.
    const logged = loggedKysely(new PGliteDialect(database.lite!), queries);
    return { database, logged, queries, close: () => database.close() };
  },
]);
backends.push([
  'PostgreSQL',
  async () => {
    postgres ??= await startPostgres();
    const url = await postgres.createDatabase();
    const database = await openDatabase({ url });
    const queries: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const logged = loggedKysely(new PostgresDialect({ pool }), queries);
    return {
      database,
      logged,
      queries,
      close: async () => {
        await logged.destroy();
        await database.close();
      },
    };
  },
]);
afterAll(() => postgres?.stop());

describe.each(backends)('query plans on %s', (_name, open) => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await open();
    await seed(setup.database.db);
  });
  afterAll(() => setup?.close());

  /** Runs `read` through the logged store; answers each statement it issued, explained. */
  async function plans(read: (store: ReturnType<typeof postgresStore>) => Promise<unknown>) {
    setup.queries.length = 0;
    await read(postgresStore(setup.logged));
    const explained: Array<{ sql: string; plan: PlanNode }> = [];
    for (const query of [...setup.queries]) {
      const { rows } = await setup.logged.executeQuery<{ 'QUERY PLAN': unknown }>(
        CompiledQuery.raw(`explain (analyze, format json) ${query.sql}`, [...query.parameters]),
      );
      const json = rows[0]!['QUERY PLAN'];
      const [top] = (typeof json === 'string' ? JSON.parse(json) : json) as Array<{
        Plan: PlanNode;
      }>;
      explained.push({ sql: query.sql, plan: top!.Plan });
    }
    setup.queries.length = 0;
    expect(explained.length).toBeGreaterThan(0);
    return explained;
  }

  async function expectIndexed(
    kind: 'page' | 'search' | 'count',
    read: (store: ReturnType<typeof postgresStore>) => Promise<unknown>,
    bound = BOUND,
  ) {
    for (const { sql, plan } of await plans(read)) {
      const found = faults(plan, kind, bound);
      if (process.env.DESK_PLANS) console.log(`${sql}\n${shape(plan)}\n`);
      // On failure, the plan's shape is in the message.
      expect({ sql, faults: found, plan: found.length ? shape(plan) : '' }).toEqual({
        sql,
        faults: [],
        plan: '',
      });
    }
  }

  const filters: Array<[string, ConversationFilter]> = [
    ['all (an admin without a view)', { kind: 'all' }],
    ['involving (a standard user without a view)', { kind: 'involving', userId: 'u00' }],
    ['V1 My Inbox / V3 a team member', { kind: 'inbox', userId: 'u00' }],
    ['V2 sender ID (admin)', { kind: 'sender', senderId: 's0' }],
    ['V2 sender ID (standard user)', { kind: 'sender', senderId: 's0', userId: 'u00' }],
    ['V4 Sent', { kind: 'sent', userId: 'u00' }],
  ];

  it.each(filters)('%s: first and a deep next page through an index', async (_view, filter) => {
    // The view's DEEP-th row: its next page must start there, neither walking the rows before
    // it nor reading the rest of the view (each side holds more than BOUND rows).
    const store = postgresStore(setup.database.db);
    const before = await store.listConversations({ filter, limit: DEEP });
    expect(before).toHaveLength(DEEP);
    const last = before.at(-1)!;
    const after = { at: last.lastActivityAt, id: last.id };
    await expectIndexed('page', (s) => s.listConversations({ filter, limit: 51 }));
    await expectIndexed('page', (s) => s.listConversations({ filter, after, limit: 51 }));
  });

  it.each(filters.filter(([, f]) => f.kind === 'inbox' || f.kind === 'sent'))(
    '%s: V6 search by digits and by name through the trigram indexes',
    async (_view, filter) => {
      for (const match of [
        { text: '', digits: '50001' },
        { text: 'person123', digits: '' },
      ]) {
        await expectIndexed('search', (s) => s.listConversations({ filter, limit: 51, match }));
      }
    },
  );

  it('view counts: each view through its index', async () => {
    const views: ConversationFilter[] = [
      { kind: 'inbox', userId: 'u00' },
      { kind: 'sender', senderId: 's0' },
      { kind: 'sender', senderId: 's0', userId: 'u00' },
      { kind: 'sent', userId: 'u00' },
    ];
    const counts = await postgresStore(setup.database.db).countConversations(views);
    for (const count of counts) expect(count.total).toBeGreaterThanOrEqual(2 * DEEP);
    const rows = counts.reduce((sum, count) => sum + count.total, 0);
    await expectIndexed('count', (s) => s.countConversations(views), 2 * rows);
  });

  it("a thread's first and a deep older page, its last message, SN6's queue", async () => {
    const store = postgresStore(setup.database.db);
    const thread = await store.listMessages({ conversationId: 'c00000', limit: DEEP });
    const before = { at: thread[0]!.createdAt, id: thread[0]!.id };
    await expectIndexed('page', (s) => s.listMessages({ conversationId: 'c00000', limit: 51 }));
    await expectIndexed('page', (s) =>
      s.listMessages({ conversationId: 'c00000', before, limit: 51 }),
    );
    await expectIndexed('page', (s) => s.lastMessage('c00000'));
    await expectIndexed('page', (s) => s.listQueuedMessages(50));
  });

  it('SN1 contact search through the trigram indexes', async () => {
    await expectIndexed('search', (s) =>
      s.searchContacts({ text: 'person123', digits: '', limit: 20 }),
    );
    await expectIndexed('search', (s) =>
      s.searchContacts({ text: 'person12', digits: '5000013', limit: 20 }),
    );
  });

  it("routing's read: a batch's conversations, thread ends and campaigns by their keys", async () => {
    const pairs = Array.from({ length: 50 }, (_, n) => {
      const i = (n * 241) % CONVERSATIONS;
      return { senderId: i < OLD ? 's0' : SENDERS[1 + (i % 5)]!, customer: customerOf(i) };
    });
    await expectIndexed('page', (s) => s.prefetch(pairs));
    await expectIndexed('page', (s) => s.findConversation('s1', customerOf(3001)));
  });

  it('V4 follows RT4 and A2: a writer who takes the conversation over, the owner who leaves it', async () => {
    const { db } = setup.database;
    const row = (ownerId: string, outgoingBy: string[], at: number) => ({
      id: 'cw',
      sender_id: 's9',
      customer: '+14155559999',
      owner_id: ownerId,
      has_incoming: true,
      unread: false,
      outgoing_by: outgoingBy,
      last_activity_at: at,
      data: JSON.stringify({ id: 'cw', lastActivityAt: at }),
    });
    const sent = async (userId: string) =>
      (await postgresStore(db).listConversations({ filter: { kind: 'sent', userId }, limit: 5 }))
        .map((c) => c.id)
        .filter((id) => id === 'cw');
    const write = (ownerId: string, outgoingBy: string[], at: number) =>
      writeBatch(
        db,
        { conversations: [row(ownerId, outgoingBy, at)], messages: [], events: [], now: 0 },
        EVENTS_CHANNEL,
      );
    await write('w1', ['w1'], 1_800_000_000_000);
    expect([await sent('w1'), await sent('w2')]).toEqual([['cw'], []]);
    await write('w2', ['w1', 'w2'], 1_800_000_000_001); // w2 replies: RT4, w2 owns it
    expect([await sent('w1'), await sent('w2')]).toEqual([['cw'], ['cw']]);
    await write('w3', ['w1', 'w2'], 1_800_000_000_002); // A2: assigned to w3, who never wrote
    expect([await sent('w1'), await sent('w2'), await sent('w3')]).toEqual([['cw'], ['cw'], []]);
    await write('w1', ['w1', 'w2'], 1_800_000_000_003); // back to w1
    expect([await sent('w1'), await sent('w2')]).toEqual([['cw'], ['cw']]);
    const counts = await postgresStore(db).countConversations([
      { kind: 'sent', userId: 'w1' },
      { kind: 'sent', userId: 'w2' },
      { kind: 'sent', userId: 'w3' },
    ]);
    expect(counts.map((c) => c.total)).toEqual([1, 1, 0]);
  });
});
