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
        () => /consent/.test(compose.shadowRoot!.querySelector('[part="verdict"]')!.textContent!),
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

  // Leaves time for the last test's timers before the viewport changes back.
  afterEach(() => aTimeout(0));
});
