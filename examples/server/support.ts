/** Plumbing of the reference server: JSON bodies, CORS, errors, the event stream format. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerEvent } from '../../src/adapter.js';
import { DeskError, isDeskError } from '../../src/errors.js';
import { errorBody, STATUS_OF_CODE } from '../../src/http/protocol.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_BODY = 8 * 1024 * 1024;

/** A small list as one page. */
export const whole = <T>(items: T[]) => ({ items, nextCursor: null });

export function writeEvent(res: ServerResponse, id: number, event: ServerEvent): void {
  res.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin || !LOCAL_ORIGIN.test(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    'Authorization, Content-Type, Accept, Idempotency-Key, Last-Event-ID',
  );
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Idempotent-Replayed');
  res.setHeader('Access-Control-Max-Age', '600');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function toDeskError(error: unknown): DeskError {
  if (isDeskError(error)) return error;
  return new DeskError('server', 'The server failed.', { cause: error });
}

export function sendError(res: ServerResponse, error: unknown): void {
  const e = toDeskError(error);
  if (!isDeskError(error)) console.error(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, STATUS_OF_CODE[e.code], errorBody(e));
}

export const invalid = (message: string) => new DeskError('invalid_input', message);

/** The raw body as text, within the size limit. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw invalid('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('The request body is not JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

export function idempotencyKey(req: IncomingMessage): string {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !key.trim() || key.length > 255) {
    throw invalid('An Idempotency-Key header (1 to 255 characters) is required.');
  }
  return key.trim();
}

export function limitOf(query: URLSearchParams, fallback?: number): number | undefined {
  const raw = query.get('limit');
  if (raw === null || raw === '') return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw invalid('`limit` is a positive whole number.');
  return limit;
}

export function pageQuery(query: URLSearchParams): { cursor?: string; limit?: number } {
  const cursor = query.get('cursor');
  const limit = limitOf(query);
  return { ...(cursor && { cursor }), ...(limit !== undefined && { limit }) };
}
