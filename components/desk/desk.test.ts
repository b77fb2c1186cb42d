import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  createDeskClient,
  DeskError,
  type BackendAdapter,
  type DeskClient,
} from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import './desk.js';
import type { CdDesk } from './desk.js';
import '../translations/fr.js';

const PHONE = { dana: '+14155550101', eli: '+14155550102', unknown: '+14155550199' };

async function render(userId = 'alice', options: { width?: string; client?: DeskClient } = {}) {
  const desk = await EmbeddedBackendForTests(userId);
  const client = options.client ?? desk.client;
  const el = await fixture<CdDesk>(
    html`<cd-desk
      style="height: 600px; width: ${options.width ?? '1200px'}"
      .client=${client}
    ></cd-desk>`,
  );
  await el.updateComplete;
  const root = el.shadowRoot!;
  const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector);
  const $$ = <T extends Element = HTMLElement>(selector: string) => [
    ...root.querySelectorAll<T>(selector),
  ];
  /** The navigation entries as a person reads them: "label badge". */
  const nav = () =>
    $$('[part="nav-item"]').map((b) => ({
      view: b.dataset.view,
      label: b.querySelector('[part="nav-label"]')!.textContent!.trim(),
      badge: b.querySelector('[part="badge"]')?.textContent?.trim() ?? '',
      current: b.getAttribute('aria-current') === 'page',
    }));
  const entry = (view: string) => $<HTMLButtonElement>(`[part="nav-item"][data-view="${view}"]`)!;
  const inbox = () => $('cd-inbox')! as HTMLElement & { updateComplete: Promise<unknown> };
  const rows = () => [
    ...(inbox().shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? []),
  ];
  /** Lets backend events reach the client and the elements re-render. */
  const settle = async () => {
    await aTimeout(0);
    await client.idle();
    await el.updateComplete;
    await inbox()?.updateComplete;
  };
  return { ...desk, client, el, root, $, $$, nav, entry, inbox, rows, settle };
}

/** An adapter whose `session()` waits (or fails) until released, to see loading and error states. */
function gated(real: BackendAdapter, mode: 'hold' | 'fail' = 'hold') {
  let release!: () => void;
  let released = false;
  const open = new Promise<void>((resolve) => (release = resolve));
  const adapter = new Proxy(real, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'session' && !released) {
        return mode === 'fail'
          ? () => Promise.reject(new DeskError('network', 'The backend is unreachable.'))
          : () => open.then(() => real.session());
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    adapter,
    release: () => {
      released = true;
      release();
    },
  };
}

describe('<cd-desk>', () => {
  const originalTitle = document.title;
  afterEach(() => {
    document.title = originalTitle;
  });

  it('U2, V3: a standard user sees My Inbox, their Sender ID inboxes and Sent Messages, and no Team Inbox', async () => {
    const { nav, root } = await render('alice');
    expect(nav().map((n) => n.label)).to.deep.equal([
      'My Inbox',
      'Alice SMS',
      'Team SMS',
      'Team WhatsApp',
      'Sent Messages',
    ]);
    expect(nav()[0]!.current).to.equal(true);
    expect(root.textContent).not.to.contain('Team Inbox');
  });

  it('V3: an admin sees the Team Inbox with one entry per licensed standard user (alice, bob; not carol)', async () => {
    const { nav, $ } = await render('admin');
    expect($('#team-heading')!.textContent).to.equal('Team Inbox');
    const team = nav().filter((n) => n.view!.startsWith('team:'));
    expect(team.map((n) => n.view)).to.deep.equal(['team:alice', 'team:bob']);
    expect(team.map((n) => n.label)).to.deep.equal(['Alice', 'Bob']);
    expect(nav().some((n) => n.label === 'Carol')).to.equal(false);
  });

  it('RT5, V1, V2: an incoming message appears unread in My Inbox, with the unread count in the nav', async () => {
    const { backend, nav, rows, settle, entry, $ } = await render('alice');
    expect(rows()).to.have.length(0);
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hello?' });
    await settle();
    const counts = Object.fromEntries(nav().map((n) => [n.view, n.badge]));
    expect(counts).to.deep.include({ mine: '1', 'sender:alice-sms': '1', 'sender:team-sms': '' });
    expect(entry('mine').textContent).to.contain('1 unread');
    await waitUntil(() => rows().length === 1, 'the row appears in My Inbox');
    expect(rows()[0]!.textContent).to.contain('Dana Díaz');
    expect(rows()[0]!.textContent).to.contain('Hello?');
    expect(rows()[0]!.getAttribute('part')).to.contain('row-unread');

    // The Sender ID inbox shows it too; Team SMS does not.
    entry('sender:team-sms').click();
    await settle();
    expect($('#list-heading')!.textContent).to.equal('Team SMS');
    expect(rows()).to.have.length(0);
    entry('sender:alice-sms').click();
    await settle();
    expect(entry('sender:alice-sms').getAttribute('aria-current')).to.equal('page');
    await waitUntil(() => rows().length === 1);
  });

  it('V5: in a narrow nav pane, long labels end in an ellipsis and unread badges stay inside the pane', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const el = await fixture<CdDesk>(
      html`<cd-desk
        style="height: 600px; width: 1200px; --cd-desk-nav-width: 7rem"
        .client=${desk.client}
      ></cd-desk>`,
    );
    await desk.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await desk.client.idle();
    await el.updateComplete;
    const root = el.shadowRoot!;
    const pane = root.querySelector('[part="nav"]')!.getBoundingClientRect();
    const item = root.querySelector<HTMLElement>(
      '[part="nav-item"][data-view="sender:alice-sms"]',
    )!;
    const label = item.querySelector<HTMLElement>('[part="nav-label"]')!;
    const badge = item.querySelector<HTMLElement>('[part="badge"]')!;
    expect(badge.textContent!.trim()).to.equal('1');
    expect(item.getBoundingClientRect().right).to.be.at.most(pane.right);
    expect(badge.getBoundingClientRect().right).to.be.at.most(pane.right);
    expect(badge.getBoundingClientRect().width).to.be.above(0);
    expect(label.scrollWidth, 'the label is cut with an ellipsis').to.be.above(label.clientWidth);
    expect(getComputedStyle(label).textOverflow).to.equal('ellipsis');
    for (const entry of root.querySelectorAll<HTMLElement>('[part="nav-item"]')) {
      expect(entry.getBoundingClientRect().right, entry.dataset.view).to.be.at.most(pane.right);
    }
  });

  it('V1, RD1: selecting a conversation opens it in the conversation window and marks it read', async () => {
    const { backend, rows, settle, $, client, entry } = await render('alice');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await settle();
    await waitUntil(() => rows().length === 1);
    rows()[0]!.click();
    await settle();
    const conversationWindow = $('cd-conversation') as HTMLElement & { conversationId: string };
    expect(conversationWindow).not.to.equal(null);
    const id = [...client.getState().conversations.keys()][0]!;
    expect(conversationWindow.conversationId).to.equal(id);
    await waitUntil(() => !client.getState().conversations.get(id)!.unread, 'marked read');
    await settle();
    expect(entry('mine').querySelector('[part="badge"]')).to.equal(null);
  });

  it("A1, A2, RT3: assigning moves the conversation from the admin's My Inbox to Team Inbox › Bob", async () => {
    const { backend, rows, settle, $, el, entry, inbox, client } = await render('admin');
    // RT3: a first message on a shared sender ID goes to the account's admin.
    await backend.simulateIncoming({ senderId: 'team-sms', from: PHONE.unknown, text: 'Anyone?' });
    await settle();
    await waitUntil(() => rows().length === 1, "the row appears in the admin's My Inbox");
    expect(entry('mine').textContent).to.contain('1 unread');

    // The admin checks the row and asks to assign it.
    rows()[0]!.querySelector<HTMLElement>('[part="checkbox"]')!.click();
    await inbox().updateComplete;
    inbox().shadowRoot!.querySelector<HTMLButtonElement>('[part~="assign"]')!.click();
    const dialog = $('cd-assign-dialog')! as HTMLElement & { updateComplete: Promise<unknown> };
    await dialog.updateComplete;
    const native = dialog.shadowRoot!.querySelector('dialog')!;
    expect(native.open).to.equal(true);

    // Picks Bob and confirms.
    dialog.shadowRoot!.querySelector<HTMLInputElement>('input[value="bob"]')!.click();
    await dialog.updateComplete;
    const assigned = oneEvent(el, 'cd-assigned');
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('[part="assign-button"]')!.click();
    await assigned;
    await settle();

    const id = [...client.getState().conversations.keys()][0]!;
    expect(client.getState().conversations.get(id)!.ownerId).to.equal('bob');
    await waitUntil(() => rows().length === 0, "it leaves the admin's My Inbox");
    expect(entry('mine').querySelector('[part="badge"]')).to.equal(null);
    // A2: unread for the assignee, so Team Inbox › Bob counts it.
    expect(entry('team:bob').textContent).to.contain('1 unread');

    entry('team:bob').click();
    await settle();
    expect($('#list-heading')!.textContent).to.equal('Team Inbox › Bob');
    await waitUntil(() => rows().length === 1, 'it appears in Team Inbox › Bob');
    expect(rows()[0]!.textContent).to.contain('Anyone?');
  });

  it('N1: the tab title shows the unseen count after an incoming message and is restored after acknowledgement', async () => {
    document.title = 'CRM';
    const { backend, settle, client, $ } = await render('alice');
    expect(document.title).to.equal('CRM');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'One' });
    await settle();
    expect(client.getState().unseenNotifications).to.equal(1);
    expect(document.title).to.equal('(1) CRM');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text: 'Two' });
    await settle();
    expect(document.title).to.equal('(2) CRM');

    // The person comes back and interacts with the page.
    $<HTMLButtonElement>('[part="nav-item"]')!.focus();
    await sendKeys({ press: 'Shift' });
    await settle();
    expect(client.getState().unseenNotifications).to.equal(0);
    expect(document.title).to.equal('CRM');
  });

  it('N1: a favicon badge shows the unseen count and the page icon comes back after acknowledgement', async () => {
    const icon = document.createElement('link');
    icon.rel = 'icon';
    icon.href = '/page-icon.png';
    document.head.append(icon);
    const { backend, settle, $ } = await render('alice');
    const href = () => document.head.querySelector<HTMLLinkElement>('link[rel~="icon"]')!.href;
    const shown = () => decodeURIComponent(href());
    expect(href()).to.contain('/page-icon.png');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'One' });
    await settle();
    // The badge's module loads on the first notification.
    await waitUntil(() => shown().startsWith('data:image/svg+xml,'), 'badge shown');
    expect(shown()).to.contain('>1</text>');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text: 'Two' });
    await settle();
    await waitUntil(() => shown().includes('>2</text>'), 'count 2 shown');
    $<HTMLButtonElement>('[part="nav-item"]')!.focus();
    await sendKeys({ press: 'Shift' });
    await settle();
    await waitUntil(() => href().includes('/page-icon.png'), 'page icon back');
    icon.remove();
  });

  it('N1: the title is restored when the desk is removed, and manageTitle=false leaves it alone', async () => {
    document.title = 'CRM';
    const { backend, settle, el } = await render('alice');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'One' });
    await settle();
    expect(document.title).to.equal('(1) CRM');
    el.manageTitle = false;
    await el.updateComplete;
    expect(document.title).to.equal('CRM');
    el.manageTitle = true;
    await el.updateComplete;
    expect(document.title).to.equal('(1) CRM');
    el.remove();
    expect(document.title).to.equal('CRM');
  });

  it('N1: cd-notification re-emits the SDK notification for the host page', async () => {
    const { backend, el, client } = await render('alice');
    const heard = oneEvent(el, 'cd-notification');
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    const event = (await heard) as CustomEvent;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail).to.include({ type: 'notification', kind: 'incoming', unseen: 1 });
    expect(client.getState().conversations.get(event.detail.conversationId)).to.have.property(
      'id',
      event.detail.conversationId,
    );
  });

  it('connects an idle client, showing a loading state first', async () => {
    const { backend, clock } = await EmbeddedBackendForTests('alice');
    const gate = gated(backend.connect('bob'));
    const client = createDeskClient({ adapter: gate.adapter, clock });
    expect(client.getState().status).to.equal('idle');
    const el = await fixture<CdDesk>(html`<cd-desk .client=${client}></cd-desk>`);
    expect(client.getState().status).to.equal('connecting');
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain(
      'Loading the desk…',
    );
    gate.release();
    await waitUntil(() => client.getState().status === 'ready');
    await el.updateComplete;
    // The loading state is gone (the desk's live region for announcements stays, empty).
    expect(el.shadowRoot!.querySelector('[part="status"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="nav-item"]')!.textContent).to.contain('My Inbox');
  });

  it('shows an error state with a retry when the client cannot connect', async () => {
    const { backend } = await EmbeddedBackendForTests('alice');
    const gate = gated(backend.connect('alice'), 'fail');
    const client = createDeskClient({ adapter: gate.adapter });
    const el = await fixture<CdDesk>(html`<cd-desk .client=${client}></cd-desk>`);
    await waitUntil(() => client.getState().status === 'error');
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('[role="alert"]')!;
    expect(alert.textContent).to.contain('The desk could not connect.');
    expect(alert.textContent).to.contain('The desk could not reach the server.');
    expect(alert.textContent).not.to.contain('The backend is unreachable.');
    await expect(el).to.be.accessible();
    gate.release();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click();
    await waitUntil(() => client.getState().status === 'ready');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('nav')).not.to.equal(null);
  });

  it('SN1: New conversation shows the form in the main pane; Cancel closes it', async () => {
    const { $, el } = await render('alice');
    $<HTMLButtonElement>('[part="new-button"]')!.click();
    await el.updateComplete;
    const form = $('cd-new-conversation')!;
    expect(form.closest('[part="conversation"]')).not.to.equal(null);
    await waitUntil(
      () => form.shadowRoot!.activeElement?.id === 'name',
      'the name field has focus',
    );
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part="cancel-button"]')!.click();
    await el.updateComplete;
    expect($('cd-new-conversation')).to.equal(null);
    expect($('[part="empty"]')).not.to.equal(null);
  });

  it('SN1, V4: a conversation started from the form opens in the conversation window and shows in Sent Messages', async () => {
    const { $, el, entry, rows, settle, client } = await render('alice');
    $<HTMLButtonElement>('[part="new-button"]')!.click();
    await el.updateComplete;
    const form = $('cd-new-conversation')!;
    await waitUntil(() => form.shadowRoot!.activeElement?.id === 'name');
    await sendKeys({ type: 'Dan' });
    const name = form.shadowRoot!.querySelector('#name')!;
    await waitUntil(() => name.getAttribute('aria-expanded') === 'true');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    const sender = form.shadowRoot!.querySelector<HTMLSelectElement>('#sender')!;
    await waitUntil(() => form.shadowRoot!.querySelector<HTMLInputElement>('#number')!.value);
    sender.value = 'alice-sms';
    sender.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => form.shadowRoot!.querySelector('cd-compose'));
    const compose = form.shadowRoot!.querySelector('cd-compose')! as HTMLElement & {
      updateComplete: Promise<unknown>;
    };
    await compose.updateComplete;
    compose.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ type: 'Hello from the desk' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $('cd-conversation'), 'the conversation window opens');
    const id = [...client.getState().conversations.values()].find(
      (c) => c.customer === PHONE.dana,
    )!.id;
    expect(
      ($('cd-conversation') as HTMLElement & { conversationId: string }).conversationId,
    ).to.equal(id);
    entry('sent').click();
    await settle();
    await waitUntil(() => rows().length === 1);
    expect(rows()[0]!.textContent).to.contain('Hello from the desk');
  });

  it('narrow widths show one pane at a time, with Back buttons', async () => {
    const { backend, $, rows, settle, el } = await render('alice', { width: '400px' });
    const shown = () =>
      (['nav', 'list', 'conversation'] as const).filter(
        (part) => getComputedStyle($(`[part="${part}"]`)!).display !== 'none',
      );
    expect(shown()).to.deep.equal(['list']);
    await backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await settle();
    await waitUntil(() => rows().length === 1);
    rows()[0]!.click();
    await settle();
    expect(shown()).to.deep.equal(['conversation']);
    const back = $<HTMLButtonElement>('.main [part="back-button"]')!;
    expect(el.shadowRoot!.activeElement).to.equal(back);
    back.click();
    await el.updateComplete;
    expect(shown()).to.deep.equal(['list']);
    $<HTMLButtonElement>('.list [part="back-button"]')!.click();
    await el.updateComplete;
    expect(shown()).to.deep.equal(['nav']);
  });

  it('wide layouts show the three panes side by side without Back buttons', async () => {
    const { $, $$ } = await render('alice');
    for (const part of ['nav', 'list', 'conversation']) {
      expect(getComputedStyle($(`[part="${part}"]`)!).display).not.to.equal('none');
    }
    const shown = $$('[part="back-button"]').filter((b) => getComputedStyle(b).display !== 'none');
    expect(shown).to.have.length(0);
  });

  it('strings follow lang="fr"', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="fr"><cd-desk .client=${desk.client}></cd-desk></div>`,
    );
    const el = wrapper.querySelector('cd-desk')!;
    await el.updateComplete;
    const text = el.shadowRoot!.textContent!;
    expect(text).to.contain('Ma boîte');
    expect(text).to.contain('Boîte de l’équipe');
    expect(text).to.contain('Messages envoyés');
  });

  it('is accessible: a standard user with an open conversation, an admin with the form', async () => {
    const alice = await render('alice');
    await alice.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    await alice.settle();
    await expect(alice.el).to.be.accessible();
    await waitUntil(() => alice.rows().length === 1);
    alice.rows()[0]!.click();
    await alice.settle();
    await expect(alice.el).to.be.accessible();
    const admin = await render('admin');
    admin.$<HTMLButtonElement>('[part="new-button"]')!.click();
    await admin.el.updateComplete;
    await expect(admin.el).to.be.accessible();
  });
});
