/**
 * SN7: "in flight" means the provider still owes a message a status. A delivered SMS is final
 * (`read` exists on WhatsApp only), so it leaves the pending set; a delivered WhatsApp message
 * stays until it is read. Checked over memory and IndexedDB, and over data that version 3 of the
 * IndexedDB layout wrote (it kept every delivered message as pending).
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { SimulatedProvider } from '../../src/embedded/provider.js';
import { waitingOf } from '../../src/server/pg-store-cache.js';
import type { Message } from '../../src/types.js';
import { createDesk, PHONE, settle, type Desk } from '../support/desk.js';

const fresh = () => `in-flight-${Math.random()}`;

/** Sends `text` from `senderId` to `from` as the admin, after the customer wrote first. */
async function reply(desk: Desk, senderId: string, from: string, text: string): Promise<Message> {
  const { conversation } = await desk.backend.simulateIncoming({ senderId, from, text: 'Hi' });
  const { message } = await desk.backend.connect('admin').send({
    idempotencyKey: `k-${senderId}-${text}`,
    target: { conversationId: conversation.id },
    content: { text },
  });
  return message;
}

async function statusOf(backend: EmbeddedBackend, m: Message) {
  const page = await backend.connect('admin').listMessages(m.conversationId);
  return page.items.find((x) => x.id === m.id)?.status;
}

async function pendingIds(name: string): Promise<IDBValidKey[]> {
  const db = await openDB(name);
  const keys = await db.getAllKeys('pending');
  db.close();
  return keys;
}

afterEach(() => vi.restoreAllMocks());

describe('SN7: in flight means the provider still owes a status', () => {
  it('SN7: a delivered SMS is not in flight, a delivered WhatsApp message is (memory)', async () => {
    const desk = await createDesk();
    const sms = await reply(desk, 'alice-sms', PHONE.dana, 'By SMS');
    const wa = await reply(desk, 'bob-wa', PHONE.dana, 'By WhatsApp');
    desk.clock.advance(2_000); // delivered, not yet read
    await settle();
    expect(await statusOf(desk.backend, sms)).toBe('delivered');
    expect(await statusOf(desk.backend, wa)).toBe('delivered');
    const ids = (await desk.backend.engine.inFlight()).map(([m]) => m.id);
    expect(ids).toEqual([wa.id]);
    await desk.backend.close();
  });

  it('SN7: a delivered SMS is not pending after reopen, and the provider is not handed it again', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    const sms = await reply(first, 'alice-sms', PHONE.dana, 'By SMS');
    first.clock.advance(2_000);
    await settle();
    expect(await statusOf(first.backend, sms)).toBe('delivered');
    await first.backend.close();
    expect(await pendingIds(name)).not.toContain(sms.id);

    const dispatch = vi.spyOn(SimulatedProvider.prototype, 'dispatch');
    const second = await createDesk({ databaseName: name });
    expect(dispatch).not.toHaveBeenCalled();
    expect(await second.backend.engine.inFlight()).toEqual([]);
    expect(await statusOf(second.backend, sms)).toBe('delivered');
    await second.backend.close();
  });

  it('SN7: a WhatsApp message delivered when the page closed still reaches read after reopening', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    const wa = await reply(first, 'bob-wa', PHONE.dana, 'By WhatsApp');
    first.clock.advance(2_000); // delivered; read comes at 5 s
    await settle();
    expect(await statusOf(first.backend, wa)).toBe('delivered');
    await first.backend.close();
    expect(await pendingIds(name)).toContain(wa.id);

    const second = await createDesk({ databaseName: name });
    second.clock.advance(10_000);
    await settle();
    expect(await statusOf(second.backend, wa)).toBe('read');
    await second.backend.flush();
    await second.backend.close();
    expect(await pendingIds(name)).not.toContain(wa.id);
  });

  it('SN7: delivered SMS that an older version kept as pending are not handed over again, and leave the store', async () => {
    const name = fresh();
    const first = await createDesk({ databaseName: name });
    const sms = await reply(first, 'alice-sms', PHONE.dana, 'By SMS');
    first.clock.advance(2_000);
    await settle();
    await first.backend.close();
    // What version 3 wrote: every delivered outgoing message in `pending`.
    const db = await openDB(name);
    const delivered = (await db.get('messages', sms.id)) as Message;
    expect(delivered.status).toBe('delivered');
    await db.put('pending', delivered, sms.id);
    db.close();
    expect(await pendingIds(name)).toContain(sms.id);

    const dispatch = vi.spyOn(SimulatedProvider.prototype, 'dispatch');
    const second = await createDesk({ databaseName: name });
    expect(dispatch).not.toHaveBeenCalled();
    await second.backend.flush();
    expect(await pendingIds(name)).not.toContain(sms.id);
    expect(await statusOf(second.backend, sms)).toBe('delivered');
    await second.backend.close();
  });

  it('SN7: the server files a delivered SMS on no waiting list, a delivered WhatsApp message as in flight', () => {
    const m: Message = {
      id: 'm1',
      conversationId: 'c1',
      direction: 'out',
      text: 'Hi',
      media: [],
      sentBy: 'alice',
      status: 'delivered',
      statusTimes: { delivered: 1 },
      attempt: 1,
      createdAt: 1,
    };
    expect(waitingOf(m, 'sms')).toBeNull();
    expect(waitingOf(m, 'whatsapp')).toBe('in_flight');
    // Its conversation unknown: it may still move.
    expect(waitingOf(m, undefined)).toBe('in_flight');
    expect(waitingOf({ ...m, status: 'sent' }, 'sms')).toBe('in_flight');
    expect(waitingOf({ ...m, status: 'read' }, 'whatsapp')).toBeNull();
    expect(waitingOf({ ...m, status: 'queued', queueReason: 'business_hours' }, 'sms')).toBe(
      'queued',
    );
  });
});
