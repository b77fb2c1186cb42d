/** U1 users and licenses, C2 nothing is deleted, V3 the Team Inbox's entries. */
import type { BackendAdapter } from '../adapter.js';
import type { CaseContext, ConformanceBackend } from './index.js';
import { check, deletingOperations, equal, newKey, PHONE, refuses } from './fixture.js';

/** Alice's conversation with Dana on her own sender ID. */
async function danasConversation(b: ConformanceBackend, alice: BackendAdapter) {
  await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
  return (await alice.listConversations({ view: { kind: 'mine' } })).items[0]!;
}

const pause = () => new Promise((r) => setTimeout(r, 3));

export function registerPeopleCases({ it, withBackend }: CaseContext): void {
  it('U1: users are admins or standard users; a standard user may hold a portal license', () =>
    withBackend(async (b) => {
      const users = await b.connect('alice').listUsers();
      equal(
        users
          .map((u) => [u.id, u.role, u.portalLicense] as const)
          .sort((x, y) => x[0].localeCompare(y[0])),
        [
          ['admin', 'admin', true],
          ['alice', 'standard', true],
          ['bob', 'standard', true],
          ['carol', 'standard', false],
        ],
        'the users, their roles and licenses',
      );
      const { user } = await b.connect('carol').session();
      equal(
        [user.id, user.role, user.portalLicense],
        ['carol', 'standard', false],
        "carol's session",
      );
      // Without a license carol is still a standard user: assignable, and she works her inbox.
      const c = await danasConversation(b, b.connect('alice'));
      const [after] = await b.connect('admin').assign([c.id], 'carol');
      equal(after?.ownerId, 'carol', 'A1: assigned to carol');
      const carol = b.connect('carol');
      const mine = await carol.listConversations({ view: { kind: 'mine' } });
      equal(
        mine.items.map((x) => x.id),
        [c.id],
        "V1: carol's My Inbox",
      );
      equal((await carol.markRead([c.id], true, 'owner'))[0]?.unread, false, 'RD2: she reads it');
      await refuses(carol.assign([c.id], 'bob'), 'forbidden', 'U2: carol is no admin');
    }));

  it('C2: nothing deletes a conversation: the adapter has no delete, and every change keeps it', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const admin = b.connect('admin');
      for (const [who, adapter] of [
        ['alice', alice],
        ['admin', admin],
      ] as const) {
        const deleting = deletingOperations(adapter);
        equal(deleting, [], `C2: operations of ${who}'s adapter that delete`);
      }
      const c = await danasConversation(b, alice);
      await pause();
      await alice.send({
        idempotencyKey: newKey(),
        target: { conversationId: c.id },
        content: { text: 'Hello' },
      });
      await pause();
      // SN5 (opt-out), A2 (reassignment), RD2 (read) and CT1 (contact edit) keep the thread whole.
      await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'STOP' });
      await admin.assign([c.id], 'bob');
      await b.connect('bob').markRead([c.id], true, 'owner');
      await alice.updateContact('c-dana', { firstName: 'Danielle' });
      const thread = await admin.listMessages(c.id);
      equal(
        thread.items.map((m) => m.text),
        ['Hi', 'Hello', 'STOP'],
        'every message is still in the thread',
      );
      check(
        (await admin.listConversations()).items.some((x) => x.id === c.id),
        'the admin still lists it',
      );
      const sent = await alice.listConversations({ view: { kind: 'sent' } });
      equal(
        sent.items.map((x) => x.id),
        [c.id],
        "V4: still in alice's Sent Messages",
      );
      const bobs = await b.connect('bob').listConversations({ view: { kind: 'mine' } });
      equal(
        bobs.items.map((x) => x.id),
        [c.id],
        "V1: in bob's My Inbox, its new owner",
      );
    }));

  it('V3: the Team Inbox has an entry per licensed standard user; no other user has one', () =>
    withBackend(async (b) => {
      const admin = b.connect('admin');
      const c = await danasConversation(b, b.connect('alice'));
      const team = await admin.listConversations({ view: { kind: 'team', userId: 'alice' } });
      equal(
        team.items.map((x) => x.id),
        [c.id],
        "alice's entry shows her My Inbox",
      );
      await admin.assign([c.id], 'carol');
      await b.receive({ senderId: 'team-sms', from: PHONE.fay, text: 'Hi' }); // RT3: the admin's
      for (const userId of ['carol', 'admin', 'nobody']) {
        await refuses(
          admin.listConversations({ view: { kind: 'team', userId } }),
          'not_found',
          `no Team Inbox view for ${userId}`,
        );
        await refuses(
          admin.listConversations({ scope: { teamMember: userId } }),
          'not_found',
          `no Team Inbox scope for ${userId}`,
        );
        if (admin.countViews) {
          await refuses(
            admin.countViews([{ kind: 'team', userId }]),
            'not_found',
            `no Team Inbox count for ${userId}`,
          );
        }
      }
      if (admin.countViews) {
        equal(
          await admin.countViews([{ kind: 'team', userId: 'bob' }]),
          [{ total: 0, unread: 0 }],
          "bob's entry is counted",
        );
      }
    }));
}
