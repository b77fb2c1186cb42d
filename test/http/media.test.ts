/**
 * Attachments behind the token (`GET {baseUrl}/media/{id}`): the client fetches them through the
 * HTTP adapter with the bearer token and hands out shared `blob:` URLs, revoked on last release;
 * no other URL is ever fetched with the token.
 */
import { resolveObjectURL } from 'node:buffer';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeskClient, type DeskClient } from '../../src/index.js';
import { createHttpAdapter } from '../../src/http/index.js';
import { rejects } from '../support/errors.js';

const BASE = 'https://desk.example.com/desk/v1';
const FILE = `${BASE}/media/0b8f3c1e-2a4d-4e6f-8a9b-1c2d3e4f5a6b`;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 0xff, 0xd9]);

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => msw.resetHandlers());
afterAll(() => msw.close());

let client: DeskClient;
let requests: Array<string | null>;
beforeEach(() => {
  requests = [];
  msw.use(
    http.get(FILE, ({ request }) => {
      requests.push(request.headers.get('authorization'));
      return request.headers.get('authorization') === 'Bearer t1'
        ? new HttpResponse(JPEG, { headers: { 'content-type': 'image/jpeg' } })
        : HttpResponse.json({ error: { code: 'unauthorized', message: 'No.' } }, { status: 401 });
    }),
  );
  const adapter = createHttpAdapter({
    baseUrl: BASE,
    token: () => 't1',
    outbox: false,
    cache: false,
    tabs: false,
  });
  client = createDeskClient({ adapter });
});

const bytesOf = async (url: string) => new Uint8Array(await resolveObjectURL(url)!.arrayBuffer());

describe('client.mediaUrl', () => {
  it('fetches a /media file with the bearer token and gives a blob: URL of its bytes', async () => {
    expect(client.mediaNeedsFetch({ url: FILE })).toBe(true);
    const handle = await client.mediaUrl({ url: FILE });
    expect(handle.url).toMatch(/^blob:/);
    expect(requests).toEqual(['Bearer t1']);
    expect(await bytesOf(handle.url)).toEqual(JPEG);
    expect(resolveObjectURL(handle.url)!.type).toBe('image/jpeg');
  });

  it('one fetch for everyone showing the file; the last release revokes the URL', async () => {
    const [a, b] = await Promise.all([
      client.mediaUrl({ url: FILE }),
      client.mediaUrl({ url: FILE }),
    ]);
    expect(a.url).toBe(b.url);
    expect(requests).toHaveLength(1);
    a.release();
    a.release(); // twice counts once
    expect(resolveObjectURL(b.url)).toBeDefined();
    b.release();
    await Promise.resolve();
    expect(resolveObjectURL(b.url)).toBeUndefined();
    // Shown again later: fetched again.
    const c = await client.mediaUrl({ url: FILE });
    expect(await bytesOf(c.url)).toEqual(JPEG);
    expect(requests).toHaveLength(2);
  });

  it('disconnect revokes every URL handed out', async () => {
    const handle = await client.mediaUrl({ url: FILE });
    client.disconnect();
    await vi.waitFor(() => expect(resolveObjectURL(handle.url)).toBeUndefined());
  });

  it('any other URL is given back as is and never fetched with the token', async () => {
    for (const url of [
      'https://evil.example.com/desk/v1/media/0b8f3c1e',
      'https://desk.example.com.evil.com/desk/v1/media/x',
      `${BASE}/media/../session`,
      `${BASE}/mediax/1`,
      'data:image/png;base64,iVBORw0KGgo=',
    ]) {
      expect(client.mediaNeedsFetch({ url })).toBe(false);
      const handle = await client.mediaUrl({ url });
      expect(handle.url).toBe(url);
    }
    expect(requests).toEqual([]);
  });

  it('a file the user may not see rejects with not_found, and is asked again next time', async () => {
    let calls = 0;
    msw.use(
      http.get(FILE, () => {
        calls++;
        return HttpResponse.json(
          { error: { code: 'not_found', message: 'No attachment.' } },
          { status: 404 },
        );
      }),
    );
    await rejects(client.mediaUrl({ url: FILE }), 'not_found');
    await rejects(client.mediaUrl({ url: FILE }), 'not_found');
    expect(calls).toBe(2);
  });
});
