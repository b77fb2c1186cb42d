/** A thread's messages: merged, appended, replaced, removed; every function returns a new thread. */
import type { ServerEvent } from '../adapter.js';
import { applyStatus } from '../rules/status.js';
import type { Channel, Message } from '../types.js';
import type { Thread } from './state.js';

/**
 * Chronological merge that keeps one copy per id (the most advanced, SN7) and drops local copies
 * the backend confirmed. Messages of the same millisecond keep the order of `base` first, then of
 * `extra`: pass a loaded page as `base`, and a newly arrived message as `extra`.
 */
export function mergeMessages(base: readonly Message[], extra: readonly Message[]): Message[] {
  const confirmedKeys = new Set<string>();
  for (const m of [...base, ...extra]) {
    if (m.idempotencyKey && !m.id.startsWith('local:')) confirmedKeys.add(m.idempotencyKey);
  }
  const byId = new Map<string, Message>();
  for (const m of [...base, ...extra]) {
    if (m.id.startsWith('local:') && confirmedKeys.has(m.idempotencyKey!)) continue;
    const current = byId.get(m.id);
    if (!current || isAhead(m, current)) byId.set(m.id, m); // keeps the first position
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt); // stable
}

/** Ids (and `key:` + idempotency key of local copies) of a thread's items, carried from copy to copy. */
const threadIds = new WeakMap<readonly Message[], Set<string>>();

function idsOf(items: readonly Message[]): Set<string> {
  let ids = threadIds.get(items);
  if (!ids) {
    ids = new Set();
    for (const m of items) addId(ids, m);
    threadIds.set(items, ids);
  }
  return ids;
}

function addId(ids: Set<string>, m: Message): void {
  ids.add(m.id);
  if (m.id.startsWith('local:') && m.idempotencyKey) ids.add(`key:${m.idempotencyKey}`);
}

/**
 * Adds or updates a message. Appending a new message at the end checks for a copy in O(1) (an id
 * set) and, for arrays in `owned` (created during the same flush), pushes in place: a burst copies
 * a thread once, not once per message.
 */
export function withMessage(
  thread: Thread | undefined,
  message: Message,
  owned?: WeakSet<readonly Message[]>,
): Thread {
  const items = thread?.items ?? [];
  const last = items[items.length - 1];
  // Common case: a new message at the end.
  if (last && last.createdAt <= message.createdAt) {
    const ids = idsOf(items);
    const known =
      ids.has(message.id) || (!!message.idempotencyKey && ids.has(`key:${message.idempotencyKey}`));
    if (!known) {
      let next: Message[];
      if (owned?.has(items)) next = items as Message[];
      else {
        next = items.slice();
        owned?.add(next);
        threadIds.set(next, ids); // the older array is never appended to again
      }
      next.push(message);
      addId(ids, message);
      return { ...(thread ?? { nextCursor: null, loaded: false }), items: next };
    }
  }
  return {
    nextCursor: thread?.nextCursor ?? null,
    loaded: thread?.loaded ?? false,
    items: mergeMessages(items, [message]),
  };
}

/** SN7: a copy replaces another only if it is a later attempt or a forward status move. */
function isAhead(candidate: Message, current: Message): boolean {
  if (candidate.attempt !== current.attempt) return candidate.attempt > current.attempt;
  const update = {
    status: candidate.status,
    at: candidate.statusTimes[candidate.status] ?? candidate.createdAt,
    attempt: candidate.attempt,
    reason: candidate.failureReason,
  };
  // The channel only gates `read`, which a backend sends for WhatsApp alone.
  return applyStatus(current, update, 'whatsapp') !== current;
}

/** Applies a message event that arrived while the thread's page was loading. */
export function replay(thread: Thread, event: ServerEvent, channel: Channel): Thread {
  if (event.type === 'message.created') return withMessage(thread, event.message);
  if (event.type !== 'message.status') return thread;
  const message = thread.items.find((m) => m.id === event.messageId);
  const next = message && applyStatus(message, event, channel);
  return next && next !== message ? withMessage(thread, next) : thread;
}

export function withoutMessage(thread: Thread | undefined, id: string): Thread {
  return {
    nextCursor: thread?.nextCursor ?? null,
    loaded: thread?.loaded ?? false,
    items: (thread?.items ?? []).filter((m) => m.id !== id),
  };
}
