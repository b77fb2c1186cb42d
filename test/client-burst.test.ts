/**
 * Issue 11: several events delivered in one task reach the subscribers as one notification with
 * all of them applied (the client's `scheduleFlush`); events in separate tasks, one each.
 */
import { expect, it } from 'vitest';
import type { EventListener, ServerEvent } from '../src/adapter.js';
import { createDeskClient, type DeskClient } from '../src/index.js';
import { createDesk, PHONE, settle } from './support/desk.js';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Alice's client over the embedded backend, with her events held until `deliver` hands them on. */
async function heldDesk() {
  const desk = await createDesk();
  const real = desk.backend.connect('alice');
  const held: ServerEvent[] = [];
  let listener: EventListener = () => undefined;
  const client = createDeskClient({
    adapter: {
      ...real,
      subscribe(l) {
        listener = l;
        return real.subscribe((event) => held.push(event));
      },
    },
    clock: desk.clock,
  });
  await client.connect();
  await settle(client);
  let notifications = 0;
  client.subscribe(() => notifications++);
  /** N customers write to alice; their events wait in `held`. */
  const customers = Object.values(PHONE).slice(0, 3);
  const write = async () => {
    for (const from of customers) {
      await desk.backend.simulateIncoming({ senderId: 'alice-sms', from, text: `Hi ${from}` });
      desk.clock.advance(1000);
    }
    await settle();
  };
  return {
    client,
    held,
    write,
    customers,
    deliver: (events: ServerEvent[]) => events.forEach((event) => listener(event)),
    notifications: () => notifications,
  };
}

const inbox = (client: DeskClient) =>
  client.view({ kind: 'mine' }).rows.map((row) => row.conversation.customer);

it('issue 11: events delivered in one task make one notification with all of them applied', async () => {
  const desk = await heldDesk();
  await desk.write();
  const events = desk.held.splice(0);
  expect(events.filter((e) => e.type === 'message.created')).toHaveLength(3);
  expect(inbox(desk.client)).toEqual([]);

  desk.deliver(events); // one task
  expect(desk.notifications()).toBe(0); // applied at the end of the task, not per event
  await nextTask();
  expect(desk.notifications()).toBe(1);
  expect(inbox(desk.client)).toEqual([...desk.customers].reverse()); // V5: newest first
  expect(desk.client.getState().unseenNotifications).toBe(3); // RT5, N1: each one counted
});

it('issue 11: events delivered in separate tasks make one notification each', async () => {
  const desk = await heldDesk();
  await desk.write();
  const events = desk.held.splice(0);
  const created = events.filter((e) => e.type === 'message.created');
  for (const [i, event] of created.entries()) {
    desk.deliver([event]);
    await nextTask();
    expect(desk.notifications()).toBe(i + 1);
    expect(inbox(desk.client)).toHaveLength(i + 1);
  }
});
