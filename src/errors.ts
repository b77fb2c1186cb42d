/**
 * Every refusal in the SDK is a `DeskError` with a `code` from this closed union, so that a UI can
 * show a reason and a program can branch on it. A refusal never changes state.
 */
export type DeskErrorCode =
  | 'forbidden' // U2: the user's role does not allow this
  | 'not_found' // an unknown id
  | 'invalid_phone' // S2: not a valid number for that country
  | 'invalid_input' // empty message, bad argument
  | 'window_closed' // SN3: WhatsApp care window closed and this is not a registered template
  | 'no_consent' // SN4: no WhatsApp consent on record
  | 'opted_out' // SN5: the number opted out of the channel
  | 'template_channel_mismatch' // SN2: template for another channel
  | 'template_not_conversation' // SN2: only `conversation` templates are sent from the desk
  | 'template_missing_fields' // SN2: a merge field has no value for this contact
  | 'media_rejected' // attachment type or size not accepted on the channel
  | 'confirmation_required' // RD4: an admin mark needs an explicit confirmation
  | 'not_retryable' // SN7: only a failed message can be retried
  | 'conflict' // e.g. a contact with that number already exists
  | 'network' // the backend could not be reached
  | 'unauthorized' // the backend refused the credentials
  | 'rate_limited'
  | 'server'; // the backend failed

export interface DeskErrorOptions {
  cause?: unknown;
  /** Facts the UI may show, such as the care window's expiry or the missing merge fields. */
  details?: Record<string, unknown>;
}

export class DeskError extends Error {
  override readonly name = 'DeskError';
  readonly code: DeskErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: DeskErrorCode, message: string, options: DeskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Checks `name` rather than `instanceof`, so it works across realms and bundle copies. */
export function isDeskError(error: unknown, code?: DeskErrorCode): error is DeskError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'DeskError' &&
    (code === undefined || (error as { code?: unknown }).code === code)
  );
}

/**
 * The facts each refusal may carry, by code, so a UI can say why in its own words (never by
 * showing `message`, which is English for logs). All optional: a backend may send fewer.
 */
export interface DeskErrorDetailsByCode {
  forbidden: { action?: string; userId?: string; id?: string; conversationIds?: string[] };
  not_found: { id?: string; userId?: string; messageId?: string };
  /** `missing: 'countryCallingCode'` when a national number came without a country code. */
  invalid_phone: { input?: unknown; missing?: 'countryCallingCode' };
  /** `empty`: nothing to send; `characters`/`parts`: too long; `reason`: business hours. */
  invalid_input: {
    empty?: boolean;
    /** The field that must be filled in (a contact's `firstName`). */
    field?: string;
    characters?: number;
    maxCharacters?: number;
    parts?: number;
    maxParts?: number;
    reason?: 'business hours never open' | string;
  };
  /** `expiredAt` absent: a new conversation; `until`: a queued send would go out too late. */
  window_closed: { expiredAt?: number; until?: number; edited?: boolean; hasMedia?: boolean };
  no_consent: { phone?: string; until?: number };
  opted_out: { phone?: string; channel?: 'sms' | 'whatsapp' };
  template_channel_mismatch: {
    templateId?: string;
    templateChannel?: 'sms' | 'whatsapp';
    channel?: 'sms' | 'whatsapp';
  };
  template_not_conversation: { templateId?: string; type?: string };
  /** Merge field names, such as `contact.firstName`. */
  template_missing_fields: { missing?: string[] };
  media_rejected: {
    fileName?: string;
    mimeType?: string;
    size?: number;
    maxSize?: number;
    count?: number;
    maxFiles?: number;
  };
  confirmation_required: { conversationIds?: string[] };
  not_retryable: { messageId?: string; status?: string };
  conflict: { phone?: string };
  network: { timeout?: boolean; cancelled?: boolean };
  unauthorized: Record<string, unknown>;
  rate_limited: { retryAfterMs?: number };
  server: Record<string, unknown>;
}

/** An error's details typed by its code; `undefined` when it is not a DeskError of that code. */
export function errorDetails<C extends DeskErrorCode>(
  error: unknown,
  code: C,
): Partial<DeskErrorDetailsByCode[C]> | undefined {
  return isDeskError(error, code)
    ? (error.details as Partial<DeskErrorDetailsByCode[C]>)
    : undefined;
}
