import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import './desk.js';
import type { CdDesk } from './desk.js';

const PHONE = { dana: '+14155550101', eli: '+14155550102', unknown: '+14155550199' };

/** The element that has focus, through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

async function render(userId: string, width = '1200px') {
  const desk = await EmbeddedBackendForTests(userId);
  const el = await fixture<CdDesk>(
    html`<cd-desk style="height: 640px; width: ${width}" .client=${desk.client}></cd-desk>`,
  );
  await el.updateComplete;
  const $ = <T extends Element = HTMLElement>(selector: string) =>
    el.shadowRoot!.querySelector<T>(selector);
  const inbox = () => $('cd-inbox')!;
  const rows = () =>
    [...(inbox().shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])].sort(
      (a, b) => Number(a.dataset['index']) - Number(b.dataset['index']),
    );
  const conversation = () => $<HTMLElement & { conversationId?: string }>('cd-conversation');
  const settle = async () => {
    await aTimeout(0);
    await desk.client.idle();
    await el.updateComplete;
    await (inbox() as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await waitUntil(() => rows().length > 0, 'rows rendered');
  };
  return { ...desk, el, $, inbox, rows, conversation, settle };
}

const visible = (element: Element | null) =>
  !!element && (element as HTMLElement).getClientRects().length > 0;

describe('<cd-desk> agent flow', () => {
  it('A1: after assigning from the header, a confirmation shows and focus returns to Assign', async () => {
    const d = await render('admin');
    const id = (
      await d.backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.dana, text: 'Hi' })
    ).conversation.id;
    await d.settle();
    d.rows()[0]!.click();
    await waitUntil(() => d.conversation()?.conversationId === id);
    const conversation = d.conversation()!;
    await (conversation as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const assign =
      conversation.shadowRoot!.querySelector<HTMLButtonElement>('[part~="assign-button"]')!;
    assign.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = d.$('cd-assign-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open, 'dialog open');
    [...dialog.shadowRoot!.querySelectorAll<HTMLElement>('[part~="user"]')]
      .find((l) => l.querySelector('span')!.textContent === 'Alice')!
      .click();
    await (dialog as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('[part~="assign-button"]')!.click();
    await waitUntil(() => d.$('[part="announcement"]')!.textContent === 'Assigned to Alice.');
    expect(d.$('[part="announcement"]')!.getAttribute('role')).to.equal('status');
    await waitUntil(() => deepActive() === assign, 'focus back on Assign, not <body>');
    expect(d.client.getState().conversations.get(id)!.ownerId).to.equal('alice');
    await expect(d.el).to.be.accessible();
  });

  it('shortcuts: j and k move between conversations, / searches, r replies, ? lists them', async () => {
    const d = await render('alice');
    for (const [from, text] of [
      [PHONE.dana, 'first'],
      [PHONE.eli, 'second'],
      [PHONE.unknown, 'third'],
    ] as const) {
      await d.backend.simulateIncoming({ senderId: 'alice-sms', from, text });
      d.clock.advance(60_000);
    }
    await d.settle();
    const ids = d.client.view({ kind: 'mine' }).rows.map((r) => r.conversation.id);
    d.rows()[0]!.focus();
    await sendKeys({ press: 'j' });
    await waitUntil(() => d.conversation()?.conversationId === ids[0], 'j opens the first');
    await sendKeys({ press: 'j' });
    await waitUntil(() => d.conversation()?.conversationId === ids[1], 'j opens the next');
    await sendKeys({ press: 'k' });
    await waitUntil(() => d.conversation()?.conversationId === ids[0], 'k goes back');

    await sendKeys({ press: 'r' });
    await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'r focuses the reply box');
    await sendKeys({ type: 'jk' }); // typing is never a shortcut
    expect(d.conversation()!.conversationId).to.equal(ids[0]);

    d.rows()[0]!.focus();
    await sendKeys({ press: '/' });
    await waitUntil(
      () => deepActive()?.getAttribute('part') === 'search-input',
      '/ focuses search',
    );

    d.rows()[0]!.focus();
    await sendKeys({ press: '?' });
    const help = () => d.$<HTMLDialogElement>('[part="shortcuts-dialog"]');
    await waitUntil(() => help()?.open, '? opens the list');
    const listed = help()!.textContent!.replace(/\s+/g, ' ');
    expect(listed).to.contain('j Next conversation');
    expect(listed).to.contain('/ Search');
    expect(listed).not.to.contain('Assign'); // a standard user cannot assign
    await expect(d.el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !help(), 'Escape closes it');
  });

  it('at 1024 px two panes fit: the list and the conversation; the inboxes are one Back away', async () => {
    const d = await render('alice', '1024px');
    await d.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await d.settle();
    d.rows()[0]!.click();
    await waitUntil(() => d.conversation());
    expect(visible(d.$('.list'))).to.equal(true);
    expect(visible(d.$('.main'))).to.equal(true);
    expect(visible(d.$('.nav'))).to.equal(false);
    const listWidth = d.$('.list')!.getBoundingClientRect().width;
    expect(d.$('.main')!.getBoundingClientRect().width).to.be.greaterThan(listWidth);
    // The inboxes are one Back away, and replace the list.
    d.$<HTMLButtonElement>('.list [part="back-button"]')!.click();
    await d.el.updateComplete;
    expect(visible(d.$('.nav'))).to.equal(true);
    expect(visible(d.$('.list'))).to.equal(false);
    await expect(d.el).to.be.accessible();
  });

  it('at 390 px one pane, with Back; the message list keeps at least half the height', async () => {
    const narrow = await render('alice', '390px');
    await narrow.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text: 'Yo' });
    await narrow.settle();
    narrow.rows()[0]!.click();
    await waitUntil(() => narrow.conversation());
    expect(visible(narrow.$('.list'))).to.equal(false);
    expect(visible(narrow.$('.main'))).to.equal(true);
    const log = () => narrow.conversation()!.shadowRoot!.querySelector<HTMLElement>('.log');
    await waitUntil(() => log());
    // The message list keeps at least half the height.
    expect(log()!.getBoundingClientRect().height).to.be.at.least(
      narrow.$('.main')!.getBoundingClientRect().height / 2 - 40,
    );
  });
});
