import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import '../translations/fr.js';
import './desk.js';
import type { CdDesk } from './desk.js';

/**
 * The desk at the widths of issue 14 (1400, 1024 and 390 px), in a host page laid out as the
 * demo's: its font, and the desk takes the window's height but the host's header, or 80% of it
 * on a phone.
 */
const VIEWPORTS = [
  { width: 1400, height: 860, desk: 'calc(100vh - 72px)' },
  { width: 1024, height: 768, desk: 'calc(100vh - 72px)' },
  { width: 390, height: 844, desk: '80vh' },
] as const;

async function render(userId: string, deskHeight: string, lang = 'en') {
  const desk = await EmbeddedBackendForTests(userId);
  const wrapper = await fixture<HTMLElement>(
    html`<div lang=${lang} style="font: 14px/1.4 system-ui, sans-serif">
      <cd-desk style="display: block; height: ${deskHeight}" .client=${desk.client}></cd-desk>
    </div>`,
  );
  const el = wrapper.querySelector('cd-desk') as CdDesk;
  await waitUntil(() => el.shadowRoot!.querySelector('[part="base"]'), 'the desk is ready');
  await el.updateComplete;
  const $ = <T extends Element = HTMLElement>(selector: string) =>
    el.shadowRoot!.querySelector<T>(selector);
  return { ...desk, el, $ };
}

/** Whether `element` is where a person sees it: inside its scroll pane as laid out unscrolled. */
function visibleWithoutScrolling(element: Element, pane: HTMLElement): boolean {
  const box = element.getBoundingClientRect();
  const area = pane.getBoundingClientRect();
  // Undo whatever scrolling focus did: the position as the pane first showed it.
  const top = box.top + pane.scrollTop;
  const bottom = box.bottom + pane.scrollTop;
  return (
    box.width > 0 &&
    top >= area.top &&
    bottom <= area.top + pane.clientHeight &&
    area.top + pane.clientHeight <= innerHeight + 0.5 &&
    box.right <= innerWidth + 0.5
  );
}

/**
 * The elements sit on one line, and no label wraps or spills out of its element (one made to
 * give way ends in an ellipsis, with the whole text in its tooltip).
 */
function expectOneRow(what: string, elements: Element[]) {
  expect(elements.length, what).to.be.above(1);
  const rects = elements.map((e) => e.getBoundingClientRect());
  const middle = (r: DOMRect) => r.top + r.height / 2;
  for (const [i, r] of rects.entries()) {
    const label = `${what}: “${elements[i]!.textContent!.trim() || elements[i]!.getAttribute('part')}”`;
    expect(Math.abs(middle(r) - middle(rects[0]!)), `${label} is on the first line`).to.be.below(
      Math.min(r.height, rects[0]!.height) / 2,
    );
    const element = elements[i] as HTMLElement;
    if (getComputedStyle(element).textOverflow === 'ellipsis') {
      // Made to give way: cut with an ellipsis, the whole text on hover.
      expect(element.title.replace(/\s+/g, ' '), `${label} has a tooltip`).to.contain(
        element.textContent!.trim().replace(/\s+/g, ' '),
      );
    } else {
      expect(element.scrollWidth, `${label} fits its box`).to.be.at.most(element.clientWidth + 1);
    }
    if (elements[i] instanceof HTMLButtonElement) {
      const lineHeight = parseFloat(getComputedStyle(elements[i]!).lineHeight);
      const padding =
        parseFloat(getComputedStyle(elements[i]!).paddingTop) +
        parseFloat(getComputedStyle(elements[i]!).paddingBottom);
      expect(elements[i]!.clientHeight - padding, `${label} is one line`).to.be.below(
        lineHeight * 1.5,
      );
    }
  }
}

/** Cut with an ellipsis: the text is longer than its box, and the box ends in one. */
function expectTruncated(element: HTMLElement) {
  expect(element.scrollWidth, 'the name is longer than its box').to.be.above(element.clientWidth);
  expect(getComputedStyle(element).textOverflow).to.equal('ellipsis');
}

describe('<cd-desk> at 1400, 1024 and 390 px', () => {
  after(() => setViewport({ width: 800, height: 600 }));

  for (const viewport of VIEWPORTS) {
    it(`SN1: in the new-conversation form, Send shows without scrolling at ${viewport.width} px, with the notice and a refusal above it`, async () => {
      await setViewport({ width: viewport.width, height: viewport.height });
      const { el, $ } = await render('admin', viewport.desk);
      $<HTMLButtonElement>('[part="new-button"]')!.click();
      await el.updateComplete;
      const form = $('cd-new-conversation')!;
      await waitUntil(() => form.shadowRoot!.activeElement?.id === 'name', 'the name has focus');
      await sendKeys({ type: 'Zoe Adams' });
      const number = form.shadowRoot!.querySelector<HTMLInputElement>('#number')!;
      number.focus();
      await sendKeys({ type: '4155550177' });
      const sender = form.shadowRoot!.querySelector<HTMLSelectElement>('#sender')!;
      sender.focus();
      // WhatsApp, and no consent on record: the templates-only notice and a refusal both show.
      sender.value = 'team-wa';
      sender.dispatchEvent(new Event('change', { bubbles: true }));
      form.shadowRoot!.querySelector<HTMLButtonElement>('[part="next-button"]')!.click();
      await waitUntil(() => form.shadowRoot!.querySelector('cd-compose'), 'the compose box shows');
      const compose = form.shadowRoot!.querySelector('cd-compose')!;
      await waitUntil(
        () =>
          /consent/.test(compose.shadowRoot!.querySelector('[part="verdict"]')?.textContent ?? ''),
        'the send guard explains the refusal',
      );
      expect(compose.shadowRoot!.querySelector('[part="notice"]')).not.to.equal(null);
      const send = compose.shadowRoot!.querySelector('[part~="send-button"]')!;
      const pane = $('[part="conversation"]')!;
      expect(
        visibleWithoutScrolling(send, pane),
        `Send at ${Math.round(send.getBoundingClientRect().bottom + pane.scrollTop)} px, the pane ends at ${Math.round(pane.getBoundingClientRect().top + pane.clientHeight)} px`,
      ).to.equal(true);
      await expect(el).to.be.accessible();
    });
  }

  for (const viewport of VIEWPORTS.filter((v) => v.width !== 1400)) {
    it(`French strings fit at ${viewport.width} px: no toolbar wraps; a long name ends in an ellipsis and reads in full on hover`, async () => {
      await setViewport({ width: viewport.width, height: viewport.height });
      const { el, $, client, backend } = await render('admin', viewport.desk, 'fr');
      const longName = {
        firstName: 'Marie-Alexandrine Éléonore',
        lastName: 'de La Tour d’Auvergne-Lauraguais et de Montmorency-Laval',
      };
      await client.saveContact({ phone: '+14155550188', ...longName });
      // A first message to a shared number goes to the default admin (RT3): an SMS, whose
      // counter is the longest.
      await backend.simulateIncoming({
        senderId: 'team-sms',
        from: '+14155550188',
        text: 'Bonjour',
      });
      await client.idle();
      const inbox = $('cd-inbox')!;
      const row = () => inbox.shadowRoot!.querySelector<HTMLElement>('[role="option"]');
      await waitUntil(() => row(), 'the conversation is listed');
      const full = `${longName.firstName} ${longName.lastName}`;

      expectOneRow('the inbox toolbar', [
        inbox.shadowRoot!.querySelector('[part~="select-all"]')!,
        ...inbox.shadowRoot!.querySelectorAll('[part~="action"]'),
      ]);
      const rowTitle = row()!.querySelector<HTMLElement>('[part~="title"]')!;
      expect(rowTitle.title).to.equal(full);
      expectTruncated(rowTitle);

      row()!.click();
      await waitUntil(() => $('cd-conversation')?.shadowRoot?.querySelector('cd-compose'));
      const conversation = $('cd-conversation')!;
      const compose = conversation.shadowRoot!.querySelector('cd-compose')!;
      await waitUntil(() => compose.shadowRoot!.querySelector('[part~="send-button"]'));
      expectOneRow('the conversation header', [
        ...conversation.shadowRoot!.querySelectorAll('header .actions > *'),
      ]);
      expectOneRow('the compose toolbar', [
        ...compose.shadowRoot!.querySelectorAll('[part~="toolbar"] > :not([hidden])'),
      ]);
      const heading = conversation.shadowRoot!.querySelector<HTMLElement>('[part~="title"]')!;
      expect(heading.title).to.equal(full);
      expectTruncated(heading);
      expect(el.shadowRoot!.querySelector('[part="base"]')!.scrollWidth).to.be.at.most(innerWidth);
      await expect(el).to.be.accessible();
    });
  }

  // Leaves time for the last test's timers before the viewport changes back.
  afterEach(() => aTimeout(0));
});
