/**
 * Twilio Programmable Messaging, SMS and WhatsApp (`whatsapp:+…` addresses): sends through the
 * Messages API with a StatusCallback, and verifies and reads the incoming-message webhook and the
 * status callbacks (both on one URL).
 *
 * Signatures are checked with the `twilio` package's own `validateRequest` (the way Twilio asks
 * integrators to do it: it knows the URL variants Twilio signs, with and without the port, and the
 * SHA-256 shared-key mode). Only its dependency-free webhooks module is imported, not the REST
 * client (axios and friends): sending is one documented form POST that `fetch` does.
 */
import {
  getSignatureAlgorithm,
  validateRequest,
  SIGNATURE_HEADER,
  SIGNATURE_SETTINGS_HEADER,
} from 'twilio/lib/webhooks/webhooks.js';
import { DeskError } from '../../errors.js';
import type { Channel, MessageStatus } from '../../types.js';
import { codeOf, failureReason, forged, TWILIO_ERRORS } from './errors.js';
import { callCarrier, stringField } from './http.js';
import { checkDeclared, downloadLimited, refused } from './media-fetch.js';
import type {
  CarrierEvent,
  CarrierMediaRef,
  FetchedMedia,
  MediaLimits,
  OutgoingMessage,
  Provider,
  SendReceipt,
  WebhookOutcome,
  WebhookRequest,
} from './provider.js';

export interface TwilioConfig {
  /** `AC…` */
  accountSid: string;
  /** The account's Auth Token (or an API shared key secret): signs the webhooks. */
  authToken: string;
  /**
   * The public URL of this server's Twilio webhook route (`https://desk.example.com/webhooks/twilio`),
   * exactly as Twilio calls it: it is sent as each message's StatusCallback, and set as the
   * numbers' "A message comes in" URL in the Twilio Console.
   */
  webhookUrl: string;
  /** WhatsApp templates outside the care window: template name → Content SID (`HX…`). */
  contentSids?: Record<string, string>;
  /** Default `https://api.twilio.com`. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  /** Default 10 s. */
  timeoutMs?: number;
}

const NAME = 'twilio';
const WHATSAPP = 'whatsapp:';
const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Twilio's message statuses in SN7 terms; `null` for an inbound message. */
const STATUSES: Readonly<Record<string, MessageStatus | null>> = Object.freeze({
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  partially_delivered: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
  receiving: null,
  received: null,
});

const address = (channel: Channel, e164: string) =>
  channel === 'whatsapp' ? `${WHATSAPP}${e164}` : e164;

function parseAddress(value: string | undefined): { channel: Channel; e164: string } {
  if (!value) throw new DeskError('invalid_input', 'Twilio webhook without From or To.');
  return value.startsWith(WHATSAPP)
    ? { channel: 'whatsapp', e164: value.slice(WHATSAPP.length) }
    : { channel: 'sms', e164: value };
}

/** The form body as `validateRequest` wants it: repeated keys become arrays. */
function formParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

const one = (params: Record<string, string | string[]>, key: string): string | undefined => {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The message's attachments: Twilio keeps them at `MediaUrl{i}` (behind the account's basic auth
 * when the account enforces it), so they are fetched and stored like Meta's, never shown as is.
 */
function inboundMedia(params: Record<string, string | string[]>): CarrierMediaRef[] {
  const count = Math.min(Number(one(params, 'NumMedia') ?? 0) || 0, 10);
  const media: CarrierMediaRef[] = [];
  for (let i = 0; i < count; i++) {
    const url = one(params, `MediaUrl${i}`);
    if (!url || !URL.canParse(url)) continue;
    const fileName = new URL(url).pathname.split('/').pop() || `media-${i}`;
    const mimeType = one(params, `MediaContentType${i}`) ?? 'application/octet-stream';
    media.push({ id: url, mimeType, fileName });
  }
  return media;
}

function eventOf(params: Record<string, string | string[]>, at: number): CarrierEvent {
  const sid = one(params, 'MessageSid') ?? one(params, 'SmsSid');
  if (!sid) throw new DeskError('invalid_input', 'Twilio webhook without MessageSid.');
  const reported = one(params, 'MessageStatus') ?? one(params, 'SmsStatus');
  const status = reported === undefined ? null : STATUSES[reported];
  if (status === undefined) {
    throw new DeskError('invalid_input', `Unknown Twilio message status "${reported}".`);
  }
  if (status === null) {
    const from = parseAddress(one(params, 'From'));
    const optOutType = one(params, 'OptOutType')?.toUpperCase();
    const carrierMedia = inboundMedia(params);
    return {
      kind: 'message',
      carrierMessageId: sid,
      channel: from.channel,
      from: from.e164,
      to: parseAddress(one(params, 'To')).e164,
      text: one(params, 'Body') ?? '',
      media: [],
      ...(carrierMedia.length ? { carrierMedia } : {}),
      at,
      ...(one(params, 'ProfileName') ? { profileName: one(params, 'ProfileName') } : {}),
      ...(optOutType === 'STOP' ? { optOut: 'out' as const } : {}),
      ...(optOutType === 'START' ? { optOut: 'in' as const } : {}),
    };
  }
  if (status !== 'failed') return { kind: 'status', carrierMessageId: sid, status, at };
  const carrierCode = one(params, 'ErrorCode');
  const code = codeOf(TWILIO_ERRORS, carrierCode);
  return {
    kind: 'status',
    carrierMessageId: sid,
    status,
    at,
    reason: failureReason('Twilio', carrierCode, code, one(params, 'ErrorMessage')),
    ...(carrierCode ? { carrierCode } : {}),
    ...(code ? { code } : {}),
  };
}

export function createTwilioProvider(config: TwilioConfig): Provider {
  const base = (config.apiBaseUrl ?? 'https://api.twilio.com').replace(/\/$/, '');
  const endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${btoa(`${config.accountSid}:${config.authToken}`)}`;
  const mediaPath = `/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages/`;
  const doFetch = config.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));

  return {
    name: NAME,

    async send(message: OutgoingMessage): Promise<SendReceipt> {
      const form = new URLSearchParams();
      form.set('To', address(message.channel, message.to));
      form.set('From', address(message.channel, message.from));
      const contentSid =
        message.channel === 'whatsapp' && message.template
          ? config.contentSids?.[message.template.name]
          : undefined;
      if (contentSid) {
        // A registered WhatsApp template: Twilio fills it from the Content API.
        form.set('ContentSid', contentSid);
        const values = message.template!.values;
        if (values.length) {
          form.set(
            'ContentVariables',
            JSON.stringify(Object.fromEntries(values.map((v, i) => [String(i + 1), v]))),
          );
        }
      } else if (message.text) {
        form.set('Body', message.text);
      }
      for (const media of message.media) form.append('MediaUrl', media.url);
      form.set('StatusCallback', config.webhookUrl);

      const json = await callCarrier({
        carrier: 'Twilio',
        table: TWILIO_ERRORS,
        fetch: doFetch,
        url: endpoint,
        timeoutMs: config.timeoutMs ?? 10_000,
        init: {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        },
        errorOf: (body) => ({
          code: stringField(body, 'code'),
          message: stringField(body, 'message'),
        }),
      });
      const sid = stringField(json, 'sid');
      if (!sid) throw new DeskError('server', 'Twilio accepted the message without a sid.');
      return {
        carrierMessageId: sid,
        status: STATUSES[stringField(json, 'status') ?? ''] ?? 'queued',
      };
    },

    async fetchMedia(ref: CarrierMediaRef, limits: MediaLimits): Promise<FetchedMedia> {
      // The account's credentials go only to the account's own media on Twilio's API.
      const url = URL.canParse(ref.id) ? new URL(ref.id) : undefined;
      if (url?.origin !== new URL(base).origin || !url.pathname.startsWith(mediaPath)) {
        throw refused('Twilio', "the media URL is not one of the account's on Twilio");
      }
      const mimeType = checkDeclared('Twilio', limits, ref.mimeType, undefined);
      const bytes = await downloadLimited({
        carrier: 'Twilio',
        fetch: doFetch,
        url: url.href,
        headers: { authorization },
        timeoutMs: config.timeoutMs ?? 30_000,
        limits,
        mimeType,
      });
      return { bytes, mimeType };
    },

    async verifyWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
      const signature = request.headers[SIGNATURE_HEADER.toLowerCase()];
      if (!signature) throw forged('Twilio', `no ${SIGNATURE_HEADER} header`);
      // A GET webhook carries its parameters in the signed URL, a POST in the form body.
      const params = request.method === 'POST' ? formParams(request.body) : {};
      const algorithm = getSignatureAlgorithm(
        request.headers[SIGNATURE_SETTINGS_HEADER.toLowerCase()],
      );
      if (!validateRequest(config.authToken, signature, request.url, params, algorithm)) {
        throw forged('Twilio', 'the signature does not match');
      }
      const all =
        request.method === 'POST'
          ? params
          : formParams(new URL(request.url).searchParams.toString());
      if (one(all, 'AccountSid') !== config.accountSid) {
        throw forged('Twilio', 'the webhook is for another account');
      }
      return {
        events: [eventOf(all, request.receivedAt)],
        reply: { status: 200, contentType: 'text/xml', body: TWIML_EMPTY },
      };
    },
  };
}
