/**
 * What a channel accepts, apart from the recipient: media (count, type, size), WhatsApp's text
 * length and SN8's SMS parts. The send guard (./send-guard.ts) checks them; the compose box shows
 * them before the guard is loaded.
 */
import { DeskError } from '../errors.js';
import type { Channel, Media } from '../types.js';

const MB = 1024 * 1024;
const IMAGES = { 'image/jpeg': 5 * MB, 'image/png': 5 * MB };
const OFFICE = {
  'application/pdf': 100 * MB,
  'text/plain': 100 * MB,
  'application/msword': 100 * MB,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * MB,
  'application/vnd.ms-excel': 100 * MB,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * MB,
  'application/vnd.ms-powerpoint': 100 * MB,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * MB,
};

/** Accepted media per channel: at most `maxFiles`, and per MIME type a maximum size in bytes. */
export const MEDIA_LIMITS: Readonly<
  Record<Channel, { maxFiles: number; types: Readonly<Record<string, number>> }>
> = Object.freeze({
  // SMS attachments go out as MMS.
  sms: { maxFiles: 10, types: { ...IMAGES, 'image/gif': 5 * MB } },
  whatsapp: {
    maxFiles: 10,
    types: {
      ...IMAGES,
      'video/mp4': 16 * MB,
      'video/3gpp': 16 * MB,
      'audio/aac': 16 * MB,
      'audio/mpeg': 16 * MB,
      'audio/ogg': 16 * MB,
      'audio/amr': 16 * MB,
      'audio/mp4': 16 * MB,
      ...OFFICE,
    },
  },
});

/** WhatsApp's limit for a text message, in characters. */
export const WHATSAPP_MAX_CHARACTERS = 4096;
/** SN8: the longest SMS the desk sends, in parts. */
export const SMS_MAX_PARTS = 10;

export const CHANNEL_NAMES: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };
const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** Media checks for a channel: count, type and size. Throws `media_rejected`. */
export function validateMedia(channel: Channel, media: readonly Media[]): void {
  const limits = MEDIA_LIMITS[channel];
  const name = CHANNEL_NAMES[channel];
  if (!limits) throw new DeskError('invalid_input', `Unknown channel "${String(channel)}".`);
  if (!Array.isArray(media)) throw new DeskError('invalid_input', 'Media must be a list of files.');
  const reject = (reason: string, details: Record<string, unknown>) =>
    new DeskError('media_rejected', reason, { details });
  if (media.length > limits.maxFiles) {
    throw reject(`At most ${limits.maxFiles} files can be sent in one ${name} message.`, {
      count: media.length,
      maxFiles: limits.maxFiles,
    });
  }
  for (const { fileName, mimeType, size } of media) {
    // "image/JPEG; name=x" is the same type as "image/jpeg".
    const type = String(mimeType ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const maxSize = Object.hasOwn(limits.types, type) ? limits.types[type] : undefined;
    if (maxSize === undefined) {
      throw reject(`${name} does not accept files of the type of "${fileName}".`, {
        fileName,
        mimeType,
      });
    }
    if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
      throw reject(`The file "${fileName}" is empty or its size is unknown.`, { fileName, size });
    }
    if (size > maxSize) {
      throw reject(
        `The file "${fileName}" is larger than the ${megabytes(maxSize)} ${name} accepts for this type of file.`,
        { fileName, size, maxSize },
      );
    }
  }
}
