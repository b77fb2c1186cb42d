/**
 * The WhatsApp Cloud API (Meta Graph): sends text, media and templates
 * (`POST /{version}/{phone-number-id}/messages`), answers the `GET` verification handshake, and
 * verifies the `messages` webhooks (customer messages and statuses) by their `X-Hub-Signature-256`,
 * an HMAC-SHA256 of the raw body with the app secret. Meta has no kept Node SDK for this (its
 * `whatsapp` package is archived), so the calls are plain `fetch` and the HMAC is node:crypto
 * (`timingSafeEqual` compares in constant time).
 */
import { DeskError } from '../../errors.js';
import type { MessageStatus } from '../../types.js';
import { codeOf, failureReason, forged, META_ERRORS } from './errors.js';
import { hmacKey, sameSecret, verifyHex } from './hmac.js';
import { callCarrier, stringField } from './http.js';
import { parseCloudWebhook } from './whatsapp-cloud-webhook.js';
import { checkDeclared, downloadLimited, sha256Hex } from './media-fetch.js';
import type {
  CarrierMediaRef,
  FetchedMedia,
  MediaLimits,
  OutgoingMessage,
  Provider,
  SendReceipt,
  WebhookOutcome,
  WebhookRequest,
} from './provider.js';

export interface WhatsAppCloudConfig {
  /** The business phone number's id in WhatsApp Manager (not the number itself). */
  phoneNumberId: string;
  /** A system user's permanent access token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** The Meta app's secret: signs the webhooks. */
  appSecret: string;
  /** Any string you choose, entered again in the app's webhook settings (the handshake). */
  verifyToken: string;
  /** Graph API version. Default `v21.0`. */
  apiVersion?: string;
  /** Default language of templates. Default `en_US`. */
  templateLanguage?: string;
  /** Per template name: its name at Meta and language, when they differ from the desk's. */
  templates?: Record<string, { name?: string; language?: string }>;
  /** Default `https://graph.facebook.com`. */
  graphBaseUrl?: string;
  fetch?: typeof fetch;
  /** Default 10 s. */
  timeoutMs?: number;
}

const NAME = 'whatsapp';
const SIGNATURE = 'x-hub-signature-256';

/** Meta's media message types by MIME type; anything else goes as a document. */
function mediaType(mimeType: string): 'image' | 'video' | 'audio' | 'document' {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'document';
}

/** The request body for one message (Cloud API "Send messages"). */
function messageBody(
  message: OutgoingMessage,
  config: WhatsAppCloudConfig,
): Record<string, unknown> {
  const head = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to };
  if (message.template) {
    const known = config.templates?.[message.template.name];
    const values = message.template.values;
    return {
      ...head,
      type: 'template',
      template: {
        name: known?.name ?? message.template.name,
        language: { code: known?.language ?? config.templateLanguage ?? 'en_US' },
        ...(values.length
          ? {
              components: [
                { type: 'body', parameters: values.map((text) => ({ type: 'text', text })) },
              ],
            }
          : {}),
      },
    };
  }
  const [media] = message.media;
  if (media) {
    const type = mediaType(media.mimeType);
    const caption = type === 'audio' || !message.text ? {} : { caption: message.text };
    const filename = type === 'document' ? { filename: media.fileName } : {};
    return { ...head, type, [type]: { link: media.url, ...caption, ...filename } };
  }
  return { ...head, type: 'text', text: { preview_url: false, body: message.text } };
}

export function createWhatsAppCloudProvider(config: WhatsAppCloudConfig): Provider {
  const version = config.apiVersion ?? 'v21.0';
  const graph = (config.graphBaseUrl ?? 'https://graph.facebook.com').replace(/\/$/, '');
  const endpoint = `${graph}/${version}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  const doFetch = config.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const secret = hmacKey(config.appSecret);

  return {
    name: NAME,

    async send(message: OutgoingMessage): Promise<SendReceipt> {
      if (message.channel !== 'whatsapp') {
        throw new DeskError(
          'invalid_input',
          'The WhatsApp Cloud API sends WhatsApp messages only.',
        );
      }
      // One attachment per Cloud API message; a split would give one message several ids.
      if (message.media.length > 1 && !message.template) {
        throw new DeskError(
          'media_rejected',
          'The WhatsApp Cloud API sends one attachment per message.',
          { details: { carrier: NAME, count: message.media.length, retryable: false } },
        );
      }
      const json = await callCarrier({
        carrier: 'WhatsApp',
        table: META_ERRORS,
        fetch: doFetch,
        url: endpoint,
        timeoutMs: config.timeoutMs ?? 10_000,
        init: {
          method: 'POST',
          headers: {
            authorization: `Bearer ${config.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(messageBody(message, config)),
        },
        errorOf: metaErrorOf,
      });
      const id = stringField((json.messages as unknown[] | undefined)?.[0], 'id');
      if (!id) throw new DeskError('server', 'WhatsApp accepted the message without an id.');
      // "Accepted" is Meta's queue; `sent` arrives by webhook.
      return { carrierMessageId: id, status: 'queued' };
    },

    /** Cloud API "Retrieve media URL" (GET /{media-id}), then the download with the token. */
    async fetchMedia(ref: CarrierMediaRef, limits: MediaLimits): Promise<FetchedMedia> {
      const auth = { authorization: `Bearer ${config.accessToken}` };
      const query = `?phone_number_id=${encodeURIComponent(config.phoneNumberId)}`;
      const info = await callCarrier({
        carrier: 'WhatsApp',
        table: META_ERRORS,
        fetch: doFetch,
        url: `${graph}/${version}/${encodeURIComponent(ref.id)}${query}`,
        timeoutMs: config.timeoutMs ?? 10_000,
        init: { method: 'GET', headers: auth },
        errorOf: metaErrorOf,
      });
      const size = Number(stringField(info, 'file_size'));
      const mimeType = checkDeclared(
        'WhatsApp',
        limits,
        stringField(info, 'mime_type') ?? ref.mimeType,
        Number.isFinite(size) ? size : undefined,
      );
      const url = stringField(info, 'url') ?? '';
      if (!/^https?:\/\//i.test(url)) throw new DeskError('server', 'WhatsApp gave no media URL.');
      const bytes = await downloadLimited({
        carrier: 'WhatsApp',
        fetch: doFetch,
        url,
        headers: auth,
        timeoutMs: config.timeoutMs ?? 30_000,
        limits,
        mimeType,
      });
      const sha256 = stringField(info, 'sha256');
      if (sha256 && /^[0-9a-f]{64}$/i.test(sha256) && sha256Hex(bytes) !== sha256) {
        throw new DeskError('server', 'The WhatsApp media download does not match its hash.', {
          details: { carrier: NAME, retryable: true },
        });
      }
      return { bytes, mimeType };
    },

    async verifyWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
      if (request.method === 'GET') {
        const query = new URL(request.url).searchParams;
        const token = query.get('hub.verify_token') ?? '';
        const challenge = query.get('hub.challenge');
        if (
          query.get('hub.mode') !== 'subscribe' ||
          challenge === null ||
          !sameSecret(token, config.verifyToken)
        ) {
          throw forged('WhatsApp', 'the verification handshake does not match');
        }
        return { events: [], reply: { status: 200, contentType: 'text/plain', body: challenge } };
      }
      const header = request.headers[SIGNATURE];
      if (!header) throw forged('WhatsApp', `no ${SIGNATURE} header`);
      if (!verifyHex(secret, header, request.body)) {
        throw forged('WhatsApp', 'the signature does not match');
      }
      const events = parseCloudWebhook(request.body, {
        phoneNumberId: config.phoneNumberId,
        receivedAt: request.receivedAt,
        status: statusOf,
      });
      return { events, reply: { status: 200, contentType: 'text/plain', body: 'OK' } };
    },
  };
}

/** Meta's error code and words in a failed answer. */
function metaErrorOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: unknown }).error;
  const data = (error as { error_data?: unknown } | undefined)?.error_data;
  return {
    code: stringField(error, 'code'),
    message: stringField(data, 'details') ?? stringField(error, 'message'),
  };
}

/** A Cloud API status in SN7 terms, with the failure's reason and codes. */
function statusOf(
  status: string,
  error: { code?: string; text?: string } | undefined,
): {
  status: MessageStatus;
  reason?: string;
  carrierCode?: string;
  code?: DeskError['code'];
} | null {
  const known: Record<string, MessageStatus> = {
    sent: 'sent',
    delivered: 'delivered',
    read: 'read',
    failed: 'failed',
  };
  const mapped = Object.hasOwn(known, status) ? known[status]! : null;
  if (mapped !== 'failed') return mapped && { status: mapped };
  const code = codeOf(META_ERRORS, error?.code);
  return {
    status: mapped,
    reason: failureReason('WhatsApp', error?.code, code, error?.text),
    ...(error?.code ? { carrierCode: error.code } : {}),
    ...(code ? { code } : {}),
  };
}
