import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import './assign-dialog.js';
import type { CdAssignDialog } from './assign-dialog.js';
import '../translations/fr.js';

const DANA = '+14155550101';
const ELI = '+14155550102';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;

async function renderDialog(desk: Desk) {
  const wrapper = await fixture<HTMLElement>(html`
    <cd-desk-provider .client=${desk.client}
      ><cd-assign-dialog></cd-assign-dialog
    ></cd-desk-provider>
  `);
  const el = wrapper.querySelector('cd-assign-dialog')!;
  await el.updateComplete;
  return el;
}

async function incoming(desk: Desk, senderId: string, from: string) {
  const { conversation } = await desk.backend.simulateIncoming({ senderId, from, text: 'Hello' });
  await new Promise((r) => setTimeout(r, 0));
  await desk.client.idle();
  return conversation.id;
}

const $ = <T extends Element = HTMLElement>(el: CdAssignDialog, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const dialog = (el: CdAssignDialog) => $<HTMLDialogElement>(el, 'dialog')!;
const userLabels = (el: CdAssignDialog) =>
  [...el.shadowRoot!.querySelectorAll('[part~="user"]')].map((l) =>
    l.textContent!.replace(/\s+/g, ' ').trim(),
  );
const chooseUser = (el: CdAssignDialog, name: string) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="user"]')]
    .find((l) => l.querySelector('span')!.textContent === name)!
    .click();
const assignButton = (el: CdAssignDialog) => $<HTMLButtonElement>(el, '[part~="assign-button"]')!;

describe('<cd-assign-dialog>', () => {
  it('A1: show() opens a modal that lists the standard users only, with the current owner marked', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA);
    const el = await renderDialog(desk);
    expect(dialog(el).open).to.equal(false);

    await el.show([id]);
    expect(el.open).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
    expect(dialog(el).open).to.equal(true);
    expect(dialog(el).matches(':modal')).to.equal(true);
    expect($(el, 'h2')!.textContent!.trim()).to.equal('Assign conversation');
    expect($(el, 'legend')!.textContent).to.equal('Assign to');
    // The admin is not offered (A1: a standard user), Carol is (no portal license needed).
    expect(userLabels(el)).to.deep.equal(['Alice (current owner)', 'Bob', 'Carol']);
    expect(assignButton(el).disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('A1, A2: choosing a user and Assign moves ownership of several conversations, fires cd-assigned and closes', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const dana = await incoming(desk, 'alice-sms', DANA);
    const eli = await incoming(desk, 'alice-sms', ELI);
    const el = await renderDialog(desk);
    await el.show([dana, eli]);
    expect($(el, 'h2')!.textContent!.trim()).to.equal('Assign 2 conversations');

    const seen: string[] = [];
    el.addEventListener('cd-assign', (e) => seen.push(`assign:${e.detail.assigneeId}`));
    el.addEventListener('cd-close', (e) => seen.push(`close:${e.detail.reason}`));
    chooseUser(el, 'Bob');
    await el.updateComplete;
    expect(assignButton(el).disabled).to.equal(false);
    setTimeout(() => assignButton(el).click());
    const assigned = await oneEvent(el, 'cd-assigned');
    expect(assigned.detail).to.deep.equal({ conversationIds: [dana, eli], assigneeId: 'bob' });
    expect(desk.client.conversation(dana).ownerId).to.equal('bob');
    expect(desk.client.conversation(eli).ownerId).to.equal('bob');
    // A2: unread for the assignee.
    expect(desk.client.conversation(dana).unread).to.equal(true);
    await waitUntil(() => !dialog(el).open, 'the dialog closes');
    await waitUntil(() => seen.length === 2);
    expect(seen).to.deep.equal(['assign:bob', 'close:assigned']);
    expect(el.open).to.equal(false);
  });

  it('A1: the keyboard chooses a user (arrow keys in the radio group) and Enter assigns', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA);
    const el = await renderDialog(desk);
    await el.show([id]);
    $<HTMLInputElement>(el, 'input[value="alice"]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect($<HTMLInputElement>(el, 'input[value="bob"]')!.checked).to.equal(true);
    setTimeout(() => sendKeys({ press: 'Enter' }));
    await oneEvent(el, 'cd-assigned');
    expect(desk.client.conversation(id).ownerId).to.equal('bob');
  });

  it('A1: preventDefault on cd-assign stops the assignment and keeps the dialog open', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA);
    const el = await renderDialog(desk);
    await el.show([id]);
    el.addEventListener('cd-assign', (e) => e.preventDefault());
    let assigned = false;
    el.addEventListener('cd-assigned', () => (assigned = true));
    chooseUser(el, 'Bob');
    await el.updateComplete;
    assignButton(el).click();
    await new Promise((r) => setTimeout(r, 0));
    await desk.client.idle();
    await el.updateComplete;
    expect(desk.client.conversation(id).ownerId).to.equal('alice');
    expect(assigned).to.equal(false);
    expect(dialog(el).open).to.equal(true);
  });

  it('U2: a forbidden refusal shows in the dialog, which stays open, and nothing changes', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', DANA);
    const el = await renderDialog(desk);
    await el.show([id]);
    chooseUser(el, 'Bob');
    await el.updateComplete;
    assignButton(el).click();
    await waitUntil(() => $(el, '[role="alert"]'), 'an alert');
    expect($(el, '[role="alert"]')!.textContent).to.equal('You are not allowed to do that.');
    expect(dialog(el).open).to.equal(true);
    expect(desk.client.conversation(id).ownerId).to.equal('alice');
    await expect(el).to.be.accessible();
  });

  it('Cancel and Escape close the dialog and fire cd-close without assigning', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA);
    const el = await renderDialog(desk);
    await el.show([id]);
    chooseUser(el, 'Bob');
    await el.updateComplete;
    setTimeout(() => $<HTMLButtonElement>(el, '[part~="cancel-button"]')!.click());
    const closed = await oneEvent(el, 'cd-close');
    expect(closed.detail).to.deep.equal({ reason: 'cancel' });
    expect(dialog(el).open).to.equal(false);
    expect(el.open).to.equal(false);

    await el.show([id]);
    expect(dialog(el).open).to.equal(true);
    // show() starts afresh: no user chosen.
    expect(assignButton(el).disabled).to.equal(true);
    setTimeout(() => sendKeys({ press: 'Escape' }));
    await oneEvent(el, 'cd-close');
    expect(dialog(el).open).to.equal(false);
    expect(el.open).to.equal(false);
    expect(desk.client.conversation(id).ownerId).to.equal('alice');
  });

  it('the open attribute opens it too, and strings follow lang (French)', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'alice-sms', DANA);
    const wrapper = await fixture<HTMLElement>(html`
      <cd-desk-provider .client=${desk.client}>
        <div lang="fr"><cd-assign-dialog open .conversationIds=${[id]}></cd-assign-dialog></div>
      </cd-desk-provider>
    `);
    const el = wrapper.querySelector('cd-assign-dialog')!;
    await el.updateComplete;
    expect(dialog(el).open).to.equal(true);
    expect($(el, 'h2')!.textContent!.trim()).to.equal('Attribuer la conversation');
    expect(assignButton(el).textContent!.trim()).to.equal('Attribuer');
  });
});
