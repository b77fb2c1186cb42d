/** Untrusted input: every bad value is `invalid_input` and changes nothing. */
import type { BackendAdapter } from '../adapter.js';
import type { CaseContext } from './index.js';
import { equal, newKey, PHONE, refuses } from './fixture.js';

// The adapter's types forbid these values; a server receives them anyway, as JSON.
const raw = (adapter: BackendAdapter) =>
  adapter as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

export function registerInputCases({ it, withBackend }: CaseContext): void {
  it('bad input: numbers, null, arrays and objects where text is expected are invalid_input', () =>
    withBackend(async (b) => {
      const alice = raw(b.connect('alice'));
      const target = { senderId: 'team-sms', customer: PHONE.eli };
      for (const text of [42, null, ['a'], { a: 1 }]) {
        await refuses(
          alice.send!({ idempotencyKey: newKey(), target, content: { text } }),
          'invalid_input',
          `content.text ${JSON.stringify(text)}`,
        );
      }
      await refuses(
        alice.send!({ idempotencyKey: newKey(), target: [], content: { text: 'x' } }),
        'invalid_input',
        'target []',
      );
      await refuses(
        alice.send!({
          idempotencyKey: newKey(),
          target: { senderId: 5, customer: PHONE.eli },
          content: { text: 'x' },
        }),
        'invalid_input',
        'senderId 5',
      );
      await refuses(
        alice.markRead!([null], true, 'owner'),
        'invalid_input',
        'conversationIds [null]',
      );
      await refuses(alice.markRead!(['x'], 'yes', 'owner'), 'invalid_input', 'read "yes"');
      await refuses(alice.markRead!(['x'], true, 'boss'), 'invalid_input', 'mode "boss"');
      await refuses(
        alice.createContact!({ firstName: 7, phone: PHONE.gus }),
        'invalid_input',
        'firstName 7',
      );
      await refuses(
        alice.createContact!({ firstName: 'Gus', phone: PHONE.gus, email: ['x'] }),
        'invalid_input',
        'email array',
      );
      equal((await b.connect('admin').listConversations()).items.length, 0, 'nothing was created');
      equal((await b.connect('alice').listContacts()).items.length, 2, 'no contact was created');
    }));

  it('bad input: __proto__-style ids are invalid_input, not a lookup', () =>
    withBackend(async (b) => {
      const admin = raw(b.connect('admin'));
      await refuses(admin.listMessages!('__proto__'), 'invalid_input', 'listMessages __proto__');
      await refuses(
        admin.markRead!(['constructor'], true, 'owner'),
        'invalid_input',
        'markRead constructor',
      );
      await refuses(admin.assign!(['x'], '__proto__'), 'invalid_input', 'assignee __proto__');
      await refuses(
        admin.send!({
          idempotencyKey: newKey(),
          target: { senderId: '__proto__', customer: PHONE.eli },
          content: { text: 'x' },
        }),
        'invalid_input',
        'sender __proto__',
      );
    }));

  it('bad input: unknown list scopes and limits are invalid_input', () =>
    withBackend(async (b) => {
      const admin = raw(b.connect('admin'));
      await refuses(
        admin.listConversations!({ scope: { teamMember: '__proto__' } }),
        'invalid_input',
        'teamMember __proto__',
      );
      await refuses(admin.listConversations!({ limit: -1 }), 'invalid_input', 'limit -1');
      await refuses(
        admin.listConversations!({ cursor: 'garbage' }),
        'invalid_input',
        'cursor garbage',
      );
    }));
}
