/**
 * Reload benchmark page (issue 11), driven by bench/reload.js; reports to window.benchResult.
 * `?seed=1&db=…&conversations=N&messages=M`: writes an account into IndexedDB in large
 * transactions (the account through the engine, then conversations, contacts and messages as
 * records). `?db=…`: a fresh page load, timed from `EmbeddedBackend.open` to the first rows of
 * Alice's My Inbox (client connect, then the view's first page), then to the whole account
 * loaded, then to her newest thread's first page.
 */
import { openDB } from 'idb';
import { createDeskClient } from '../src/index.js';
import { EmbeddedBackend } from '../src/embedded/index.js';
import { toStored } from '../src/embedded/idb-schema.js';
import { putConversations, VIEWS_STORE } from '../src/embedded/idb-view-counts.js';
import type { Contact, Conversation, Message } from '../src/types.js';

const params = new URL(location.href).searchParams;
const DB = params.get('db')!;
const T0 = 1_700_000_000_000;
const USERS = ['alice', 'bob', 'carol', 'dan'];
const SENDERS = [
  { id: 'sms', channel: 'sms' as const, address: '+14155550001', label: 'Team SMS' },
  { id: 'wa', channel: 'whatsapp' as const, address: '+14155550002', label: 'Team WhatsApp' },
];
const report = (result: unknown) =>
  ((window as unknown as { benchResult: unknown }).benchResult = result);

async function seed(conversations: number, messages: number) {
  const start = performance.now();
  const existing = await openDB(DB);
  const stored = existing.objectStoreNames.contains('conversations')
    ? await existing.count('conversations')
    : 0;
  existing.close();
  if (stored === conversations) return report({ seedMs: 0 }); // seeded by an earlier run
  if (stored) throw new Error(`${DB} holds another account`);
  const backend = await EmbeddedBackend.open({ databaseName: DB });
  await backend.seed({
    users: [
      { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true },
      ...USERS.map((id) => ({ id, name: id, role: 'standard' as const, portalLicense: true })),
    ],
    senders: SENDERS.map((s) => ({
      ...s,
      access: { type: 'shared' as const, userIds: USERS },
    })),
    settings: { defaultAdminId: 'admin' },
    contacts: [],
    templates: [],
  });
  await backend.close();
  const db = await openDB(DB);
  const perThread = Math.max(1, Math.floor(messages / conversations));
  const BATCH = 2000;
  for (let from = 0; from < conversations; from += BATCH) {
    const tx = db.transaction(
      ['conversations', 'contacts', 'messages', 'ends', VIEWS_STORE],
      'readwrite',
    );
    const records = new Map<string, unknown>();
    for (let i = from; i < Math.min(conversations, from + BATCH); i++) {
      const id = `c${i}`;
      const sender = SENDERS[i % 2]!;
      const customer = `+1415${String(2_000_000 + i).padStart(7, '0')}`;
      const ownerId = USERS[i % USERS.length]!;
      const last = T0 + i * 60_000; // conversation i's newest message
      let end: Message | undefined;
      for (let k = 0; k < perThread; k++) {
        const at = last - (perThread - 1 - k) * 1000;
        const incoming = k % 3 !== 2;
        end = {
          id: `${id}m${k}`,
          conversationId: id,
          direction: incoming ? 'in' : 'out',
          text: `Message ${k} of conversation ${i}, a few words long`,
          media: [],
          ...(!incoming && { sentBy: ownerId }),
          // Outgoing: final statuses (see README: a delivered SMS still counts as in flight).
          status: incoming ? 'delivered' : sender.channel === 'whatsapp' ? 'read' : 'failed',
          statusTimes: incoming ? { delivered: at } : { queued: at, sent: at + 400 },
          ...(!incoming && sender.channel === 'sms' && { failureReason: 'Carrier rejected' }),
          attempt: 1,
          createdAt: at,
        };
        void tx.objectStore('messages').put(end, end.id);
      }
      const conversation: Conversation = {
        id,
        senderId: sender.id,
        channel: sender.channel,
        customer,
        ownerId,
        unread: i % 3 === 0,
        hasIncoming: true,
        lastActivityAt: last,
        lastIncomingAt: last,
        lastMessage: {
          messageId: end!.id,
          direction: end!.direction,
          text: end!.text,
          at: last,
          status: end!.status,
          hasMedia: false,
        },
        outgoingBy: [ownerId],
        routing: {
          rule: 'RT2',
          ownerId,
          reason: 'Shared sender ID: the agent who wrote last keeps the conversation.',
          facts: { senderAccess: 'shared', created: false, lastOutgoingBy: ownerId },
          at: last,
        },
        createdAt: T0,
        revision: perThread,
      };
      const contact: Contact = {
        id: `k${String(i).padStart(7, '0')}`,
        phone: customer,
        firstName: `Name${i}`,
        lastName: 'Example',
        createdAt: T0,
        updatedAt: T0,
      };
      records.set(id, toStored(conversation));
      void tx.objectStore('contacts').put(contact, contact.id);
      void tx.objectStore('ends').put({ at: end!.createdAt, id: end!.id }, id);
    }
    // As the backend writes them: with the views' counters (issue 11).
    await Promise.all([putConversations(tx, records), tx.done]);
  }
  db.close();
  report({ seedMs: performance.now() - start });
}

async function measure() {
  const start = performance.now();
  const backend = await EmbeddedBackend.open({ databaseName: DB });
  const openMs = performance.now() - start;
  let loadedMs = 0;
  const loaded = backend.loaded.then(() => (loadedMs = performance.now() - start));
  // Each adapter call's time from the start, to say where the first rows' time goes.
  const calls: string[] = [];
  /** Each `countViews` call's time (issue 11: the views' badges). */
  const countViews: number[] = [];
  const adapter = backend.connect('alice');
  const timed = new Proxy(adapter, {
    get(target, name: keyof typeof adapter) {
      const value = target[name];
      if (typeof value !== 'function' || name === 'subscribe') return value;
      return (...args: unknown[]) => {
        const began = performance.now() - start;
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        void Promise.resolve(result).then(() => {
          const ended = performance.now() - start;
          if (name === 'countViews') countViews.push(ended - began);
          if (calls.length < 12 || name === 'countViews')
            calls.push(`${name} ${began.toFixed(0)}–${ended.toFixed(0)}`);
        });
        return result;
      };
    },
  });
  const client = createDeskClient({ adapter: timed });
  await client.connect();
  const rows = client.view({ kind: 'mine' }).slice(0, 20);
  const firstRowsMs = performance.now() - start;
  // The newest thread's first page, read from IndexedDB.
  const threadStart = performance.now();
  const thread = await backend.connect('alice').listMessages(rows[0]!.conversation.id);
  const threadMs = performance.now() - threadStart;
  await loaded;
  client.disconnect();
  await backend.close();
  report({
    openMs,
    firstRowsMs,
    loadedMs,
    threadMs,
    rows: rows.length,
    firstRow: rows[0]!.conversation.id,
    threadMessages: thread.items.length,
    calls,
    countViewsMs: countViews[0] ?? NaN,
  });
}

if (params.get('seed'))
  await seed(Number(params.get('conversations')), Number(params.get('messages')));
else await measure();
