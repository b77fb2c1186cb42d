/**
 * Issue 11: the client at account scale. Live delivery (one event per task, as a stream delivers)
 * and bursts, at 10k and 100k conversations, with an inbox-like subscriber that reads the first
 * page of My Inbox and its unread count after every notification.
 */
import { performance } from 'node:perf_hooks';
import type { BackendAdapter, ServerEvent } from '../src/adapter.js';
import { createDeskClient } from '../src/index.js';
import type { Contact, Conversation, Message, SenderId, User } from '../src/types.js';

const admin: User = { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true };
const senders: SenderId[] = [
  {
    id: 's1',
    channel: 'sms',
    address: '+14155550001',
    label: 'SMS',
    access: { type: 'shared', userIds: [] },
  },
];

const phoneOf = (i: number) => `+1415${String(2000000 + i).padStart(7, '0')}`;

export function scaleConversation(i: number, at: number): Conversation {
  return {
    id: `c${i}`,
    senderId: 's1',
    channel: 'sms',
    customer: phoneOf(i),
    ownerId: 'admin',
    unread: i % 3 === 0,
    hasIncoming: true,
    lastActivityAt: at,
    outgoingBy: [],
    createdAt: at,
    revision: 1,
  };
}

export function adapterOver(
  conversations: Conversation[],
  pageSize = Infinity,
  contacts: Contact[] = [],
) {
  let push: (event: ServerEvent) => void = () => undefined;
  const refuse = async (): Promise<never> => {
    throw new Error('not in bench');
  };
  const adapter: BackendAdapter = {
    session: async () => ({ user: admin, settings: { defaultAdminId: 'admin' } }),
    listUsers: async () => [admin],
    listSenderIds: async () => senders,
    listTemplates: async () => [],
    listContacts: async (query) => {
      const from = Number(query?.cursor ?? 0);
      const to = Math.min(contacts.length, from + pageSize);
      return {
        items: contacts.slice(from, to),
        nextCursor: to < contacts.length ? String(to) : null,
      };
    },
    searchContacts: async () => [],
    getRecipient: async (phone) => ({ phone, whatsappConsent: true, optedOut: [] }),
    // Cursor = offset: an index walk in a real backend, so the client's own cost shows.
    // Every conversation is the admin's (V1): a view's page is a page of the list.
    listConversations: async (query) => {
      const from = Number(query?.cursor ?? 0);
      const to = Math.min(
        conversations.length,
        from + Math.min(pageSize, query?.limit ?? pageSize),
      );
      return {
        items: conversations.slice(from, to),
        nextCursor: to < conversations.length ? String(to) : null,
      };
    },
    listMessages: async () => ({ items: [], nextCursor: null }),
    send: refuse,
    retry: refuse,
    markRead: async () => [],
    assign: async () => [],
    createContact: refuse,
    updateContact: refuse,
    subscribe: (listener) => {
      push = listener;
      return () => undefined;
    },
  };
  return { adapter, push: (e: ServerEvent) => push(e) };
}

export function incoming(n: number, conversationCount: number): ServerEvent {
  const i = (n * 7919) % conversationCount; // spread over the account, not only the top rows
  const at = 10_000_000 + n;
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
  const conversation: Conversation = {
    ...scaleConversation(i, at),
    unread: true,
    revision: 2 + n,
    lastIncomingAt: at,
    lastMessage: {
      messageId: message.id,
      direction: 'in',
      text: message.text,
      at,
      status: 'delivered',
      hasMedia: false,
    },
  };
  return { type: 'message.created', message, conversation };
}

/** One macrotask, as a socket or EventSource delivers one event (MessageChannel, no timer clamp). */
export let channel = new MessageChannel();
let wake: (() => void) | null = null;
export function openChannel(): void {
  channel = new MessageChannel();
  channel.port1.onmessage = () => wake?.();
}
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    wake = resolve;
    channel.port2.postMessage(null);
  });
}

export interface IngestFigures {
  conversations: number;
  liveUsPerEvent: number;
  burstUsPerEvent: number;
  /** The same loop with a consumer that does nothing: the event loop's own cost per task. */
  floorUsPerEvent: number;
  /** CPU time of the live run: steadier than wall time on a shared machine. */
  liveCpuUsPerEvent: number;
  /** Live, with no subscriber reading a view: the store update alone. */
  storeUsPerEvent: number;
}

export async function clientIngest(
  conversationCount: number,
  liveEvents: number,
  burstEvents: number,
): Promise<IngestFigures> {
  const conversations = Array.from({ length: conversationCount }, (_, i) =>
    scaleConversation(i, i),
  );
  const { adapter, push } = adapterOver(conversations);
  openChannel();
  const client = createDeskClient({ adapter });
  await client.connect();
  const mine = { kind: 'mine' } as const;
  const gc = (globalThis as { gc?: () => void }).gc;
  let n = 0;
  const prepared = (count: number) =>
    Array.from({ length: count }, () => incoming(n++, conversationCount));
  let events = prepared(liveEvents);
  gc?.();
  let start = performance.now();
  for (const event of events) {
    push(event);
    await nextTask();
  }
  await client.idle();
  const store = performance.now() - start;
  let painted = 0;
  // What <cd-inbox> does on each notification: its unread badge and its first screen of rows.
  client.subscribe(() => {
    const view = client.view(mine);
    painted += view.unread + view.slice(0, 50).length;
  });
  client.view(mine);
  events = prepared(liveEvents);
  gc?.();
  start = performance.now();
  const cpu = process.cpuUsage();
  for (const event of events) {
    push(event);
    await nextTask();
  }
  await client.idle();
  const used = process.cpuUsage(cpu);
  const live = performance.now() - start;
  events = prepared(burstEvents);
  gc?.();
  start = performance.now();
  for (let k = 0; k < burstEvents; k += 100) {
    for (let j = k; j < k + 100; j++) push(events[j]!);
    await nextTask();
  }
  await client.idle();
  const burst = performance.now() - start;
  start = performance.now();
  for (let k = 0; k < liveEvents; k++) await nextTask();
  const floor = performance.now() - start;
  if (painted === 0 || client.view(mine).rows[0]!.conversation.revision !== n + 1)
    throw new Error('the client did not apply the events');
  client.disconnect();
  channel.port1.close();
  return {
    conversations: conversationCount,
    liveUsPerEvent: (live / liveEvents) * 1000,
    burstUsPerEvent: (burst / burstEvents) * 1000,
    floorUsPerEvent: (floor / liveEvents) * 1000,
    storeUsPerEvent: (store / liveEvents) * 1000,
    liveCpuUsPerEvent: (used.user + used.system) / liveEvents,
  };
}

/**
 * Connect (conversations in pages of 500, as adapters page) and the first screen of My Inbox; then
 * every page of the view as a reader scrolling to its end loads them (`loadMore`).
 */
export async function connectFirstView(
  conversationCount: number,
): Promise<{ firstMs: number; allMs: number }> {
  const conversations = Array.from({ length: conversationCount }, (_, i) =>
    scaleConversation(conversationCount - i, conversationCount - i),
  );
  const { adapter } = adapterOver(conversations, 500);
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const client = createDeskClient({ adapter });
  await client.connect();
  const first = client.view({ kind: 'mine' }).slice(0, 50);
  const firstMs = performance.now() - start;
  while (await client.loadMore({ kind: 'mine' }));
  const allMs = performance.now() - start;
  if (first.length !== 50 || client.view({ kind: 'mine' }).count !== conversationCount)
    throw new Error('no first page, or pages lost');
  client.disconnect();
  return { firstMs, allMs };
}

/** One open thread receiving `count` messages in bursts of 100 per task: should be linear. */
export async function threadAppend(count: number): Promise<number> {
  const conversations = [scaleConversation(0, 0)];
  const { adapter, push } = adapterOver(conversations);
  openChannel();
  const client = createDeskClient({ adapter });
  await client.connect();
  await client.open('c0');
  const events = Array.from({ length: count }, (_, n) => {
    const event = incoming(n, 1);
    return event;
  });
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  for (let k = 0; k < count; k += 100) {
    for (let j = k; j < Math.min(count, k + 100); j++) push(events[j]!);
    await nextTask();
  }
  await client.idle();
  const ms = performance.now() - start;
  if (client.getState().threads.get('c0')!.items.length !== count) throw new Error('lost messages');
  client.disconnect();
  channel.port1.close();
  return ms;
}

/**
 * V6 search over `conversationCount` conversations, every number a contact: the first query after
 * connect and the background load (cold), then another (warm), by name and by digits.
 */
export async function searchAtScale(
  conversationCount: number,
): Promise<{ coldMs: number; warmMs: number; digitsMs: number; allMs: number }> {
  const conversations = Array.from({ length: conversationCount }, (_, i) =>
    scaleConversation(i, i),
  );
  const contacts: Contact[] = conversations.map((c, i) => ({
    id: `k${i}`,
    phone: c.customer,
    firstName: `Ana${i}`,
    lastName: 'Pérez',
    createdAt: 0,
    updatedAt: 0,
  }));
  const { adapter } = adapterOver(conversations, 500, contacts);
  const client = createDeskClient({ adapter });
  await client.connect();
  const mine = { kind: 'mine' } as const;
  client.view(mine); // the inbox shows its first rows before anyone types a search
  // The whole view loaded (a reader scrolled to its end): the client answers alone.
  while (await client.loadMore(mine));
  await client.idle();
  (globalThis as { gc?: () => void }).gc?.();
  const time = (query: string, expected: number) => {
    const start = performance.now();
    const found = client.search(mine, query);
    const ms = performance.now() - start;
    if (found.length !== expected) throw new Error(`search "${query}": ${found.length} rows`);
    return ms;
  };
  const coldMs = time('ana4242 perez', 1);
  const warmMs = time('ana777', contacts.filter((c) => c.firstName.includes('Ana777')).length);
  const digitsMs = time('415 200 4242', 1);
  // Every row matches: the pass over the whole view.
  const allMs = time('perez', conversationCount);
  client.disconnect();
  return { coldMs, warmMs, digitsMs, allMs };
}
