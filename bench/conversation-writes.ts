/**
 * What a conversation's update costs PostgreSQL (issue 9): the batch write of routing's output
 * (a message and its conversation, whose `last_activity_at` moves, so no update is HOT and every
 * index of desk_conversations takes an entry), in group commits of 100, on an account of 20 000
 * conversations each written in by its owner. Prints the cluster's CPU per message.
 *
 *   node --import tsx bench/conversation-writes.ts [--conversations 20000] [--messages 20000]
 */
import { sql } from 'kysely';
import { openDatabase } from '../src/server/db.js';
import { EVENTS_CHANNEL } from '../src/server/event-log.js';
import { writeBatch } from '../src/server/pg-batch-sql.js';
import type { Tables } from '../src/server/schema.js';
import { startPostgres } from '../test/server/support.js';
import { clusterCpuMs } from './cpu.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONVERSATIONS = arg('conversations', 20_000);
const MESSAGES = arg('messages', 20_000);
const BATCH = 100;
const USERS = Array.from({ length: 20 }, (_, i) => `u${i}`);

const conversation = (i: number, at: number): Tables['desk_conversations'] => {
  const ownerId = USERS[i % USERS.length]!;
  const c = {
    id: `c${String(i).padStart(6, '0')}`,
    senderId: `s${i % 5}`,
    customer: `+1415${String(2_000_000 + i).padStart(7, '0')}`,
    ownerId,
    hasIncoming: true,
    unread: true,
    outgoingBy: [ownerId],
    lastActivityAt: at,
  };
  return {
    id: c.id,
    sender_id: c.senderId,
    customer: c.customer,
    owner_id: ownerId,
    has_incoming: true,
    unread: true,
    outgoing_by: c.outgoingBy,
    last_activity_at: at,
    data: JSON.stringify({ ...c, channel: 'sms', preview: 'x'.repeat(80) }),
  };
};

const postgres = await startPostgres();
try {
  const database = await openDatabase({ url: await postgres.createDatabase() });
  const { db } = database;
  const t0 = 1_700_000_000_000;
  for (let from = 0; from < CONVERSATIONS; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, CONVERSATIONS - from) }, (_, k) =>
      conversation(from + k, t0 + from + k),
    );
    await writeBatch(db, { conversations: rows, messages: [], events: [], now: 0 }, EVENTS_CHANNEL);
  }
  await sql`vacuum analyze`.execute(db);
  const before = clusterCpuMs(postgres.dataDir);
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * CONVERSATIONS;
  for (let n = 0; n < MESSAGES; n += BATCH) {
    const at = t0 + CONVERSATIONS + n;
    const picked = new Map<number, number>();
    for (let k = 0; k < BATCH; k++) picked.set(Math.floor(random()), at + k);
    const conversations = [...picked].map(([i, when]) => conversation(i, when));
    const messages = conversations.map((c, k) => ({
      id: `m${n + k}`,
      conversation_id: c.id,
      created_at: c.last_activity_at,
      waiting: null,
      data: JSON.stringify({ id: `m${n + k}`, conversationId: c.id, text: 'hello '.repeat(10) }),
    }));
    await db
      .transaction()
      .execute((tx) =>
        writeBatch(tx, { conversations, messages, events: [], now: 0 }, EVENTS_CHANNEL),
      );
  }
  const cpu = clusterCpuMs(postgres.dataDir) - before;
  console.log(
    `${MESSAGES} messages in ${CONVERSATIONS} conversations, batches of ${BATCH}: ` +
      `PostgreSQL CPU ms per message ${(cpu / MESSAGES).toFixed(3)}`,
  );
  await database.close();
} finally {
  postgres.stop();
}
