import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import { CARE_WINDOW_MS, type DeskClient } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import { PHONE } from '../../test/support/seed.js';
import '../provider/provider.js';
import { DEFAULT_EMOJI_DATA_SOURCE, type CdCompose } from './compose.js';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;

async function mount(client: DeskClient, template: TemplateResult): Promise<CdCompose> {
  const wrapper = await fixture<HTMLElement>(
    html`<cd-desk-provider .client=${client}>${template}</cd-desk-provider>`,
  );
  const el = wrapper.querySelector('cd-compose')!;
  await el.updateComplete;
  return el;
}

/** A customer writes in, so there is a conversation to reply in. */
async function incoming(desk: Desk, senderId: string, from: string, text = 'Hello') {
  const { conversation } = await desk.backend.simulateIncoming({ senderId, from, text });
  await desk.client.idle();
  return conversation.id;
}

async function reply(desk: Desk, senderId: string, from: string) {
  const id = await incoming(desk, senderId, from);
  const el = await mount(desk.client, html`<cd-compose .conversationId=${id}></cd-compose>`);
  return { id, el };
}

const part = <E extends Element = HTMLElement>(el: CdCompose, name: string) =>
  el.shadowRoot!.querySelector<E>(`[part~="${name}"]`);
const textarea = (el: CdCompose) => part<HTMLTextAreaElement>(el, 'textarea')!;
const sendButton = (el: CdCompose) => part<HTMLButtonElement>(el, 'send-button')!;
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const verdictText = (el: CdCompose) => text(part(el, 'verdict'));
/** Send stays disabled until the send guard has answered: a person waits for it. */
const sendReady = (el: CdCompose) =>
  waitUntil(() => !sendButton(el).disabled, 'Send is enabled once the guard has answered');

async function type(el: CdCompose, value: string) {
  textarea(el).focus();
  await sendKeys({ type: value });
  await el.updateComplete;
}

/** Counts the send guard's answers from now on (wraps the client's `checkSend`). */
function countAnswers(client: DeskClient) {
  const counter = { answers: 0 };
  const checkSend = client.checkSend.bind(client);
  client.checkSend = async (...args) => {
    const verdict = await checkSend(...args);
    counter.answers++;
    return verdict;
  };
  return counter;
}

const outgoing = (client: DeskClient, id: string) =>
  client
    .getState()
    .threads.get(id)
    ?.items.filter((m) => m.direction === 'out') ?? [];

describe('<cd-compose>', () => {
  it('SN8: the SMS counter shows characters, parts and encoding, and the characters that force UCS-2', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Hello');
    expect(text(part(el, 'counter'))).to.equal('5 characters · 1 part · GSM-7');
    expect(part(el, 'ucs2')).to.equal(null);

    await type(el, ' 😀');
    expect(textarea(el).value).to.equal('Hello 😀');
    expect(text(part(el, 'counter'))).to.contain('7 characters · 1 part · UCS-2');
    expect(text(part(el, 'ucs2'))).to.equal('Characters that force UCS-2: 😀');

    // 😀 takes two UCS-2 units: 8 + 63 = 71 > 70, so the text needs two parts of 67.
    await type(el, 'a'.repeat(63));
    expect(text(part(el, 'counter'))).to.contain('70 characters · 2 parts · UCS-2');
  });

  it('SN8: a WhatsApp conversation shows only a character count out of 4096', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const { el } = await reply(desk, 'bob-wa', PHONE.dana);
    await type(el, 'Hi 😀');
    expect(text(part(el, 'counter'))).to.equal('4 / 4096 characters');
    expect(part(el, 'ucs2')).to.equal(null);
  });

  it('Enter sends, Shift+Enter adds a line, and the box clears after cd-send and cd-sent', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id, el } = await reply(desk, 'alice-sms', PHONE.eli);
    el.focus();
    expect(el.shadowRoot!.activeElement).to.equal(textarea(el));
    await type(el, 'Line one');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await type(el, 'line two');
    expect(textarea(el).value).to.equal('Line one\nline two');

    const before = oneEvent(el, 'cd-send');
    const after = oneEvent(el, 'cd-sent');
    await sendKeys({ press: 'Enter' });
    const sendEvent = await before;
    expect(sendEvent.cancelable).to.equal(true);
    expect(sendEvent.detail.content).to.deep.equal({ text: 'Line one\nline two' });
    const { detail } = await after;
    expect(detail.message.text).to.equal('Line one\nline two');
    await el.updateComplete;
    expect(textarea(el).value).to.equal('');
    expect(outgoing(desk.client, id).map((m) => m.text)).to.deep.equal(['Line one\nline two']);
  });

  it('a cancelled cd-send sends nothing and keeps the draft', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id, el } = await reply(desk, 'alice-sms', PHONE.eli);
    el.addEventListener('cd-send', (e) => e.preventDefault());
    await type(el, 'Not yet');
    sendButton(el).click();
    await el.updateComplete;
    await desk.client.idle();
    expect(outgoing(desk.client, id)).to.have.length(0);
    expect(textarea(el).value).to.equal('Not yet');
  });

  it('SN3-SN6: Send stays disabled until the send guard has answered about the draft typed', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Wait for it');
    // The guard is asked once typing pauses: right after typing, it has not answered yet.
    expect(sendButton(el).disabled).to.equal(true);
    await sendReady(el);
    await type(el, '!');
    expect(sendButton(el).disabled).to.equal(true);
    await sendReady(el);
    expect(textarea(el).value).to.equal('Wait for it!');
  });

  it('SN3-SN6: Enter pressed before the guard answered sends once it has allowed the draft', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id, el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Quick');
    const sent = oneEvent(el, 'cd-sent');
    await sendKeys({ press: 'Enter' });
    await sent;
    expect(outgoing(desk.client, id).map((m) => m.text)).to.deep.equal(['Quick']);
  });

  it('a double click sends one message, and Send is disabled while sending', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id, el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Once');
    await sendReady(el);
    const sent = oneEvent(el, 'cd-sent');
    sendButton(el).click();
    sendButton(el).click();
    await el.updateComplete;
    expect(sendButton(el).disabled).to.equal(true);
    await sent;
    await desk.client.idle();
    await el.updateComplete;
    expect(outgoing(desk.client, id).map((m) => m.text)).to.deep.equal(['Once']);
  });

  it('a DeskError from send shows an alert with its message, once, and keeps the draft', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id, el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Keep me');
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="send-button"]:not([disabled])'));
    // The customer opts out as the agent clicks Send, after the guard's answer (SN5): the
    // backend refuses the send.
    el.addEventListener('cd-send', () => void desk.backend.setOptOut(PHONE.eli, 'sms', true), {
      once: true,
    });
    let guardRefuses = false;
    const checkSend = desk.client.checkSend.bind(desk.client);
    desk.client.checkSend = async (...args) => {
      const verdict = await checkSend(...args);
      if (verdict.outcome === 'refused' && verdict.code === 'opted_out') guardRefuses = true;
      return verdict;
    };
    sendButton(el).click();
    await waitUntil(() => part(el, 'error'), 'an alert appears');
    const alert = part(el, 'error')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.contain('opted out of SMS');
    expect(textarea(el).value).to.equal('Keep me');
    expect(outgoing(desk.client, id)).to.have.length(0);
    // The guard, asked again now that the customer opted out, refuses too: said once, not twice.
    await waitUntil(() => guardRefuses, 'the send guard answers again');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent!.match(/opted out of SMS/g)).to.have.length(1);
    expect(sendButton(el).disabled).to.equal(true);
    // Editing the draft clears the send error; the guard's refusal then says it, still once.
    await type(el, '!');
    await waitUntil(() => text(part(el, 'verdict')).includes('opted out of SMS'));
    expect(part(el, 'error')).to.equal(null);
    expect(el.shadowRoot!.textContent!.match(/opted out of SMS/g)).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('each conversation keeps its own draft when the element switches between them', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id: first, el } = await reply(desk, 'alice-sms', PHONE.eli);
    const second = await incoming(desk, 'alice-sms', PHONE.dana);
    await type(el, 'For Eli');
    el.conversationId = second;
    await el.updateComplete;
    expect(textarea(el).value).to.equal('');
    await type(el, 'For Dana');
    el.conversationId = first;
    await el.updateComplete;
    expect(textarea(el).value).to.equal('For Eli');
    el.conversationId = second;
    await el.updateComplete;
    expect(textarea(el).value).to.equal('For Dana');
  });

  it('a new object for the same new conversation keeps the chosen template', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const target = () => ({ senderId: 'alice-sms', customer: PHONE.eli, name: 'Eli' });
    const el = await mount(
      desk.client,
      html`<cd-compose .newConversation=${target()}></cd-compose>`,
    );
    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'template-option')!.click();
    await el.updateComplete;
    el.newConversation = target(); // a parent re-rendering its object literal
    await el.updateComplete;
    expect(textarea(el).value).to.equal('Hi Eli!');
    el.newConversation = { senderId: 'bob-wa', customer: PHONE.eli };
    await el.updateComplete;
    expect(textarea(el).readOnly, 'an SMS template does not follow to WhatsApp').to.equal(false);
  });

  it('SN2: the template picker offers the conversation templates of the channel, searchable, with a filled preview', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { id, el } = await reply(desk, 'alice-sms', PHONE.eli);
    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    const options = () =>
      [...el.shadowRoot!.querySelectorAll('[part~="template-option"]')].map((o) => text(o));
    // Not the campaign template, nor the WhatsApp ones.
    expect(options()).to.deep.equal(['SMS hi Hi Eli!']);

    const search = part<HTMLInputElement>(el, 'template-search')!;
    expect(el.shadowRoot!.activeElement).to.equal(search);
    await sendKeys({ type: 'nothing like it' });
    await el.updateComplete;
    expect(options()).to.deep.equal([]);
    expect(text(part(el, 'templates'))).to.contain('No template matches.');
    search.select();
    await sendKeys({ type: 'hi' });
    await el.updateComplete;
    expect(options()).to.have.length(1);

    part<HTMLButtonElement>(el, 'template-option')!.click();
    await el.updateComplete;
    expect(textarea(el).readOnly).to.equal(true);
    expect(textarea(el).value).to.equal('Hi Eli!');
    expect(text(part(el, 'template-chip'))).to.contain('Template: SMS hi');

    await sendReady(el);
    const sent = oneEvent(el, 'cd-send');
    sendButton(el).click();
    expect((await sent).detail.content).to.deep.equal({ templateId: 't-sms-hi' });
    await oneEvent(el, 'cd-sent');
    expect(outgoing(desk.client, id).map((m) => m.text)).to.deep.equal(['Hi Eli!']);
    await el.updateComplete;
    expect(textarea(el).readOnly).to.equal(false);
  });

  it('SN2: clearing the template gives the free text back', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'My draft');
    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'template-option')!.click();
    await el.updateComplete;
    expect(textarea(el).value).to.equal('Hi Eli!');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="template-chip"] button')!.click();
    await el.updateComplete;
    expect(textarea(el).readOnly).to.equal(false);
    expect(textarea(el).value).to.equal('My draft');
  });

  it('SN2: a template with a merge field the customer lacks shows what is missing and cannot be sent', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.unknown);
    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    expect(text(part(el, 'template-option'))).to.contain('Missing for this customer: first name');
    expect(text(part(el, 'template-option'))).not.to.contain('customer: contact.');
    part<HTMLButtonElement>(el, 'template-option')!.click();
    await waitUntil(() => verdictText(el), 'the send guard answers');
    expect(verdictText(el)).to.contain('The template needs this customer’s first name');
    expect(sendButton(el).disabled).to.equal(true);
  });

  it('SN3: when the WhatsApp care window closes, compose switches to registered templates', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const { el } = await reply(desk, 'bob-wa', PHONE.dana);
    await type(el, 'Free text');
    expect(part(el, 'notice')).to.equal(null);

    const guard = countAnswers(desk.client);
    desk.clock.advance(CARE_WINDOW_MS);
    await el.updateComplete;
    expect(text(part(el, 'notice'))).to.contain('care window is closed');
    // The draft typed before stays readable, cannot be edited or sent, and can be cleared.
    expect(textarea(el).readOnly).to.equal(true);
    expect(textarea(el).value).to.equal('Free text');
    expect(text(part(el, 'clear-draft'))).to.equal('Clear draft');
    expect(sendButton(el).disabled).to.equal(true);
    expect(part(el, 'templates'), 'the picker does not open by itself').to.equal(null);
    await waitUntil(() => guard.answers > 0, 'the send guard answers');
    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    // One warning, once: the notice says it; the guard's refusal does not repeat it.
    expect(verdictText(el)).to.equal('');

    const [hello, followUp] = [...el.shadowRoot!.querySelectorAll('[part~="template-option"]')];
    expect(text(hello!)).to.contain('Hello (registered)');
    expect(text(hello!)).to.contain('Hi Dana, how can we help?');
    expect((followUp as HTMLButtonElement).disabled, 'an unregistered template').to.equal(true);
    (hello as HTMLButtonElement).click();
    await el.updateComplete;
    await waitUntil(() => !sendButton(el).disabled, 'a registered template may be sent');
    expect(textarea(el).value).to.equal('Hi Dana, how can we help?');
  });

  it('SN3: with no draft, the closed window shows the notice and no red refusal; the picker opens only when asked, and closes after sending a template', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const { id, el } = await reply(desk, 'bob-wa', PHONE.dana);
    expect(!!part(el, 'templates')).to.equal(false);

    desk.clock.advance(CARE_WINDOW_MS);
    await el.updateComplete;
    expect(text(part(el, 'notice'))).to.contain('care window is closed');
    expect(textarea(el).disabled).to.equal(true);
    expect(!!part(el, 'clear-draft'), 'no draft to clear').to.equal(false);
    expect(!!part(el, 'templates'), 'the picker does not open by itself').to.equal(false);
    // Give the send guard time to answer: its window_closed answer is not shown as an error.
    await new Promise((r) => setTimeout(r, 300));
    await el.updateComplete;
    expect(verdictText(el)).to.equal('');
    expect(!!el.shadowRoot!.querySelector('.verdict.refused')).to.equal(false);

    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    part<HTMLButtonElement>(el, 'template-option')!.click();
    await el.updateComplete;
    await waitUntil(() => !sendButton(el).disabled, 'a registered template may be sent');
    const sent = oneEvent(el, 'cd-sent');
    sendButton(el).click();
    await sent;
    await desk.client.idle();
    await el.updateComplete;
    expect(outgoing(desk.client, id).map((m) => m.text)).to.deep.equal([
      'Hi Dana, how can we help?',
    ]);
    expect(!!part(el, 'templates'), 'the picker stays closed after the send').to.equal(false);
    expect(text(part(el, 'notice'))).to.contain('care window is closed');
    expect(part<HTMLButtonElement>(el, 'template-button')!.getAttribute('aria-expanded')).to.equal(
      'false',
    );
  });

  it('SN3: a draft typed before the window closed is kept readable and "Clear draft" empties it', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const { el } = await reply(desk, 'bob-wa', PHONE.dana);
    await type(el, 'Typed in time');
    const guard = countAnswers(desk.client);
    desk.clock.advance(CARE_WINDOW_MS);
    await el.updateComplete;
    expect(textarea(el).disabled).to.equal(false);
    expect(textarea(el).readOnly).to.equal(true);
    await waitUntil(() => guard.answers > 0, 'the send guard answers about the free text');
    await el.updateComplete;
    // The notice says free text cannot go out; the refusal is not said a second time.
    expect(
      el.shadowRoot!.textContent!.match(/only registered templates can be sent/g),
    ).to.have.length(1);
    expect(verdictText(el)).to.equal('');
    expect(sendButton(el).disabled).to.equal(true);
    await expect(el).to.be.accessible();

    part<HTMLButtonElement>(el, 'clear-draft')!.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(textarea(el).value).to.equal('');
    expect(textarea(el).disabled).to.equal(true);
    expect(!!part(el, 'clear-draft')).to.equal(false);
    expect(el.shadowRoot!.activeElement === part(el, 'template-button')).to.equal(true);
    await waitUntil(() => verdictText(el) === '', 'no red refusal without a draft');
  });

  it('SN3: a new WhatsApp conversation says it starts with a registered template, not that the window closed', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const el = await mount(
      desk.client,
      html`<cd-compose
        .newConversation=${{ senderId: 'bob-wa', customer: PHONE.dana }}
      ></cd-compose>`,
    );
    expect(text(part(el, 'notice'))).to.equal(
      'A new WhatsApp conversation starts with a registered template: free text opens once the customer replies.',
    );
    expect(text(part(el, 'notice'))).to.not.contain('closed');
    expect(part(el, 'templates'), 'the picker does not open by itself').to.equal(null);
    await new Promise((r) => setTimeout(r, 300));
    await el.updateComplete;
    expect(verdictText(el), 'Dana has consent: nothing to refuse yet').to.equal('');
  });

  it('RT4: someone other than the owner is told that sending makes them the owner', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const mine = await mount(desk.client, html`<cd-compose .conversationId=${id}></cd-compose>`);
    expect(!!part(mine, 'owner-note'), 'Alice owns it').to.equal(false);

    const admin = await desk.connect('admin');
    const el = await mount(admin, html`<cd-compose .conversationId=${id}></cd-compose>`);
    expect(text(part(el, 'owner-note'))).to.equal(
      'Sending makes you the owner of this conversation.',
    );
  });

  it('SN4: a new WhatsApp conversation without consent shows the reason', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const el = await mount(
      desk.client,
      html`<cd-compose
        .newConversation=${{ senderId: 'bob-wa', customer: PHONE.eli }}
      ></cd-compose>`,
    );
    await waitUntil(() => verdictText(el), 'the send guard answers');
    expect(verdictText(el)).to.contain('has not given consent to receive WhatsApp messages');
  });

  it('SN5: an opted-out number shows the reason and Send stays disabled', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.fay);
    await waitUntil(() => verdictText(el), 'the send guard answers');
    expect(verdictText(el)).to.contain('This number opted out of SMS messages');
    await type(el, 'Hello Fay');
    await el.updateComplete;
    expect(sendButton(el).disabled).to.equal(true);
  });

  it('SN5: an opt-out that arrives while composing is shown before Send', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Hello Eli');
    await el.updateComplete;
    await waitUntil(() => !sendButton(el).disabled, 'Send is allowed');
    await desk.backend.setOptOut(PHONE.eli, 'sms', true);
    await desk.client.idle();
    await waitUntil(() => verdictText(el).includes('opted out'), 'the guard answers again');
    expect(sendButton(el).disabled).to.equal(true);
  });

  it('SN6: outside business hours the guard says until when the message is queued, and Send stays allowed', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    desk.backend.setBusinessHours({ timeZone: 'UTC', weekly: { tue: [['09:00', '17:00']] } });
    const client = await desk.connect('alice'); // the settings are read at connect
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    await client.idle();
    const el = await mount(client, html`<cd-compose .conversationId=${id}></cd-compose>`);
    await type(el, 'After hours');
    await waitUntil(() => verdictText(el).includes('queued'), 'the send guard answers');
    expect(verdictText(el)).to.match(/will be queued until .*Nov 24, 2026/);
    expect(sendButton(el).disabled).to.equal(false);
  });

  it('starts a new conversation with startConversation and saves the typed name as a contact', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const el = await mount(
      desk.client,
      html`<cd-compose
        .newConversation=${{ senderId: 'alice-sms', customer: PHONE.unknown, name: 'Gus Hale' }}
      ></cd-compose>`,
    );
    await type(el, 'Welcome');
    const sent = oneEvent(el, 'cd-sent');
    await sendKeys({ press: 'Enter' });
    const { detail } = await sent;
    expect(detail.message.text).to.equal('Welcome');
    const contact = desk.client.getState().contacts.get(PHONE.unknown);
    expect(contact?.firstName).to.equal('Gus');
    expect(contact?.lastName).to.equal('Hale');
  });

  it('media: an accepted file is attached as a data: URL with its name as text; a rejected one shows why', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const choose = (...files: File[]) => {
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(f);
      input.files = transfer.files;
      input.dispatchEvent(new Event('change'));
    };
    const png = new File([new Uint8Array([137, 80, 78, 71])], '<img src=x onerror=alert(1)>.png', {
      type: 'image/png',
    });
    const html_ = new File(['<b>hi</b>'], 'page.html', { type: 'text/html' });
    choose(png, html_);
    // Files are read asynchronously (FileReader).
    await waitUntil(() => part(el, 'attachment') && part(el, 'media-error'), 'the files are read');

    const attachments = [...el.shadowRoot!.querySelectorAll('[part~="attachment"]')];
    expect(attachments.map((a) => text(a.querySelector('.file-name')))).to.deep.equal([
      '<img src=x onerror=alert(1)>.png',
    ]);
    expect(
      el.shadowRoot!.querySelector('[part~="attachment"] img[src^="data:image/png"]'),
    ).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('img[src="x"]')).to.equal(null);
    const problem = part(el, 'media-error')!;
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(text(problem)).to.contain('SMS does not accept files of the type of “page.html”');

    await sendReady(el);
    const sent = oneEvent(el, 'cd-send');
    sendButton(el).click();
    const media = (await sent).detail.content.media!;
    expect(media).to.have.length(1);
    expect(media[0]).to.include({ mimeType: 'image/png', size: 4 });
    expect(media[0]!.url).to.match(/^data:image\/png;base64,/);
  });

  it('the emoji picker loads lazily from the local data and inserts the emoji at the caret', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Hi there');
    textarea(el).setSelectionRange(2, 2);
    expect(el.shadowRoot!.querySelector('emoji-picker')).to.equal(null);

    part<HTMLButtonElement>(el, 'emoji-button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('emoji-picker'), 'the picker is created');
    const picker = el.shadowRoot!.querySelector('emoji-picker')!;
    expect(picker.dataSource).to.equal(DEFAULT_EMOJI_DATA_SOURCE);
    expect(picker.dataSource.startsWith('/node_modules/')).to.equal(true);

    await waitUntil(
      () => picker.shadowRoot?.querySelector('button.emoji[role="menuitem"]'),
      'the emoji data loads',
      { timeout: 8000 },
    );
    const emoji = picker.shadowRoot!.querySelector<HTMLButtonElement>(
      'button.emoji[role="menuitem"]',
    )!;
    const chosen = await new Promise<string>((resolve) => {
      picker.addEventListener('emoji-click', (e) => resolve(e.detail.unicode!), { once: true });
      emoji.click();
    });
    await el.updateComplete;
    expect(textarea(el).value).to.equal(`Hi${chosen} there`);
  });

  it('emoji keyboard: opening moves focus into the picker; Escape closes it from the picker or from the text box', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    const emojiButton = part<HTMLButtonElement>(el, 'emoji-button')!;
    const panel = part(el, 'emoji-panel')!;
    emojiButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('emoji-picker'), 'the picker is created');
    const picker = el.shadowRoot!.querySelector('emoji-picker')!;
    await waitUntil(() => el.shadowRoot!.activeElement === picker, 'focus moves into the picker');
    expect(picker.shadowRoot!.activeElement?.id).to.equal('search');
    expect(panel.hidden).to.equal(false);

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(panel.hidden).to.equal(true);
    expect(emojiButton.getAttribute('aria-expanded')).to.equal('false');
    await waitUntil(() => el.shadowRoot!.activeElement === emojiButton, 'focus returns');

    // Open again, pick an emoji: focus goes to the text box; Escape there closes the picker too.
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(panel.hidden).to.equal(false);
    await waitUntil(
      () => picker.shadowRoot?.querySelector('button.emoji[role="menuitem"]'),
      'the emoji data loads',
      { timeout: 8000 },
    );
    picker.shadowRoot!.querySelector<HTMLButtonElement>('button.emoji[role="menuitem"]')!.click();
    await waitUntil(() => el.shadowRoot!.activeElement === textarea(el), 'back in the text box');
    expect(textarea(el).value).to.not.equal('');
    expect(panel.hidden).to.equal(false);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(panel.hidden).to.equal(true);
    expect(el.shadowRoot!.activeElement === textarea(el), 'focus stays').to.equal(true);
  });

  it('is accessible', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { el } = await reply(desk, 'alice-sms', PHONE.eli);
    await type(el, 'Hello 😀');
    part<HTMLButtonElement>(el, 'template-button')!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
