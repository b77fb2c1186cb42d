/**
 * `npm run bench`: ingest, routing and search figures. Benchmarks live here, never in timed tests.
 *
 * 1. The desk client ingests incoming-message events as an adapter delivers them (100k over 10k
 *    conversations, and 10k for the growth check).
 * 2. The embedded backend routes the same kind of load (RT1–RT5), reported beside it: over its
 *    memory repository, and over IndexedDB (fake-indexeddb in Node).
 * 3. V6 search over 100k conversations by name and by digits.
 */
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import type { BackendAdapter, ServerEvent } from '../src/adapter.js';
import { createDeskClient, type DeskClient } from '../src/index.js';
import type { Contact, Conversation, Message } from '../src/types.js';
import { admin, runRouting, senders } from './routing.js';
import { printCompare, runCompare } from './compare-stream-chat.js';
import { runScale } from './scale.js';

const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dev',
  'Emma',
  'Femi',
  'Gus',
  'Hana',
  'Ivan',
  'Jo',
  'Kai',
  'Lena',
  'Mo',
  'Nia',
  'Omar',
  'Pia',
  'Quinn',
  'Rosa',
  'Sam',
  'Tao',
];
const LAST = [
  'Smith',
  'García',
  'Nguyen',
  'Okafor',
  'Müller',
  'Rossi',
  'Kim',
  'Singh',
  'Brown',
  'Dubois',
  'Silva',
  'Cohen',
  'Haddad',
  'Ito',
  'Novak',
  'Park',
  'Reyes',
  'Shah',
  'Tan',
  'Weber',
];

const phoneOf = (i: number) => `+1415${String(2000000 + i).padStart(7, '0')}`;

function conversationOf(i: number, at: number): Conversation {
  return {
    id: `c${i}`,
    senderId: senders[i % 2]!.id,
    channel: senders[i % 2]!.channel,
    customer: phoneOf(i),
    ownerId: 'admin',
    unread: true,
    hasIncoming: true,
    lastActivityAt: at,
    outgoingBy: [],
    createdAt: at,
    revision: 1,
  };
}

/** An adapter that hands the client pre-built conversations and lets the bench push events. */
function benchAdapter(conversations: Conversation[], contacts: Contact[]) {
  let push: (event: ServerEvent) => void = () => undefined;
  const adapter: BackendAdapter = {
    session: async () => ({ user: admin, settings: { defaultAdminId: 'admin' } }),
    listUsers: async () => [admin],
    listSenderIds: async () => senders,
    listTemplates: async () => [],
    listContacts: async () => ({ items: contacts, nextCursor: null }),
    searchContacts: async () => [],
    getRecipient: async (phone) => ({ phone, whatsappConsent: true, optedOut: [] }),
    listConversations: async () => ({ items: conversations, nextCursor: null }),
    listMessages: async () => ({ items: [], nextCursor: null }),
    send: async () => {
      throw new Error('not in bench');
    },
    retry: async () => {
      throw new Error('not in bench');
    },
    markRead: async () => [],
    assign: async () => [],
    createContact: async () => {
      throw new Error('not in bench');
    },
    updateContact: async () => {
      throw new Error('not in bench');
    },
    subscribe: (listener) => {
      push = listener;
      return () => undefined;
    },
  };
  return { adapter, push: (e: ServerEvent) => push(e) };
}

function incomingEvents(count: number, conversationCount: number): ServerEvent[] {
  const events: ServerEvent[] = [];
  for (let n = 0; n < count; n++) {
    const i = n % conversationCount;
    const at = 1_000_000 + n;
    const message: Message = {
      id: `m${n}`,
      conversationId: `c${i}`,
      direction: 'in',
      text: `Message ${n}`,
      media: [],
      status: 'delivered',
      statusTimes: { delivered: at },
      attempt: 1,
      createdAt: at,
    };
    const conversation = {
      ...conversationOf(i, at),
      revision: 2 + Math.floor(n / conversationCount),
      lastIncomingAt: at,
      lastMessage: {
        messageId: message.id,
        direction: 'in' as const,
        text: message.text,
        at,
        status: 'delivered' as const,
        hasMedia: false,
      },
    };
    events.push({ type: 'message.created', message, conversation });
  }
  return events;
}

async function ingest(count: number, conversationCount: number): Promise<number> {
  const conversations = Array.from({ length: conversationCount }, (_, i) => conversationOf(i, i));
  const { adapter, push } = benchAdapter(conversations, []);
  const client = createDeskClient({ adapter });
  await client.connect();
  const events = incomingEvents(count, conversationCount);
  let incoming = 0;
  client.on('message.incoming', () => incoming++);
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  for (const event of events) push(event);
  await client.idle();
  const rows = client.view({ kind: 'mine' }).rows.length; // the view is derived once, after the burst
  const ms = performance.now() - start;
  if (incoming !== count || rows !== conversationCount)
    throw new Error(`ingest lost events: ${incoming}/${count}, ${rows} rows`);
  return ms;
}

async function searchBench(conversationCount: number) {
  const conversations = Array.from({ length: conversationCount }, (_, i) => conversationOf(i, i));
  const contacts: Contact[] = conversations.map((c, i) => ({
    id: `k${i}`,
    phone: c.customer,
    firstName: FIRST[i % FIRST.length]!,
    lastName: `${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i % 7 === 0 ? '' : ` ${i}`}`,
    createdAt: 0,
    updatedAt: 0,
  }));
  const { adapter } = benchAdapter(conversations, contacts);
  const client: DeskClient = createDeskClient({ adapter });
  await client.connect();
  const mine = { kind: 'mine' } as const;
  client.search(mine, 'warm up');
  client.search(mine, 'x');
  const queries = {
    name: ['garcia', 'chloé smi', 'okafor 1', 'müller', 'tao weber', 'novak 77', 'hana'],
    digits: ['4152001', '0099', '2012345', '14152099999', '555', '+1 415 203'],
  };
  const result: Record<string, { perQueryMs: number; hits: number }> = {};
  for (const [kind, list] of Object.entries(queries)) {
    const rounds = 30;
    let hits = 0;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) for (const q of list) hits += client.search(mine, q).length;
    result[kind] = {
      perQueryMs: (performance.now() - start) / (rounds * list.length),
      hits: hits / rounds,
    };
  }
  return result;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const best = async (runs: number, fn: () => Promise<number>) => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await fn());
  return min;
};

const scaleOk = await runScale();
printCompare(await runCompare()); // issue 11: beside stream-chat and the plain JavaScript limit
const small = await best(3, () => ingest(10_000, 10_000));
const large = await best(3, () => ingest(100_000, 10_000));
console.log(`client ingest: 10k events over 10k conversations  ${fmt(small)}`);
console.log(
  `client ingest: 100k events over 10k conversations ${fmt(large)}  (budget 1000 ms; growth ${(large / small).toFixed(1)}x for 10x events, budget 12x)`,
);
await runRouting();
const search = await searchBench(100_000);
for (const [kind, { perQueryMs, hits }] of Object.entries(search)) {
  console.log(
    `search over 100k conversations by ${kind}: ${perQueryMs.toFixed(2)} ms per query (avg ${Math.round(hits)} hits per round), budget 5 ms`,
  );
}
const failed =
  !scaleOk ||
  large > 1000 ||
  large / small > 12 ||
  Object.values(search).some((s) => s.perQueryMs > 5);
if (failed) {
  console.error('A budget was exceeded.');
  process.exitCode = 1;
}
