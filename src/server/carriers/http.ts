/** One carrier API call: timeout, JSON answer, and failures mapped to our codes. */
import type { DeskErrorCode } from '../../errors.js';
import { carrierError } from './errors.js';

export interface CarrierCall {
  carrier: string;
  table: Readonly<Record<string, DeskErrorCode>>;
  fetch: typeof fetch;
  url: string;
  init: RequestInit;
  timeoutMs: number;
  /** The carrier's error code and text in a failed answer's JSON. */
  errorOf(json: unknown): { code?: string; message?: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Resolves with the answer's JSON on 2xx; rejects with a `DeskError` otherwise. */
export async function callCarrier(call: CarrierCall): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await call.fetch(call.url, {
      ...call.init,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (cause) {
    const error = carrierError(
      call.table,
      { carrier: call.carrier, message: `${call.carrier} could not be reached.` },
      cause,
    );
    // A timeout is ambiguous: the carrier may have taken the message, so never resend it blindly.
    if ((cause as { name?: unknown } | null)?.name === 'TimeoutError') {
      error.details.retryable = false;
      error.details.ambiguous = true;
    }
    throw error;
  }
  let json: unknown;
  try {
    const text = await response.text();
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  if (!response.ok || !isObject(json)) {
    const { code, message } = json === undefined ? {} : call.errorOf(json);
    const error = carrierError(call.table, {
      carrier: call.carrier,
      carrierCode: code,
      message: message || `HTTP ${response.status}`,
      httpStatus: response.ok ? 502 : response.status,
    });
    // A 2xx answer we cannot read means the carrier took a POST: sending it again could send the
    // message twice, so it is ambiguous (a GET may be asked again).
    if (response.ok && (call.init.method ?? 'GET') !== 'GET') {
      error.details.retryable = false;
      error.details.ambiguous = true;
    }
    throw error;
  }
  return json;
}

/** A string field of an object, or undefined. */
export function stringField(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  if (typeof field === 'string') return field;
  if (typeof field === 'number' && Number.isFinite(field)) return String(field);
  return undefined;
}
