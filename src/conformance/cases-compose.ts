/** SN1 starting a conversation, SN8 SMS parts counted as the carrier does. */
import type { CaseContext } from './index.js';
import { check, equal, IMAGE, newKey, PHONE, refuses } from './fixture.js';

const toEli = { senderId: 'team-sms', customer: PHONE.eli };

export function registerComposeCases({ it, withBackend }: CaseContext): void {
  it('SN1: a new conversation: contact suggestions while typing, a sender ID, text, emoji and media', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const suggested = async (typed: string) =>
        (await alice.searchContacts(typed)).map((c) => c.id);
      for (const typed of ['d', 'Da', 'dana d', 'DANA DIAZ', '555 0101', '4155550101']) {
        check((await suggested(typed)).includes('c-dana'), `Dana suggested for "${typed}"`);
      }
      equal(await suggested('dana x'), [], 'no suggestion for a name that does not match');
      equal((await alice.searchContacts('+1 415', 1)).length, 1, 'at most the limit asked');
      const picked = (await alice.searchContacts('dana'))[0]!;
      const text = 'Hello Dana 👋';
      const started = await alice.send({
        idempotencyKey: newKey(),
        target: { senderId: 'alice-sms', customer: picked.phone },
        content: { text, media: [IMAGE] },
      });
      const c = started.conversation;
      equal(
        [c.customer, c.senderId, c.channel, c.ownerId],
        [PHONE.dana, 'alice-sms', 'sms', 'alice'],
        'the conversation started',
      );
      const thread = await alice.listMessages(c.id);
      equal(
        thread.items.map((m) => [m.text, m.media?.map((x) => x.url)]),
        [[text, [IMAGE.url]]],
        'the message keeps its emoji and its media',
      );
      const photo = await alice.send({
        idempotencyKey: newKey(),
        target: toEli,
        content: { media: [IMAGE] },
      });
      equal(photo.message.media?.length, 1, 'media alone is a message');
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: { senderId: 'alice-sms', customer: '4155550102' },
          content: { text: 'x' },
        }),
        'invalid_phone',
        'a number without its country code',
      );
      await refuses(
        alice.send({ idempotencyKey: newKey(), target: toEli, content: { text: '  ' } }),
        'invalid_input',
        'neither a message, media nor a template',
      );
    }));

  it('SN8: SMS parts are counted as the carrier does, at most 10; an escape or emoji is never split', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const send = (text: string) =>
        alice.send({ idempotencyKey: newKey(), target: toEli, content: { text } });
      for (const [most, what] of [
        ['x'.repeat(1530), 'GSM-7: 10 parts of 153'],
        ['€'.repeat(760), 'GSM-7 extension: two septets, 76 a part (153 is odd)'],
        ['ж'.repeat(670), 'UCS-2: 10 parts of 67'],
        ['x'.repeat(669) + 'ж', 'UCS-2 as soon as one character is outside GSM-7'],
        ['😀'.repeat(330), 'UCS-2 outside the BMP: two units, 33 a part (67 is odd)'],
      ] as const) {
        equal((await send(most)).message.text, most, `${what}: accepted whole`);
        const over = most.endsWith('ж') ? 'x' + most : most + [...most].at(-1)!;
        await refuses(send(over), 'invalid_input', `${what}: one more needs an 11th part`);
      }
      // WhatsApp is not SMS: the same text goes out inside the care window.
      await b.receive({ senderId: 'bob-wa', from: PHONE.dana, text: 'Hi' });
      const bob = b.connect('bob');
      const wa = (await bob.listConversations()).items[0]!;
      const long = await bob.send({
        idempotencyKey: newKey(),
        target: { conversationId: wa.id },
        content: { text: 'x'.repeat(1531) },
      });
      equal(long.message.text.length, 1531, 'a long WhatsApp text');
    }));
}
