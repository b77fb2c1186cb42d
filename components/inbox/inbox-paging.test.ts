import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import {
  createDeskClient,
  type BackendAdapter,
  type Conversation,
  type User,
} from '../../src/index.js';
import '../provider/provider.js';
import './inbox.js';
import type { CdInbox } from './inbox.js';

const admin: User = { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true };
const number = (i: number) => `+1415202${String(i).padStart(4, '0')}`;
const conversation = (i: number): Conversation => ({
  id: `c${i}`,
  senderId: 's1',
  channel: 'sms',
  customer: number(i),
  ownerId: 'admin',
  unread: false,
  hasIncoming: true,
  lastActivityAt: Date.UTC(2026, 10, 23) - i * 60_000,
  outgoingBy: [],
  createdAt: 0,
  revision: 1,
});

/**
 * Newest first: connect's page holds `size`; a view's pages (every conversation is the admin's,
 * V1) hold the limit asked. The pages after the first wait until `release()`.
 */
function pagedAdapter(total: number, size: number) {
  const asked: string[] = [];
  const all = Array.from({ length: total }, (_, i) => conversation(i));
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const refuse = async (): Promise<never> => {
    throw new Error('not in this test');
  };
  const adapter: BackendAdapter = {
    session: async () => ({ user: admin, settings: { defaultAdminId: 'admin' } }),
    listUsers: async () => [admin],
    listSenderIds: async () => [],
    listTemplates: async () => [],
    listContacts: async () => ({ items: [], nextCursor: null }),
    searchContacts: async () => [],
    getRecipient: async (phone) => ({ phone, whatsappConsent: true, optedOut: [] }),
    listConversations: async (query) => {
      const from = Number(query?.cursor ?? 0);
      if (query?.view) asked.push(`${query.view.kind}:${from}`);
      if (from > 0) await gate;
      const to = Math.min(total, from + (query?.view ? (query.limit ?? size) : size));
      return { items: all.slice(from, to), nextCursor: to < total ? String(to) : null };
    },
    listMessages: async () => ({ items: [], nextCursor: null }),
    send: refuse,
    retry: refuse,
    markRead: async () => [],
    assign: async () => [],
    createContact: refuse,
    updateContact: refuse,
    subscribe: () => () => undefined,
  };
  return { adapter, asked, release: () => release() };
}

/** A loaded CI machine can take more than waitUntil's default second to page. */
const PATIENT = { timeout: 5_000 };
const rows = (el: CdInbox) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const shownIndexes = (el: CdInbox) => rows(el).map((r) => Number(r.dataset['index']));

describe('<cd-inbox> paging as the user scrolls (issue 11)', () => {
  it('V5: the first page shows at once; the next page is asked for near its end and joins below, without moving the rows in view', async function () {
    this.timeout(30_000); // several patient waits, each shorter than the whole
    const { adapter, asked, release } = pagedAdapter(250, 50);
    const client = createDeskClient({ adapter });
    await client.connect();
    const wrapper = await fixture<HTMLElement>(html`
      <cd-desk-provider .client=${client}>
        <div style="height: 480px; width: 420px; display: flex; flex-direction: column">
          <cd-inbox></cd-inbox>
        </div>
      </cd-desk-provider>
    `);
    const el = wrapper.querySelector('cd-inbox')!;
    await el.updateComplete;
    await waitUntil(() => rows(el).length > 0, 'the first page shows', PATIENT);
    const mine = { kind: 'mine' } as const;
    expect(client.view(mine).count).to.equal(50);
    expect(asked, 'nothing asked before the reader scrolls').to.deep.equal([]);

    // The user scrolls to the end of what is loaded: the next page is asked for.
    const list = el.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
    await waitUntil(() => {
      list.scrollTop = list.scrollHeight;
      return shownIndexes(el).includes(49);
    }, 'the last loaded row is reached');
    await waitUntil(() => asked.length > 0, 'the next page is asked for', PATIENT);
    expect(asked).to.deep.equal(['mine:50']);
    const top = list.scrollTop;

    release();
    // At least: while the virtualizer settles on the new rows, the page after may already load.
    await waitUntil(() => client.view(mine).count >= 150, 'the next page joins', PATIENT);
    await el.updateComplete;
    await nextFrame();
    // The rows the user was reading stay where they were.
    expect(Math.abs(list.scrollTop - top)).to.be.lessThan(2);
    expect(shownIndexes(el)).to.include(49);

    await waitUntil(() => {
      list.scrollTop = list.scrollHeight;
      return shownIndexes(el).includes(249);
    }, 'scrolling on reaches the last page');
    expect(asked).to.deep.equal(['mine:50', 'mine:150']);
    expect(client.hasMore(mine)).to.equal(false);
    const title = () =>
      rows(el)
        .find((r) => r.dataset['index'] === '249')
        ?.querySelector('[part~="title"]')?.textContent;
    // Numbers show formatted once the phone metadata has loaded (lazily).
    await waitUntil(() => title() === '+1 415 202 0249', 'the last row of the last page', {
      timeout: 5000,
    });
    expect(rows(el).length).to.be.lessThan(120);
    expect(asked.length, 'a complete view asks no more').to.equal(2);
    await expect(el).to.be.accessible();
  });
});
