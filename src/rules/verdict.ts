/**
 * A send guard's verdict as an error. Apart from the guard (./send-guard.ts) so that the client's
 * first load, which throws verdicts, does not carry the guard, which it loads on the first send.
 */
import { DeskError } from '../errors.js';
import type { GuardVerdict } from './send-guard.js';

/** Throws a refused verdict as the `DeskError` it describes. */
export function assertSendable(verdict: GuardVerdict): void {
  if (verdict.outcome === 'refused') {
    throw new DeskError(verdict.code, verdict.reason, { details: verdict.details });
  }
}
