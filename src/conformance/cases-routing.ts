/** RT1–RT5, C1, C3, V1–V5, N1 through the adapter contract. */
import type { BackendAdapter } from '../adapter.js';
import type { Conversation } from '../types.js';
import type { CaseContext } from './index.js';
import { check, equal, eventually, newKey, PHONE, listening, recordEvents } from './fixture.js';

async function conversationsOf(adapter: BackendAdapter): Promise<Conversation[]> {
  return (await adapter.listConversations()).items;
}

async function findOn(adapter: BackendAdapter, senderId: string, customer: string) {
  return (await conversationsOf(adapter)).find(
    (c) => c.senderId === senderId && c.customer === customer,
  );
}

export function registerRoutingCases({ it, withBackend }: CaseContext): void {
  it('RT1: a message to an owned sender ID goes to its owner', () =>
    withBackend(async (b) => {
      await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
      const c = await findOn(b.connect('alice'), 'alice-sms', PHONE.dana);
      check(c, 'alice sees the conversation');
      equal(c.ownerId, 'alice', 'owner');
      equal(c.unread, true, 'RT5 unread for the owner');
      equal((await conversationsOf(b.connect('bob'))).length, 0, 'bob sees nothing');
    }));

  it('RT3: a first message on a shared sender ID goes to the default admin', () =>
    withBackend(async (b) => {
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Hello?' });
      const c = await findOn(b.connect('admin'), 'team-sms', PHONE.eli);
      equal(c?.ownerId, 'admin', 'owner');
      equal((await conversationsOf(b.connect('alice'))).length, 0, 'alice sees nothing');
    }));

  it('RT2: on a shared sender ID the reply joins the conversation of the last outgoing sender', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      await alice.send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'Hi Eli' },
      });
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Hi Alice' });
      const c = await findOn(alice, 'team-sms', PHONE.eli);
      equal(c?.ownerId, 'alice', 'owner after the reply');
    }));

  it('RT2, RT4, C1: a colleague sharing the sender ID may message the same number; it becomes theirs', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const bob = b.connect('bob');
      const first = await alice.send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'From Alice' },
      });
      const second = await bob.send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'From Bob' },
      });
      equal(
        second.conversation.id,
        first.conversation.id,
        'C1: one conversation per sender ID and number',
      );
      equal(second.conversation.ownerId, 'bob', 'RT4: the latest sender owns it');
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Hi' });
      equal(
        (await findOn(bob, 'team-sms', PHONE.eli))?.ownerId,
        'bob',
        'RT2: the reply goes to bob',
      );
    }));

  it('RT4: after an assignment the reply goes to the assignee', () =>
    withBackend(async (b) => {
      await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
      const admin = b.connect('admin');
      const c = (await findOn(admin, 'alice-sms', PHONE.dana))!;
      await admin.assign([c.id], 'bob');
      await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Again' });
      equal((await findOn(admin, 'alice-sms', PHONE.dana))?.ownerId, 'bob', 'owner');
    }));

  it('RT5, N1: an incoming message notifies its owner only', () =>
    withBackend(async (b) => {
      const alice = recordEvents(b.connect('alice'));
      const bob = recordEvents(b.connect('bob'));
      await listening(b.connect('admin'), alice, bob);
      await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
      await eventually(
        () => alice.events.some((e) => e.type === 'notification'),
        'alice is notified',
      );
      const note = alice.events.find((e) => e.type === 'notification');
      equal(note?.type === 'notification' && note.kind, 'incoming', 'notification kind');
      check(
        !bob.events.some((e) => e.type === 'notification' || e.type === 'message.created'),
        'bob hears nothing of it',
      );
      alice.stop();
      bob.stop();
    }));

  it('C3: a campaign creates no conversation; the reply makes it the first message, owned by its sender (RT2)', () =>
    withBackend(async (b) => {
      await b.campaign({ senderId: 'team-sms', userId: 'bob', to: [PHONE.eli], text: 'Sale' });
      equal((await conversationsOf(b.connect('admin'))).length, 0, 'no conversation yet');
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Tell me more' });
      const bob = b.connect('bob');
      const c = await findOn(bob, 'team-sms', PHONE.eli);
      equal(c?.ownerId, 'bob', 'owner');
      const thread = (await bob.listMessages(c!.id)).items;
      equal(
        thread.map((m) => [m.direction, m.text]),
        [
          ['out', 'Sale'],
          ['in', 'Tell me more'],
        ],
        'thread',
      );
    }));

  it('C3, RT4: an older campaign joining the thread keeps time order and never takes ownership back', () =>
    withBackend(async (b) => {
      await b.campaign({ senderId: 'team-sms', userId: 'bob', to: [PHONE.eli], text: 'Campaign' });
      await new Promise((r) => setTimeout(r, 5));
      const alice = b.connect('alice');
      await alice.send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'Alice writes' },
      });
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Reply' });
      const c = (await findOn(alice, 'team-sms', PHONE.eli))!;
      equal(c.ownerId, 'alice', 'the later sender keeps it');
      const thread = (await alice.listMessages(c.id)).items;
      equal(
        thread.map((m) => m.text),
        ['Campaign', 'Alice writes', 'Reply'],
        'time order',
      );
      const times = thread.map((m) => m.createdAt);
      equal(
        [...times].sort((x, y) => x - y),
        times,
        'ascending times',
      );
    }));

  it("C3, RT4: a campaign sent after a colleague's reply makes its sender the owner", () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      await alice.send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'Alice writes' },
      });
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Reply' });
      await new Promise((r) => setTimeout(r, 5));
      await b.campaign({ senderId: 'team-sms', userId: 'bob', to: [PHONE.eli], text: 'Campaign' });
      const c = (await findOn(b.connect('bob'), 'team-sms', PHONE.eli))!;
      equal(c.ownerId, 'bob', 'owner');
      equal(c.lastOutgoing?.by, 'bob', 'last outgoing sender');
      await b.receive({ senderId: 'team-sms', from: PHONE.eli, text: 'Again' });
      equal(
        (await findOn(b.connect('bob'), 'team-sms', PHONE.eli))?.ownerId,
        'bob',
        'RT2 after the campaign',
      );
    }));

  it('V4: a user keeps seeing a conversation it sent in after it moved to a colleague', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const sent = await alice.send({
        idempotencyKey: newKey(),
        target: { senderId: 'team-sms', customer: PHONE.eli },
        content: { text: 'Hi' },
      });
      await b.connect('admin').assign([sent.conversation.id], 'bob');
      const c = (await conversationsOf(alice)).find((x) => x.id === sent.conversation.id);
      equal(c?.ownerId, 'bob', 'visible to alice, owned by bob');
    }));

  it('V5: lists are newest activity first and page with a cursor without repeats', () =>
    withBackend(async (b) => {
      for (const from of [PHONE.dana, PHONE.eli, PHONE.gus]) {
        await b.receive({ senderId: 'alice-sms', from, text: 'Hi' });
        await new Promise((r) => setTimeout(r, 3));
      }
      const alice = b.connect('alice');
      const first = await alice.listConversations({ limit: 2 });
      equal(first.items.length, 2, 'first page');
      check(first.nextCursor, 'a next cursor');
      const second = await alice.listConversations({ limit: 2, cursor: first.nextCursor });
      const all = [...first.items, ...second.items];
      equal(
        all.map((c) => c.customer),
        [PHONE.gus, PHONE.eli, PHONE.dana],
        'order',
      );
      equal(second.nextCursor, null, 'end');
    }));
}
