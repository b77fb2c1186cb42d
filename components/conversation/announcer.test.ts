import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DeskClient } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import { PHONE } from '../../test/support/seed.js';
import type { CdCompose } from '../compose/compose.js';
import '../provider/provider.js';
import type { CdConversation } from './conversation.js';
import './conversation.js';
import { frames, mountConversation } from './test-mount.js';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;

/** Incoming messages from Eli, a second apart; the conversation's id. */
async function receive(desk: Desk, texts: string[]): Promise<string> {
  let id = '';
  for (const text of texts) {
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text,
    });
    id = conversation.id;
    desk.clock.advance(1000);
  }
  await desk.client.idle();
  return id;
}

const numbered = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `Message ${from + i}`);

const mount = (client: DeskClient, id: string) =>
  mountConversation(client, id, { height: 400, settled: true });

const log = (el: CdConversation) => el.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
/** The live region a screen reader reads; the only live one around the list. */
const live = (el: CdConversation) =>
  el.shadowRoot!.querySelector<HTMLElement>('.visually-hidden[aria-live="polite"]')!;
const said = (el: CdConversation) =>
  [...live(el).querySelectorAll('p')].map((p) => p.textContent!.trim());
const drawn = (el: CdConversation, text: string) =>
  [...el.shadowRoot!.querySelectorAll('[part~="text"]')].some(
    (p) => p.textContent!.trim() === text,
  );

describe('<cd-conversation> announcements (screen readers and the virtual list)', () => {
  it('scrolling up and loading an older page announces nothing; a new incoming message is announced', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await receive(desk, numbered(1, 130));
    const el = await mount(desk.client, id);
    expect(log(el).getAttribute('role')).to.equal('log');
    expect(log(el).getAttribute('aria-live'), 'rows drawn while scrolling are not news').to.equal(
      'off',
    );
    expect(live(el).getAttribute('role')).to.equal('log');
    expect(said(el)).to.deep.equal([]);

    // The client's first page is the newest 50 (81–130); the top loads 31–80.
    log(el).scrollTop = 0;
    await waitUntil(
      () => desk.client.getState().threads.get(id)!.count === 100,
      'the page before loads',
    );
    for (let step = 0; step < 20 && !drawn(el, 'Message 31'); step++) {
      log(el).scrollTop = 0;
      await frames();
    }
    await el.updateComplete;
    expect(drawn(el, 'Message 60') || drawn(el, 'Message 31'), 'older rows were drawn').to.equal(
      true,
    );
    expect(said(el)).to.deep.equal([]);

    await receive(desk, ['Is my order on its way?']);
    await el.updateComplete;
    await waitUntil(() => said(el).length > 0, 'the new message is announced');
    expect(said(el)).to.deep.equal(['Eli: Is my order on its way?']);
    await expect(el).to.be.accessible();
  });

  it('customer text is announced as text, never HTML', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await receive(desk, ['Hi']);
    const el = await mount(desk.client, id);
    const hostile = '<img src=x onerror="window.pwned=1"><b>bold</b>';
    await receive(desk, [hostile]);
    await el.updateComplete;
    await waitUntil(() => said(el).length > 0, 'the new message is announced');
    expect(said(el)).to.deep.equal([`Eli: ${hostile}`]);
    expect(live(el).querySelector('img, b')).to.equal(null);
  });

  it('SN7: an own message that fails after it was sent is announced with its reason', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await receive(desk, ['Hello']);
    const el = await mount(desk.client, id);
    await desk.backend.failNextSend(PHONE.eli);
    const box = el.shadowRoot!.querySelector<CdCompose>('cd-compose')!;
    await box.updateComplete;
    box.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ type: 'Will fail' });
    const sent = oneEvent(el, 'cd-sent');
    await sendKeys({ press: 'Enter' });
    await sent;
    await el.updateComplete;
    expect(said(el), 'sending is the user’s own act: not announced').to.deep.equal([]);

    desk.clock.advance(400);
    await waitUntil(() => said(el).length > 0, 'the failure is announced');
    expect(said(el)).to.deep.equal(['Your message was not sent: Carrier rejected the message']);
    await expect(el).to.be.accessible();
  });
});
