/**
 * Downloading an attachment from a carrier with limits: the type must be allowed on the carrier's
 * word and again on the answer's Content-Type, and the size is capped while reading (a body that
 * grows past the limit is cut, whatever Content-Length said).
 */
import { createHash } from 'node:crypto';
import { DeskError } from '../../errors.js';
import { carrierError } from './errors.js';
import type { MediaLimits } from './provider.js';

/**
 * What the desk accepts from customers by default: WhatsApp's supported media types (images,
 * audio, video, documents, stickers), 16 MiB (WhatsApp's own audio and video limit).
 */
export const DEFAULT_MEDIA_LIMITS: MediaLimits = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  types: new Set([
    'image/jpeg',
    'image/png',
    'image/webp',
    'audio/aac',
    'audio/amr',
    'audio/mpeg',
    'audio/mp4',
    'audio/ogg',
    'video/mp4',
    'video/3gpp',
    'text/plain',
    'application/pdf',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ]),
});

/** `image/jpeg; charset=x` → `image/jpeg`. */
export const baseType = (value: string | null | undefined) =>
  (value ?? '').split(';')[0]!.trim().toLowerCase();

export function refused(carrier: string, why: string): DeskError {
  return new DeskError('media_rejected', `${carrier} attachment refused: ${why}.`, {
    details: { carrier, retryable: false },
  });
}

/** Checks a declared type and size against the limits; returns the base type. */
export function checkDeclared(
  carrier: string,
  limits: MediaLimits,
  mimeType: string | undefined,
  size: number | undefined,
): string {
  const type = baseType(mimeType);
  if (!limits.types.has(type)) throw refused(carrier, `type "${type || 'unknown'}" is not allowed`);
  if (size !== undefined && size > limits.maxBytes) {
    throw refused(carrier, `${size} bytes is over the ${limits.maxBytes}-byte limit`);
  }
  return type;
}

export interface Download {
  carrier: string;
  fetch: typeof fetch;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  limits: MediaLimits;
  /** The type the carrier declared: the answer must carry the same. */
  mimeType: string;
}

export async function downloadLimited(download: Download): Promise<Uint8Array> {
  const { carrier, limits } = download;
  let response: Response;
  try {
    response = await download.fetch(download.url, {
      headers: download.headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(download.timeoutMs),
    });
  } catch (cause) {
    // A download can be made again: nothing is sent, so retrying is always safe.
    throw carrierError(
      {},
      { carrier, message: `${carrier} media could not be downloaded.` },
      cause,
    );
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => undefined);
    throw carrierError(
      {},
      { carrier, message: 'media download failed', httpStatus: response.status },
    );
  }
  const type = baseType(response.headers.get('content-type'));
  if (type !== download.mimeType) {
    void response.body?.cancel().catch(() => undefined);
    throw refused(carrier, `the file is "${type}", not the declared "${download.mimeType}"`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw refused(carrier, `over the ${limits.maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      total += read.value.byteLength;
      if (total > limits.maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw refused(carrier, `over the ${limits.maxBytes}-byte limit`);
      }
      chunks.push(read.value);
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Hex SHA-256 of bytes (Meta gives the media's hash to check the download against). */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
