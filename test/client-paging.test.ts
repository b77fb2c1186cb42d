import { describe, expect, it } from 'vitest';
import type { BackendAdapter, ConversationQuery, ServerEvent } from '../src/adapter.js';
import { createDeskClient } from '../src/index.js';
import type { Contact, Conversation, User } from '../src/types.js';

const admin: User = { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true };
const phone = (i: number) => `+1415200${String(i).padStart(4, '0')}`;
const conversation = (i: number, at: number, revision = 1): Conversation => ({
  id: `c${i}`,
  senderId: 's1',
  channel: 'sms',
  customer: phone(i),
  ownerId: 'admin',
  unread: i % 2 === 0,
  hasIncoming: true,
  lastActivityAt: at,
  outgoingBy: [],
  createdAt: 0,
  revision,
});
const contact = (i: number): Contact => ({
  id: `k${i}`,
  phone: phone(i),
  firstName: `Name${i}`,
  lastName: 'Doe',
  createdAt: 0,
  updatedAt: 0,
});

/** Pages of `size` over fixed lists, offset cursors; every page after the first waits for `release`. */
function pagedAdapter(conversations: Conversation[], contacts: Contact[], size: number) {
  let push: (event: ServerEvent) => void = () => undefined;
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const queries: ConversationQuery[] = [];
  const page = async <T>(kind: string, items: T[], cursor?: string | null, limit = size) => {
    calls.push(`${kind}:${cursor ?? 0}`);
    const from = Number(cursor ?? 0);
    if (from > 0) await gate;
    const to = Math.min(items.length, from + limit);
    return { items: items.slice(from, to), nextCursor: to < items.length ? String(to) : null };
  };
  const refuse = async (): Promise<never> => {
    throw new Error('not in this test');
  };
  const adapter: BackendAdapter = {
    session: async () => ({ user: admin, settings: { defaultAdminId: 'admin' } }),
    listUsers: async () => [admin],
    listSenderIds: async () => [],
    listTemplates: async () => [],
    listContacts: (query) => page('contacts', contacts, query?.cursor),
    searchContacts: async () => [],
    getRecipient: async (p) => ({ phone: p, whatsappConsent: true, optedOut: [] }),
    // Every conversation is the admin's (V1): a view's page is a page of the list.
    listConversations: (query = {}) => {
      queries.push(query);
      return page('conversations', conversations, query.cursor, query.view ? query.limit : size);
    },
    listMessages: async () => ({ items: [], nextCursor: null }),
    send: refuse,
    retry: refuse,
    markRead: async () => [],
    assign: async () => [],
    createContact: refuse,
    updateContact: refuse,
    subscribe: (listener) => {
      push = listener;
      return () => undefined;
    },
  };
  return { adapter, calls, queries, release, push: (e: ServerEvent) => push(e) };
}

describe('paged connect (issue 11)', () => {
  it('V5: connect shows the first page; a view pages on demand, from where connect stopped', async () => {
    // Newest activity first, as adapters list them.
    const conversations = Array.from({ length: 7 }, (_, i) => conversation(i, 100 - i));
    const contacts = Array.from({ length: 7 }, (_, i) => contact(i));
    const { adapter, calls, queries, release } = pagedAdapter(conversations, contacts, 3);
    const client = createDeskClient({ adapter });

    await client.connect();

    const mine = { kind: 'mine' } as const;
    expect(client.getState().loadingMore).toBe(true);
    expect(calls).toEqual(expect.arrayContaining(['contacts:0', 'conversations:0']));
    const first = client.view(mine);
    expect(first.slice(0, 3).map((r) => r.title)).toEqual(['Name0 Doe', 'Name1 Doe', 'Name2 Doe']);
    expect(first.count).toBe(3);
    expect(client.hasMore(mine)).toBe(true);

    release();
    await client.idle();
    // The contacts load in the background; the conversations never page by themselves.
    expect(client.getState().loadingMore).toBe(false);
    expect(client.getState().contacts.size).toBe(7);
    expect(calls).not.toContain('conversations:3');
    expect(client.view(mine).count).toBe(3);

    // Two calls while one runs share it; the view's page starts at connect's cursor.
    const [more] = await Promise.all([client.loadMore(mine), client.loadMore(mine)]);
    expect(more).toBe(false); // a view's page is 100 rows: the 4 left
    expect(queries.filter((q) => q.view)).toEqual([{ view: mine, cursor: '3', limit: 100 }]);
    expect(client.hasMore(mine)).toBe(false);
    expect(await client.loadMore(mine)).toBe(false); // complete: nothing asked
    expect(queries.filter((q) => q.view).length).toBe(1);

    const full = client.view(mine);
    expect(full.rows.map((r) => r.conversation.id)).toEqual(conversations.map((c) => c.id));
    // CT1: the names of contacts from later pages show on their rows.
    expect(full.rows.map((r) => r.title)).toEqual(contacts.map((c) => `${c.firstName} Doe`));
    expect(full.unread).toBe(4);
  });

  it('V5: an event for a conversation not loaded yet puts it on top; its older copy from a page loses', async () => {
    const conversations = Array.from({ length: 5 }, (_, i) => conversation(i, 100 - i));
    const { adapter, release, push } = pagedAdapter(conversations, [], 2);
    release();
    const client = createDeskClient({ adapter });
    await client.connect();
    const mine = { kind: 'mine' } as const;
    expect(client.view(mine).count).toBe(2);

    // c4 is beyond the loaded rows; it gets a newer revision with new activity.
    push({ type: 'conversation.updated', conversation: conversation(4, 500, 2) });
    await client.idle();
    expect(client.view(mine).rows.map((r) => r.conversation.id)).toEqual(['c4', 'c0', 'c1']);

    while (await client.loadMore(mine));
    const rows = client.view(mine).rows.map((r) => r.conversation);
    expect(rows.map((c) => c.id)).toEqual(['c4', 'c0', 'c1', 'c2', 'c3']);
    expect(client.conversation('c4').revision).toBe(2);
  });
});

describe('search kept as pages load (issue 11)', () => {
  const mine = { kind: 'mine' } as const;
  const ids = (rows: readonly { conversation: Conversation }[]) =>
    rows.map((r) => r.conversation.id);

  it('V6: names and numbers from later pages are found, in activity order, and follow events', async () => {
    const conversations = Array.from({ length: 100 }, (_, i) => conversation(i, 1000 - i));
    const contacts = Array.from({ length: 100 }, (_, i) => contact(i));
    const { adapter, release, push } = pagedAdapter(conversations, contacts, 7);
    const client = createDeskClient({ adapter });
    await client.connect();
    client.view(mine);
    release();
    while (await client.loadMore(mine));
    await client.idle();

    // Few matches (found through the index), then many (a pass over the view): the same order.
    expect(ids(client.search(mine, 'name3'))).toEqual([
      'c3',
      'c30',
      'c31',
      'c32',
      'c33',
      'c34',
      'c35',
      'c36',
      'c37',
      'c38',
      'c39',
    ]);
    expect(ids(client.search(mine, 'doe'))).toEqual(conversations.map((c) => c.id));
    expect(ids(client.search(mine, '200 0099'))).toEqual(['c99']);

    // V5: new activity moves a match to the top of the results too.
    push({ type: 'conversation.updated', conversation: conversation(35, 5000, 2) });
    await client.idle();
    expect(ids(client.search(mine, 'name3')).slice(0, 3)).toEqual(['c35', 'c3', 'c30']);
    expect(client.search(mine, 'name35')[0]!.conversation.revision).toBe(2);
  });

  it('V6, CT1: a renamed contact is found by its new name only', async () => {
    const conversations = Array.from({ length: 3 }, (_, i) => conversation(i, 100 - i));
    const { adapter, push } = pagedAdapter(conversations, [contact(0), contact(1)], 10);
    const client = createDeskClient({ adapter });
    await client.connect();
    expect(ids(client.search(mine, 'name1'))).toEqual(['c1']);

    push({ type: 'contact.saved', contact: { ...contact(1), firstName: 'Zoë', updatedAt: 5 } });
    await client.idle();
    expect(client.search(mine, 'name1')).toEqual([]);
    expect(ids(client.search(mine, 'zoe doe'))).toEqual(['c1']);
    expect(client.search(mine, 'zoe')[0]!.title).toBe('Zoë Doe');
    // A number that became a contact after it was indexed.
    push({ type: 'contact.saved', contact: { ...contact(2), firstName: 'Ines' } });
    await client.idle();
    expect(ids(client.search(mine, 'ines'))).toEqual(['c2']);
  });
});
