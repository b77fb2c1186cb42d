/**
 * Browser benchmark page: <cd-inbox> over `count` conversations (10k by default); reports to
 * window.benchResult. With `paint=1`, then delivers incoming messages one at a time and times each
 * from its arrival to the frame that shows its row on top (20 delivered in frame callbacks, then
 * 40 in tasks of their own, timed to the end of the frame that paints them, each followed by a
 * plain text change timed the same way: the floor). `hold=1` waits for
 * `window.benchGo()` before the inbox (`window.benchScroll()` after the first rows and
 * `window.benchPaint()` before the messages), so a profiler can attach;
 * `performance.mark`s name the phases.
 */
import type { BackendAdapter, ConversationQuery, PageQuery, ServerEvent } from '../src/adapter.js';
import { createDeskClient, type ViewKey } from '../src/index.js';
import { matchesSearch, parseSearch } from '../src/rules/views.js';
import type { Contact, Conversation, User } from '../src/types.js';
import '../components/provider/provider.js';
import '../components/inbox/inbox.js';

const params = new URL(location.href).searchParams;
const COUNT = Number(params.get('count') ?? 10_000);
let push: (event: ServerEvent) => void = () => undefined;
const admin: User = { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true };
const conversations: Conversation[] = [];
const contacts: Contact[] = [];
for (let i = 0; i < COUNT; i++) {
  const customer = `+1415${String(2000000 + i).padStart(7, '0')}`;
  conversations.push({
    id: `c${i}`,
    senderId: i % 2 ? 's1' : 's2',
    channel: i % 2 ? 'sms' : 'whatsapp',
    customer,
    ownerId: 'admin',
    unread: i % 3 === 0,
    hasIncoming: true,
    lastActivityAt: 1_700_000_000_000 + i * 1000,
    lastMessage: {
      messageId: `m${i}`,
      direction: 'in',
      text: `Message number ${i}`,
      at: 1_700_000_000_000 + i * 1000,
      status: 'delivered',
      hasMedia: false,
    },
    outgoingBy: [],
    createdAt: 0,
    revision: 1,
  });
  contacts.push({
    id: `k${i}`,
    phone: customer,
    firstName: `Name${i}`,
    lastName: 'Example',
    createdAt: 0,
    updatedAt: 0,
  });
}
const contactOf = new Map(contacts.map((k) => [k.phone, `${k.firstName} ${k.lastName}`]));
/**
 * Issue 11: the adapter answers as a backend does: each list sorted once (conversations newest
 * first, V5, as an index keeps them), a cursor naming a position in it, and pages of the size the
 * client asks (500 when it does not say, the reference server's default). The client loads the
 * first page on connect and the next ones as the inbox scrolls.
 */
const PAGE = 500;
const newestFirst = [...conversations].sort(
  (a, b) => b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : 1),
);
const page = <T>(items: readonly T[], query?: PageQuery) => {
  const from = query?.cursor ? Number(query.cursor) : 0;
  const to = Math.min(items.length, from + (query?.limit ?? PAGE));
  return { items: items.slice(from, to), nextCursor: to < items.length ? String(to) : null };
};
const unreadCount = conversations.filter((c) => c.unread).length;
/** Every conversation is the admin's, with an incoming message: My Inbox (V1) lists them all. */
const rowsOf = (view: ViewKey | undefined) => (view?.kind === 'sent' ? [] : newestFirst);
const adapter = {
  session: async () => ({ user: admin, settings: { defaultAdminId: 'admin' } }),
  listUsers: async () => [admin],
  listSenderIds: async () => [],
  listTemplates: async () => [],
  listContacts: async (query?: PageQuery) => page(contacts, query),
  listConversations: async (query?: ConversationQuery) => {
    const rows = rowsOf(query?.view);
    const search = query?.search && parseSearch(query.search);
    if (!search) return page(rows, query);
    const name = (c: Conversation) => contactOf.get(c.customer) ?? '';
    return page(
      rows.filter((c) => matchesSearch(search, c.customer, name(c))),
      query,
    );
  },
  // The views' sizes, as a backend keeps them (V1-V4, RD1).
  countViews: async (views: ViewKey[]) =>
    views.map((view) =>
      rowsOf(view) === newestFirst
        ? { total: COUNT, unread: unreadCount }
        : { total: 0, unread: 0 },
    ),
  // Rows ask each number's policy once (SN5): answered, as a backend would.
  getRecipient: async (phone: string) => ({ phone, whatsappConsent: true, optedOut: [] }),
  subscribe: (listener: (event: ServerEvent) => void) => {
    push = listener;
    return () => undefined;
  },
} as unknown as BackendAdapter;

const client = createDeskClient({ adapter });
const connectStart = performance.now();
await client.connect();
// The SDK's first read of the view (issue 11's "connect + first view", the client's part), timed
// apart from the element: the inbox's own figure starts with the view already read, as in a desk
// whose navigation reads each view's count on connect.
client.view({ kind: 'mine' });
const connectMs = performance.now() - connectStart;
const provider = document.createElement('cd-desk-provider');
provider.client = client;
document.body.append(provider);

// The page is idle once before the inbox comes, as a page is while the client connects over the
// network (the row's date formatters are made then, off the first rows).
await new Promise((idle) => requestIdleCallback(idle, { timeout: 500 }));
// `hold=1`: wait for window.benchGo() (a profiler attaches first).
if (params.get('hold')) {
  await new Promise((go) => ((window as unknown as { benchGo: unknown }).benchGo = go));
}
// `profile=1`: a sampling profile of the first rows (bench/trace-paint.js reads it).
const profile = !!params.get('profile');
if (profile) console.profile('first-rows');
performance.mark('inbox-append');
const start = performance.now();
const inbox = document.createElement('cd-inbox');
provider.append(inbox);
const rows = () => inbox.shadowRoot?.querySelectorAll('[role="option"]').length ?? 0;
await new Promise<void>((resolve) => {
  const poll = () => (rows() > 0 ? resolve() : requestAnimationFrame(poll));
  poll();
});
const firstRowsMs = performance.now() - start;
performance.mark('inbox-first-rows');
if (profile) console.profileEnd('first-rows');
// `hold=1`: wait for window.benchScroll() (a profiler stops first).
if (params.get('hold')) {
  await new Promise((go) => ((window as unknown as { benchScroll: unknown }).benchScroll = go));
}
// Scroll through the list and count row elements at the end.
const list = inbox.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
let maxRows = rows();
for (let i = 0; i < 20; i++) {
  list.scrollTop += 2000;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  maxRows = Math.max(maxRows, rows());
}
const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
const task = () =>
  new Promise<void>((r) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => r();
    channel.port2.postMessage(0);
  });
/** Delivers the n-th incoming message (to a conversation halfway down the list). */
function deliver(n: number): void {
  const i = Math.floor(COUNT / 2) + n * 7;
  const at = 1_800_000_000_000 + n * 1000;
  const conversation = conversations[i]!;
  const next = {
    ...conversation,
    unread: true,
    revision: conversation.revision + 1 + n,
    lastActivityAt: at,
    lastIncomingAt: at,
    lastMessage: {
      messageId: `p${n}`,
      direction: 'in' as const,
      text: `Paint ${n}`,
      at,
      status: 'delivered' as const,
      hasMedia: false,
    },
  };
  const { ownerId, hasIncoming, unread, outgoingBy } = conversation;
  push({
    type: 'message.created',
    conversation: next,
    // What the views held of it, as the reference server says (the counts move without a recount).
    previous: { ownerId, hasIncoming, unread, outgoingBy },
    message: {
      id: `p${n}`,
      conversationId: next.id,
      direction: 'in',
      text: `Paint ${n}`,
      media: [],
      status: 'delivered',
      statusTimes: { delivered: at },
      attempt: 1,
      createdAt: at,
    },
  });
}
/** Whether the DOM (read in a frame's callbacks, before its style, layout and paint) shows it. */
const shown = (n: number) =>
  inbox.shadowRoot!.querySelector('[role="option"]')?.textContent?.includes(`Paint ${n}`);
/**
 * From an incoming message delivered in an animation frame callback to the next frame whose DOM
 * shows its conversation as the first row: never less than one frame interval (16.7 ms at 60 Hz).
 */
async function paintOne(n: number): Promise<number> {
  const start = performance.now();
  deliver(n);
  for (;;) {
    await frame();
    if (shown(n)) return performance.now() - start;
  }
}
/** One message (or text change) timed from its arrival to the frame that paints it. */
interface Timed {
  /** Arrival to the end of that frame's main-thread work (the figure). */
  total: number;
  /** Arrival to the frame's animation callbacks: the wait for the frame, and any work first. */
  wait: number;
  /** The frame's own main-thread work after its callbacks: style, layout, paint, commit. */
  work: number;
  /** The frame began (its vsync time) within one frame interval of the arrival. */
  first: boolean;
}
/** The frame interval, measured (16.7 ms at 60 Hz). */
let interval = 1000 / 60;
/**
 * From `start` to the end of the first frame in which `shown()` holds: a task posted from the
 * frame's callbacks runs once its style, layout, paint and commit are done (raster and display
 * on the compositor come after and are not counted).
 */
async function untilPainted(start: number, shown: () => boolean): Promise<Timed> {
  let frameTime: number;
  let callbacks: number;
  do {
    frameTime = await frame();
    callbacks = performance.now();
  } while (!shown());
  await task();
  const end = performance.now();
  return {
    total: end - start,
    wait: callbacks - start,
    work: end - callbacks,
    first: frameTime - start <= interval + 0.25,
  };
}
/** A wait of 0-16 ms, so that arrivals fall at varying points of the frame. */
const offset = (n: number) => new Promise((r) => setTimeout(r, (n * 7) % 17));
/**
 * From an incoming message delivered in a task of its own (as a socket delivers it, at a point of
 * the frame that varies from message to message) to the end of the frame that paints its row.
 */
async function paintLive(n: number): Promise<Timed> {
  await offset(n);
  performance.mark('live-deliver');
  const start = performance.now();
  deliver(n);
  const timed = await untilPainted(start, () => !!shown(n));
  performance.mark('live-painted');
  return timed;
}
/**
 * The same figure for a text change in a plain element beside the inbox: the wait for the next
 * frame and a frame's least work, the floor of `paintLive`.
 */
async function paintFloor(n: number, plain: HTMLElement): Promise<Timed> {
  await offset(n);
  const start = performance.now();
  plain.textContent = `Floor ${n}`;
  return untilPainted(start, () => true);
}
const paintMs: number[] = [];
const live: Timed[] = [];
const floor: Timed[] = [];
if (params.get('paint')) {
  list.scrollTop = 0;
  await frame();
  await frame();
  if (params.get('hold')) {
    await new Promise((go) => ((window as unknown as { benchPaint: unknown }).benchPaint = go));
  }
  performance.mark('paint-start');
  for (let n = 0; n < 20; n++) paintMs.push(await paintOne(n));
  performance.mark('paint-end');
  const times: number[] = [];
  for (let i = 0; i < 31; i++) times.push(await frame());
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  interval = gaps.sort((a, b) => a - b)[gaps.length >> 1]!;
  // Interleaved, so that both see the same machine: a message, then a plain change.
  const plain = document.body.appendChild(document.createElement('p'));
  await untilPainted(performance.now(), () => true);
  for (let n = 20; n < 60; n++) {
    live.push(await paintLive(n));
    floor.push(await paintFloor(n, plain));
  }
}
(window as unknown as { benchResult: unknown }).benchResult = {
  count: COUNT,
  connectMs,
  firstRowsMs,
  maxRows,
  paintMs,
  interval,
  live,
  floor,
  liveMs: live.map((t) => t.total),
};
