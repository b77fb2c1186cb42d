/**
 * SN7: message status. queued → sent → delivered → read (WhatsApp only), or failed with a reason.
 * Status never moves backwards whatever order the updates arrive in; failed is final until the
 * user retries, which starts a new attempt and makes updates of older attempts stale.
 */
import { DeskError } from '../errors.js';
import type { Channel, Message, MessageStatus } from '../types.js';

export interface StatusUpdate {
  status: MessageStatus;
  at: number;
  attempt: number;
  reason?: string;
}

/** SN7: the forward order of the non-failed statuses. */
export const STATUS_RANK: Readonly<Record<Exclude<MessageStatus, 'failed'>, number>> =
  Object.freeze({ queued: 0, sent: 1, delivered: 2, read: 3 });

const isStatus = (status: unknown): status is MessageStatus =>
  status === 'failed' || (typeof status === 'string' && Object.hasOwn(STATUS_RANK, status));

/** Leaving `queued` drops the queue facts, which only describe a waiting message. */
function leaveQueue(message: Message): Omit<Message, 'queueReason' | 'queuedUntil'> {
  const { queueReason: _reason, queuedUntil: _until, ...rest } = message;
  return rest;
}

/**
 * SN7: the message after a status update. Returns the same object when the update changes
 * nothing: a stale attempt, a backwards or repeated status, anything after `failed`, a late
 * `failed` after delivery, or `read` on SMS.
 */
export function applyStatus(message: Message, update: StatusUpdate, channel: Channel): Message {
  if (!isStatus(update.status)) {
    throw new DeskError('invalid_input', `Unknown message status "${String(update.status)}".`, {
      details: { status: update.status },
    });
  }
  if (!Number.isFinite(update.at)) {
    throw new DeskError('invalid_input', 'A status update needs a valid time.', {
      details: { at: update.at },
    });
  }
  if (update.attempt !== message.attempt) return message; // an older (or unknown) attempt
  if (message.status === 'failed') return message; // final until retried

  if (update.status === 'failed') {
    // A late failure report cannot undo a delivery the network already confirmed.
    if (message.status !== 'queued' && message.status !== 'sent') return message;
    return {
      ...leaveQueue(message),
      status: 'failed',
      statusTimes: { ...message.statusTimes, failed: update.at },
      failureReason: update.reason || 'unknown',
    };
  }

  if (update.status === 'read' && channel !== 'whatsapp') return message; // SMS has no read receipt
  if (STATUS_RANK[update.status] <= STATUS_RANK[message.status]) return message;

  // Only the reached status gets a time; skipped ones (queued → delivered) stay unknown.
  return {
    ...leaveQueue(message),
    status: update.status,
    statusTimes: { ...message.statusTimes, [update.status]: update.at },
  };
}

/** SN7: a failed message goes back to `queued` as a new attempt. */
export function retryMessage(message: Message, at: number): Message {
  if (message.status !== 'failed') {
    throw new DeskError('not_retryable', 'Only a failed message can be retried.', {
      details: { messageId: message.id, status: message.status },
    });
  }
  if (!Number.isFinite(at)) {
    throw new DeskError('invalid_input', 'A retry needs a valid time.', { details: { at } });
  }
  const { failureReason: _reason, ...rest } = leaveQueue(message);
  return { ...rest, status: 'queued', attempt: message.attempt + 1, statusTimes: { queued: at } };
}

/** SN7: no further status can come: failed, read on WhatsApp, delivered on SMS. */
export function isFinal(message: Message, channel: Channel): boolean {
  if (message.status === 'failed') return true;
  const last = channel === 'whatsapp' ? STATUS_RANK.read : STATUS_RANK.delivered;
  return STATUS_RANK[message.status] >= last;
}
