/**
 * The webhook route on Node's own request event, ahead of Fastify: a carrier's webhook needs none
 * of the framework's per-request work (routing table, request id and child logger, CORS and auth
 * hooks, content-type parsing, reply serialization), which cost about as much as verifying and
 * storing the webhook. The same answers as the Fastify route (mount.ts), which still serves
 * `inject` (the demo's simulated carrier) and any request this one leaves to Fastify.
 */
import { performance } from 'node:perf_hooks';
import { stage } from '../stage-stats.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeskError } from '../../errors.js';
import { errorBody } from '../../http/protocol.js';
import type { WebhookReply } from './provider.js';

/** Answers a request and says so (true), or leaves it to Fastify (false). */
export type RawRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface RawWebhookOptions {
  /** `/webhooks/`: the route's prefix; one path segment after it names the carrier. */
  prefix: string;
  /** Bytes per body: more is answered 413, unread past the limit. */
  bodyLimit: number;
  /** The answer for a webhook (the pipeline's), as the Fastify route gives it. */
  answer(
    carrier: string,
    request: { method: string; url: string; headers: Record<string, string | undefined> },
    body: string,
  ): Promise<WebhookReply>;
  onError(error: unknown): void;
}

export function rawWebhookRoute(options: RawWebhookOptions): RawRoute {
  const { prefix, bodyLimit } = options;
  return (req, res) => {
    const t0 = performance.now();
    const url = req.url ?? '';
    if ((req.method !== 'POST' && req.method !== 'GET') || !url.startsWith(prefix)) return false;
    const end = url.indexOf('?');
    const segment = url.slice(prefix.length, end < 0 ? undefined : end);
    let carrier: string;
    try {
      carrier = decodeURIComponent(segment);
    } catch {
      return false; // Fastify answers a malformed path
    }
    if (!carrier || segment.includes('/')) return false;
    if (Number(req.headers['content-length'] ?? 0) > bodyLimit) {
      send(res, { status: 413, contentType: 'text/plain', body: 'Too large.' });
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyLimit) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (size > bodyLimit) {
        send(res, { status: 413, contentType: 'text/plain', body: 'Too large.' });
        return;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const body =
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      options.answer(carrier, { method: req.method!, url, headers }, body).then(
        (reply) => {
          stage('webhook: request → answer', performance.now() - t0);
          send(res, reply);
        },
        (error: unknown) => {
          options.onError(error);
          const body = JSON.stringify(errorBody(new DeskError('server', 'The server failed.')));
          send(res, { status: 500, contentType: 'application/json; charset=utf-8', body });
        },
      );
    });
    return true;
  };
}

function send(res: ServerResponse, reply: WebhookReply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}
