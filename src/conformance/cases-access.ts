/** U2, S1, S2, RD1–RD4, A1–A2, CT1 and the refusal for a conversation one may not see. */
import type { ConformanceBackend } from './index.js';
import type { CaseContext } from './index.js';
import {
  check,
  equal,
  eventually,
  newKey,
  PHONE,
  listening,
  recordEvents,
  refuses,
} from './fixture.js';

/** Alice's conversation with Dana on her own sender ID, unread. */
async function alicesConversation(b: ConformanceBackend) {
  await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
  return (await b.connect('alice').listConversations()).items[0]!;
}

export function registerAccessCases({ it, withBackend }: CaseContext): void {
  it('U2: a standard user is refused the Team Inbox, assignment and admin marks', () =>
    withBackend(async (b) => {
      const c = await alicesConversation(b);
      const alice = b.connect('alice');
      await refuses(
        alice.listConversations({ scope: { teamMember: 'bob' } }),
        'forbidden',
        'Team Inbox',
      );
      await refuses(alice.assign([c.id], 'bob'), 'forbidden', 'assign');
      await refuses(alice.markRead([c.id], true, 'admin'), 'forbidden', 'admin mark');
      const team = await b.connect('admin').listConversations({ scope: { teamMember: 'alice' } });
      equal(
        team.items.map((x) => x.id),
        [c.id],
        "V3: the admin sees alice's inbox",
      );
    }));

  it('S1: a standard user may not start a conversation from a sender ID it neither owns nor shares', () =>
    withBackend(async (b) => {
      await refuses(
        b.connect('bob').send({
          idempotencyKey: newKey(),
          target: { senderId: 'alice-sms', customer: PHONE.eli },
          content: { text: 'x' },
        }),
        'forbidden',
        'bob on alice-sms',
      );
      await refuses(
        b.connect('carol').send({
          idempotencyKey: newKey(),
          target: { senderId: 'team-sms', customer: PHONE.eli },
          content: { text: 'x' },
        }),
        'forbidden',
        'carol on team-sms',
      );
    }));

  it('a conversation one may not see is not_found everywhere, like an unknown one', () =>
    withBackend(async (b) => {
      const c = await alicesConversation(b);
      const bob = b.connect('bob');
      const sent = await b.connect('alice').send({
        idempotencyKey: newKey(),
        target: { conversationId: c.id },
        content: { text: 'Hello' },
      });
      for (const id of [c.id, 'no-such-conversation']) {
        await refuses(bob.listMessages(id), 'not_found', `listMessages ${id}`);
        await refuses(
          bob.send({
            idempotencyKey: newKey(),
            target: { conversationId: id },
            content: { text: 'x' },
          }),
          'not_found',
          `send ${id}`,
        );
        await refuses(bob.markRead([id], true, 'owner'), 'not_found', `markRead ${id}`);
      }
      await refuses(bob.retry(sent.message.id, newKey()), 'not_found', 'retry of a message in it');
    }));

  it('RD1, RD2: the owner marks read and unread; another user may not', () =>
    withBackend(async (b) => {
      const c = await alicesConversation(b);
      const alice = b.connect('alice');
      equal((await alice.markRead([c.id], true, 'owner'))[0]?.unread, false, 'read');
      equal((await alice.markRead([c.id], false, 'owner'))[0]?.unread, true, 'unread again');
      const bobSent = await b.connect('admin').assign([c.id], 'bob');
      equal(bobSent[0]?.ownerId, 'bob', "now bob's");
      await b.connect('alice').send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'x' },
      });
      const mine = (await alice.listConversations()).items.find((x) => x.senderId === 'team-sms')!;
      await b.connect('admin').assign([mine.id], 'bob');
      await refuses(alice.markRead([mine.id], true, 'owner'), 'forbidden', 'V4 row owned by bob');
    }));

  it("RD3, RD4: an admin reading changes nothing; an admin mark changes the owner's state", () =>
    withBackend(async (b) => {
      const c = await alicesConversation(b);
      const admin = b.connect('admin');
      await admin.listMessages(c.id);
      const still = (await b.connect('alice').listConversations()).items[0]!;
      equal(still.unread, true, 'RD3: still unread for alice');
      await admin.markRead([c.id], true, 'admin');
      equal(
        (await b.connect('alice').listConversations()).items[0]!.unread,
        false,
        'RD4: read for alice',
      );
    }));

  it('A1, A2: an admin assigns to a standard user, who owns it unread and is notified', () =>
    withBackend(async (b) => {
      const c = await alicesConversation(b);
      await b.connect('alice').markRead([c.id], true, 'owner');
      const bob = recordEvents(b.connect('bob'));
      await listening(b.connect('admin'), bob);
      const admin = b.connect('admin');
      const [after] = await admin.assign([c.id], 'bob');
      equal([after?.ownerId, after?.unread], ['bob', true], 'A2: owner and unread');
      await eventually(
        () => bob.events.some((e) => e.type === 'notification' && e.kind === 'assignment'),
        'N1: bob is notified',
      );
      await refuses(admin.assign([c.id], 'admin'), 'invalid_input', 'A1: only to a standard user');
      await refuses(admin.assign([c.id], 'nobody'), 'not_found', 'A1: unknown user');
      bob.stop();
    }));

  it('S2, CT1: contacts are E.164; a saved name shows everywhere; one number, one contact', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      await refuses(
        alice.createContact({ firstName: 'Zed', countryCallingCode: '1', nationalNumber: '123' }),
        'invalid_phone',
        'S2 invalid',
      );
      const gus = await alice.createContact({
        firstName: 'Gus',
        countryCallingCode: '1',
        nationalNumber: '415 555 0103',
      });
      equal(gus.phone, PHONE.gus, 'E.164');
      await refuses(
        alice.createContact({ firstName: 'Again', phone: PHONE.gus }),
        'conflict',
        'same number',
      );
      const renamed = await b.connect('bob').updateContact(gus.id, { firstName: 'Gustav' });
      equal(renamed.firstName, 'Gustav', 'edited');
      const found = await alice.searchContacts('gusta');
      check(
        found.some((x) => x.id === gus.id),
        'SN1: found by the new name',
      );
    }));
}
