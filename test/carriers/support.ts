/**
 * Carrier test support: fixtures, requests signed the way each carrier documents it (computed here
 * with node:crypto, independently of the code under test), and a small desk behind the pipeline that
 * applies the SDK's own rules (SN7 `applyStatus`, SN5 `optOutChange`).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { applyOptOut, optOutChange } from '../../src/rules/opt-out.js';
import { applyStatus } from '../../src/rules/status.js';
import type {
  CarrierDesk,
  InboundMessage,
  WebhookPipeline,
} from '../../src/server/carriers/index.js';
import { handleWebhookRequest } from '../../src/server/carriers/index.js';
import type { Channel, Message, RecipientPolicy } from '../../src/types.js';

export const PUBLIC_BASE = 'https://desk.example.com';

export function fixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/carriers/${path}`, import.meta.url), 'utf8'));
}

/** Twilio's documented signature: HMAC-SHA1 of the URL followed by each sorted key and value. */
export function twilioSignature(token: string, url: string, params: Record<string, string>) {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', token).update(data).digest('base64');
}

/** Meta's documented signature: `sha256=` + hex HMAC-SHA256 of the raw body with the app secret. */
export function metaSignature(secret: string, body: string) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A request as it reaches the server behind a proxy: internal host, public URL signed. */
export function internalRequest(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Request {
  return new Request(`http://10.0.0.7:8080${path}`, { method: 'POST', ...init });
}

/** Posts through the real route handler, as a server mounts it. */
export async function post(
  pipeline: WebhookPipeline,
  carrier: string,
  request: Request,
): Promise<{ status: number; body: string; contentType: string | null }> {
  const response = await handleWebhookRequest(pipeline, carrier, request, {
    publicBaseUrl: PUBLIC_BASE,
  });
  return {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get('content-type'),
  };
}

export interface TestDesk extends CarrierDesk {
  received: InboundMessage[];
  messages: Map<string, Message>;
  recipients: Map<string, RecipientPolicy>;
  /** A message the desk handed to a carrier, known by its carrier id. */
  sent(carrier: string, carrierMessageId: string, channel: Channel): void;
  message(carrier: string, carrierMessageId: string): Message;
}

export function testDesk(): TestDesk {
  const messages = new Map<string, Message>();
  const channels = new Map<string, Channel>();
  const seen = new Set<string>();
  const received: InboundMessage[] = [];
  const recipients = new Map<string, RecipientPolicy>();
  const key = (carrier: string, id: string) => `${carrier}|${id}`;
  return {
    received,
    messages,
    recipients,
    async receive(carrier, message) {
      if (seen.has(key(carrier, message.carrierMessageId))) return;
      seen.add(key(carrier, message.carrierMessageId));
      received.push(message);
      const change = optOutChange(message.text, message.optOut);
      if (!change) return;
      const policy = recipients.get(message.from) ?? {
        phone: message.from,
        whatsappConsent: false,
        optedOut: [],
      };
      recipients.set(message.from, applyOptOut(policy, message.channel, change));
    },
    async status(carrier, update) {
      const k = key(carrier, update.carrierMessageId);
      const message = messages.get(k);
      if (!message) return false;
      const { status, at, reason } = update;
      messages.set(
        k,
        applyStatus(message, { status, at, reason, attempt: message.attempt }, channels.get(k)!),
      );
      return true;
    },
    sent(carrier, carrierMessageId, channel) {
      const k = key(carrier, carrierMessageId);
      channels.set(k, channel);
      messages.set(k, {
        id: `m-${carrierMessageId}`,
        conversationId: 'c1',
        direction: 'out',
        text: 'Hello',
        media: [],
        status: 'queued',
        statusTimes: { queued: 0 },
        attempt: 1,
        createdAt: 0,
      });
    },
    message(carrier, carrierMessageId) {
      return messages.get(key(carrier, carrierMessageId))!;
    },
  };
}
