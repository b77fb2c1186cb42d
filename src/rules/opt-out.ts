/**
 * SN5: the keywords a customer texts to opt out of a channel (STOP and its synonyms) or back in
 * (START and its synonyms). The lists are the carriers' defaults (Twilio's standard opt-out and
 * opt-in keywords), so the desk records what the carrier itself enforces. The keyword must be the
 * whole message, in any case, surrounding spaces ignored: "Stop" opts out, "stop it" does not.
 */
import type { Channel, RecipientPolicy } from '../types.js';

/** `out`: the number opts out of the channel; `in`: it opts back in. */
export type OptOutChange = 'out' | 'in';

export const OPT_OUT_KEYWORDS: readonly string[] = Object.freeze([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);
export const OPT_IN_KEYWORDS: readonly string[] = Object.freeze(['START', 'UNSTOP', 'YES']);
const LONGEST_KEYWORD = Math.max(...[...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS].map((k) => k.length));

/**
 * SN5: the opt-out change an incoming message asks for, or null. `reported` is the carrier's own
 * verdict when it has one (Twilio's `OptOutType` covers keywords configured in its console), and
 * wins over the text.
 */
export function optOutChange(text: unknown, reported?: OptOutChange | null): OptOutChange | null {
  if (reported === 'out' || reported === 'in') return reported;
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  // Every incoming message comes here: no upper-cased copy of one longer than any keyword.
  if (trimmed.length > LONGEST_KEYWORD) return null;
  const word = trimmed.toUpperCase();
  if (OPT_OUT_KEYWORDS.includes(word)) return 'out';
  if (OPT_IN_KEYWORDS.includes(word)) return 'in';
  return null;
}

/** SN5: the policy after a change; the same object when nothing changes (a repeated STOP). */
export function applyOptOut(
  policy: RecipientPolicy,
  channel: Channel,
  change: OptOutChange,
): RecipientPolicy {
  const has = policy.optedOut.includes(channel);
  if (change === 'out' ? has : !has) return policy;
  const optedOut =
    change === 'out' ? [...policy.optedOut, channel] : policy.optedOut.filter((c) => c !== channel);
  return { ...policy, optedOut };
}
