import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DeskClient } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../provider/provider.js';
import './new-conversation.js';
import type { CdNewConversation } from './new-conversation.js';
import { en } from './new-conversation.strings.js';
import '../translations/fr.js';

async function render(userId = 'alice', lang = 'en') {
  const desk = await EmbeddedBackendForTests(userId);
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${lang}>
      <cd-desk-provider .client=${desk.client}>
        <cd-new-conversation></cd-new-conversation>
      </cd-desk-provider>
    </div>`,
  );
  const el = wrapper.querySelector('cd-new-conversation') as CdNewConversation;
  await el.updateComplete;
  const root = el.shadowRoot!;
  const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector);
  // The country list loads libphonenumber-js lazily.
  await waitUntil(() => ($<HTMLSelectElement>('#country')?.options.length ?? 0) > 1);
  return { ...desk, el, root, $ };
}

/** Chooses an option of a <select> the way the browser reports a user's choice. */
async function choose(select: HTMLSelectElement, value: string) {
  select.focus();
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

async function typeInto(input: HTMLElement, text: string) {
  input.focus();
  await sendKeys({ type: text });
}

const conversationCount = (client: DeskClient) => client.getState().conversations.size;

describe('<cd-new-conversation>', () => {
  it('SN1: typing "Dan" suggests Dana; picking her with the keyboard fills +1 and the number', async () => {
    const { el, $ } = await render();
    const name = $<HTMLInputElement>('#name')!;
    expect(name.getAttribute('role')).to.equal('combobox');
    expect(name.getAttribute('aria-expanded')).to.equal('false');

    await typeInto(name, 'Dan');
    await waitUntil(() => name.getAttribute('aria-expanded') === 'true', 'suggestions open');
    const listbox = $(`#${name.getAttribute('aria-controls')}`)!;
    expect(listbox.getAttribute('role')).to.equal('listbox');
    const options = [...listbox.querySelectorAll('[role="option"]')];
    expect(options.map((o) => o.textContent)).to.satisfy((texts: string[]) =>
      texts.some((t) => t.includes('Dana Díaz')),
    );
    expect(options.some((o) => o.textContent!.includes('Eli'))).to.equal(false);

    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(name.getAttribute('aria-activedescendant')).to.equal(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).to.equal('true');

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $<HTMLInputElement>('#number')!.value !== '', 'number filled');
    await el.updateComplete;
    const country = $<HTMLSelectElement>('#country')!;
    expect(name.value).to.equal('Dana Díaz');
    expect(name.getAttribute('aria-expanded')).to.equal('false');
    expect(country.value).to.equal('US');
    expect(country.selectedOptions[0]!.textContent).to.contain('+1');
    expect($<HTMLInputElement>('#number')!.value).to.equal('4155550101');
  });

  it('SN1: a suggestion can be picked with the mouse, and Escape closes the list', async () => {
    const { el, $ } = await render();
    const name = $<HTMLInputElement>('#name')!;
    await typeInto(name, 'Eli');
    await waitUntil(() => name.getAttribute('aria-expanded') === 'true');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(name.getAttribute('aria-expanded')).to.equal('false');
    expect($('[role="listbox"]')!.hidden).to.equal(true);

    await sendKeys({ press: 'ArrowDown' }); // reopens on the suggestions already found
    await el.updateComplete;
    expect(name.getAttribute('aria-expanded')).to.equal('true');
    $('[role="option"]')!.click();
    await waitUntil(() => $<HTMLInputElement>('#number')!.value === '4155550102');
    expect(name.value).to.equal('Eli');
  });

  it('S2, SN1: an invalid number shows an inline error and nothing is sent', async () => {
    const { el, $, client } = await render();
    const before = conversationCount(client);
    await typeInto($('#name')!, 'Zed Zero');
    await typeInto($('#number')!, '123');
    await choose($<HTMLSelectElement>('#sender')!, 'alice-sms');
    $<HTMLButtonElement>('[part="next-button"]')!.click();
    await waitUntil(() => $('#number-error'), 'error shown');
    await el.updateComplete;
    const number = $<HTMLInputElement>('#number')!;
    expect($('#number-error')!.textContent).to.contain('That is not a valid phone number.');
    expect(number.getAttribute('aria-invalid')).to.equal('true');
    expect(number.getAttribute('aria-describedby')).to.equal('number-error');
    expect(el.shadowRoot!.activeElement).to.equal(number);
    expect($('cd-compose')).to.equal(null);
    expect(conversationCount(client)).to.equal(before);

    // Correcting the number clears the error and shows the compose box.
    number.select();
    await sendKeys({ type: '4155550123' });
    $<HTMLButtonElement>('[part="next-button"]')!.click();
    await waitUntil(() => $('cd-compose'), 'compose shown');
    expect($('#number-error')).to.equal(null);
    expect(number.getAttribute('aria-invalid')).to.equal('false');
  });

  it('SN1: choosing a sender, typing a message and Send starts the conversation and fires cd-conversation-started', async () => {
    const { el, $, client } = await render();
    const name = $<HTMLInputElement>('#name')!;
    await typeInto(name, 'Dan');
    await waitUntil(() => name.getAttribute('aria-expanded') === 'true');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $<HTMLInputElement>('#number')!.value === '4155550101');
    await choose($<HTMLSelectElement>('#sender')!, 'alice-sms');
    await el.updateComplete;
    // A picked contact and a sender ID are all it takes: the compose box shows.
    expect($('[part="next-button"]')).to.equal(null);
    const compose = $('cd-compose')! as HTMLElement & { updateComplete: Promise<unknown> };
    await compose.updateComplete;
    compose.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ type: 'Hello Dana' });
    await compose.updateComplete;

    const started = oneEvent(el, 'cd-conversation-started');
    // Send stays disabled until the send guard has answered; a person waits for it.
    const send = compose.shadowRoot!.querySelector<HTMLButtonElement>('[part="send-button"]')!;
    await waitUntil(() => !send.disabled, 'Send is enabled once the guard has answered');
    send.click();
    const event = (await started) as CustomEvent<{ conversationId: string }>;
    const conversation = client.getState().conversations.get(event.detail.conversationId)!;
    expect(conversation).to.include({ senderId: 'alice-sms', customer: '+14155550101' });
    expect(conversation.lastMessage!.text).to.equal('Hello Dana');
    expect(event.bubbles && event.composed).to.equal(true);

    // The form resets for the next one.
    await el.updateComplete;
    expect(name.value).to.equal('');
    expect($<HTMLInputElement>('#number')!.value).to.equal('');
    expect($<HTMLSelectElement>('#sender')!.value).to.equal('');
    expect($('cd-compose')).to.equal(null);
  });

  it('SN1, S2: a new number typed with a name is saved as a contact when the message goes out', async () => {
    const { el, $, client } = await render();
    await typeInto($('#name')!, 'Zoé Zed');
    await typeInto($('#number')!, '(415) 555-0123');
    await choose($<HTMLSelectElement>('#sender')!, 'team-sms');
    $<HTMLButtonElement>('[part="next-button"]')!.click();
    await waitUntil(() => $('cd-compose'));
    const compose = $('cd-compose')! as HTMLElement & { updateComplete: Promise<unknown> };
    await compose.updateComplete;
    const box = compose.shadowRoot!.querySelector('textarea')!;
    await waitUntil(
      () => compose.shadowRoot!.activeElement === box,
      'Next focuses the message box',
    );
    await sendKeys({ type: 'Welcome!' });
    const started = oneEvent(el, 'cd-conversation-started');
    await sendKeys({ press: 'Enter' });
    const event = (await started) as CustomEvent;
    expect(client.getState().conversations.get(event.detail.conversationId)!.customer).to.equal(
      '+14155550123',
    );
    await waitUntil(() => client.getState().contacts.get('+14155550123'));
    expect(client.getState().contacts.get('+14155550123')).to.include({
      firstName: 'Zoé',
      lastName: 'Zed',
    });
  });

  it('SN1, SN2: the name typed fills the template; a customer with no name fills it inline before Send', async () => {
    const { el, $, client } = await render();
    await typeInto($('#name')!, 'Hal Hughes');
    await typeInto($('#number')!, '(415) 555-0177');
    await choose($<HTMLSelectElement>('#sender')!, 'alice-sms');
    $<HTMLButtonElement>('[part="next-button"]')!.click();
    await waitUntil(() => $('cd-compose'));
    type Compose = HTMLElement & { updateComplete: Promise<unknown> };
    let compose = $('cd-compose')! as Compose;
    await compose.updateComplete;
    const c$ = <T extends Element = HTMLElement>(s: string) =>
      compose.shadowRoot!.querySelector<T>(s);
    const pickTemplate = async () => {
      if (!c$('[part="template-option"]')) c$<HTMLButtonElement>('#templates-button')!.click();
      await waitUntil(() => c$('[part="template-option"]'), 'templates listed');
      c$<HTMLButtonElement>('[part="template-option"]')!.click();
      await compose.updateComplete;
    };
    await pickTemplate();
    // The name typed is the contact's: no field to fill, the preview says "Hi Hal!".
    expect(c$<HTMLTextAreaElement>('textarea')!.value).to.equal('Hi Hal!');
    expect(c$('[part="fields"]')).to.equal(null);
    const send = () => c$<HTMLButtonElement>('[part="send-button"]')!;
    await waitUntil(() => !send().disabled, 'Send enabled');
    let started = oneEvent(el, 'cd-conversation-started');
    send().click();
    let event = (await started) as CustomEvent<{ conversationId: string }>;
    expect(
      client.getState().conversations.get(event.detail.conversationId)!.lastMessage!.text,
    ).to.equal('Hi Hal!');

    // No name typed: the first name is asked for inline, in plain words.
    await el.updateComplete;
    await typeInto($('#number')!, '(415) 555-0188');
    await choose($<HTMLSelectElement>('#sender')!, 'alice-sms');
    $<HTMLButtonElement>('[part="next-button"]')!.click();
    await waitUntil(() => $('cd-compose'));
    compose = $('cd-compose')! as Compose;
    await compose.updateComplete;
    await pickTemplate();
    const fields = c$('[part="fields"]')!;
    expect(fields.textContent).to.contain('first name');
    expect(fields.textContent).not.to.contain('contact.firstName');
    await waitUntil(() => send().disabled, 'Send waits for the missing field');
    await typeInto(c$('[part="field-input"]')!, 'Gus');
    await compose.updateComplete;
    expect(c$<HTMLTextAreaElement>('textarea')!.value).to.equal('Hi Gus!');
    await waitUntil(() => !send().disabled, 'Send enabled once filled');
    await expect(el).to.be.accessible();
    started = oneEvent(el, 'cd-conversation-started');
    send().click();
    event = (await started) as CustomEvent<{ conversationId: string }>;
    const sent = client.getState().conversations.get(event.detail.conversationId)!;
    expect(sent.customer).to.equal('+14155550188');
    expect(sent.lastMessage!.text).to.equal('Hi Gus!');
  });

  it('SN4: WhatsApp to Eli (no consent on record) shows the no-consent reason and sends nothing', async () => {
    const { el, $, client } = await render();
    const before = conversationCount(client);
    const name = $<HTMLInputElement>('#name')!;
    await typeInto(name, 'Eli');
    await waitUntil(() => name.getAttribute('aria-expanded') === 'true');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $<HTMLInputElement>('#number')!.value === '4155550102');
    await choose($<HTMLSelectElement>('#sender')!, 'team-wa');
    await el.updateComplete;
    const compose = $('cd-compose')! as HTMLElement & { updateComplete: Promise<unknown> };
    expect(compose, 'a picked contact and a sender show the compose box at once').not.to.equal(
      null,
    );
    const verdict = () => compose.shadowRoot!.querySelector('[part="verdict"]')?.textContent ?? '';
    await waitUntil(() => /consent/i.test(verdict()), 'the no-consent reason shows');
    compose.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ type: 'Hi Eli' });
    await compose.updateComplete;
    const send = compose.shadowRoot!.querySelector<HTMLButtonElement>('[part="send-button"]')!;
    expect(send.disabled).to.equal(true);
    let started = false;
    el.addEventListener('cd-conversation-started', () => (started = true));
    await sendKeys({ press: 'Enter' });
    await compose.updateComplete;
    await client.idle();
    expect(/consent/i.test(verdict())).to.equal(true);
    expect(started).to.equal(false);
    expect(conversationCount(client)).to.equal(before);
  });

  it('SN1: Next without a sender ID asks for one', async () => {
    const { el, $ } = await render();
    await typeInto($('#number')!, '4155550123');
    $<HTMLButtonElement>('[part="next-button"]')!.click();
    await waitUntil(() => $('#sender-error'));
    await el.updateComplete;
    expect($('#sender-error')!.textContent).to.contain('Choose a sender ID.');
    expect($('#sender')!.getAttribute('aria-invalid')).to.equal('true');
    expect($('cd-compose')).to.equal(null);
  });

  it('V2, S1: a standard user starts from their sender IDs; an admin from any, shown with the channel', async () => {
    const alice = await render('alice');
    const aliceOptions = [...alice.$<HTMLSelectElement>('#sender')!.options].map((o) => o.value);
    expect(aliceOptions).to.deep.equal(['', 'alice-sms', 'team-sms', 'team-wa']);
    const admin = await render('admin');
    const options = [...admin.$<HTMLSelectElement>('#sender')!.options];
    expect(options.map((o) => o.value)).to.deep.equal([
      '',
      'alice-sms',
      'bob-wa',
      'team-sms',
      'team-wa',
    ]);
    const labels = options.map((o) => o.textContent!.trim());
    // The channel is not repeated when the label already names it; the address tells numbers apart.
    expect(labels.slice(1)).to.deep.equal([
      'Alice SMS (+14155550001)',
      'Bob WhatsApp (+14155550002)',
      'Team SMS (+14155550003)',
      'Team WhatsApp (+14155550004)',
    ]);
    expect(en.senderOption('Lee', 'WhatsApp', '+12025550100')).to.equal(
      'Lee · WhatsApp (+12025550100)',
    );
    expect(en.senderOption('Lee · whatsapp', 'WhatsApp', '+12025550100')).to.equal(
      'Lee · whatsapp (+12025550100)',
    );
  });

  it('SN1: in a narrow form the country code list fits its column, beside the number field', async () => {
    const { el, $ } = await render();
    el.style.display = 'block';
    el.style.width = '460px';
    await el.updateComplete;
    const country = $<HTMLSelectElement>('#country')!;
    const number = $<HTMLInputElement>('#number')!;
    const column = country.closest('.field')!.getBoundingClientRect();
    const select = country.getBoundingClientRect();
    expect(select.width).to.be.at.most(column.width + 0.5);
    expect(select.right).to.be.at.most(number.getBoundingClientRect().left);
    expect(select.top, 'on the same row').to.equal(number.getBoundingClientRect().top);
    // The chosen country still reads in full in the list.
    expect(country.selectedOptions[0]!.textContent!.trim()).to.equal('United States (+1)');
  });

  it('SN1: at 330 px the closed country list reads "US +1" uncut; its options keep the full names', async () => {
    const { el, $ } = await render();
    el.style.display = 'block';
    el.style.width = '330px';
    await el.updateComplete;
    const country = $<HTMLSelectElement>('#country')!;
    const short = $('[part~="country-short"]')!;
    expect(short.textContent).to.equal('US +1');
    // It sits inside the select, left of its arrow, on one line: nothing is cut.
    const box = country.getBoundingClientRect();
    const shown = short.getBoundingClientRect();
    expect(shown.left).to.be.at.least(box.left);
    expect(shown.right).to.be.at.most(box.right - 16);
    expect(shown.top).to.be.at.least(box.top);
    expect(shown.bottom).to.be.at.most(box.bottom);
    // The select's own (long, cut) text is hidden, not drawn under it.
    expect(getComputedStyle(country).color).to.equal('rgba(0, 0, 0, 0)');
    expect(country.selectedOptions[0]!.textContent!.trim()).to.equal('United States (+1)');
    // A person types a country's name on the closed list: it follows.
    country.focus();
    await sendKeys({ type: 'France' });
    await waitUntil(() => country.value === 'FR', 'France is chosen');
    await el.updateComplete;
    expect(short.textContent).to.equal('FR +33');
    await expect(el).to.be.accessible();
  });

  it('Cancel fires cd-close', async () => {
    const { el, $ } = await render();
    setTimeout(() => $<HTMLButtonElement>('[part="cancel-button"]')!.click());
    const event = await oneEvent(el, 'cd-close');
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ reason: 'cancel' });
  });

  it('strings and country names follow lang="fr"', async () => {
    const { $ } = await render('alice', 'fr');
    expect($('label[for="name"]')!.textContent).to.equal('Nom complet');
    const country = $<HTMLSelectElement>('#country')!;
    expect(country.value).to.equal('US');
    expect(country.selectedOptions[0]!.textContent!.trim()).to.equal('États-Unis (+1)');
  });

  it('is accessible, with the list of suggestions open', async () => {
    const { el, $ } = await render();
    await expect(el).to.be.accessible();
    await typeInto($('#name')!, 'Da');
    await waitUntil(() => $('#name')!.getAttribute('aria-expanded') === 'true');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
