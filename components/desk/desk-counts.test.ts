/**
 * Issue 11: on an account bigger than the connect page (500), the navigation's badges show the
 * account's unread count, not the loaded rows', and follow events without loading the rest.
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createDeskClient, createManualClock } from '../../src/index.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { seed } from '../../test/support/seed.js';
import './desk.js';
import type { CdDesk } from './desk.js';

const BIG = 520;
const number = (i: number) => `+1415777${String(i).padStart(4, '0')}`;

describe('<cd-desk> view counts beyond the first page (issue 11)', () => {
  it('V1, V2, RD1: the nav badge shows the true unread count, and follows a read and a new message', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 23, 15, 0));
    const backend = await EmbeddedBackend.open({ clock });
    await backend.seed(seed());
    for (let i = 0; i < BIG; i++) {
      clock.advance(1000);
      await backend.simulateIncoming({ senderId: 'alice-sms', from: number(i), text: 'Hi' });
    }
    const client = createDeskClient({ adapter: backend.connect('alice'), clock });
    await client.connect();
    const el = await fixture<CdDesk>(
      html`<cd-desk style="height: 600px; width: 1200px" .client=${client}></cd-desk>`,
    );
    const badge = (view: string) =>
      el
        .shadowRoot!.querySelector(`[part="nav-item"][data-view="${view}"] [part="badge"]`)
        ?.textContent?.trim() ?? '';
    const settle = async () => {
      await aTimeout(0);
      await client.idle();
      await el.updateComplete;
    };
    await settle();
    expect(client.view({ kind: 'mine' }).count).to.equal(500); // only the first page is loaded
    await waitUntil(() => badge('mine') === String(BIG), 'the badge shows the account count');
    expect(badge('sender:alice-sms')).to.equal(String(BIG));
    const mine = el.shadowRoot!.querySelector('[part="nav-item"][data-view="mine"]')!;
    expect(mine.textContent).to.contain(`${BIG} unread`);

    // RD2 from another tab on a conversation this page never loaded; then a new customer.
    const other = backend.connect('alice');
    const oldest = (
      await other.listConversations({ view: { kind: 'mine' }, limit: 1000 })
    ).items.at(-1)!;
    await other.markRead([oldest.id], true, 'owner');
    await settle();
    await waitUntil(() => badge('mine') === String(BIG - 1), 'the read lowers the badge');
    clock.advance(1000);
    await backend.simulateIncoming({ senderId: 'alice-sms', from: number(9000), text: 'New' });
    await settle();
    await waitUntil(() => badge('mine') === String(BIG), 'a new conversation raises it');
    expect(client.view({ kind: 'mine' }).count).to.be.lessThan(BIG);
    await expect(el).to.be.accessible();
    client.disconnect();
    await backend.close();
  });
});
