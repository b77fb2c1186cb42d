import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CARE_WINDOW_MS, type DeskClient, type Media } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import { PHONE } from '../../test/support/seed.js';
import type { CdCompose } from '../compose/compose.js';
import '../provider/provider.js';
import type { CdConversation } from './conversation.js';
import './conversation.js';
import { frames, mountConversation } from './test-mount.js';

type Desk = Awaited<ReturnType<typeof EmbeddedBackendForTests>>;
const DAY = 24 * 60 * 60 * 1000;

async function incoming(
  desk: Desk,
  senderId: string,
  from: string,
  text = 'Hello',
  media?: Media[],
) {
  const { conversation } = await desk.backend.simulateIncoming({ senderId, from, text, media });
  await desk.client.idle();
  return conversation.id;
}

const mount = (client: DeskClient, id: string, height?: number) =>
  mountConversation(client, id, { height });

/** Lets server events reach the client, then the element re-renders. */
async function settle(client: DeskClient, el: CdConversation) {
  await new Promise((r) => setTimeout(r, 0)); // the backend's commands are async
  await client.idle();
  await el.updateComplete;
  await compose(el).updateComplete;
}

const $ = <E extends Element = HTMLElement>(el: Element, selector: string) =>
  el.shadowRoot!.querySelector<E>(selector);
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll(selector)];
const text = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const compose = (el: CdConversation) => $<CdCompose>(el, 'cd-compose')!;
const messages = (el: CdConversation) => $$(el, '[part~="message"]');
const messageTexts = (el: CdConversation) =>
  messages(el).map((m) => text(m.querySelector('[part~="text"]')));
const lastStatus = (el: CdConversation) => {
  const statuses = $$(el, '[part~="message-out"] [part~="status"]');
  return statuses[statuses.length - 1];
};

/** Types into the embedded compose box and presses Enter, as a person would. */
async function sendFromCompose(el: CdConversation, value: string) {
  const box = compose(el);
  box.shadowRoot!.querySelector('textarea')!.focus();
  await sendKeys({ type: value });
  const sent = oneEvent(el, 'cd-sent');
  await sendKeys({ press: 'Enter' });
  return (await sent).detail.message;
}

/** Whether a person sees the newest message: it lies inside the visible part of the list. */
function newestInView(el: CdConversation): boolean {
  const log = $(el, '[part~="log"]')!.getBoundingClientRect();
  const all = messages(el);
  const last = all[all.length - 1]!.getBoundingClientRect();
  return last.top >= log.top - 1 && last.bottom <= log.bottom + 1;
}

const logHeight = (el: CdConversation) => $(el, '[part~="log"]')!.getBoundingClientRect().height;
const REM = parseFloat(getComputedStyle(document.documentElement).fontSize);

describe('<cd-conversation>', () => {
  it('messages appear in order with direction and a date separator for each day', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli, 'First, on Monday');
    desk.clock.advance(60_000);
    await desk.client.send(id, { text: 'Reply on Monday' });
    desk.clock.advance(DAY);
    await incoming(desk, 'alice-sms', PHONE.eli, 'Then on Tuesday');
    const el = await mount(desk.client, id);

    expect(messageTexts(el)).to.deep.equal([
      'First, on Monday',
      'Reply on Monday',
      'Then on Tuesday',
    ]);
    expect(messages(el).map((m) => m.getAttribute('part'))).to.deep.equal([
      'message message-in',
      'message message-out',
      'message message-in',
    ]);
    const separators = $$(el, '[part~="date-separator"]');
    expect(separators.map((s) => text(s))).to.deep.equal([
      'Monday, November 23, 2026',
      'Tuesday, November 24, 2026',
    ]);
    // Each separator comes before its day's messages (the drawn rows of the virtual list).
    const drawn = $(el, '[role="log"] .rows')!;
    const order = [...drawn.children].map((c) => c.getAttribute('part'));
    expect(order).to.deep.equal([
      'date-separator',
      'message message-in',
      'message message-out',
      'date-separator',
      'message message-in',
    ]);
  });

  it('RD1: the message list is a log (not live: it is virtualized); an incoming message appears while open and is read by the owner', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli, 'One');
    const el = await mount(desk.client, id);
    const log = $(el, '[part~="log"]')!;
    expect(log.getAttribute('role')).to.equal('log');
    expect(log.getAttribute('aria-live')).to.equal('off');

    await incoming(desk, 'alice-sms', PHONE.eli, 'Two');
    await settle(desk.client, el);
    expect(messageTexts(el)).to.deep.equal(['One', 'Two']);
    expect(text(messages(el)[1]!.querySelector('.visually-hidden'))).to.equal('Eli:');
    // RD1: the owner is looking at it, so the new message is read at once.
    await waitUntil(() => !desk.client.conversation(id).unread, 'read while open');
  });

  it('header: contact name, number, channel and sender ID label; SN7 ticks labelled', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const id = await incoming(desk, 'bob-wa', PHONE.dana);
    const el = await mount(desk.client, id);
    expect(text($(el, '[part~="title"]'))).to.equal('Dana Díaz');
    // Formatted for people once the phone metadata has loaded (lazily).
    await waitUntil(() => text($(el, '.number')) === '+1 415 555 0101', 'formatted number');
    expect($(el, '[part~="channel"]')!.getAttribute('aria-label')).to.equal('WhatsApp');
    expect(text($(el, '[part~="sender"]'))).to.equal('via Bob WhatsApp');
  });

  it('SN7: a single tick when sent, a double tick when delivered, a blue double tick when read on WhatsApp', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const id = await incoming(desk, 'bob-wa', PHONE.dana);
    const el = await mount(desk.client, id);
    await sendFromCompose(el, 'Thanks!');
    await settle(desk.client, el);
    expect(lastStatus(el)!.getAttribute('aria-label')).to.match(/^Queued/);
    expect(lastStatus(el)!.getAttribute('part')).to.equal('status status-queued');

    desk.clock.advance(400);
    await settle(desk.client, el);
    expect(lastStatus(el)!.getAttribute('aria-label')).to.equal('Sent');
    expect(lastStatus(el)!.getAttribute('role')).to.equal('img');

    desk.clock.advance(1100);
    await settle(desk.client, el);
    expect(lastStatus(el)!.getAttribute('aria-label')).to.equal('Delivered');
    expect(lastStatus(el)!.classList.contains('read')).to.equal(false);

    desk.clock.advance(3500);
    await settle(desk.client, el);
    expect(lastStatus(el)!.getAttribute('aria-label')).to.equal('Read');
    expect(lastStatus(el)!.getAttribute('part')).to.equal('status status-read');
    expect(getComputedStyle(lastStatus(el)!).color).to.not.equal(
      getComputedStyle($(el, '.meta')!).color,
    );
  });

  it('SN7: a failed message shows a red triangle with its reason, and Retry sends it again', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const el = await mount(desk.client, id);
    await desk.backend.failNextSend(PHONE.eli);
    await sendFromCompose(el, 'Will fail');
    desk.clock.advance(400);
    await settle(desk.client, el);

    const status = lastStatus(el)!;
    expect(status.getAttribute('part')).to.equal('status status-failed');
    expect(status.getAttribute('aria-label')).to.equal('Failed: Carrier rejected the message');
    expect(text($(el, '[part~="status-reason"]'))).to.equal('Failed: Carrier rejected the message');
    const retry = $<HTMLButtonElement>(el, '[part~="retry-button"]')!;
    expect(text(retry)).to.equal('Retry');

    retry.click();
    await waitUntil(() => !$(el, '[part~="retry-button"]'), 'the message is queued again');
    desk.clock.advance(1500);
    await settle(desk.client, el);
    expect(lastStatus(el)!.getAttribute('aria-label')).to.equal('Delivered');
    const out = desk.client
      .getState()
      .threads.get(id)!
      .items.filter((m) => m.direction === 'out');
    expect(out.map((m) => [m.text, m.attempt, m.status])).to.deep.equal([
      ['Will fail', 2, 'delivered'],
    ]);
  });

  it('SN6: a message sent outside business hours shows a clock with its reason', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    desk.backend.setBusinessHours({ timeZone: 'UTC', weekly: { tue: [['09:00', '17:00']] } });
    const client = await desk.connect('alice');
    const { conversation } = await desk.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text: 'Hi',
    });
    await client.idle();
    const el = await mount(client, conversation.id);
    await sendFromCompose(el, 'Tomorrow then');
    await settle(client, el);
    const status = lastStatus(el)!;
    expect(status.getAttribute('part')).to.equal('status status-queued');
    expect(status.getAttribute('aria-label')).to.match(
      /^Queued: outside business hours, goes out at Nov 24, 2026/,
    );
    expect(text($(el, '[part~="status-reason"]'))).to.contain('outside business hours');
  });

  it('SN3: the care window banner counts down on the desk clock; once closed, one warning, once: the compose notice alone says it, the template panel stays shut, the list keeps its height', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const id = await incoming(desk, 'bob-wa', PHONE.dana);
    const el = await mount(desk.client, id, 600);
    const banner = () => text($(el, '[part~="care-window"]'));
    expect(banner()).to.equal('Customer care window open: 24 h 0 min left');

    desk.clock.advance(48 * 60 * 1000);
    await settle(desk.client, el);
    expect(banner()).to.equal('Customer care window open: 23 h 12 min left');

    const box = compose(el);
    box.shadowRoot!.querySelector('textarea')!.focus();
    await sendKeys({ type: 'Still there?' });
    const before = logHeight(el);
    // Count the send guard's answers given after the window closes.
    let answersAfterClose = 0;
    let closed = false;
    const checkSend = desk.client.checkSend.bind(desk.client);
    desk.client.checkSend = async (...args) => {
      const verdict = await checkSend(...args);
      if (closed) answersAfterClose++;
      return verdict;
    };
    closed = true;
    desk.clock.advance(CARE_WINDOW_MS);
    await settle(desk.client, el);
    const textarea = box.shadowRoot!.querySelector('textarea')!;
    expect(textarea.readOnly, 'the draft stays readable but cannot be edited').to.equal(true);
    const send = box.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send-button"]')!;
    expect(send.disabled).to.equal(true);
    // The send guard answers about the kept draft: its refusal must not repeat the notice.
    await waitUntil(() => answersAfterClose > 0, 'the send guard answers');
    await settle(desk.client, el);

    expect($(el, '[part~="care-window"]'), 'no closed banner in the header').to.equal(null);
    expect(text(box.shadowRoot!.querySelector('[part~="notice"]'))).to.equal(
      'The WhatsApp customer care window is closed: only registered templates can be sent.',
    );
    expect(text(box.shadowRoot!.querySelector('[part~="verdict"]')), 'no refusal').to.equal('');
    const everything = `${el.shadowRoot!.textContent} ${box.shadowRoot!.textContent}`;
    expect(
      everything.match(/only (a )?registered (WhatsApp )?templates? can be sent/g),
    ).to.have.length(1);
    expect(box.shadowRoot!.querySelector('[part~="templates"]'), 'not opened by itself').to.equal(
      null,
    );
    await frames();
    expect(logHeight(el), 'the message list keeps its height').to.be.at.least(before - 2);
    expect(logHeight(el)).to.be.at.least(300 - 1);
    await expect(el).to.be.accessible();
  });

  it('SN3: when the window closes, the template panel (opened by the agent) does not hide the newest message, and the list keeps its minimum height', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    let id = '';
    for (let i = 1; i <= 15; i++) {
      id = await incoming(desk, 'bob-wa', PHONE.dana, `Message ${i}`);
      desk.clock.advance(1000);
    }
    const el = await mount(desk.client, id, 600);
    await frames();
    expect(newestInView(el), 'opens at the newest message').to.equal(true);

    desk.clock.advance(CARE_WINDOW_MS);
    await settle(desk.client, el);
    expect(!!compose(el).shadowRoot!.querySelector('[part~="templates"]')).to.equal(false);
    compose(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="template-button"]')!.click();
    await settle(desk.client, el);
    expect(!!compose(el).shadowRoot!.querySelector('[part~="templates"]')).to.equal(true);
    await frames();
    expect(logHeight(el)).to.be.at.least(8 * REM - 1);
    expect(newestInView(el), 'the newest message stays in view').to.equal(true);

    // Send the registered template: the panel does not reopen and the new message is in view.
    const box = compose(el);
    box.shadowRoot!.querySelector<HTMLButtonElement>('[part~="template-option"]')!.click();
    await box.updateComplete;
    const send = box.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send-button"]')!;
    await waitUntil(() => !send.disabled, 'a registered template may be sent');
    const sent = oneEvent(el, 'cd-sent');
    send.click();
    await sent;
    await settle(desk.client, el);
    await frames();
    expect(!!box.shadowRoot!.querySelector('[part~="templates"]')).to.equal(false);
    expect(messageTexts(el).at(-1)).to.equal('Hi Dana, how can we help?');
    expect(newestInView(el), 'the sent template is in view').to.equal(true);
  });

  it('the emoji panel shrinks to the room there is: the list keeps its minimum height and its newest message', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    let id = '';
    for (let i = 1; i <= 15; i++) {
      id = await incoming(desk, 'alice-sms', PHONE.eli, `Message ${i}`);
      desk.clock.advance(1000);
    }
    const el = await mount(desk.client, id, 480);
    await frames();
    const before = logHeight(el);
    const box = compose(el);
    box.shadowRoot!.querySelector<HTMLButtonElement>('[part~="emoji-button"]')!.click();
    await waitUntil(() => box.shadowRoot!.querySelector('emoji-picker'), 'the picker opens');
    await box.updateComplete;
    await frames();
    const panel = box.shadowRoot!.querySelector<HTMLElement>('[part~="emoji-panel"]')!;
    expect(panel.hidden).to.equal(false);
    expect(logHeight(el)).to.be.below(before);
    expect(logHeight(el)).to.be.at.least(8 * REM - 1);
    expect(newestInView(el)).to.equal(true);
    // Everything stays inside the conversation's 480 px.
    const section = $(el, '[part~="base"]')!.getBoundingClientRect();
    expect(box.getBoundingClientRect().bottom).to.be.at.most(section.bottom + 1);
  });

  it('a list scrolled up to read older messages is left where it is when the compose box grows', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    let id = '';
    for (let i = 1; i <= 15; i++) {
      id = await incoming(desk, 'alice-sms', PHONE.eli, `Message ${i}`);
      desk.clock.advance(1000);
    }
    const el = await mount(desk.client, id, 600);
    await frames();
    const log = $(el, '[part~="log"]')!;
    log.scrollTop = 0;
    await frames();
    compose(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="template-button"]')!.click();
    await compose(el).updateComplete;
    await frames();
    expect(log.scrollTop).to.equal(0);
    expect(newestInView(el)).to.equal(false);
  });

  it('RD2: a conversation without an incoming message (just started) has no Mark read or Mark unread', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const { message } = await desk.client.startConversation({
      phone: PHONE.eli,
      senderId: 'alice-sms',
      content: { text: 'Hello Eli' },
    });
    await desk.client.idle();
    const el = await mount(desk.client, message.conversationId);
    expect(messageTexts(el)).to.deep.equal(['Hello Eli']);
    expect(!!$(el, '[part~="mark-button"]')).to.equal(false);

    await incoming(desk, 'alice-sms', PHONE.eli, 'Hi back');
    await settle(desk.client, el);
    expect(!!$(el, '[part~="mark-button"]'), 'once the customer writes back').to.equal(true);
  });

  it('an SMS conversation has no care window banner', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const el = await mount(desk.client, id);
    expect($(el, '[part~="care-window"]')).to.equal(null);
    expect($(el, '[part~="channel"]')!.getAttribute('aria-label')).to.equal('SMS');
  });

  it('SN5: an opted-out number shows the reason in the compose box', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.fay);
    const el = await mount(desk.client, id);
    const verdict = () => text(compose(el).shadowRoot!.querySelector('[part~="verdict"]'));
    await waitUntil(verdict, 'the send guard answers');
    expect(verdict()).to.contain('This number opted out of SMS messages');
  });

  it('only http(s) links become links: a javascript: link in a customer message stays text', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(
      desk,
      'alice-sms',
      PHONE.eli,
      'Click javascript:alert(1) or https://example.com/a?b=1',
    );
    const el = await mount(desk.client, id);
    const body = messages(el)[0]!.querySelector('[part~="text"]')!;
    expect(text(body)).to.equal('Click javascript:alert(1) or https://example.com/a?b=1');
    const links = [...body.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.com/a?b=1']);
    expect(links[0]!.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(links[0]!.getAttribute('target')).to.equal('_blank');
  });

  it('media: safe images as <img>, http(s) files as links, anything else as the file name in text', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const id = await incoming(desk, 'alice-sms', PHONE.eli, 'Files', [
      { url: png, mimeType: 'image/png', fileName: 'photo.png', size: 8 },
      { url: 'javascript:alert(1)', mimeType: 'image/png', fileName: 'evil.png', size: 8 },
      {
        url: 'https://files.example/report.pdf',
        mimeType: 'application/pdf',
        fileName: 'report.pdf',
        size: 8,
      },
      { url: 'data:text/html;base64,PGI+', mimeType: 'text/html', fileName: '<b>x</b>', size: 8 },
    ]);
    const el = await mount(desk.client, id);
    // The customer's inline image is held until asked for, like a remote one.
    $<HTMLButtonElement>(el, '[part~="media-reveal"]')!.click();
    await el.updateComplete;
    const media = $$(el, '[part~="media"]');
    expect(media.map((m) => m.tagName)).to.deep.equal(['IMG', 'SPAN', 'A', 'SPAN']);
    expect(media[0]!.getAttribute('src')).to.equal(png);
    expect(media[0]!.getAttribute('alt')).to.equal('photo.png');
    expect(text(media[1])).to.equal('evil.png');
    expect(media[2]!.getAttribute('href')).to.equal('https://files.example/report.pdf');
    expect(media[2]!.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(text(media[3])).to.equal('<b>x</b>');
    expect(media[3]!.querySelector('b')).to.equal(null);
  });

  it('a remote image loads only when the user asks, in that conversation only (no tracking pixels)', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const url = 'https://images.example/pixel.png';
    const image = { url, mimeType: 'image/png', fileName: 'pixel.png', size: 8 };
    const id = await incoming(desk, 'alice-sms', PHONE.eli, 'Look', [image]);
    const other = await incoming(desk, 'alice-sms', PHONE.dana, 'Me too', [image]);
    const el = await mount(desk.client, id);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    const reveal = $(el, '[part~="media-reveal"]') as HTMLButtonElement;
    expect(text(reveal)).to.contain('Show image pixel.png (from images.example)');
    reveal.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img')!.getAttribute('src')).to.equal(url);
    // The same URL in another conversation stays held.
    el.conversationId = other;
    await waitUntil(() => messageTexts(el).includes('Me too'), 'the other conversation');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect($(el, '[part~="media-reveal"]')).not.to.equal(null);
  });

  it('a customer data: image (SVG included) is held behind the same reveal step', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const svg = 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const id = await incoming(desk, 'alice-sms', PHONE.eli, 'See', [
      { url: svg, mimeType: 'image/svg+xml', fileName: 'logo.svg', size: 40 },
    ]);
    const el = await mount(desk.client, id);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    const reveal = $(el, '[part~="media-reveal"]') as HTMLButtonElement;
    expect(text(reveal)).to.contain('Show image logo.svg (sent by the customer)');
    await expect(el).to.be.accessible();
    reveal.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img')!.getAttribute('src')).to.equal(svg);
  });

  it('a customer name with <img onerror> renders as text', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.unknown);
    await desk.client.saveContact({
      phone: PHONE.unknown,
      firstName: '<img src=x onerror=alert(1)>',
      lastName: '',
    });
    const el = await mount(desk.client, id);
    expect(text($(el, '[part~="title"]'))).to.equal('<img src=x onerror=alert(1)>');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('CT1: saving the number as a contact from the contact panel shows the new name in the header', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.unknown);
    const el = await mount(desk.client, id);
    // A number without a contact reads as people write it.
    await waitUntil(() => text($(el, '[part~="title"]')) === '+1 415 555 0199', 'formatted');

    const toggle = $<HTMLButtonElement>(el, '[part~="contact-button"]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    const panel = $(el, '[part~="contact-panel"]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(text(panel.querySelector('h4'))).to.equal('Save as contact');
    // Focus moves into the panel, on the first name.
    await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('name') === 'firstName');
    await sendKeys({ type: 'Gus' });
    panel.querySelector<HTMLInputElement>('input[name="lastName"]')!.focus();
    await sendKeys({ type: 'Hale' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(el, '[part~="title"]')) === 'Gus Hale', 'the header updates');
    expect(text(panel.querySelector('[role="status"]'))).to.equal('Contact saved.');
    expect(text(panel.querySelector('h4'))).to.equal('Edit contact');
    expect(desk.client.getState().contacts.get(PHONE.unknown)?.firstName).to.equal('Gus');
    await expect(el).to.be.accessible();
  });

  it('CT1: an existing contact is edited from the desk; an empty name shows the error inline', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const el = await mount(desk.client, id);
    $<HTMLButtonElement>(el, '[part~="contact-button"]')!.click();
    await el.updateComplete;
    const details = $(el, '[part~="contact-panel"]')!;
    const first = details.querySelector<HTMLInputElement>('input[name="firstName"]')!;
    expect(first.value).to.equal('Eli');

    first.select();
    await sendKeys({ press: 'Backspace' });
    details.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => details.querySelector('[role="alert"]'), 'the error shows');
    expect(text(details.querySelector('[role="alert"]'))).to.equal('Enter a first name.');

    first.focus();
    await sendKeys({ type: 'Elias' });
    details.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => text($(el, '[part~="title"]')) === 'Elias', 'the header updates');
    expect(details.querySelector('[role="alert"]')).to.equal(null);
  });

  it('the contact panel shows number, channel, sender ID, owner, consent, opt-outs and the care window time left', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const id = await incoming(desk, 'bob-wa', PHONE.dana, 'Hello');
    await desk.backend.setOptOut(PHONE.dana, 'sms', true);
    const el = await mount(desk.client, id);
    desk.clock.advance(90 * 60_000);
    $<HTMLButtonElement>(el, '[part~="contact-button"]')!.click();
    await waitUntil(() => text($(el, '[part~="contact-facts"]')).includes('Opted out SMS'));
    const facts = text($(el, '[part~="contact-facts"]'));
    expect(facts).to.contain('Number +1 415 555 0101');
    expect(facts).to.contain('Channel WhatsApp');
    expect(facts).to.contain('Owner Bob');
    expect(facts).to.match(/WhatsApp consent (Yes|No)/);
    expect(facts).to.contain('Care window 22 h 30 min left');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Tab' });
    // Closing returns focus to the button that opened the panel.
    $<HTMLButtonElement>(el, '[part~="contact-panel-close"]')!.click();
    await el.updateComplete;
    expect($(el, '[part~="contact-panel"]')).to.equal(null);
    await waitUntil(
      () => el.shadowRoot!.activeElement?.getAttribute('part') === 'contact-button',
      'focus back on Contact',
    );
  });

  it('A1: an admin assigns from the header without ticking a row; a standard user has no Assign', async () => {
    const desk = await EmbeddedBackendForTests('admin');
    const id = await incoming(desk, 'team-sms', PHONE.dana);
    const el = await mount(desk.client, id);
    const assign = $<HTMLButtonElement>(el, '[part~="assign-button"]')!;
    expect(text(assign)).to.equal('Assign');
    setTimeout(() => assign.click());
    const event = await oneEvent(el, 'cd-assign-request');
    expect(event.detail).to.deep.equal({ conversationIds: [id] });
    expect(text($(el, '[part~="owner"]'))).to.contain('Owner:');
    await expect(el).to.be.accessible();

    const alice = await EmbeddedBackendForTests('alice');
    const own = await incoming(alice, 'alice-sms', PHONE.eli);
    const standard = await mount(alice.client, own);
    expect($(standard, '[part~="assign-button"]')).to.equal(null);
    expect($(standard, '[part~="mark-button"]')).not.to.equal(null);
  });

  it('routing: "why routed here" answers in a sentence; the rule ID stays in a tooltip', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const el = await mount(desk.client, id);
    const routing = $<HTMLDetailsElement>(el, '[part~="routing"]')!;
    expect(text(routing.querySelector('summary'))).to.equal('Why is this conversation here?');
    const answer = routing.querySelector('p')!;
    expect(text(answer)).to.equal('The customer wrote to a number that belongs to Alice alone.');
    expect(text(answer)).not.to.contain('RT1');
    expect(answer.getAttribute('title')).to.equal('Routing rule RT1');
  });

  it('RD1: opening marks the conversation read for its owner, who gets a plain Mark unread', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    expect(desk.client.conversation(id).unread).to.equal(true);
    const el = await mount(desk.client, id);
    await waitUntil(() => !desk.client.conversation(id).unread, 'marked read');
    await el.updateComplete;
    const button = $<HTMLButtonElement>(el, '[part~="mark-button"]')!;
    expect(text(button)).to.equal('Mark unread');
    button.click();
    await waitUntil(() => desk.client.conversation(id).unread, 'marked unread without a dialog');
    expect($<HTMLDialogElement>(el, 'dialog')!.open).to.equal(false);
  });

  it('RD3: an admin peeking at a standard user conversation leaves it unread', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const admin = await desk.connect('admin');
    const el = await mount(admin, id);
    await settle(admin, el);
    await desk.client.idle();
    expect(admin.conversation(id).unread).to.equal(true);
    expect(desk.client.conversation(id).unread, 'as Alice sees it').to.equal(true);
    expect(text($(el, '[part~="unread-badge"]'))).to.equal('Unread for Alice');
    expect(text($(el, '[part~="owner"]'))).to.equal('Owner: Alice');
  });

  it('RD4: an admin mark asks for confirmation first; Cancel changes nothing, Confirm marks read', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const admin = await desk.connect('admin');
    const el = await mount(admin, id);
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    const markButton = () => $<HTMLButtonElement>(el, '[part~="mark-button"]')!;
    expect(text(markButton())).to.equal('Mark read');

    markButton().click();
    await waitUntil(() => dialog.open, 'the dialog opens');
    expect(text(dialog)).to.contain('This marks the conversation read for Alice');
    [...dialog.querySelectorAll('button')].find((b) => text(b) === 'Cancel')!.click();
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
    expect(admin.conversation(id).unread).to.equal(true);

    markButton().click();
    await waitUntil(() => dialog.open, 'the dialog opens again');
    [...dialog.querySelectorAll('button')].find((b) => text(b) === 'Confirm')!.click();
    await waitUntil(() => !admin.conversation(id).unread, 'marked read');
    await waitUntil(() => !desk.client.conversation(id).unread, 'as Alice sees it');
    await el.updateComplete;
    expect(text(markButton())).to.equal('Mark unread');
    expect($(el, '[part~="unread-badge"]')).to.equal(null);
  });

  it('Load older fetches the previous page at the top of the thread', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    let id = '';
    for (let i = 1; i <= 53; i++) {
      id = await incoming(desk, 'alice-sms', PHONE.eli, `Message ${i}`);
      desk.clock.advance(1000);
    }
    // Tall enough for every message of the first page to be drawn.
    const el = await mount(desk.client, id, 5000);
    await frames();
    expect(messages(el)).to.have.length(50);
    expect(messageTexts(el)[0]).to.equal('Message 4');
    const button = $<HTMLButtonElement>(el, '[part~="load-older"]')!;
    expect(text(button)).to.equal('Load older messages');
    button.click();
    await waitUntil(() => messages(el).length === 53, 'older messages load');
    expect(messageTexts(el).slice(0, 4)).to.deep.equal([
      'Message 1',
      'Message 2',
      'Message 3',
      'Message 4',
    ]);
    expect($(el, '[part~="load-older"]')).to.equal(null);
  });

  it('is accessible', async () => {
    const desk = await EmbeddedBackendForTests('bob');
    const id = await incoming(desk, 'bob-wa', PHONE.dana, 'Look https://example.com');
    const el = await mount(desk.client, id);
    await desk.backend.failNextSend(PHONE.dana);
    await sendFromCompose(el, 'Sure');
    desk.clock.advance(400);
    await settle(desk.client, el);
    $<HTMLButtonElement>(el, '[part~="contact-button"]')!.click();
    $<HTMLDetailsElement>(el, '[part~="routing"]')!.open = true;
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('is accessible to an admin, with the confirmation dialog open', async () => {
    const desk = await EmbeddedBackendForTests('alice');
    const id = await incoming(desk, 'alice-sms', PHONE.eli);
    const admin = await desk.connect('admin');
    const el = await mount(admin, id);
    $<HTMLButtonElement>(el, '[part~="mark-button"]')!.click();
    await waitUntil(() => $<HTMLDialogElement>(el, 'dialog')!.open);
    await expect(el).to.be.accessible();
  });
});
