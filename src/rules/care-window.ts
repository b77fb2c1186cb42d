/**
 * SN3: the WhatsApp Customer Care Window. It opens, or restarts, at each incoming WhatsApp message
 * and lasts 24 hours. SMS has no such window.
 */
import { DeskError } from '../errors.js';
import type { Channel } from '../types.js';

export const CARE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface CareWindow {
  /** WhatsApp only. */
  applies: boolean;
  open: boolean;
  /** When the window closes (or closed); null when it never opened or does not apply. */
  expiresAt: number | null;
  /** 0 when closed; Infinity when the window does not apply (SMS never closes). */
  remainingMs: number;
}

/** SN3: the care window at `now`, given the last incoming message of the conversation. */
export function careWindow(
  channel: Channel,
  lastIncomingAt: number | undefined,
  now: number,
): CareWindow {
  if (!Number.isFinite(now)) {
    throw new DeskError('invalid_input', 'A valid time is needed.', { details: { now } });
  }
  if (channel === 'sms')
    return { applies: false, open: true, expiresAt: null, remainingMs: Infinity };
  if (channel !== 'whatsapp') {
    throw new DeskError('invalid_input', `Unknown channel "${String(channel)}".`, {
      details: { channel },
    });
  }
  // No incoming message yet (a new conversation): the window has never opened.
  if (lastIncomingAt === undefined || lastIncomingAt === null) {
    return { applies: true, open: false, expiresAt: null, remainingMs: 0 };
  }
  if (!Number.isFinite(lastIncomingAt)) {
    throw new DeskError('invalid_input', 'The last incoming message needs a valid time.', {
      details: { lastIncomingAt },
    });
  }
  const expiresAt = lastIncomingAt + CARE_WINDOW_MS;
  const open = now < expiresAt;
  return { applies: true, open, expiresAt, remainingMs: open ? expiresAt - now : 0 };
}
