/**
 * The simulated carrier, for the demo and tests. It behaves like a real one where the server can
 * tell: sends get a carrier id and `queued`, statuses come back later as webhooks, and a customer's
 * message (the demo's phone simulator) arrives as a webhook too. Every webhook is signed, like
 * Meta's: `X-Simulator-Signature: sha256=<hex>`, an HMAC-SHA256 with the shared secret over the
 * full URL, a newline and the raw body, so a changed URL or body fails.
 */
import { systemClock, type Clock } from '../../clock.js';
import { DeskError, type DeskErrorCode } from '../../errors.js';
import type { Channel, Media, MessageStatus } from '../../types.js';
import { isDeskErrorCode } from '../../http/protocol.js';
import { forged } from './errors.js';
import { hmacKey, signHex, verifyHex } from './hmac.js';
import { stringField } from './http.js';
import type {
  CarrierEvent,
  OutgoingMessage,
  Provider,
  SendReceipt,
  WebhookOutcome,
  WebhookRequest,
} from './provider.js';

export const SIMULATOR_SIGNATURE = 'x-simulator-signature';
/** The prefix of the ids of customer messages (`incoming`). */
export const SIM_IN = 'sim-in-';

/** A signed webhook, ready to be posted. */
export interface SignedWebhook {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SimulatorConfig {
  /** The shared secret that signs the simulator's webhooks. */
  secret: string;
  /** The public URL of the simulator's webhook route. */
  webhookUrl: string;
  /** Posts a webhook to the server. Default: `fetch`, retried like a carrier (3 tries). */
  deliver?: (webhook: SignedWebhook) => Promise<void>;
  clock?: Clock;
  /** When each status follows a send. Defaults 400 ms, 1.5 s, 5 s (`read`: WhatsApp only). */
  sentAfterMs?: number;
  deliveredAfterMs?: number;
  readAfterMs?: number;
  createId?: () => string;
}

export interface CustomerMessage {
  channel: Channel;
  /** The customer (E.164). */
  from: string;
  /** The sender ID's address (E.164). */
  to: string;
  text?: string;
  media?: Media[];
}

export interface SimulatedCarrier extends Provider {
  /** A customer writes in: the signed webhook is delivered; resolves with the carrier id. */
  incoming(message: CustomerMessage): Promise<string>;
  /** The next send to `to` fails at the carrier, later, with this reason (SN7). */
  failNext(to: string, failure: { reason: string; code?: DeskErrorCode }): void;
  /** The signed webhook for a payload (to replay, or to tamper with in tests). */
  sign(payload: Record<string, unknown>): Promise<SignedWebhook>;
  /** Cancels the statuses still to come. */
  close(): void;
}

const STATUSES: readonly MessageStatus[] = ['queued', 'sent', 'delivered', 'read', 'failed'];

async function postWithRetries(webhook: SignedWebhook): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(webhook.url, { method: 'POST', ...webhook });
      await response.body?.cancel();
      if (response.ok || response.status < 500 || attempt === 3) return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

function eventOf(payload: Record<string, unknown>, receivedAt: number): CarrierEvent {
  const id = stringField(payload, 'id');
  const at = Number(payload.at) || receivedAt;
  if (!id) throw new DeskError('invalid_input', 'Simulator webhook without an id.');
  if (payload.type === 'message') {
    const channel = payload.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    const media = Array.isArray(payload.media) ? (payload.media as Media[]) : [];
    return {
      kind: 'message',
      carrierMessageId: id,
      channel,
      from: stringField(payload, 'from') ?? '',
      to: stringField(payload, 'to') ?? '',
      text: stringField(payload, 'text') ?? '',
      media,
      at,
    };
  }
  const status = STATUSES.find((s) => s === payload.status);
  if (payload.type !== 'status' || !status) {
    throw new DeskError('invalid_input', 'Unknown simulator webhook.');
  }
  const reason = stringField(payload, 'reason');
  const code = isDeskErrorCode(payload.code) ? payload.code : undefined;
  return {
    kind: 'status',
    carrierMessageId: id,
    status,
    at,
    ...(reason ? { reason } : {}),
    ...(code ? { code, carrierCode: code } : {}),
  };
}

export function createSimulatedCarrier(config: SimulatorConfig): SimulatedCarrier {
  const clock = config.clock ?? systemClock;
  const deliver = config.deliver ?? postWithRetries;
  const createId = config.createId ?? (() => globalThis.crypto.randomUUID());
  const failures = new Map<string, { reason: string; code?: DeskErrorCode }>();
  const timers = new Set<unknown>();
  const key = hmacKey(config.secret);
  const signed = (url: string, body: string) => `${url}\n${body}`;

  const sign = async (payload: Record<string, unknown>): Promise<SignedWebhook> => {
    const body = JSON.stringify(payload);
    const signature = signHex(key, signed(config.webhookUrl, body));
    return {
      url: config.webhookUrl,
      headers: { 'content-type': 'application/json', [SIMULATOR_SIGNATURE]: signature },
      body,
    };
  };
  const later = (ms: number, payload: Record<string, unknown>) => {
    const timer = clock.setTimeout(() => {
      timers.delete(timer);
      void sign({ ...payload, at: clock.now() })
        .then(deliver)
        .catch(() => undefined);
    }, ms);
    timers.add(timer);
  };

  return {
    name: 'simulator',

    async send(message: OutgoingMessage): Promise<SendReceipt> {
      const id = `sim-${createId()}`;
      const failure = failures.get(message.to);
      const sentAfter = config.sentAfterMs ?? 400;
      if (failure) {
        failures.delete(message.to);
        later(sentAfter, { type: 'status', id, status: 'failed', ...failure });
        return { carrierMessageId: id, status: 'queued' };
      }
      later(sentAfter, { type: 'status', id, status: 'sent' });
      later(config.deliveredAfterMs ?? 1500, { type: 'status', id, status: 'delivered' });
      if (message.channel === 'whatsapp') {
        later(config.readAfterMs ?? 5000, { type: 'status', id, status: 'read' });
      }
      return { carrierMessageId: id, status: 'queued' };
    },

    async verifyWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
      const header = request.headers[SIMULATOR_SIGNATURE];
      if (!header) throw forged('Simulator', `no ${SIMULATOR_SIGNATURE} header`);
      if (!verifyHex(key, header, signed(request.url, request.body))) {
        throw forged('Simulator', 'the signature does not match');
      }
      let payload: unknown;
      try {
        payload = JSON.parse(request.body);
      } catch (cause) {
        throw new DeskError('invalid_input', 'Simulator webhook body is not JSON.', { cause });
      }
      if (typeof payload !== 'object' || payload === null) {
        throw new DeskError('invalid_input', 'Simulator webhook body is not an object.');
      }
      return {
        events: [eventOf(payload as Record<string, unknown>, request.receivedAt)],
        reply: { status: 200, contentType: 'text/plain', body: 'OK' },
      };
    },

    async incoming(message: CustomerMessage): Promise<string> {
      const id = `${SIM_IN}${createId()}`;
      const { channel, from, to, text = '', media = [] } = message;
      await deliver(
        await sign({ type: 'message', id, channel, from, to, text, media, at: clock.now() }),
      );
      return id;
    },

    failNext(to, failure) {
      failures.set(to, failure);
    },

    sign,

    close() {
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
