import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import './inbox.js';
import type { CdInbox } from './inbox.js';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;
const mine = { kind: 'mine' } as const;
const number = (i: number) => `+1415201${String(i).padStart(4, '0')}`;

async function deskWith(count: number): Promise<Desk> {
  const desk = await EmbeddedBackendForTests('alice');
  for (let i = 0; i < count; i++) {
    desk.clock.advance(1000);
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(i), text: `M${i}` });
  }
  await desk.client.idle();
  return desk;
}

async function renderInbox(desk: Desk) {
  const wrapper = await fixture<HTMLElement>(html`
    <cd-desk-provider .client=${desk.client}>
      <div style="height: 480px; width: 420px; display: flex; flex-direction: column">
        <cd-inbox .view=${mine}></cd-inbox>
      </div>
    </cd-desk-provider>
  `);
  const el = wrapper.querySelector('cd-inbox')!;
  await el.updateComplete;
  return el;
}

async function settle(desk: Desk, el: CdInbox) {
  await new Promise((r) => setTimeout(r, 0));
  await desk.client.idle();
  await el.updateComplete;
  await nextFrame();
  await nextFrame();
  await el.updateComplete;
}

const rows = (el: CdInbox) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
/** The indexes of drawn rows not standing right under the one before them. */
const misplaced = (el: CdInbox) => {
  const boxes = rows(el)
    .sort((a, b) => Number(a.dataset['index']) - Number(b.dataset['index']))
    .map((r) => r.getBoundingClientRect());
  return boxes
    .map((box, i) => (i > 0 && Math.abs(box.top - boxes[i - 1]!.bottom) >= 1 ? i : -1))
    .filter((i) => i >= 0);
};
const titleAt = (el: CdInbox, index: number) =>
  rows(el)
    .find((r) => r.dataset['index'] === String(index))
    ?.querySelector('[part~="title"]')?.textContent;

/** Counts reads of every view snapshot's whole `rows` list (what must not happen per change). */
function countRowsReads(desk: Desk): { count: number } {
  const reads = { count: 0 };
  const proto = Object.getPrototypeOf(desk.client.view(mine)) as object;
  const getter = Object.getOwnPropertyDescriptor(proto, 'rows')!.get!;
  Object.defineProperty(proto, 'rows', {
    configurable: true,
    get(this: unknown) {
      reads.count++;
      return getter.call(this);
    },
  });
  return reads;
}

describe('<cd-inbox> over a long view (issue 11)', () => {
  it('V5: an incoming message moves its row to the top without the list reading the whole view', async () => {
    const desk = await deskWith(400);
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    const reads = countRowsReads(desk);

    desk.clock.advance(1000);
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(5), text: 'again' });
    await settle(desk, el);
    await waitUntil(() => titleAt(el, 0) === '+1 415 201 0005', 'the row is on top');

    expect(reads.count).to.equal(0);
    expect(rows(el).length).to.be.lessThan(120);
    await expect(el).to.be.accessible();
  });

  it('RD2: a checked row stays checked, counted and focused as new messages move it down the list', async () => {
    const desk = await deskWith(300);
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    const top = rows(el).find((r) => r.dataset['index'] === '0')!;
    top.focus();
    await sendKeys({ press: 'Space' }); // checks the newest conversation (number 299)
    await waitUntil(() => el.selectedConversationIds.length === 1, 'one checked');
    const checkedId = el.selectedConversationIds[0]!;
    const reads = countRowsReads(desk);

    for (const i of [10, 20]) {
      desk.clock.advance(1000);
      await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(i), text: 'up' });
    }
    await settle(desk, el);
    await waitUntil(() => titleAt(el, 2) === '+1 415 201 0299', 'the checked row moved down');

    expect(el.selectedConversationIds).to.deep.equal([checkedId]);
    expect(el.shadowRoot!.querySelector('[part~="selection-count"]')!.textContent).to.contain('1');
    const moved = rows(el).find((r) => r.dataset['index'] === '2')!;
    expect(moved.getAttribute('aria-selected')).to.equal('true');
    // Focus follows the conversation, not the position (V5).
    expect((el.shadowRoot!.activeElement as HTMLElement).dataset['index']).to.equal('2');
    expect(reads.count).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('V6: typing a search shows the matching rows of the long view; clearing it shows the view again', async () => {
    const desk = await deskWith(300);
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    el.shadowRoot!.querySelector<HTMLInputElement>('[part~="search-input"]')!.focus();
    await sendKeys({ type: '201 012' });
    await settle(desk, el);
    // 0120 to 0129, newest first.
    await waitUntil(() => rows(el).length === 10, 'ten matches');
    expect(titleAt(el, 0)).to.equal('+1 415 201 0129');
    expect(titleAt(el, 9)).to.equal('+1 415 201 0120');
    await expect(el).to.be.accessible();

    for (let i = 0; i < 7; i++) await sendKeys({ press: 'Backspace' });
    await settle(desk, el);
    await waitUntil(() => titleAt(el, 0) === '+1 415 201 0299', 'the whole view again');
  });
  it('V5: the rows still tile, without gap or overlap, as messages move them', async () => {
    const desk = await deskWith(60);
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    // The virtualizer writes a row's place only when it changed and measures only new and
    // resized rows: each moved row must still stand right under the one before it.
    for (const i of [50, 12, 5, 59]) {
      desk.clock.advance(1000);
      await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(i), text: 'up' });
      await settle(desk, el);
      await waitUntil(
        () => titleAt(el, 0) === `+1 415 201 00${String(i).padStart(2, '0')}`,
        'on top',
      );
      expect(misplaced(el), `tiled after a message from ${i}`).to.deep.equal([]);
      expect(rows(el)[0]!.getBoundingClientRect().top).to.be.lessThan(
        rows(el)[1]!.getBoundingClientRect().top,
      );
    }
  });

  it('draws the rows in view and a few beyond, not two screens of them', async () => {
    const desk = await deskWith(100);
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    desk.clock.advance(1000);
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(200), text: 'new' });
    await settle(desk, el);
    await waitUntil(() => titleAt(el, 0) === '+1 415 201 0200', 'the new row on top');
    // 480 px of list: the rows in view and 300 px of rows below (the library drew 1,000 px).
    const height = rows(el)[0]!.getBoundingClientRect().height;
    expect(rows(el).length).to.be.at.most(Math.ceil((480 + 300) / height) + 1);
    expect(rows(el).length).to.be.at.least(Math.ceil(480 / height));
    expect(misplaced(el)).to.deep.equal([]);
  });

  it('V5: rows of different heights (a theme makes unread rows taller) still tile as messages move them', async () => {
    const desk = await deskWith(60);
    // Every third conversation read: the list mixes short and tall rows.
    const ids = desk.client
      .view(mine)
      .rows.filter((_, i) => i % 3 === 0)
      .map((r) => r.conversation.id);
    await desk.client.markRead(ids, true);
    const wrapper = await fixture<HTMLElement>(html`
      <cd-desk-provider .client=${desk.client}>
        <style>
          cd-inbox::part(row-unread) {
            min-height: 90px;
          }
        </style>
        <div style="height: 480px; width: 420px; display: flex; flex-direction: column">
          <cd-inbox .view=${mine}></cd-inbox>
        </div>
      </cd-desk-provider>
    `);
    const el = wrapper.querySelector('cd-inbox')!;
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    expect(misplaced(el), 'tiled at first').to.deep.equal([]);
    // Rows keep their heights as they move (a tall row over a short one, then the reverse), and
    // one changes height as it moves (a read conversation becomes unread).
    // 100-101: conversations new to the view, their rows made on top (tall, as unread rows are,
    // where a short row stood; then tall where a tall one stood: measured, no layout pass).
    for (const i of [57, 12, 30, 100, 101, 1, 59]) {
      desk.clock.advance(1000);
      await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: number(i), text: 'up' });
      await settle(desk, el);
      await waitUntil(
        () => titleAt(el, 0) === `+1 415 201 0${String(i).padStart(3, '0')}`,
        'on top',
      );
      await settle(desk, el);
      expect(misplaced(el), `tiled after a message from ${i}`).to.deep.equal([]);
    }
  });
});
