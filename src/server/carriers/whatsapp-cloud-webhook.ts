/**
 * Reads a verified WhatsApp Cloud API webhook (`object: whatsapp_business_account`,
 * `entry[].changes[]` with `field: messages`) into carrier events: `value.messages[]` are customer
 * messages, `value.statuses[]` are statuses of messages the desk sent. Changes for another business
 * number of the same app are skipped; message types the desk cannot show arrive as a note rather
 * than disappear.
 */
import { DeskError, type DeskErrorCode } from '../../errors.js';
import type { Media, MessageStatus } from '../../types.js';
import { stringField } from './http.js';
import type { CarrierEvent, CarrierMediaRef } from './provider.js';

export interface CloudWebhookOptions {
  phoneNumberId: string;
  /** The time of events that carry none. */
  receivedAt: number;
  status(
    status: string,
    error: { code?: string; text?: string } | undefined,
  ): { status: MessageStatus; reason?: string; carrierCode?: string; code?: DeskErrorCode } | null;
}

type Json = Record<string, unknown>;
const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

const list = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];
const object = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};
/** Meta sends numbers as digits without `+`. */
const e164 = (digits: string | undefined) => (digits ? `+${digits.replace(/\D/g, '')}` : '');
/** Meta sends Unix seconds as strings. */
const millis = (seconds: string | undefined, fallback: number) => {
  const n = Number(seconds);
  return Number.isFinite(n) && n > 0 ? n * 1000 : fallback;
};

function content(message: Json): {
  text: string;
  media: Media[];
  carrierMedia?: CarrierMediaRef[];
} {
  const type = stringField(message, 'type') ?? '';
  if (type === 'text') return { text: stringField(message.text, 'body') ?? '', media: [] };
  if ((MEDIA_TYPES as readonly string[]).includes(type)) {
    const part = object(message[type]);
    const id = stringField(part, 'id');
    const mimeType = stringField(part, 'mime_type') ?? 'application/octet-stream';
    const fileName = stringField(part, 'filename') ?? `${type}-${id ?? 'media'}`;
    // The media id is only reachable with the access token: fetched and stored before the desk.
    return {
      text: stringField(part, 'caption') ?? '',
      media: [],
      ...(id ? { carrierMedia: [{ id, mimeType, fileName }] } : {}),
    };
  }
  if (type === 'button') return { text: stringField(message.button, 'text') ?? '', media: [] };
  if (type === 'interactive') {
    const reply = object(message.interactive);
    const chosen = object(reply.button_reply ?? reply.list_reply);
    return { text: stringField(chosen, 'title') ?? '', media: [] };
  }
  if (type === 'location') {
    const at = object(message.location);
    const where = [stringField(at, 'name'), stringField(at, 'address')].filter(Boolean).join(', ');
    const coords = `${stringField(at, 'latitude')},${stringField(at, 'longitude')}`;
    return { text: `${where ? `${where} ` : ''}https://maps.google.com/?q=${coords}`, media: [] };
  }
  return { text: `(A WhatsApp ${type || 'message'} the desk cannot show.)`, media: [] };
}

export function parseCloudWebhook(body: string, options: CloudWebhookOptions): CarrierEvent[] {
  let payload: Json;
  try {
    payload = object(JSON.parse(body));
  } catch (cause) {
    throw new DeskError('invalid_input', 'WhatsApp webhook body is not JSON.', { cause });
  }
  if (payload.object !== 'whatsapp_business_account') {
    throw new DeskError('invalid_input', 'Not a WhatsApp Business Account webhook.');
  }
  const now = options.receivedAt;
  const events: CarrierEvent[] = [];
  for (const entry of list(payload.entry)) {
    for (const change of list(entry.changes)) {
      if (change.field !== 'messages') continue;
      const value = object(change.value);
      const metadata = object(value.metadata);
      if (stringField(metadata, 'phone_number_id') !== options.phoneNumberId) continue;
      const to = e164(stringField(metadata, 'display_phone_number'));
      const names = new Map(
        list(value.contacts).map((c) => [stringField(c, 'wa_id'), stringField(c.profile, 'name')]),
      );
      for (const message of list(value.messages)) {
        const id = stringField(message, 'id');
        const from = stringField(message, 'from');
        if (!id || !from) continue;
        if (message.type === 'reaction') continue; // a reaction is not a message of the thread
        const profileName = names.get(from);
        events.push({
          kind: 'message',
          carrierMessageId: id,
          channel: 'whatsapp',
          from: e164(from),
          to,
          ...content(message),
          at: millis(stringField(message, 'timestamp'), now),
          ...(profileName ? { profileName } : {}),
        });
      }
      for (const status of list(value.statuses)) {
        const id = stringField(status, 'id');
        const error = list(status.errors)[0];
        const mapped = options.status(
          stringField(status, 'status') ?? '',
          error && {
            code: stringField(error, 'code'),
            text:
              stringField(error.error_data, 'details') ??
              stringField(error, 'message') ??
              stringField(error, 'title'),
          },
        );
        if (!id || !mapped) continue;
        events.push({
          kind: 'status',
          carrierMessageId: id,
          at: millis(stringField(status, 'timestamp'), now),
          ...mapped,
        });
      }
    }
  }
  return events;
}
