/**
 * The inbox cache: a reload paints from IndexedDB first, then reconciles with the server; the
 * event stream resumes from the stored event id, or, when the server cannot, resets and catches up.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../../examples/server/server.js';
import { createDeskClient, type DeskClient } from '../../src/index.js';
import type { HttpAdapter } from '../../src/http/index.js';
import { PHONE } from '../support/seed.js';
import { adapterFor, dbName, testServer, until } from './support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options: ServerOptions = {}) {
  const running = await testServer(options);
  cleanup.push(() => running.close());
  return running;
}

/** Holds every request until `open()`: a network that has not answered yet. */
function gatedFetch() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  return {
    get held() {
      return held;
    },
    open: () => release(),
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      held++;
      await gate;
      return globalThis.fetch(input, init);
    }) as typeof fetch,
  };
}

async function page(
  url: string,
  userId: string,
  cache: string,
  fetch?: typeof globalThis.fetch,
  before?: (client: DeskClient) => void,
): Promise<{ adapter: HttpAdapter; client: DeskClient }> {
  const adapter = adapterFor(url, userId, {
    ...(fetch && { fetch }),
    cache: { databaseName: cache, userId },
    outbox: { databaseName: `${cache}-outbox` },
  });
  const client = createDeskClient({ adapter });
  before?.(client);
  cleanup.push(async () => {
    client.disconnect();
    await adapter.close();
  });
  await client.connect();
  return { adapter, client };
}

async function reloadAway(p: { adapter: HttpAdapter; client: DeskClient }) {
  await p.adapter.settled();
  p.client.disconnect();
  await p.adapter.close();
}

const previews = (client: DeskClient) =>
  client.view({ kind: 'mine' }).rows.map((r) => `${r.title}: ${r.conversation.lastMessage?.text}`);

describe('inbox cache', () => {
  it('V1, V5: a reload paints the inbox from the cache before the server answers, then reconciles', async () => {
    const srv = await server();
    await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    const cache = dbName('cache');
    const first = await page(srv.url, 'alice', cache);
    expect(previews(first.client)).toEqual(['Dana Díaz: Hi']);
    await reloadAway(first);

    // While the page is closed: a new customer, and a reply in the known conversation.
    await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text: 'Hello?' });
    await new Promise((r) => setTimeout(r, 5)); // V5: a later activity time
    await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Still there?',
    });

    const net = gatedFetch();
    const second = await page(srv.url, 'alice', cache, net.fetch);
    // Painted from the cache, with no answer from the network at all.
    expect(second.client.getState().status).toBe('ready');
    expect(previews(second.client)).toEqual(['Dana Díaz: Hi']);
    expect(net.held).toBeGreaterThan(0);

    net.open();
    await until(() => previews(second.client).length === 2, 'the inbox reconciled');
    await until(() => previews(second.client)[0] === 'Dana Díaz: Still there?', 'newest first');
    expect(previews(second.client)).toEqual(['Dana Díaz: Still there?', 'Eli: Hello?']);
  });

  it('the stream resumes from the event id stored before the reload: nothing missed', async () => {
    const srv = await server();
    await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    const cache = dbName('cache');
    const first = await page(srv.url, 'alice', cache);
    await until(() => first.adapter.status.lastEventId !== '', 'the stream gave its position');
    await reloadAway(first);
    await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'While away',
    });

    const incoming: string[] = [];
    await page(srv.url, 'alice', cache, undefined, (client) =>
      client.on('message.incoming', (e) => incoming.push(e.message.text)),
    );
    await until(() => srv.stats().resumed >= 1, 'the server replayed from Last-Event-ID');
    await until(() => incoming.includes('While away'), 'the missed message arrived as an event');
    expect(srv.stats().resets).toBe(0);
  });

  it('A2, reset: when the server cannot resume, the adapter reloads; a conversation assigned away disappears', async () => {
    const srv = await server({ ringSize: 2 });
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const cache = dbName('cache');
    const first = await page(srv.url, 'alice', cache);
    expect(previews(first.client)).toEqual(['Dana Díaz: Hi']);
    await until(() => first.adapter.status.lastEventId !== '', 'the stream gave its position');
    await reloadAway(first);

    // While alice is away, the admin assigns her conversation to bob, and more events pass than
    // the server keeps for her (ring of 2).
    await srv.backend.connect('admin').assign([conversation.id], 'bob');
    for (const text of ['one', 'two', 'three']) {
      await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.eli, text });
    }

    const second = await page(srv.url, 'alice', cache);
    await until(() => srv.stats().resets >= 1, 'the server answered reset');
    await until(
      () => !second.client.getState().conversations.has(conversation.id),
      'the assigned-away conversation left the inbox',
    );
    await until(() => previews(second.client).length === 1, 'the inbox reconciled');
    expect(previews(second.client)).toEqual(['Eli: three']);
    const cached = await second.adapter.settled().then(() => second.client.view({ kind: 'mine' }));
    expect(cached.rows).toHaveLength(1);
  });

  it('a reset catches up an open thread: messages missed are emitted, once', async () => {
    const srv = await server({ ringSize: 1 });
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const incoming: string[] = [];
    const { adapter, client } = await page(srv.url, 'alice', dbName('cache'), undefined, (c) =>
      c.on('message.incoming', (e) => incoming.push(e.message.text)),
    );
    await client.open(conversation.id);
    await until(() => adapter.status.connections === 1, 'the stream opened');
    srv.dropStreams(100);
    for (const text of ['a', 'b', 'c']) {
      await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text });
    }
    await until(() => srv.stats().resets >= 1, 'reset');
    const texts = () =>
      client
        .getState()
        .threads.get(conversation.id)!
        .items.map((m) => m.text);
    await until(() => texts().length === 4, 'the thread caught up');
    expect(texts()).toEqual(['Hi', 'a', 'b', 'c']);
    await adapter.settled();
    expect(incoming).toEqual(['a', 'b', 'c']);
  });

  it('a cache of another user is wiped, never shown', async () => {
    const srv = await server();
    await srv.backend.simulateIncoming({ senderId: 'alice-sms', from: PHONE.dana, text: 'Hi' });
    const cache = dbName('shared-browser');
    await reloadAway(await page(srv.url, 'alice', cache));
    const bob = await page(srv.url, 'bob', cache);
    expect(bob.client.getState().me?.id).toBe('bob');
    expect(previews(bob.client)).toEqual([]);
    expect(bob.client.getState().conversations.size).toBe(0);
  });
});
