/**
 * Customer attachments the carrier keeps behind its API (WhatsApp Cloud media ids, Twilio
 * MediaUrls): fetched once with the provider's `fetchMedia`, stored in Postgres, and served by
 * `GET /media/{id}` to the agents who may see the conversation it arrived in (anyone else:
 * `not_found`). The file name is the customer's text: cleaned, and only ever sent as a header
 * parameter; the content type is one of the allowed types, never sniffed, and the answer cannot
 * run as a page.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DeskError, isDeskError } from '../../errors.js';
import type { Media } from '../../types.js';
import type { Db } from '../db.js';
import { DEFAULT_MEDIA_LIMITS } from './media-fetch.js';
import type { InboundMessage, MediaLimits, Provider } from './provider.js';

export const MEDIA_PREFIX = '/media/';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A customer's file name as plain text: no controls, no bidi overrides, no path. */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[/\\]/g, '_')
    .trim()
    .slice(0, 120);
  return cleaned.replace(/^\.+/, '') || 'attachment';
}

/** Fetches and stores a message's carrier-held attachments; a refused one becomes a note. */
export async function resolveCarrierMedia(
  db: Db,
  provider: Provider | undefined,
  message: InboundMessage,
  options: { publicUrl: string; limits?: MediaLimits },
): Promise<{ media: Media[]; text: string; stored: string[] }> {
  const media = [...message.media];
  const ids: string[] = [];
  const notes: string[] = [];
  for (const ref of message.carrierMedia ?? []) {
    const fileName = safeFileName(ref.fileName);
    const known = await db
      .selectFrom('desk_carrier_media')
      .select(['id', 'mime_type', 'size'])
      .where('carrier', '=', provider?.name ?? '')
      .where('carrier_media_id', '=', ref.id)
      .executeTakeFirst();
    let stored = known && { id: known.id, mimeType: known.mime_type, size: Number(known.size) };
    if (!stored) {
      try {
        if (!provider?.fetchMedia) throw new DeskError('media_rejected', 'cannot be fetched');
        const fetched = await provider.fetchMedia(ref, options.limits ?? DEFAULT_MEDIA_LIMITS);
        stored = { id: randomUUID(), mimeType: fetched.mimeType, size: fetched.bytes.byteLength };
        await db
          .insertInto('desk_carrier_media')
          .values({
            id: stored.id,
            carrier: provider.name,
            carrier_media_id: ref.id,
            mime_type: stored.mimeType,
            file_name: fileName,
            size: stored.size,
            data: fetched.bytes,
            created_at: Date.now(),
          })
          .onConflict((oc) => oc.columns(['carrier', 'carrier_media_id']).doNothing())
          .execute();
      } catch (error) {
        // Outages are tried again by the webhook pipeline; any other refusal (type, size, an
        // expired token) keeps the message, with a note in place of the file.
        if (!isDeskError(error) || TRANSIENT.has(error.code)) throw error;
        notes.push(`(An attachment, "${fileName}", was not accepted: ${error.message})`);
        continue;
      }
    }
    const base = options.publicUrl.replace(/\/$/, '');
    ids.push(stored.id);
    media.push({
      url: `${base}${MEDIA_PREFIX}${stored.id}`,
      mimeType: stored.mimeType,
      fileName,
      size: stored.size,
    });
  }
  return { media, text: [message.text, ...notes].filter(Boolean).join('\n'), stored: ids };
}

/** The stored attachments of a message belong to its conversation from now on. */
export async function linkCarrierMedia(db: Db, ids: string[], conversationId: string) {
  if (ids.length === 0) return;
  await db
    .updateTable('desk_carrier_media')
    .set({ conversation_id: conversationId })
    .where('id', 'in', ids)
    .where('conversation_id', 'is', null)
    .execute();
}

const TRANSIENT = new Set(['server', 'network', 'rate_limited']);
const INLINE = /^(image|audio|video)\//;

/**
 * `GET /media/{id}`: behind the server's bearer check, and only for a user who may see the
 * conversation holding it (`canSee` rejects with `not_found` otherwise, as for the conversation).
 */
export function registerMediaRoute(
  app: FastifyInstance,
  db: Db,
  canSee: (userId: string, conversationId: string) => Promise<unknown>,
): void {
  app.get(`${MEDIA_PREFIX}:id`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const row = ID.test(id)
      ? await db
          .selectFrom('desk_carrier_media')
          .select(['mime_type', 'file_name', 'conversation_id'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    const userId = request.identity?.userId;
    // Not yet in a conversation (or no user): nobody's to see. Same answer as an unknown id.
    if (!row?.conversation_id || !userId) throw new DeskError('not_found', `No attachment ${id}.`);
    try {
      await canSee(userId, row.conversation_id);
    } catch (error) {
      if (isDeskError(error) && error.code === 'not_found') {
        throw new DeskError('not_found', `No attachment ${id}.`);
      }
      throw error;
    }
    const { data } = await db
      .selectFrom('desk_carrier_media')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const ascii = row.file_name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    const disposition = INLINE.test(row.mime_type) ? 'inline' : 'attachment';
    return reply
      .header('content-type', row.mime_type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header(
        'content-disposition',
        `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.file_name)}`,
      )
      .header('cache-control', 'private, max-age=86400')
      .send(Buffer.from(data));
  });
}
