/**
 * Files the backend keeps behind its token (the server's `/media/{id}`): the conversation shows
 * them through the client (`client.mediaUrl`), as `blob:` URLs it releases when they leave.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { BackendAdapter } from '../../src/adapter.js';
import { createDeskClient, createManualClock, type DeskClient } from '../../src/index.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { Layer } from '../../src/offline/layer.js';
import { PHONE, seed } from '../../test/support/seed.js';
import '../provider/provider.js';
import type { CdConversation } from './conversation.js';
import './conversation.js';

const FILE = 'https://desk.test/media/0b8f3c1e-2a4d-4e6f-8a9b-1c2d3e4f5a6b';
// A 1×1 PNG.
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  ),
  (c) => c.charCodeAt(0),
);

/** An adapter that serves FILE behind a "token", as the HTTP adapter does. */
class TokenMedia extends Layer {
  fetched = 0;
  override ownsMedia(url: string) {
    return url === FILE;
  }
  override async fetchMedia(url: string) {
    if (url !== FILE) throw new Error('not ours');
    this.fetched++;
    return new Blob([PNG], { type: 'image/png' });
  }
}

async function setUp(): Promise<{ client: DeskClient; adapter: TokenMedia; ids: string[] }> {
  const clock = createManualClock(Date.UTC(2026, 10, 23, 15, 0));
  const backend = await EmbeddedBackend.open({ clock });
  await backend.seed(seed());
  const ids: string[] = [];
  for (const [from, media] of [
    [PHONE.eli, [{ url: FILE, mimeType: 'image/png', fileName: 'damage.png', size: PNG.length }]],
    [PHONE.dana, []],
  ] as const) {
    const { conversation } = await backend.simulateIncoming({
      senderId: 'alice-sms',
      from,
      text: 'Look',
      media: [...media],
    });
    ids.push(conversation.id);
  }
  const adapter = new TokenMedia(backend.connect('alice') as BackendAdapter);
  const client = createDeskClient({ adapter, clock });
  await client.connect();
  return { client, adapter, ids };
}

const img = (el: CdConversation) => el.shadowRoot!.querySelector<HTMLImageElement>('img');

describe('cd-conversation: files behind the token', () => {
  it('a revealed /media image is shown from the blob: URL the client fetched, released when it leaves', async () => {
    const { client, adapter, ids } = await setUp();
    const wrapper = await fixture<HTMLElement>(
      html`<cd-desk-provider .client=${client}
        ><cd-conversation .conversationId=${ids[0]}></cd-conversation
      ></cd-desk-provider>`,
    );
    const el = wrapper.querySelector('cd-conversation')!;
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="media-reveal"]'), 'the file');
    expect(adapter.fetched).to.equal(0); // nothing is fetched before the user asks
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="media-reveal"]')!.click();
    await waitUntil(() => img(el)?.getAttribute('src')?.startsWith('blob:'), 'the blob: URL');
    const src = img(el)!.getAttribute('src')!;
    await waitUntil(() => img(el)!.complete && img(el)!.naturalWidth === 1, 'the image loads');
    expect(img(el)!.alt).to.equal('damage.png');
    expect(adapter.fetched).to.equal(1);
    await expect(el).to.be.accessible();

    el.conversationId = ids[1]!;
    await waitUntil(() => img(el) === null, 'the other conversation');
    // Released: the blob: URL no longer answers.
    await waitUntil(
      () =>
        fetch(src).then(
          () => false,
          () => true,
        ),
      'the blob: URL is revoked',
    );
  });
});
