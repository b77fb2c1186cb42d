/**
 * The outbox's small rules: which sends keep their order together, which failures pass, and the
 * errors a held send rejects with.
 */
import type { HeldSend, SendRequest } from '../adapter.js';
import type { RecipientPolicy } from '../types.js';
import { DeskError, isDeskError } from '../errors.js';
import type { OutboxEntry } from './database.js';

/** How long the backend remembers an idempotency key (docs/protocol.md, section 3). */
export const KEY_RETENTION_MS = 7 * 24 * 3600 * 1000;
export const LOCAL_PREFIX = 'local:';

/** Sends of one conversation (or to one number on one sender ID) go in the order they were made. */
export function laneOf(request: SendRequest): string {
  const { target } = request;
  return 'conversationId' in target
    ? `c:${target.conversationId}`
    : `n:${target.senderId}|${target.customer}`;
}

export function sortEntries(entries: OutboxEntry[]): OutboxEntry[] {
  return entries.sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : 1));
}

/** Failures that may pass: the network, the server, a rate limit. */
export function isTransient(error: unknown): boolean {
  return (
    isDeskError(error, 'network') ||
    isDeskError(error, 'server') ||
    isDeskError(error, 'rate_limited')
  );
}

export function queuedError(reason: 'offline' | 'unauthorized'): DeskError {
  return reason === 'unauthorized'
    ? new DeskError('unauthorized', 'Sign in again to send this message; it is kept until then.', {
        details: { queued: true },
      })
    : new DeskError('network', 'Not sent yet: it goes as soon as the backend answers.', {
        details: { queued: true },
      });
}

export function expiredError(entry: OutboxEntry): DeskError {
  return new DeskError(
    'not_retryable',
    'Not sent: it waited longer than the backend remembers a send (7 days), so sending it now ' +
      'could send it twice. Send it again as a new message if it is still needed.',
    { details: { expired: true, createdAt: entry.createdAt } },
  );
}

/** What the client is told: this user's entries; once the token is refused, all wait for it. */
export function heldSends(entries: OutboxEntry[]): HeldSend[] {
  const signedOut = entries.some((e) => e.state !== 'failed' && e.reason === 'unauthorized');
  return entries.map((e) => ({
    key: e.key,
    request: e.request,
    createdAt: e.createdAt,
    state: e.state === 'failed' ? 'failed' : 'waiting',
    ...(e.state !== 'failed' && { reason: signedOut ? 'unauthorized' : (e.reason ?? 'offline') }),
    ...(e.failure && { failure: e.failure }),
  }));
}

/** SN4, SN5 for a number never seen, while the backend cannot say: no consent, no opt-out. */
export function offlinePolicy(phone: string): RecipientPolicy {
  return { phone, whatsappConsent: false, optedOut: [] };
}
