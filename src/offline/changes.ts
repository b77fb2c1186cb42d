/**
 * What changed between what a client (or a cache) holds and what the backend answers now, as the
 * events that would have said it: used to reconcile after painting from the cache, and after the
 * backend's events were reset.
 */
import type { PageQuery, ServerEvent } from '../adapter.js';
import type { Conversation, Message, Page, UserId } from '../types.js';

type Me = { id: UserId; role: string };

/**
 * The snapshots that moved on, and for a standard user a removal for what they may no longer see
 * (there is no removal event: the snapshot without them as owner or sender makes it go).
 */
export function conversationChanges(
  me: Me | undefined,
  before: ReadonlyMap<string, Conversation>,
  fresh: readonly Conversation[],
  also?: (now: Conversation, old: Conversation | undefined, events: ServerEvent[]) => void,
): ServerEvent[] {
  const events: ServerEvent[] = [];
  const seen = new Set<string>();
  for (const c of fresh) {
    seen.add(c.id);
    const old = before.get(c.id);
    if (old && old.revision >= c.revision) continue;
    events.push({ type: 'conversation.updated', conversation: c });
    also?.(c, old, events);
  }
  if (me && me.role !== 'admin') {
    for (const old of before.values()) {
      if (seen.has(old.id)) continue;
      const gone: Conversation = {
        ...old,
        ownerId: old.ownerId === me.id ? '' : old.ownerId,
        outgoingBy: old.outgoingBy.filter((u) => u !== me.id),
      };
      events.push({ type: 'conversation.updated', conversation: gone });
    }
  }
  return events;
}

/**
 * N1, after a reset: the changes, and the notifications the missed events would have raised (an
 * incoming message in a conversation this user owns, an assignment to this user).
 */
export function catchUpEvents(
  me: Me,
  before: ReadonlyMap<string, Conversation>,
  fresh: readonly Conversation[],
): ServerEvent[] {
  return conversationChanges(me, before, fresh, (c, old, events) => {
    const notify = (kind: 'incoming' | 'assignment', at: number) =>
      events.push({ type: 'notification', kind, userId: me.id, conversationId: c.id, at });
    const assigned = c.lastAssignment;
    if (assigned?.to === me.id && assigned.at > (old?.lastAssignment?.at ?? 0)) {
      notify('assignment', assigned.at);
    } else if (c.ownerId === me.id && (c.lastIncomingAt ?? 0) > (old?.lastIncomingAt ?? 0)) {
      notify('incoming', c.lastIncomingAt!);
    }
  });
}

/** The events a newest page shows that the thread has not seen: new messages, status moves. */
export function threadChanges(
  conversation: Conversation,
  known: readonly Message[],
  page: readonly Message[],
): ServerEvent[] {
  const byId = new Map(known.map((m) => [m.id, m]));
  const events: ServerEvent[] = [];
  for (const m of page) {
    const old = byId.get(m.id);
    if (!old) events.push({ type: 'message.created', message: m, conversation });
    else if (old.status !== m.status || old.attempt !== m.attempt) {
      events.push({
        type: 'message.status',
        conversationId: conversation.id,
        messageId: m.id,
        attempt: m.attempt,
        status: m.status,
        at: m.statusTimes[m.status] ?? m.createdAt,
        ...(m.failureReason && { reason: m.failureReason }),
      });
    }
  }
  return events;
}

/**
 * The newest pages of a thread, back to the first that holds a message of `known`: all that came
 * after the cached copy, however many (more than a page arrive while a desk is away, and their
 * events may never reach it: the client drops those of a thread it has not opened yet).
 */
export async function pagesSince(
  inner: { listMessages(id: string, query: PageQuery): Promise<Page<Message>> },
  conversationId: string,
  known: readonly Message[],
): Promise<Page<Message>> {
  const ids = new Set(known.map((m) => m.id));
  let page = await inner.listMessages(conversationId, {});
  const pages = [page];
  // Each new page alone is checked; the items are joined once at the end.
  while (ids.size > 0 && page.nextCursor && !page.items.some((m) => ids.has(m.id))) {
    page = await inner.listMessages(conversationId, { cursor: page.nextCursor });
    pages.push(page);
  }
  // Fetched newest first; a page's items run oldest first, so the oldest page leads.
  return {
    items: pages.reverse().flatMap((p) => p.items),
    nextCursor: pages[0]!.nextCursor,
  };
}
