/**
 * Issue 11: `countViews` answers each view's size and unread rows as the view's pages count them
 * (V1–V4, RD1), after every kind of change, and only for views the user may see (U2).
 */
import type { BackendAdapter, ViewCount } from '../adapter.js';
import type { ViewKey } from '../rules/views.js';
import type { CaseContext } from './index.js';
import { equal, newKey, PHONE, refuses } from './fixture.js';

/** What the view's pages hold, counted by reading them all (the reference for `countViews`). */
async function counted(adapter: BackendAdapter, view: ViewKey): Promise<ViewCount> {
  let total = 0;
  let unread = 0;
  let cursor: string | null = null;
  do {
    const page = await adapter.listConversations({ view, cursor, limit: 4 });
    total += page.items.length;
    unread += page.items.filter((c) => c.unread).length;
    cursor = page.nextCursor;
  } while (cursor);
  return { total, unread };
}

/** `countViews` for `views`, checked against their pages; answers the counts. */
async function counts(adapter: BackendAdapter, views: ViewKey[], what: string) {
  const answer = await adapter.countViews!(views);
  const expected = await Promise.all(views.map((v) => counted(adapter, v)));
  equal(answer, expected, `${what}: countViews agrees with the pages`);
  return answer;
}

const MINE: ViewKey = { kind: 'mine' };
const SENT: ViewKey = { kind: 'sent' };
const ALICE_SMS: ViewKey = { kind: 'sender', senderId: 'alice-sms' };
const TEAM_SMS: ViewKey = { kind: 'sender', senderId: 'team-sms' };
const TEAM_ALICE: ViewKey = { kind: 'team', userId: 'alice' };
const TEAM_BOB: ViewKey = { kind: 'team', userId: 'bob' };

/** Numbers of customers 0..n-1 (valid US numbers, none of the fixture's). */
const customer = (i: number) => `+1415555${String(2000 + i).padStart(4, '0')}`;

export function registerCountCases({ it, withBackend }: CaseContext): void {
  it(
    'issue 11, V1–V4, RD1: countViews counts each view beyond one page, after each change',
    () =>
      withBackend(async (b) => {
        // Nine conversations in Alice's inbox (more than two pages of 4), two on team-sms (RT3:
        // the default admin's).
        for (let i = 0; i < 9; i++)
          await b.receive({ senderId: 'alice-sms', from: customer(i), text: 'Hi' });
        for (let i = 9; i < 11; i++)
          await b.receive({ senderId: 'team-sms', from: customer(i), text: 'Hi' });
        const alice = b.connect('alice');
        const admin = b.connect('admin');
        const aliceViews = [MINE, SENT, ALICE_SMS, TEAM_SMS];
        const adminViews = [MINE, TEAM_SMS, TEAM_ALICE, TEAM_BOB];
        equal(
          await counts(alice, aliceViews, 'incoming'),
          [
            { total: 9, unread: 9 },
            { total: 0, unread: 0 },
            { total: 9, unread: 9 },
            { total: 0, unread: 0 },
          ],
          "Alice's views",
        );
        equal(
          await counts(admin, adminViews, 'incoming'),
          [
            { total: 2, unread: 2 },
            { total: 2, unread: 2 },
            { total: 9, unread: 9 },
            { total: 0, unread: 0 },
          ],
          "the admin's views",
        );
        const [oldest] = (await alice.listConversations({ view: MINE, limit: 9 })).items.slice(-1);
        await alice.markRead([oldest!.id], true, 'owner');
        equal((await counts(alice, [MINE], 'read'))[0], { total: 9, unread: 8 }, 'RD2 read');
        await alice.send({
          idempotencyKey: newKey(),
          target: { conversationId: oldest!.id },
          content: { text: 'Reply' },
        });
        equal((await counts(alice, [SENT], 'reply'))[0], { total: 1, unread: 0 }, 'V4 reply');
        const team = (await admin.listConversations({ view: TEAM_SMS })).items[0]!;
        await admin.assign([team.id, oldest!.id], 'bob');
        equal(
          await counts(admin, adminViews, 'assign'),
          [
            { total: 1, unread: 1 },
            { total: 2, unread: 2 },
            { total: 8, unread: 8 },
            { total: 2, unread: 2 },
          ],
          'A1: assigned conversations move to Bob, unread for him',
        );
        equal(
          await counts(alice, aliceViews, 'assign'),
          [
            { total: 8, unread: 8 },
            { total: 1, unread: 1 },
            { total: 8, unread: 8 },
            { total: 0, unread: 0 },
          ],
          'V4: the conversation Alice wrote in stays in her Sent Messages',
        );
        await b.receive({ senderId: 'alice-sms', from: customer(0), text: 'Again' });
        await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
        await counts(alice, aliceViews, 'incoming again');
        await counts(admin, adminViews, 'incoming again');
        await b.connect('bob').send({
          idempotencyKey: newKey(),
          target: { senderId: 'team-sms', customer: PHONE.unknown },
          content: { text: 'Hello' },
        });
        await counts(b.connect('bob'), [MINE, SENT, TEAM_SMS], 'a new outgoing conversation');
      }),
    30_000,
  );

  it('U2: countViews refuses a Team Inbox to a standard user; bad views are invalid_input', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      await refuses(alice.countViews!([MINE, TEAM_BOB]), 'forbidden', "Alice asks Bob's inbox");
      await refuses(
        alice.countViews!([{ kind: 'nope' } as unknown as ViewKey]),
        'invalid_input',
        'an unknown view',
      );
      equal(await alice.countViews!([]), [], 'no views, no counts');
    }));
}
