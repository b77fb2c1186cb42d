/**
 * `node --import tsx bench/search-backend.ts`: issue 11's search asked of a backend (V6 on
 * `listConversations({ view, search })`) over 100k conversations, every number a contact: the
 * engine on the memory repository (the embedded backend once loaded) and on PGlite (the server's
 * SQL, trigram indexes of migration 0007). Also a view's page after the first 500 rows.
 */
import { sql } from 'kysely';
import { createMemoryRepository } from '../src/engine/memory-repository.js';
import { postgresStore } from '../src/server/pg-store.js';
import { openDatabase } from '../src/server/db.js';
import type { ConversationPageQuery, DeskStore } from '../src/engine/repository.js';
import { parseSearch } from '../src/rules/views.js';
import type { Contact, Conversation } from '../src/types.js';

const N = Number(process.env.N ?? 100_000);
const phone = (i: number) => `+1415${String(2_000_000 + i).padStart(7, '0')}`;
const conversation = (i: number): Conversation => ({
  id: `c${String(i).padStart(7, '0')}`,
  senderId: 's1',
  channel: 'sms',
  customer: phone(i),
  ownerId: 'alice',
  unread: i % 3 === 0,
  hasIncoming: true,
  lastActivityAt: 1_700_000_000_000 + i * 1000,
  outgoingBy: [],
  createdAt: 0,
  revision: 1,
});
const contact = (i: number): Contact => ({
  id: `k${i}`,
  phone: phone(i),
  firstName: `Ana${i}`,
  lastName: 'Pérez',
  createdAt: 0,
  updatedAt: 0,
});

const inbox = { kind: 'inbox', userId: 'alice' } as const;
const queries: [string, ConversationPageQuery][] = [
  ['by name, one match', { filter: inbox, limit: 101, match: parseSearch('ana4242 perez')! }],
  ['by digits, one match', { filter: inbox, limit: 101, match: parseSearch('415 200 4242')! }],
  ['by name, every row (first 100)', { filter: inbox, limit: 101, match: parseSearch('perez')! }],
  [
    'a view page after 500 rows',
    { filter: inbox, limit: 101, after: { at: 1_700_000_000_000 + (N - 500) * 1000, id: '' } },
  ],
];

async function time(store: DeskStore, label: string) {
  for (const [what, query] of queries) {
    let best = Infinity;
    let found = 0;
    for (let k = 0; k < 5; k++) {
      const start = performance.now();
      found = (await store.listConversations(query)).length;
      best = Math.min(best, performance.now() - start);
    }
    console.log(`${label}: ${what}: ${best.toFixed(1)} ms (${found} rows, best of 5)`);
  }
}

const conversations = Array.from({ length: N }, (_, i) => conversation(i));
const contacts = Array.from({ length: N }, (_, i) => contact(i));
const memory = createMemoryRepository({
  initial: {
    users: [],
    senders: [],
    templates: [],
    contacts,
    recipients: [],
    conversations,
    messages: [],
  } as never,
});
await memory.transaction((store) => time(store, `memory repository, ${N / 1000}k conversations`));

const database = await openDatabase({ dataDir: 'memory://' });
const { db } = database;
await sql`insert into desk_contacts (id, phone, folded, digits, data)
  select 'k' || i, '+1415' || lpad((2000000 + i)::text, 7, '0'), 'ana' || i || ' perez',
    '1415' || lpad((2000000 + i)::text, 7, '0'),
    json_build_object('id', 'k' || i, 'phone', '+1415' || lpad((2000000 + i)::text, 7, '0'),
      'firstName', 'Ana' || i, 'lastName', 'Pérez')::text
  from generate_series(0, ${N - 1}) i`.execute(db);
await sql`insert into desk_conversations
  (id, sender_id, customer, owner_id, has_incoming, outgoing_by, last_activity_at, data)
  select 'c' || lpad(i::text, 7, '0'), 's1', '+1415' || lpad((2000000 + i)::text, 7, '0'), 'alice',
    true, '{}', 1700000000000 + i * 1000, '{"id":"c' || lpad(i::text, 7, '0') || '"}'
  from generate_series(0, ${N - 1}) i`.execute(db);
// V6's search key lives in a side table (migration 0010), written once per conversation.
await sql`insert into desk_conversation_numbers (customer, conversation_id)
  select customer, id from desk_conversations`.execute(db);
await sql`analyze`.execute(db);
await time(postgresStore(db), `PGlite (server SQL), ${N / 1000}k conversations`);
await database.close();
