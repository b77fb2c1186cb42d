/**
 * Presentation helpers a UI needs and should not work out itself: phone numbers for people, the
 * care window's time left, and which warning a list row shows. Pure, apart from the lazy load of
 * libphonenumber-js's metadata (kept out of the first load).
 */
import type { Conversation, RecipientPolicy } from './types.js';

type PhoneLib = typeof import('libphonenumber-js/min');
let lib: PhoneLib | undefined;
let loading: Promise<void> | undefined;

/** Loads the phone metadata once; `formatPhone` formats from then on. */
export function loadPhoneFormat(): Promise<void> {
  return (loading ??= import('libphonenumber-js/min').then((module) => {
    lib = module;
  }));
}

/**
 * An E.164 number as people write it internationally ("+1 415 555 0101"). Until
 * `loadPhoneFormat()` has resolved, or for anything that is not a valid number, the input as is.
 */
export function formatPhone(phone: string): string {
  if (!lib) return phone;
  const parsed = lib.parsePhoneNumberFromString(phone);
  return parsed?.isValid() ? parsed.formatInternational() : phone;
}

/** SN3: the care window's time left, in whole hours and minutes, rounded up to the minute. */
export function timeLeft(remainingMs: number): { hours: number; minutes: number } {
  const total = Math.max(0, Math.ceil(remainingMs / 60_000));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/**
 * The warning a list row shows, most important first: the customer opted out of the channel
 * (SN5), the last message failed (SN7), or it waits in the queue (SN6). `null` when all is well.
 */
export type RowState = 'opted_out' | 'failed' | 'queued' | null;

export function rowState(
  conversation: Pick<Conversation, 'channel' | 'lastMessage'>,
  recipient?: Pick<RecipientPolicy, 'optedOut'>,
): RowState {
  if (recipient?.optedOut.includes(conversation.channel)) return 'opted_out';
  const last = conversation.lastMessage;
  if (last?.direction === 'out' && last.status === 'failed') return 'failed';
  if (last?.direction === 'out' && last.status === 'queued') return 'queued';
  return null;
}
