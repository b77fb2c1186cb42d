/**
 * The wire protocol shared by the HTTP adapter and the reference server (docs/protocol.md):
 * error bodies, the HTTP status of each `DeskError` code, header names and the tiny helpers both
 * sides need. Nothing here talks to the network.
 */
import { DeskError, type DeskErrorCode } from '../errors.js';

/** `{ "error": { "code", "message", "details" } }`: the body of every non-2xx answer. */
export interface ErrorBody {
  error: { code: DeskErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * The HTTP status a server answers for each refusal. Typed as a full record, so a new code in
 * `DeskErrorCode` cannot be forgotten here.
 */
export const STATUS_OF_CODE: Readonly<Record<DeskErrorCode, number>> = Object.freeze({
  invalid_input: 400,
  invalid_phone: 400,
  template_channel_mismatch: 400,
  template_not_conversation: 400,
  template_missing_fields: 400,
  media_rejected: 400,
  confirmation_required: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  not_retryable: 409,
  window_closed: 422,
  no_consent: 422,
  opted_out: 422,
  rate_limited: 429,
  server: 500,
  network: 503,
});

export function isDeskErrorCode(code: unknown): code is DeskErrorCode {
  return typeof code === 'string' && Object.hasOwn(STATUS_OF_CODE, code);
}

/** The code for a status when a body names no known code (a proxy's HTML page, say). */
export function codeOfStatus(status: number): DeskErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'invalid_input';
}

/** A refusal as the server writes it. */
export function errorBody(error: DeskError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(Object.keys(error.details).length > 0 && { details: error.details }),
    },
  };
}

/** The `DeskError` for an error answer: the body's code when it is one we know, else the status's. */
export function errorFromBody(status: number, body: unknown): DeskError {
  const error = (body as Partial<ErrorBody> | null)?.error;
  const details = { status, ...(isRecord(error?.details) ? error.details : {}) };
  if (error && isDeskErrorCode(error.code)) {
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    return new DeskError(error.code, message, { details });
  }
  return new DeskError(codeOfStatus(status), `The backend answered HTTP ${status}.`, { details });
}

/**
 * `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds from `now`.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const HEADERS = {
  authorization: 'Authorization',
  idempotencyKey: 'Idempotency-Key',
  lastEventId: 'Last-Event-ID',
  retryAfter: 'Retry-After',
} as const;

/**
 * `GET /conversations?view=`: `mine`, `sent`, `sender:<senderId>`, `team:<userId>` (as `viewId`
 * writes it). Read back into the key the engine checks; an unknown kind stays one, to be refused.
 */
export function viewOfParam(param: string): Record<string, string> {
  const colon = param.indexOf(':');
  const kind = colon < 0 ? param : param.slice(0, colon);
  const id = colon < 0 ? '' : param.slice(colon + 1);
  if (kind === 'sender') return { kind, senderId: id };
  if (kind === 'team') return { kind, userId: id };
  return { kind };
}

/** Event name of the stream message that says "your Last-Event-ID is too old: reload". */
export const RESET_EVENT = 'reset';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
