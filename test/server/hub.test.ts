/**
 * The hub (PGlite): events this instance committed reach its streams without a read of the log
 * when nothing can be missing before them; after a gap (another instance's events) the log is
 * read; either way each event reaches a stream exactly once, in id order.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/server/db.js';
import { appendEvents, type LoggedEvent } from '../../src/server/event-log.js';
import { EventHub, windowAfter } from '../../src/server/hub.js';
import { openPglite } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let database: Database | undefined;
let hub: EventHub | undefined;
afterEach(async () => {
  await hub?.stop();
  await database?.close();
  hub = database = undefined;
});

/** The database, counting the hub's reads of the log. */
async function open() {
  const real = await openPglite();
  database = real;
  const reads = { count: 0 };
  const db = new Proxy(real.db, {
    get(target, key) {
      if (key === 'selectFrom') reads.count++;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  hub = new EventHub({ ...real, db }, { pollMs: 60_000 });
  await hub.start();
  const received: number[] = [];
  hub.subscribe('ada', (batch) => received.push(...batch.events.map((e) => e.id)));
  return { real, hub, reads, received };
}

const append = (database: Database, n: number): Promise<LoggedEvent[]> =>
  database.db.transaction().execute((tx) =>
    appendEvents(
      tx,
      Array.from({ length: n }, (_, i) => ({
        event: { type: 'contact.saved', contact: { phone: `+1415555${1000 + i}` } } as never,
        audience: null,
      })),
      Date.now(),
    ),
  );

const settle = async (hub: EventHub, received: number[], count: number) => {
  for (let i = 0; i < 200 && received.length < count; i++) {
    await hub.pull();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('event hub', () => {
  it('hands out events committed here without reading the log when they follow its cursor', async () => {
    const { real, hub, reads, received } = await open();
    await settle(hub, received, 0); // the first read after start
    const before = reads.count;
    const logged = await append(real, 3);
    hub.offer(logged);
    await settle(hub, received, 3);
    await new Promise((resolve) => setTimeout(resolve, 50)); // its own NOTIFY: no read either
    expect(received).toEqual(logged.map((e) => e.id));
    expect(reads.count).toBe(before);
  });

  it('after a gap (another instance wrote first), reads the log: every event once, in order', async () => {
    const { real, hub, received } = await open();
    await settle(hub, received, 0);
    const elsewhere = await append(real, 2); // not offered: another instance's commit
    const here = await append(real, 2);
    hub.offer(here);
    hub.offer(here); // an offer repeated changes nothing
    await settle(hub, received, 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([...elsewhere, ...here].map((e) => e.id));
  });
});

describe('fan-out aligned with commits', () => {
  it('holds a commit made early in the window until the next commit, then hands out both in one batch', async () => {
    const real = await openPglite();
    database = real;
    hub = new EventHub(real, { pollMs: 60_000, coalesceMs: 1000 }); // a window of 1 s
    await hub.start();
    const batches: number[][] = [];
    hub.subscribe('ada', (batch) => batches.push(batch.events.map((e) => e.id)));
    const first = await append(real, 1);
    hub.offer(first); // after a quiet spell: at once
    await Promise.resolve();
    const fannedOut = performance.now();
    expect(batches).toEqual([first.map((e) => e.id)]);

    const early = await append(real, 1);
    hub.offer(early); // early in the window: held
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batches).toHaveLength(1);
    // Three quarters of the window after the fan-out, a commit goes out at once, with the held one.
    await new Promise((resolve) => setTimeout(resolve, fannedOut + 760 - performance.now()));
    const late = await append(real, 1);
    const offered = performance.now();
    hub.offer(late);
    for (let i = 0; i < 100 && batches.length < 2; i++) await new Promise((r) => setTimeout(r, 1));
    expect(batches[1]).toEqual([...early, ...late].map((e) => e.id));
    // Not the timer (a whole window after the held commit): the commit that came.
    expect(performance.now() - offered).toBeLessThan(200);
  });

  it('a held commit with none after it goes out a window after it was made', async () => {
    const real = await openPglite();
    database = real;
    hub = new EventHub(real, { pollMs: 60_000, coalesceMs: 300 });
    await hub.start();
    const batches: number[][] = [];
    hub.subscribe('ada', (batch) => batches.push(batch.events.map((e) => e.id)));
    hub.offer(await append(real, 1));
    await Promise.resolve();
    expect(batches).toHaveLength(1);
    const held = await append(real, 1);
    const offered = performance.now();
    hub.offer(held);
    for (let i = 0; i < 300 && batches.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(batches[1]).toEqual(held.map((e) => e.id));
    expect(performance.now() - offered).toBeGreaterThanOrEqual(295); // timers never fire early
  });
});

describe('fan-out window', () => {
  it('stays at coalesceMs at low rates and grows to at most twice that at high rates', () => {
    expect(windowAfter(10, 1)).toBe(10);
    expect(windowAfter(10, 10)).toBe(10); // 1 000 events/s with 10 ms
    expect(windowAfter(10, 15)).toBe(15);
    expect(windowAfter(10, 500)).toBe(20);
    expect(windowAfter(0, 500)).toBe(0); // no coalescing asked: none
  });
});
