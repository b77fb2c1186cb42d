/**
 * The webhook routes on any Fetch-API server (Hono hands `c.req.raw`; Node 20 has `Request`):
 * `GET|POST {publicBaseUrl}/webhooks/{carrier}`. Carriers sign the URL they called, which behind a
 * proxy or tunnel is not the one the server sees: the public base URL rebuilds it.
 */
import type { WebhookPipeline } from './webhooks.js';

export interface WebhookRouteOptions {
  /** `https://desk.example.com`: scheme, host and any path prefix the carriers call. */
  publicBaseUrl?: string;
  /** Larger bodies are refused with 413 before they are read. Default 1 MiB. */
  maxBytes?: number;
  now?: () => number;
}

/** The URL the carrier called: the public base URL followed by the request's path and query. */
export function publicUrl(requestUrl: string, publicBaseUrl?: string): string {
  if (!publicBaseUrl) return requestUrl;
  const url = new URL(requestUrl);
  return `${publicBaseUrl.replace(/\/$/, '')}${url.pathname}${url.search}`;
}

export async function handleWebhookRequest(
  pipeline: WebhookPipeline,
  carrier: string,
  request: Request,
  options: WebhookRouteOptions = {},
): Promise<Response> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) {
    return new Response('Too large.', { status: 413 });
  }
  const body = await request.text();
  if (new TextEncoder().encode(body).length > maxBytes) {
    return new Response('Too large.', { status: 413 });
  }
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  const reply = await pipeline.handle(carrier, {
    method: request.method,
    url: publicUrl(request.url, options.publicBaseUrl),
    headers,
    body,
    receivedAt: (options.now ?? Date.now)(),
  });
  return new Response(reply.body, {
    status: reply.status,
    headers: { 'content-type': reply.contentType },
  });
}
