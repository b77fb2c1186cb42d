/**
 * WhatsApp Cloud media: a media id is fetched through the Graph API (GET /{media-id}, then its
 * URL, both with the bearer token), within type and size limits, checked against its hash.
 */
import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppCloudProvider } from '../../src/server/carriers/index.js';
import { DEFAULT_MEDIA_LIMITS } from '../../src/server/carriers/media-fetch.js';
import { safeFileName } from '../../src/server/carriers/media.js';
import { rejects } from '../support/errors.js';
import { fixture } from './support.js';

const PHONE_ID = '106540352242922';
const MEDIA_ID = '1003383421387256';
const GRAPH = `https://graph.facebook.com/v21.0/${MEDIA_ID}`;
const info = fixture<Record<string, string>>('whatsapp/media-url.json');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ref = { id: MEDIA_ID, mimeType: 'image/jpeg', fileName: 'image-1' };

const provider = createWhatsAppCloudProvider({
  phoneNumberId: PHONE_ID,
  accessToken: 'EAAG-test-token',
  appSecret: 'secret',
  verifyToken: 'verify',
});

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

/** The Graph API and the download URL, recording each request's path and authorization. */
function carrier(
  over: Record<string, string> = {},
  download: () => Response = () =>
    new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } }),
) {
  const calls: Array<{ url: string; authorization: string | null }> = [];
  msw.use(
    http.get(GRAPH, ({ request }) => {
      calls.push({ url: request.url, authorization: request.headers.get('authorization') });
      return HttpResponse.json({ ...info, sha256: hash(JPEG), file_size: '10', ...over });
    }),
    http.get('https://lookaside.fbsbx.com/whatsapp_business/attachments/', ({ request }) => {
      calls.push({ url: request.url, authorization: request.headers.get('authorization') });
      return download();
    }),
  );
  return calls;
}

describe('WhatsApp Cloud media', () => {
  it('fetches the media URL by id, then the file, both with the bearer token', async () => {
    const calls = carrier();
    const fetched = await provider.fetchMedia!(ref, DEFAULT_MEDIA_LIMITS);
    expect(fetched.mimeType).toBe('image/jpeg');
    expect([...fetched.bytes]).toEqual([...JPEG]);
    expect(calls).toEqual([
      { url: `${GRAPH}?phone_number_id=${PHONE_ID}`, authorization: 'Bearer EAAG-test-token' },
      { url: info.url, authorization: 'Bearer EAAG-test-token' },
    ]);
  });

  it('refuses a type outside the allowed ones before downloading it', async () => {
    const calls = carrier({ mime_type: 'application/x-msdownload' });
    const error = await rejects(provider.fetchMedia!(ref, DEFAULT_MEDIA_LIMITS), 'media_rejected');
    expect(error.message).toContain('application/x-msdownload');
    expect(calls).toHaveLength(1);
  });

  it('refuses a file larger than the limit, declared or as it streams', async () => {
    const limits = { ...DEFAULT_MEDIA_LIMITS, maxBytes: 8 };
    const declared = carrier({ file_size: '303833' });
    await rejects(provider.fetchMedia!(ref, limits), 'media_rejected');
    expect(declared).toHaveLength(1);
    msw.resetHandlers();
    // The carrier says 4 bytes; the body has 10: cut while reading.
    carrier(
      { file_size: '4' },
      () =>
        new HttpResponse(
          new ReadableStream({
            start(controller) {
              controller.enqueue(JPEG);
              controller.close();
            },
          }),
          { headers: { 'content-type': 'image/jpeg' } },
        ),
    );
    await rejects(provider.fetchMedia!(ref, limits), 'media_rejected');
  });

  it('refuses a download whose content type is not the declared one', async () => {
    carrier(
      {},
      () =>
        new HttpResponse('<script>alert(1)</script>', { headers: { 'content-type': 'text/html' } }),
    );
    const error = await rejects(provider.fetchMedia!(ref, DEFAULT_MEDIA_LIMITS), 'media_rejected');
    expect(error.message).toContain('text/html');
  });

  it('a download that does not match its hash, or a carrier outage, may be tried again', async () => {
    carrier({ sha256: hash(new Uint8Array([1])) });
    const mismatch = await rejects(provider.fetchMedia!(ref, DEFAULT_MEDIA_LIMITS), 'server');
    expect(mismatch.details.retryable).toBe(true);
    msw.resetHandlers();
    carrier({}, () => new HttpResponse(null, { status: 503 }));
    const outage = await rejects(provider.fetchMedia!(ref, DEFAULT_MEDIA_LIMITS), 'server');
    expect(outage.details.retryable).toBe(true);
  });

  it("cleans the customer's file name: no path, no control or bidi characters", () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
    expect(safeFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(safeFileName('   ')).toBe('attachment');
  });
});
