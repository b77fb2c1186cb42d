import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DeskClient } from '../../src/index.js';
import { EmbeddedBackendForTests } from '../shared/test-desk.js';
import './desk.js';
import type { CdDesk } from './desk.js';

const PHONE = { dana: '+14155550101' };

type Tab = Window & typeof globalThis & { deskLoaded?: boolean };

/**
 * A second browser tab of the same agent: another document (its own title and icon) in a
 * same-origin frame, where the desk's module loads again, as it would in a new tab.
 */
async function openSecondTab(client: DeskClient) {
  const frame = document.createElement('iframe');
  frame.title = 'Second tab';
  frame.srcdoc = `<!doctype html><html lang="en"><head><title>CRM 2</title>
    <link rel="icon" href="/tab-2-icon.png" /></head><body>
    <script type="module">import '/components/desk/desk.ts'; window.deskLoaded = true;</script>
    </body></html>`;
  document.body.append(frame);
  const tab = () => frame.contentWindow as Tab | null;
  await waitUntil(() => tab()?.deskLoaded, 'the second tab loads the desk', { timeout: 8000 });
  const doc = frame.contentDocument!;
  const desk = doc.createElement('cd-desk') as CdDesk;
  desk.client = client;
  doc.body.append(desk);
  await waitUntil(
    () => desk.shadowRoot?.querySelector('[part="base"]'),
    'the second desk is ready',
  );
  const icon = () =>
    decodeURIComponent(doc.querySelector<HTMLLinkElement>('link[rel~="icon"]')!.href);
  return { frame, doc, desk, icon };
}

describe('<cd-desk> in several tabs (N1)', () => {
  it('N1: the count in the title and the favicon badge show in every tab of the same agent; seen in one tab, they clear in all', async () => {
    document.title = 'CRM';
    // This tab follows one backend; the second tab's client does not receive this message, so
    // only the tabs telling each other can show it there.
    const here = await EmbeddedBackendForTests('alice');
    const el = await fixture<CdDesk>(
      html`<cd-desk style="height: 480px" .client=${here.client}></cd-desk>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('[part="base"]'));
    const elsewhere = await EmbeddedBackendForTests('alice');
    const second = await openSecondTab(elsewhere.client);
    try {
      expect(second.doc.title).to.equal('CRM 2');

      await here.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
      await waitUntil(() => document.title === '(1) CRM', 'this tab counts it');
      await waitUntil(() => second.doc.title === '(1) CRM 2', 'the second tab shows it too');
      await waitUntil(
        () =>
          second.icon().startsWith('data:image/svg+xml,') && second.icon().includes('>1</text>'),
        'the second tab shows the badge',
      );
      expect(elsewhere.client.getState().unseenNotifications, 'not received there').to.equal(0);
      await expect(el).to.be.accessible();

      // The agent comes back to this tab and uses it: both tabs clear.
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="nav-item"]')!.focus();
      await sendKeys({ press: 'Shift' });
      await waitUntil(() => document.title === 'CRM', 'this tab clears');
      await waitUntil(() => second.doc.title === 'CRM 2', 'the second tab clears');
      await waitUntil(() => second.icon().endsWith('/tab-2-icon.png'), 'its own icon is back');

      // Closing the tab that counted takes its count away from the others.
      await here.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: PHONE.dana,
        text: 'Again',
      });
      await waitUntil(() => second.doc.title === '(1) CRM 2');
      el.remove();
      await waitUntil(() => second.doc.title === 'CRM 2', 'a closed tab no longer counts');
    } finally {
      second.frame.remove();
      await aTimeout(0);
    }
  });
});
