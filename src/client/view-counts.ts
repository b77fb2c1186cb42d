/**
 * Issue 11: the true size and unread rows of each navigation view (V1–V4, RD1) while the view is
 * loaded only in part. `connect()` asks the backend (`countViews`) once for every view the user
 * may see (U2); each server event on a conversation then moves them by the conversation's version
 * before and after (the event's `previous`), so nothing more is loaded. Only server-confirmed
 * changes move them (an optimistic mark shows once its event comes). A view loaded whole is
 * counted from its rows instead (`viewCount`).
 *
 * The counts are exact as of their answer: an event queued before the request was sent is in
 * them already (not applied again); one that arrives while a request is in flight may or may not
 * be, so the backend is asked again. So is it when an event does not say what its conversation
 * was (`previous` absent: an older backend, an offline layer's copy) for one not loaded, and
 * after a reset.
 */
import type { ServerEvent, ViewCount } from '../adapter.js';
import { inView, senderInboxes, teamMembers, viewId, type ViewKey } from '../rules/views.js';
import { sameViews } from '../rules/same-views.js';
import type { SenderId, User } from '../types.js';
import { hasMore } from './paging.js';
import { stateOf, type Core, type ViewCounter } from './state.js';

/** Consecutive requests while events keep arriving during them; then the counts stand. */
const MAX_AGAIN = 3;

interface Counting {
  readonly keys: ViewKey[];
  readonly counts: Map<string, ViewCount>;
  /** Events in the counts already (queued before the request was sent). */
  included: WeakSet<ServerEvent>;
  /** Conversation events applied so far: one applied during a request makes it ambiguous. */
  applied: number;
  /** The request in flight (with the ones it asks again). */
  running: Promise<void> | null;
  again: boolean;
  tries: number;
}

const countings = new WeakMap<Core, Counting>();

/** The navigation's views (U2: only the user's): My Inbox, sender ID inboxes, Team Inbox, Sent. */
function navViews(me: User, senders: SenderId[], users: User[]): ViewKey[] {
  return [
    { kind: 'mine' },
    ...senderInboxes(me, senders).map((s) => ({ kind: 'sender', senderId: s.id }) as const),
    ...teamMembers(me, users).map((u) => ({ kind: 'team', userId: u.id }) as const),
    { kind: 'sent' },
  ];
}

/**
 * Called by `connect()` (this module is loaded apart): asks for the navigation's counts and
 * becomes the client's counter.
 */
export function startCounting(
  core: Core,
  me: User,
  senders: SenderId[],
  users: User[],
): Promise<void> {
  countings.delete(core);
  const counter: ViewCounter = {
    event: (event) => {
      if (
        event.type === 'message.created' ||
        event.type === 'conversation.updated' ||
        event.type === 'conversation.assigned'
      )
        countEvent(core, event);
    },
    recount: () => recount(core),
    count: (key) => viewCount(core, key),
    running: () => countings.get(core)?.running ?? null,
  };
  core.counter = counter;
  if (!core.adapter.countViews) return Promise.resolve();
  const keys = navViews(me, senders, users);
  const counting: Counting = {
    keys,
    counts: new Map(),
    included: new WeakSet(),
    applied: 0,
    running: null,
    again: false,
    tries: 0,
  };
  countings.set(core, counting);
  return ask(core, counting);
}

/** Asks the backend again (a reset, an event that does not say what its conversation was). */
function recount(core: Core): void {
  const counting = countings.get(core);
  if (!counting) return;
  if (counting.running) counting.again = true;
  else void ask(core, counting);
}

function ask(core: Core, counting: Counting): Promise<void> {
  const run = request(core, counting);
  counting.running = run;
  return run;
}

async function request(core: Core, counting: Counting): Promise<void> {
  counting.again = false;
  for (const event of core.queue) counting.included.add(event);
  const queued = core.queue.length;
  const applied = counting.applied;
  try {
    const answer = await core.adapter.countViews!(counting.keys);
    if (countings.get(core) !== counting) return; // connected again meanwhile
    counting.keys.forEach((key, i) => {
      const count = answer[i];
      if (count) counting.counts.set(viewId(key), { total: count.total, unread: count.unread });
    });
    // Events arrived while the request ran: the answer may or may not hold them.
    if (core.queue.length > queued || counting.applied !== applied) counting.again = true;
  } catch {
    // Without counts the views count their loaded rows; a later event may ask again.
    counting.counts.clear();
    counting.again = false;
  }
  if (stateOf(core).status === 'ready')
    core.store.setState((s) => ({ ...s, viewCounts: s.viewCounts + 1 }));
  if (counting.again && counting.tries++ < MAX_AGAIN) return request(core, counting);
  if (!counting.again) counting.tries = 0;
  counting.running = null;
}

/**
 * A conversation event, before the client applies it: moves the counts by the conversation's
 * version before it (`previous`; null: a new conversation) and after it.
 */
function countEvent(
  core: Core,
  event: ServerEvent & {
    type: 'message.created' | 'conversation.updated' | 'conversation.assigned';
  },
): void {
  const counting = countings.get(core);
  if (!counting || counting.included.has(event)) return;
  counting.applied++;
  const after = event.conversation;
  const { previous } = event;
  if (previous === undefined) return recount(core);
  const before = previous && { ...after, ...previous };
  if (before && sameViews(before, after)) return;
  const me = stateOf(core).me;
  if (!me) return;
  for (const key of counting.keys) {
    const count = counting.counts.get(viewId(key));
    if (!count) continue;
    if (before && inView(key, before, me)) {
      count.total--;
      if (before.unread) count.unread--;
    }
    if (inView(key, after, me)) {
      count.total++;
      if (after.unread) count.unread++;
    }
  }
}

/**
 * A view's size and unread rows while it is loaded in part: the backend's counts kept current by
 * events. Undefined once it is loaded whole (or without counts): its rows count then.
 */
function viewCount(core: Core, key: ViewKey): ViewCount | undefined {
  const counted = hasMore(core, key) ? countings.get(core)?.counts.get(viewId(key)) : undefined;
  return counted && { ...counted };
}
