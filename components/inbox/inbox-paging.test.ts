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

/** Newest first in pages of `size`; the pages after the first wait until `release()`. */
function pagedAdapter(total: number, size: number) {
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
      if (from > 0) await gate;
      const to = Math.min(total, from + size);
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
  return { adapter, release: () => release() };
}

const rows = (el: CdInbox) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const shownIndexes = (el: CdInbox) => rows(el).map((r) => Number(r.dataset['index']));

describe('<cd-inbox> while the account loads page by page (issue 11)', () => {
  it('V5: the first page shows at once; later pages join below as the user scrolls, without moving the rows in view', async () => {
    const { adapter, release } = pagedAdapter(150, 50);
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
    await waitUntil(() => rows(el).length > 0, 'the first page shows');
    expect(client.view({ kind: 'mine' }).count).to.equal(50);

    // The user scrolls to the end of what is loaded.
    const list = el.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
    await waitUntil(() => {
      list.scrollTop = list.scrollHeight;
      return shownIndexes(el).includes(49);
    }, 'the last loaded row is reached');
    const top = list.scrollTop;

    release();
    await client.idle();
    await el.updateComplete;
    await nextFrame();
    // The rows the user was reading stay where they were.
    expect(Math.abs(list.scrollTop - top)).to.be.lessThan(2);
    expect(shownIndexes(el)).to.include(49);

    await waitUntil(() => {
      list.scrollTop = list.scrollHeight;
      return shownIndexes(el).includes(149);
    }, 'scrolling on reaches the last page');
    const title = () =>
      rows(el)
        .find((r) => r.dataset['index'] === '149')
        ?.querySelector('[part~="title"]')?.textContent;
    // Numbers show formatted once the phone metadata has loaded (lazily).
    await waitUntil(() => title() === '+1 415 202 0149', 'the last row of the last page');
    expect(rows(el).length).to.be.lessThan(120);
    await expect(el).to.be.accessible();
  });
});
