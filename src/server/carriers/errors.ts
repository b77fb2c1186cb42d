/**
 * Carrier error codes mapped to ours, so that the desk shows one reason whatever the carrier. Only
 * codes with a clear meaning for the desk are listed; the rest map by HTTP status as the desk's
 * protocol does (`codeOfStatus`), and always keep the carrier's code and text in `details`.
 */
import { DeskError, type DeskErrorCode } from '../../errors.js';
import { codeOfStatus } from '../../http/protocol.js';

/** Twilio error dictionary (https://www.twilio.com/docs/api/errors). */
export const TWILIO_ERRORS: Readonly<Record<string, DeskErrorCode>> = Object.freeze({
  '63016': 'window_closed', // WhatsApp: outside the 24 h window, send a template (SN3)
  '21610': 'opted_out', // the recipient replied STOP (SN5)
  '21211': 'invalid_phone', // invalid 'To' number
  '21614': 'invalid_phone', // 'To' is not a mobile number
  '30005': 'invalid_phone', // unknown destination handset
  '30006': 'invalid_phone', // landline or unreachable carrier
  '63024': 'invalid_phone', // invalid WhatsApp recipient
  '63003': 'invalid_phone', // channel could not find the 'To' address
  '21408': 'forbidden', // region not enabled for the account
  '21606': 'forbidden', // 'From' is not a message-capable number of the account
  '21660': 'forbidden', // 'From' belongs to another account
  '63007': 'forbidden', // channel could not find the 'From' address
  '20003': 'unauthorized', // authentication failed
  '20404': 'not_found',
  '20429': 'rate_limited',
  '14107': 'rate_limited',
  '63018': 'rate_limited', // WhatsApp rate limit
  '21602': 'invalid_input', // body or media required
  '21617': 'invalid_input', // body too long
  '21620': 'media_rejected', // invalid media URL
  '30019': 'media_rejected', // content size exceeds the carrier's limit
  '63019': 'media_rejected', // WhatsApp media download failed
  '63005': 'template_missing_fields', // WhatsApp template parameters do not match
});

/** Meta Cloud API error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const META_ERRORS: Readonly<Record<string, DeskErrorCode>> = Object.freeze({
  '131047': 'window_closed', // re-engagement: more than 24 h since the customer wrote (SN3)
  '131050': 'opted_out', // the user stopped marketing messages (SN5)
  '131026': 'invalid_phone', // undeliverable: not a WhatsApp user, old client…
  '131021': 'invalid_phone', // recipient cannot be the sender
  '131030': 'forbidden', // recipient not in the test number's allowed list
  '190': 'unauthorized', // access token expired or invalid
  '0': 'unauthorized', // AuthException
  '10': 'forbidden', // permission denied
  '200': 'forbidden', // permission error
  '131031': 'forbidden', // business account locked
  '4': 'rate_limited',
  '80007': 'rate_limited',
  '130429': 'rate_limited',
  '131048': 'rate_limited', // spam rate limit
  '131056': 'rate_limited', // pair rate limit
  '100': 'invalid_input', // invalid parameter
  '131008': 'invalid_input', // required parameter missing
  '131009': 'invalid_input', // parameter value invalid
  '131051': 'invalid_input', // unsupported message type
  '131052': 'media_rejected', // media download error
  '131053': 'media_rejected', // media upload error
  '132000': 'template_missing_fields', // parameter count mismatch
  '132001': 'not_found', // template does not exist
  '132012': 'template_missing_fields', // parameter format mismatch
});

export interface CarrierFailure {
  carrier: string;
  /** The carrier's error code, as text; absent when the answer had none. */
  carrierCode?: string | undefined;
  /** The carrier's own words. */
  message: string;
  /** Absent when the request never got an answer (network). */
  httpStatus?: number;
}

/** Our code for a carrier's error code (status callbacks carry only the code). */
export function codeOf(
  table: Readonly<Record<string, DeskErrorCode>>,
  carrierCode: string | undefined,
): DeskErrorCode | undefined {
  return carrierCode !== undefined && Object.hasOwn(table, carrierCode)
    ? table[carrierCode]
    : undefined;
}

/** The `DeskError` for a failed carrier request; `retryable` when trying again may succeed. */
export function carrierError(
  table: Readonly<Record<string, DeskErrorCode>>,
  failure: CarrierFailure,
  cause?: unknown,
): DeskError {
  const status = failure.httpStatus;
  const code: DeskErrorCode =
    status === undefined ? 'network' : (codeOf(table, failure.carrierCode) ?? codeOfStatus(status));
  const retryable =
    code === 'network' || code === 'rate_limited' || (status !== undefined && status >= 500);
  const label = failure.carrierCode ? `${failure.carrier} ${failure.carrierCode}` : failure.carrier;
  return new DeskError(code, `${label}: ${failure.message}`, {
    cause,
    details: {
      carrier: failure.carrier,
      carrierCode: failure.carrierCode,
      httpStatus: status,
      retryable,
    },
  });
}

/** The refusal of a webhook that fails verification: 403, and nothing is stored. */
export function forged(carrier: string, why: string): DeskError {
  return new DeskError('forbidden', `${carrier} webhook refused: ${why}.`, {
    details: { carrier },
  });
}

const REASONS: Partial<Record<DeskErrorCode, string>> = {
  window_closed: 'The WhatsApp care window is closed: only a registered template can be sent.',
  opted_out: 'The number opted out of this channel.',
  invalid_phone: 'The number cannot receive messages on this channel.',
  media_rejected: 'The carrier could not deliver the attachment.',
  template_missing_fields: "The template's fields do not match the registered template.",
  rate_limited: 'Too many messages in a short time; the carrier refused this one.',
  forbidden: 'The sending number may not send this message.',
  unauthorized: "The carrier refused the account's credentials.",
};

/** The reason a failed status shows: ours when the code is known, else the carrier's words. */
export function failureReason(
  carrier: string,
  carrierCode: string | undefined,
  code: DeskErrorCode | undefined,
  carrierText?: string,
): string {
  const ours = code && REASONS[code];
  const suffix = carrierCode ? ` (${carrier} ${carrierCode})` : '';
  return `${ours || carrierText || 'The carrier could not deliver the message.'}${suffix}`;
}
