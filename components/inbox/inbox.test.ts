import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ViewKey } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import './inbox.js';
import type { CdInbox } from './inbox.js';
import '../translations/fr.js';

const DANA = '+14155550101';
const ELI = '+14155550102';
const UNKNOWN = '+14155550199';
/** A number without a contact, as the list shows it (formatted for people). */
const UNKNOWN_SHOWN = '+1 415 555 0199';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;

async function renderInbox(desk: Desk, view: ViewKey = { kind: 'mine' }) {
  const wrapper = await fixture<HTMLElement>(html`
    <cd-desk-provider .client=${desk.client}>
      <div style="height: 480px; width: 420px; display: flex; flex-direction: column">
        <cd-inbox .view=${view}></cd-inbox>
      </div>
    </cd-desk-provider>
  `);
  const el = wrapper.querySelector('cd-inbox')!;
  await el.updateComplete;
  return el;
}

/** Lets backend events reach the client, the element render and the virtualizer lay out. */
async function settle(desk: Desk, el: CdInbox) {
  await new Promise((r) => setTimeout(r, 0));
  await desk.client.idle();
  await el.updateComplete;
  await nextFrame();
  await nextFrame();
  await el.updateComplete;
}

const $ = <T extends Element = HTMLElement>(el: CdInbox, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const rows = (el: CdInbox) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const rowsInOrder = (el: CdInbox) =>
  rows(el).sort((a, b) => Number(a.dataset['index']) - Number(b.dataset['index']));
const rowFor = (el: CdInbox, title: string) =>
  rows(el).find((r) => r.querySelector('[part~="title"]')!.textContent === title);
const titles = (el: CdInbox) =>
  rowsInOrder(el).map((r) => r.querySelector('[part~="title"]')!.textContent);
const button = (el: CdInbox, text: string) =>
  [...el.shadowRoot!.querySelectorAll('button')].find(
    (b) => (b.textContent!.trim() || b.getAttribute('aria-label')) === text,
  );

async function incoming(desk: Desk, senderId: string, from: string, text: string) {
  const { conversation } = await desk.backend.simulateIncoming({ senderId, from, text });
  return conversation.id;
}

describe('<cd-inbox>', () => {
  it('V5: rows appear for incoming messages, newest first, with channel, name or number, preview, time and unread state', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const el = await renderInbox(desk);
    expect($(el, '[part~="empty"]')!.textContent).to.contain('No conversations yet.');

    // RT3: first contacts on shared sender IDs go to the admin.
    await incoming(desk, 'team-sms', DANA, 'Hello from Dana');
    desk.clock.advance(60_000);
    await incoming(desk, 'team-wa', UNKNOWN, 'Is anyone there?');
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 2, 'two rows');
    // The phone metadata loads lazily (first test: cold); numbers show formatted once it has.
    await waitUntil(() => titles(el)[0] === UNKNOWN_SHOWN, 'the number shows formatted');

    expect(titles(el)).to.deep.equal([UNKNOWN_SHOWN, 'Dana Díaz']);
    const [first, second] = rowsInOrder(el) as [HTMLElement, HTMLElement];
    expect(first.querySelector('[part~="channel"]')!.textContent!.trim()).to.equal('WhatsApp');
    expect(second.querySelector('[part~="channel"]')!.textContent!.trim()).to.equal('SMS');
    expect(first.querySelector('[part~="preview"]')!.textContent).to.contain('Is anyone there?');
    const expectedTime = new Intl.DateTimeFormat('en', {
      hour: 'numeric',
      minute: '2-digit',
    }).format(desk.clock.now());
    expect(first.querySelector('time')!.textContent).to.equal(expectedTime);
    expect(first.getAttribute('part')).to.contain('row-unread');
    expect(first.querySelector('[part~="unread-dot"]')!.textContent).to.equal('Unread');
    expect(getComputedStyle(first.querySelector('[part~="title"]')!).fontWeight).to.equal('700');
    await expect(el).to.be.accessible();
  });

  it('V5: a day-old conversation shows its date, and a media message shows its file name', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const el = await renderInbox(desk);
    const then = desk.clock.now();
    await incoming(desk, 'alice-sms', ELI, 'Yesterday’s message');
    desk.clock.advance(2 * 24 * 3600_000);
    await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: DANA,
      media: [
        {
          url: 'https://example.com/invoice.pdf',
          mimeType: 'application/pdf',
          fileName: 'invoice.pdf',
          size: 1200,
        },
      ],
    });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 2, 'two rows');
    const date = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' }).format(then);
    expect(rowFor(el, 'Eli')!.querySelector('time')!.textContent).to.equal(date);
    const preview = rowFor(el, 'Dana Díaz')!.querySelector('[part~="preview"]')!;
    expect(preview.querySelector('svg')).to.not.equal(null);
    expect(preview.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Attachment: invoice.pdf');
  });

  it('V5: clicking a row fires cd-conversation-select and highlights it as the open conversation', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', DANA, 'Hi');
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 1);
    const row = rows(el)[0]!;
    setTimeout(() => row.click());
    const event = await oneEvent(el, 'cd-conversation-select');
    expect(event.detail).to.deep.equal({ conversationId: id });
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    expect(row.getAttribute('aria-current')).to.equal('true');
    expect(row.getAttribute('part')).to.contain('row-current');
  });

  it('selectedId highlights the open conversation and makes it the tab stop', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    await incoming(desk, 'alice-sms', DANA, 'one');
    desk.clock.advance(1000);
    const eli = await incoming(desk, 'alice-sms', ELI, 'two');
    desk.clock.advance(1000);
    await incoming(desk, 'alice-sms', UNKNOWN, 'three');
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 3);
    el.selectedId = eli;
    await el.updateComplete;
    const eliRow = rowFor(el, 'Eli')!;
    expect(eliRow.getAttribute('aria-current')).to.equal('true');
    expect(eliRow.tabIndex).to.equal(0);
    expect(rows(el).filter((r) => r.tabIndex === 0)).to.have.length(1);
  });

  it('V5: the keyboard moves through the listbox (ArrowDown, End, Home) and Enter opens', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    await incoming(desk, 'alice-sms', DANA, 'one');
    desk.clock.advance(1000);
    await incoming(desk, 'alice-sms', ELI, 'two');
    desk.clock.advance(1000);
    const newest = await incoming(desk, 'alice-sms', UNKNOWN, 'three');
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 3);
    const focused = () => (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset['index'];

    // Tab from the search box, over its button and "Select all", into the list (the disabled
    // actions are skipped).
    $<HTMLInputElement>(el, '[part~="search-input"]')!.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal('0');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(focused()).to.equal('1');
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(focused()).to.equal('2');
    await sendKeys({ press: 'Home' });
    await el.updateComplete;
    expect(focused()).to.equal('0');
    expect(rows(el).filter((r) => r.tabIndex === 0)).to.have.length(1);

    setTimeout(() => sendKeys({ press: 'Enter' }));
    const event = await oneEvent(el, 'cd-conversation-select');
    expect(event.detail.conversationId).to.equal(newest);
  });

  it('RD2: check rows (click and Space) and Mark read, then Mark unread, changes the unread state', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const dana = await incoming(desk, 'alice-sms', DANA, 'one');
    desk.clock.advance(1000);
    const eli = await incoming(desk, 'alice-sms', ELI, 'two');
    desk.clock.advance(1000);
    const other = await incoming(desk, 'alice-sms', UNKNOWN, 'three');
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 3);
    expect(button(el, 'Mark read')!.disabled).to.equal(true);

    const changes: string[][] = [];
    el.addEventListener('cd-selection-change', (e) => changes.push(e.detail.conversationIds));
    rowFor(el, 'Dana Díaz')!.querySelector<HTMLElement>('[part~="checkbox"]')!.click();
    await el.updateComplete;
    rowFor(el, 'Eli')!.focus();
    await sendKeys({ press: ' ' });
    await el.updateComplete;
    expect(rowFor(el, 'Dana Díaz')!.getAttribute('aria-selected')).to.equal('true');
    expect(rowFor(el, 'Eli')!.getAttribute('aria-selected')).to.equal('true');
    expect(rowFor(el, UNKNOWN_SHOWN)!.getAttribute('aria-selected')).to.equal('false');
    expect(changes.at(-1)!.sort()).to.deep.equal([dana, eli].sort());
    expect($(el, '[part~="selection-count"]')!.textContent).to.equal('2 selected');

    button(el, 'Mark read')!.click();
    await settle(desk, el);
    expect(desk.client.conversation(dana).unread).to.equal(false);
    expect(desk.client.conversation(eli).unread).to.equal(false);
    expect(desk.client.conversation(other).unread).to.equal(true);
    expect(rowFor(el, 'Dana Díaz')!.getAttribute('part')).to.not.contain('row-unread');
    expect(rowFor(el, 'Eli')!.querySelector('[part~="unread-dot"]')).to.equal(null);
    expect(rowFor(el, UNKNOWN_SHOWN)!.getAttribute('part')).to.contain('row-unread');

    button(el, 'Mark unread')!.click();
    await settle(desk, el);
    expect(desk.client.conversation(dana).unread).to.equal(true);
    expect(rowFor(el, 'Dana Díaz')!.getAttribute('part')).to.contain('row-unread');
  });

  it('RD2: "Select all" checks every row, and again clears them', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    await incoming(desk, 'alice-sms', DANA, 'one');
    await incoming(desk, 'alice-sms', ELI, 'two');
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 2);
    const all = $<HTMLInputElement>(el, '[part~="select-all"] input')!;
    all.click();
    await el.updateComplete;
    expect(rows(el).map((r) => r.getAttribute('aria-selected'))).to.deep.equal(['true', 'true']);
    expect(el.selectedConversationIds).to.have.length(2);
    all.click();
    await el.updateComplete;
    expect(rows(el).map((r) => r.getAttribute('aria-selected'))).to.deep.equal(['false', 'false']);
  });

  it('U2: a standard user sees no Assign button; an admin gets one that fires cd-assign-request', async () => {
    const alice = await EmbeddedBackendForTests('alice');
    await incoming(alice, 'alice-sms', DANA, 'hi');
    const el = await renderInbox(alice);
    await settle(alice, el);
    await waitUntil(() => rows(el).length === 1);
    rows(el)[0]!.querySelector<HTMLElement>('[part~="checkbox"]')!.click();
    await el.updateComplete;
    expect(button(el, 'Mark read')!.disabled).to.equal(false);
    expect(button(el, 'Assign')).to.equal(undefined);

    const admin = await EmbeddedBackendForTests('admin');
    const id = await incoming(admin, 'team-sms', DANA, 'hi');
    const adminEl = await renderInbox(admin);
    await settle(admin, adminEl);
    await waitUntil(() => rows(adminEl).length === 1);
    expect(button(adminEl, 'Assign')!.disabled).to.equal(true);
    rows(adminEl)[0]!.querySelector<HTMLElement>('[part~="checkbox"]')!.click();
    await adminEl.updateComplete;
    setTimeout(() => button(adminEl, 'Assign')!.click());
    const event = await oneEvent(adminEl, 'cd-assign-request');
    expect(event.detail).to.deep.equal({ conversationIds: [id] });
  });

  it('RD4: an admin marking in a Team Inbox is asked to confirm; Cancel changes nothing, Confirm marks', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA, 'for alice');
    const el = await renderInbox(desk, { kind: 'team', userId: 'alice' });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 1);
    expect($(el, '[part~="search"]')).to.equal(null); // V6: no search in a Team Inbox

    rows(el)[0]!.querySelector<HTMLElement>('[part~="checkbox"]')!.click();
    await el.updateComplete;
    button(el, 'Mark read')!.click();
    await el.updateComplete;
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.textContent).to.contain('read for Alice');
    await expect(el).to.be.accessible();

    button(el, 'Cancel')!.click();
    await settle(desk, el);
    expect(dialog.open).to.equal(false);
    expect(desk.client.conversation(id).unread).to.equal(true);
    expect(rows(el)[0]!.getAttribute('part')).to.contain('row-unread');

    button(el, 'Mark read')!.click();
    await el.updateComplete;
    expect(dialog.open).to.equal(true);
    button(el, 'Confirm')!.click();
    await settle(desk, el);
    expect(dialog.open).to.equal(false);
    expect(desk.client.conversation(id).unread).to.equal(false);
    // RD4 changes the owner's read state: Alice sees it read.
    const aliceClient = await desk.connect('alice');
    expect(aliceClient.conversation(id).unread).to.equal(false);
  });

  it('RD4: the confirmation counts only the conversations whose read state changes', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const read = await incoming(desk, 'alice-sms', DANA, 'read one');
    await incoming(desk, 'alice-sms', ELI, 'unread one');
    await desk.client.idle();
    await desk.client.markReadAsAdmin([read], true, { confirmed: true });
    const el = await renderInbox(desk, { kind: 'team', userId: 'alice' });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 2);
    $<HTMLInputElement>(el, '[part~="select-all"] input')!.click();
    await el.updateComplete;
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;

    button(el, 'Mark unread')!.click();
    await el.updateComplete;
    expect(dialog.open).to.equal(true);
    expect($(el, '#confirm-text')!.textContent!.trim()).to.equal(
      '1 conversation will show as unread for Alice. 1 other already does.',
    );
    button(el, 'Cancel')!.click();
    await settle(desk, el);

    await desk.client.markReadAsAdmin([read], false, { confirmed: true });
    await settle(desk, el);
    button(el, 'Mark unread')!.click();
    await el.updateComplete;
    expect($(el, '#confirm-text')!.textContent!.trim()).to.equal(
      'The selected conversations already show as unread for Alice.',
    );
    button(el, 'Cancel')!.click();
    await settle(desk, el);
    button(el, 'Mark read')!.click();
    await el.updateComplete;
    expect($(el, '#confirm-text')!.textContent!.trim()).to.equal(
      '2 conversations will show as read for Alice.',
    );
  });

  it('RD4: Escape closes the confirmation and changes nothing', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA, 'for alice');
    const el = await renderInbox(desk, { kind: 'team', userId: 'alice' });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 1);
    rows(el)[0]!.querySelector<HTMLElement>('[part~="checkbox"]')!.click();
    await el.updateComplete;
    button(el, 'Mark read')!.click();
    await el.updateComplete;
    await sendKeys({ press: 'Escape' });
    await settle(desk, el);
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(false);
    expect(desk.client.conversation(id).unread).to.equal(true);
  });

  it('V6: the search box filters My Inbox by name and by digits, with or without the country code', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    await incoming(desk, 'alice-sms', DANA, 'one');
    await incoming(desk, 'alice-sms', ELI, 'two');
    await incoming(desk, 'alice-sms', UNKNOWN, 'three');
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 3);
    const input = $<HTMLInputElement>(el, '[part~="search-input"]')!;
    expect(input.labels![0]!.textContent).to.equal('Search by name or number');

    input.focus();
    await sendKeys({ type: 'diaz' });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 1, 'name search');
    expect(titles(el)).to.deep.equal(['Dana Díaz']);

    input.select();
    await sendKeys({ type: '555-0102' });
    await sendKeys({ press: 'Enter' });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 1 && titles(el)[0] === 'Eli', 'digit search');

    input.select();
    await sendKeys({ type: '1 415 555 0199' });
    $<HTMLButtonElement>(el, '[part~="search-button"]')!.click();
    await settle(desk, el);
    await waitUntil(() => titles(el)[0] === UNKNOWN_SHOWN, 'with country code');
    expect(rows(el)).to.have.length(1);

    input.select();
    await sendKeys({ type: 'zzz' });
    await settle(desk, el);
    expect(rows(el)).to.have.length(0);
    expect($(el, '[part~="empty"]')!.textContent).to.contain('No conversation matches “zzz”.');
  });

  it('V6: Sent Messages is searchable; a sender ID inbox is not', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const sent = await renderInbox(desk, { kind: 'sent' });
    expect($(sent, '[part~="search-input"]')).to.not.equal(null);
    const sender = await renderInbox(desk, { kind: 'sender', senderId: 'alice-sms' });
    expect($(sender, '[part~="search-input"]')).to.equal(null);
  });

  it('RD2: a refusal from the SDK shows as an inline alert and leaves the state as it was', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    // Alice writes to Eli, then the admin assigns that conversation to Bob: Alice still sees it
    // in Sent Messages (V4), but only its owner may mark it (RD1).
    await desk.client.startConversation({
      phone: ELI,
      senderId: 'alice-sms',
      content: { text: 'Hello Eli' },
    });
    await incoming(desk, 'alice-sms', ELI, 'Hi Alice');
    const id = desk.client.findConversation('alice-sms', ELI)!.id;
    const admin = await desk.connect('admin');
    await admin.assign([id], 'bob');
    const el = await renderInbox(desk, { kind: 'sent' });
    await settle(desk, el);
    await waitUntil(() => rows(el).length === 1);
    expect(desk.client.conversation(id).ownerId).to.equal('bob');
    const unreadBefore = desk.client.conversation(id).unread;

    rows(el)[0]!.querySelector<HTMLElement>('[part~="checkbox"]')!.click();
    await el.updateComplete;
    button(el, unreadBefore ? 'Mark read' : 'Mark unread')!.click();
    await settle(desk, el);
    const alert = $(el, '[role="alert"]')!;
    expect(alert.textContent).to.contain('You are not allowed to do that.');
    expect(desk.client.conversation(id).unread).to.equal(unreadBefore);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '[part~="alert"] button')!.click();
    await el.updateComplete;
    expect($(el, '[role="alert"]')).to.equal(null);
  });

  it('V5: 2000+ rows render only a bounded number of row elements, and End reaches the last one', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const total = 2100;
    for (let i = 0; i < total; i++) {
      desk.clock.advance(1000);
      await desk.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: `+1415201${String(i).padStart(4, '0')}`,
        text: `Message ${i}`,
      });
    }
    await desk.client.idle();
    expect(desk.client.view({ kind: 'mine' }).rows).to.have.length(total);
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0, 'rows rendered');
    expect(rows(el).length).to.be.lessThan(200);
    expect(titles(el)[0]).to.equal(`+1 415 201 ${String(total - 1).padStart(4, '0')}`);

    rowsInOrder(el)[0]!.focus();
    await sendKeys({ press: 'End' });
    await waitUntil(
      () =>
        (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset['index'] ===
        String(total - 1),
      'focus reaches the last row',
    );
    const last = el.shadowRoot!.activeElement as HTMLElement;
    expect(last.querySelector('[part~="title"]')!.textContent).to.equal('+1 415 201 0000');
    expect(rows(el).length).to.be.lessThan(200);
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(
      () =>
        (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset['index'] ===
        String(total - 2),
    );
  });

  it('V5: when the focused row is scrolled out of the DOM, Tab still reaches the list and focus returns to it', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    for (let i = 0; i < 300; i++) {
      desk.clock.advance(1000);
      await desk.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: `+1415201${String(i).padStart(4, '0')}`,
        text: `Message ${i}`,
      });
    }
    const el = await renderInbox(desk);
    await settle(desk, el);
    await waitUntil(() => rows(el).length > 0);
    const list = $(el, '[role="listbox"]')!;
    expect(list.tabIndex).to.equal(-1);
    // The user scrolls to the bottom (again, while the virtualizer grows the scroll height).
    await waitUntil(() => {
      list.scrollTop = list.scrollHeight;
      return !rows(el).some((r) => r.dataset['index'] === '0');
    }, 'row 0 virtualized');
    await waitUntil(() => list.tabIndex === 0, 'the list takes the tab stop');
    $<HTMLInputElement>(el, '[part~="select-all"] input')!.focus();
    await sendKeys({ press: 'Tab' });
    await waitUntil(
      () => (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset['index'] === '0',
      'focus returns to the active row',
    );
  });

  it('is accessible when empty', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const el = await renderInbox(desk);
    expect($(el, '[role="listbox"]')).to.equal(null);
    expect($(el, '[part~="empty"]')!.textContent!.trim()).to.contain('No conversations yet.');
    await expect(el).to.be.accessible();
  });

  it('follows the closest lang attribute (French)', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    await incoming(desk, 'alice-sms', DANA, 'Bonjour');
    const wrapper = await fixture<HTMLElement>(html`
      <cd-desk-provider .client=${desk.client}>
        <div lang="fr" style="height: 300px; display: flex"><cd-inbox></cd-inbox></div>
      </cd-desk-provider>
    `);
    const el = wrapper.querySelector('cd-inbox')!;
    await settle(desk, el);
    expect(button(el, 'Marquer comme lu')).to.not.equal(undefined);
    await waitUntil(() => rows(el).length === 1);
    expect($(el, '[role="listbox"]')!.getAttribute('aria-label')).to.equal('Ma boîte de réception');
  });
});
