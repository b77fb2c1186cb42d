import { expect, waitUntil } from '@open-wc/testing';
import type { DeskClient } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import { PHONE } from '../../test/support/seed.js';
import '../provider/provider.js';
import type { CdConversation } from './conversation.js';
import './conversation.js';
import { frames, mountConversation } from './test-mount.js';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;

/** `count` incoming messages from Eli, a second apart; the conversation's id. */
async function thread(desk: Desk, count: number, from = 1): Promise<string> {
  let id = '';
  for (let i = from; i < from + count; i++) {
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text: `Message ${i}`,
    });
    id = conversation.id;
    desk.clock.advance(1000);
  }
  await desk.client.idle();
  return id;
}

const mount = (client: DeskClient, id: string, height = 400) =>
  mountConversation(client, id, { height, settled: true });

const log = (el: CdConversation) => el.shadowRoot!.querySelector<HTMLElement>('[part~="log"]')!;
const messages = (el: CdConversation) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message"]'),
];
const textOf = (m: Element) => m.querySelector('[part~="text"]')?.textContent?.trim();
const find = (el: CdConversation, text: string) => messages(el).find((m) => textOf(m) === text);

/** Whether a message lies inside the visible part of the list. */
function inView(el: CdConversation, message: Element | undefined): boolean {
  if (!message) return false;
  const box = log(el).getBoundingClientRect();
  const r = message.getBoundingClientRect();
  return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
}

describe('<cd-conversation> message list, virtualized (issue 11)', () => {
  it('opens at the newest message with a bounded number of message elements', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await thread(desk, 130);
    const el = await mount(desk.client, id);
    await waitUntil(() => inView(el, find(el, 'Message 130')), 'the newest message is in view');
    expect(messages(el).length).to.be.within(3, 40);
    await expect(el).to.be.accessible();
  });

  it('scrolling to the top loads the page before above, keeping the message read in place', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await thread(desk, 130);
    const el = await mount(desk.client, id);
    // The client's first page is the newest 50 (81–130).
    log(el).scrollTop = 0;
    await waitUntil(() => find(el, 'Message 81'), 'the oldest loaded message is drawn');
    const read = find(el, 'Message 81')!;
    const before = read.getBoundingClientRect().top;
    await waitUntil(
      () => desk.client.getState().threads.get(id)!.count === 100,
      'the page before loads',
    );
    await frames();
    await frames();
    expect(Math.abs(find(el, 'Message 81')!.getBoundingClientRect().top - before)).to.be.below(2);
    expect(log(el).scrollTop, 'older messages are above').to.be.above(0);
    expect(messages(el).length).to.be.below(40);
  });

  it('scrolls up through a 2,000-message thread to its first message with a bounded DOM', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await thread(desk, 2000);
    const el = await mount(desk.client, id);
    let most = 0;
    for (let step = 0; step < 400 && !find(el, 'Message 1'); step++) {
      log(el).scrollTop -= 3000;
      await frames();
      most = Math.max(most, messages(el).length);
    }
    await waitUntil(() => find(el, 'Message 1'), 'the first message is reached');
    expect(most).to.be.below(60);
    expect(desk.client.getState().threads.get(id)!.count).to.equal(2000);
  });

  it('a new message at the end keeps a list that was at its end pinned there; one scrolled up stays put', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await thread(desk, 200);
    const el = await mount(desk.client, id);
    await waitUntil(() => inView(el, find(el, 'Message 200')), 'opens at the end');
    await thread(desk, 1, 201);
    await waitUntil(() => inView(el, find(el, 'Message 201')), 'the new message is in view');
    await frames();
    expect(inView(el, find(el, 'Message 201'))).to.equal(true);

    log(el).scrollTop -= 600;
    await frames();
    const top = log(el).scrollTop;
    await thread(desk, 1, 202);
    await el.updateComplete;
    await frames();
    expect(find(el, 'Message 202') && inView(el, find(el, 'Message 202'))).to.not.equal(true);
    expect(Math.abs(log(el).scrollTop - top)).to.be.below(2);
  });
});
