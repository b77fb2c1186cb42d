/**
 * What the desk client does with an offline layer: the optimistic copies of held sends (the one
 * copy of a message not yet confirmed, owned by the client), the count the UI shows ("sign in
 * again to send 3 messages").
 */
import type { HeldSend } from './adapter.js';
import type { Message, UserId } from './types.js';

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
