/** V1–V4 one view at a time, paged by cursor, and V6's search, through `listConversations`. */
import type { BackendAdapter, ConversationQuery } from '../adapter.js';
import type { CaseContext, ConformanceBackend } from './index.js';
import { equal, newKey, PHONE, refuses } from './fixture.js';

/** Every page of a query, `limit` at a time, as the customers' numbers. */
async function pages(adapter: BackendAdapter, query: ConversationQuery, limit: number) {
  const seen: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await adapter.listConversations({ ...query, limit, cursor });
    seen.push(page.items.map((c) => c.customer));
    cursor = page.nextCursor;
  } while (cursor && seen.length < 10);
  return seen;
}

/**
 * Alice's inbox on alice-sms: Dana, Eli, Gus (newest last); Fay on team-sms (RT3: the default
 * admin's); Alice starts a conversation with an unknown number on team-sms (V4, no incoming).
 */
async function account(b: ConformanceBackend): Promise<void> {
  for (const [senderId, from] of [
    ['alice-sms', PHONE.dana],
    ['alice-sms', PHONE.eli],
    ['alice-sms', PHONE.gus],
    ['team-sms', PHONE.fay],
  ] as const) {
    await b.receive({ senderId, from, text: 'Hi' });
    await new Promise((r) => setTimeout(r, 3));
  }
  await b.connect('alice').send({
    idempotencyKey: newKey(),
    target: { senderId: 'team-sms', customer: PHONE.unknown },
    content: { text: 'Hello' },
  });
}

export function registerViewCases({ it, withBackend }: CaseContext): void {
  it('V1–V5: each view pages by cursor through its own rows, newest first', () =>
    withBackend(async (b) => {
      await account(b);
      const alice = b.connect('alice');
      const admin = b.connect('admin');
      equal(
        await pages(alice, { view: { kind: 'mine' } }, 2),
        [[PHONE.gus, PHONE.eli], [PHONE.dana]],
        'V1 My Inbox in pages of 2',
      );
      equal(await pages(alice, { view: { kind: 'sent' } }, 2), [[PHONE.unknown]], 'V4 Sent');
      equal(
        await pages(alice, { view: { kind: 'sender', senderId: 'team-sms' } }, 2),
        [[]],
        "V2: alice does not see the admin's conversation on the shared sender ID",
      );
      equal(
        await pages(admin, { view: { kind: 'sender', senderId: 'team-sms' } }, 2),
        [[PHONE.fay]],
        'V2: the admin sees every conversation with incoming on it',
      );
      equal(
        await pages(admin, { view: { kind: 'team', userId: 'alice' } }, 1),
        [[PHONE.gus], [PHONE.eli], [PHONE.dana]],
        "V3 alice's inbox in pages of 1",
      );
      await refuses(
        alice.listConversations({ view: { kind: 'team', userId: 'bob' } }),
        'forbidden',
        'U2: a standard user opens a Team Inbox',
      );
    }));

  it('V6: a search query matches folded names and any part of the digits, by cursor', () =>
    withBackend(async (b) => {
      await account(b);
      const alice = b.connect('alice');
      const mine = { kind: 'mine' } as const;
      equal(await pages(alice, { view: mine, search: 'diaz' }, 5), [[PHONE.dana]], 'folded name');
      equal(await pages(alice, { view: mine, search: ' ELI ' }, 5), [[PHONE.eli]], 'name case');
      equal(await pages(alice, { view: mine, search: '555-0103' }, 5), [[PHONE.gus]], 'digits');
      equal(
        await pages(alice, { view: mine, search: '(415) 555' }, 1),
        [[PHONE.gus], [PHONE.eli], [PHONE.dana]],
        'many matches, in pages of 1',
      );
      equal(await pages(alice, { view: mine, search: '4479' }, 5), [[]], "not in alice's view");
      equal(await pages(alice, { view: mine, search: '%' }, 5), [[]], 'LIKE wildcards literal');
      equal(
        await pages(alice, { search: 'Hello' }, 5),
        [[]],
        'the message text is not searched, only names and numbers',
      );
      equal(
        await pages(alice, { view: mine, search: '  ' }, 5),
        [[PHONE.gus, PHONE.eli, PHONE.dana]],
        'blank: all',
      );
    }));

  it('bad input: unknown views and overlong searches are invalid_input', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice') as unknown as {
        listConversations(query: unknown): Promise<unknown>;
      };
      for (const view of [{ kind: 'nope' }, { kind: 'sender' }, { kind: 'team', userId: '' }]) {
        await refuses(
          alice.listConversations({ view }),
          'invalid_input',
          `view ${JSON.stringify(view)}`,
        );
      }
      await refuses(
        alice.listConversations({ search: 'x'.repeat(201) }),
        'invalid_input',
        'a search of 201 characters',
      );
    }));
}
