/**
 * What the desk client does with an offline layer: the optimistic copies of held sends (the one
 * copy of a message not yet confirmed, owned by the client), the count the UI shows ("sign in
 * again to send 3 messages"), and the events that catch up after the backend's events were reset.
 */
import type { HeldSend, ServerEvent } from './adapter.js';
import type { Conversation, Message, UserId } from './types.js';

/** The outbox as the UI shows it. */
export interface OutboxSummary {
  /** Messages waiting to be sent (offline, or behind an earlier one). */
  waiting: number;
  /** Of those, the ones that wait for the user to sign in again (the token was refused). */
  signInRequired: number;
  /** Refused or expired: shown failed in their thread, retried by hand. */
  failed: number;
}

export const EMPTY_OUTBOX: OutboxSummary = Object.freeze({
  waiting: 0,
  signInRequired: 0,
  failed: 0,
});

export function summarize(held: readonly HeldSend[]): OutboxSummary {
  let waiting = 0;
  let signInRequired = 0;
  let failed = 0;
  for (const h of held) {
    if (h.state === 'failed') failed++;
    else {
      waiting++;
      if (h.reason === 'unauthorized') signInRequired++;
    }
  }
  return { waiting, signInRequired, failed };
}

export function sameSummary(a: OutboxSummary, b: OutboxSummary): boolean {
  return a.waiting === b.waiting && a.signInRequired === b.signInRequired && a.failed === b.failed;
}

export const LOCAL_PREFIX = 'local:';

/** The local copy of a send: queued until the backend has it, or failed with the reason. */
export function localCopy(
  held: Pick<HeldSend, 'key' | 'request' | 'createdAt' | 'state' | 'failure'>,
  conversationId: string,
  sentBy: UserId | undefined,
  text: string,
): Message {
  const { request } = held;
  const failed = held.state === 'failed';
  return {
    id: `${LOCAL_PREFIX}${held.key}`,
    conversationId,
    direction: 'out',
    text,
    media: request.content.media ?? [],
    ...(sentBy && { sentBy }),
    status: failed ? 'failed' : 'queued',
    ...(failed
      ? { failureReason: held.failure?.message ?? 'refused' }
      : { queueReason: 'offline' as const }), // SN6: distinct from `business_hours`
    statusTimes: failed
      ? { queued: held.createdAt, failed: held.createdAt }
      : { queued: held.createdAt },
    attempt: 1,
    idempotencyKey: held.key,
    createdAt: held.createdAt,
  };
}

/**
 * N1, after a reset: what changed between the conversations the client holds and the backend's
 * list, as events: the snapshots, a removal for what this user may no longer see, and the
 * notifications that the missed events would have raised (an incoming message in a conversation
 * this user owns, an assignment to this user).
 */
export function catchUpEvents(
  me: { id: UserId; role: string },
  before: ReadonlyMap<string, Conversation>,
  fresh: readonly Conversation[],
): ServerEvent[] {
  const events: ServerEvent[] = [];
  const seen = new Set<string>();
  for (const c of fresh) {
    seen.add(c.id);
    const old = before.get(c.id);
    if (old && old.revision >= c.revision) continue;
    events.push({ type: 'conversation.updated', conversation: c });
    const assigned = c.lastAssignment;
    if (assigned?.to === me.id && assigned.at > (old?.lastAssignment?.at ?? 0)) {
      const at = assigned.at;
      events.push({
        type: 'notification',
        kind: 'assignment',
        userId: me.id,
        conversationId: c.id,
        at,
      });
    } else if (
      c.ownerId === me.id &&
      c.lastIncomingAt !== undefined &&
      c.lastIncomingAt > (old?.lastIncomingAt ?? 0)
    ) {
      const at = c.lastIncomingAt;
      events.push({
        type: 'notification',
        kind: 'incoming',
        userId: me.id,
        conversationId: c.id,
        at,
      });
    }
  }
  if (me.role !== 'admin') {
    for (const old of before.values()) {
      if (seen.has(old.id)) continue;
      // No longer visible: the same snapshot without this user as owner or sender drops it.
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

/** The events a newest page shows that the thread has not seen: new messages, status moves. */
export function threadCatchUp(
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
