/** SN2–SN7, idempotency and `{ templateId, text }` through the adapter contract. */
import type { CaseContext } from './index.js';
import {
  check,
  closedNowSeed,
  equal,
  eventually,
  newKey,
  PHONE,
  listening,
  recordEvents,
  refuses,
} from './fixture.js';

const toEli = { senderId: 'team-sms', customer: PHONE.eli };

export function registerSendingCases({ it, withBackend }: CaseContext): void {
  it("SN2: a template is filled from the contact; another channel's or a campaign template is refused", () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const sent = await alice.send({
        idempotencyKey: newKey(),
        target: toEli,
        content: { templateId: 't-sms-hi' },
      });
      equal(sent.message.text, 'Hi Eli!', 'filled text');
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: toEli,
          content: { templateId: 't-wa-hello' },
        }),
        'template_channel_mismatch',
        'WhatsApp template on SMS',
      );
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: toEli,
          content: { templateId: 't-sms-promo' },
        }),
        'template_not_conversation',
        'campaign template',
      );
      await refuses(
        alice.send({ idempotencyKey: newKey(), target: toEli, content: { templateId: 'nope' } }),
        'not_found',
        'unknown template',
      );
    }));

  it('SN2: a merge field without a value is refused with the fields named', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: { senderId: 'team-sms', customer: PHONE.gus },
          content: { templateId: 't-sms-hi' },
        }),
        'template_missing_fields',
        'no contact',
      );
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: { senderId: 'team-sms', customer: PHONE.gus },
          content: { templateId: 't-sms-hi', text: 'Hi {{contact.firstName}}!' },
        }),
        'template_missing_fields',
        'field left in the text',
      );
    }));

  it('SN3: a new WhatsApp conversation starts only with a registered template, unedited', () =>
    withBackend(async (b) => {
      const bob = b.connect('bob');
      const target = { senderId: 'bob-wa', customer: PHONE.dana };
      await refuses(
        bob.send({ idempotencyKey: newKey(), target, content: { text: 'Hello' } }),
        'window_closed',
        'free text',
      );
      await refuses(
        bob.send({
          idempotencyKey: newKey(),
          target,
          content: { templateId: 't-wa-hello', text: 'Hi Dana, buy now!' },
        }),
        'window_closed',
        'edited template is free text',
      );
      const ok = await bob.send({
        idempotencyKey: newKey(),
        target,
        content: { templateId: 't-wa-hello', text: 'Hi Dana, how can we help?' },
      });
      equal(ok.message.template?.id, 't-wa-hello', 'the unedited text is the template');
      equal(ok.message.text, 'Hi Dana, how can we help?', 'text');
    }));

  it('SN3: inside the care window free text goes out on WhatsApp', () =>
    withBackend(async (b) => {
      await b.receive({ senderId: 'bob-wa', from: PHONE.dana, text: 'Hi' });
      const bob = b.connect('bob');
      const c = (await bob.listConversations()).items[0]!;
      const sent = await bob.send({
        idempotencyKey: newKey(),
        target: { conversationId: c.id },
        content: { text: 'Hello Dana' },
      });
      equal(sent.message.status, 'queued', 'accepted');
    }));

  it('SN4: starting a WhatsApp conversation needs consent on record', () =>
    withBackend(async (b) => {
      await refuses(
        b.connect('bob').send({
          idempotencyKey: newKey(),
          target: { senderId: 'bob-wa', customer: PHONE.eli },
          content: { templateId: 't-wa-hello' },
        }),
        'no_consent',
        'no consent',
      );
    }));

  it('SN5: nothing is sent to an opted-out number; STOP opts out', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: { senderId: 'team-sms', customer: PHONE.fay },
          content: { text: 'Hi' },
        }),
        'opted_out',
        'opted out',
      );
      await b.receive({ senderId: 'alice-sms', from: PHONE.dana, text: 'STOP' });
      equal((await alice.getRecipient(PHONE.dana)).optedOut, ['sms'], 'STOP recorded');
      await refuses(
        alice.send({
          idempotencyKey: newKey(),
          target: { senderId: 'alice-sms', customer: PHONE.dana },
          content: { text: 'Hi' },
        }),
        'opted_out',
        'after STOP',
      );
    }));

  it('SN6: outside business hours a message is accepted as queued for business hours', () =>
    withBackend(async (b) => {
      const sent = await b
        .connect('alice')
        .send({ idempotencyKey: newKey(), target: toEli, content: { text: 'Later' } });
      equal(
        [sent.message.status, sent.message.queueReason],
        ['queued', 'business_hours'],
        'queued',
      );
      check(
        typeof sent.message.queuedUntil === 'number' && sent.message.queuedUntil > Date.now(),
        'until the opening',
      );
    }, closedNowSeed()));

  it('SN7: statuses move forward to delivered; only a failed message can be retried', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const sent = await alice.send({
        idempotencyKey: newKey(),
        target: toEli,
        content: { text: 'Hi' },
      });
      await b.settle();
      await eventually(
        async () =>
          (await alice.listMessages(sent.conversation.id)).items.at(-1)?.status === 'delivered',
        'delivered',
      );
      await refuses(
        alice.retry(sent.message.id, newKey()),
        'not_retryable',
        'retry of a delivered message',
      );
    }));

  it('SN7: the same idempotency key never sends twice', () =>
    withBackend(async (b) => {
      const alice = b.connect('alice');
      const key = newKey();
      const first = await alice.send({
        idempotencyKey: key,
        target: toEli,
        content: { text: 'Once' },
      });
      const again = await alice.send({
        idempotencyKey: key,
        target: toEli,
        content: { text: 'Once' },
      });
      equal(again.message.id, first.message.id, 'same message');
      equal((await alice.listMessages(first.conversation.id)).items.length, 1, 'one message');
    }));

  it("SN7 (security): a key is per user; another user's key never returns their message", () =>
    withBackend(async (b) => {
      const key = newKey('shared');
      const alice = b.connect('alice');
      const mine = await alice.send({
        idempotencyKey: key,
        target: { senderId: 'alice-sms', customer: PHONE.dana },
        content: { text: 'Private' },
      });
      const bob = b.connect('bob');
      await refuses(
        bob.send({
          idempotencyKey: key,
          target: { conversationId: mine.conversation.id },
          content: { text: 'x' },
        }),
        'not_found',
        "bob cannot reach alice's conversation with her key",
      );
      const his = await bob.send({ idempotencyKey: key, target: toEli, content: { text: 'Bob' } });
      check(his.message.id !== mine.message.id, 'bob gets his own message');
      equal(his.message.text, 'Bob', "bob's text");
    }));

  it('SN7 (security): idempotency keys are shown to the sender only', () =>
    withBackend(async (b) => {
      const admin = recordEvents(b.connect('admin'));
      await listening(b.connect('admin'), admin);
      const sent = await b
        .connect('alice')
        .send({ idempotencyKey: newKey(), target: toEli, content: { text: 'Hi' } });
      check(sent.message.idempotencyKey, 'the sender sees its key');
      const page = await b.connect('admin').listMessages(sent.conversation.id);
      equal(page.items[0]?.idempotencyKey, undefined, "not in another user's page");
      await eventually(
        () => admin.events.some((e) => e.type === 'message.created'),
        'the admin hears of it',
      );
      const created = admin.events.find((e) => e.type === 'message.created');
      equal(
        created?.type === 'message.created' && created.message.idempotencyKey,
        undefined,
        "not in another user's event",
      );
      admin.stop();
    }));
}
