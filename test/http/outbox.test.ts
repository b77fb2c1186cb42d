/**
 * The offline outbox, against the reference server in process (fake-indexeddb for IndexedDB): a
 * send is written down first, shows as queued/offline, and is delivered exactly once, even after
 * a reload, because the server dedupes on the idempotency key.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../examples/server/server.js';
import { createDeskClient, isDeskError, type DeskClient, type Message } from '../../src/index.js';
import type { HttpAdapter } from '../../src/http/index.js';
import { PHONE } from '../support/seed.js';
import { adapterFor, dbName, switchableFetch, testServer, until } from './support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(): Promise<RunningServer> {
  const running = await testServer();
  cleanup.push(() => running.close());
  return running;
}

/** A "page": an adapter on the given databases and a connected client for alice. */
async function page(
  url: string,
  databases: { outbox: string; cache: string },
  fetch: typeof globalThis.fetch,
  keys = { n: 0, prefix: 'key' },
): Promise<{ adapter: HttpAdapter; client: DeskClient }> {
  const adapter = adapterFor(url, 'alice', {
    fetch,
    outbox: { databaseName: databases.outbox },
    cache: { databaseName: databases.cache },
  });
  const client = createDeskClient({ adapter, createKey: () => `${keys.prefix}-${++keys.n}` });
  cleanup.push(async () => {
    client.disconnect();
    await adapter.close();
  });
  await client.connect();
  return { adapter, client };
}

const thread = (client: DeskClient, conversationId: string): readonly Message[] =>
  client.getState().threads.get(conversationId)?.items ?? [];

async function serverCopies(srv: RunningServer, conversationId: string, key: string) {
  const page = await srv.backend.connect('alice').listMessages(conversationId, { limit: 1000 });
  return page.items.filter((m) => m.idempotencyKey === key);
}

describe('offline outbox', () => {
  it('SN6: a send is written to IndexedDB before any network call', async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const ref: { adapter?: HttpAdapter } = {};
    const seenAtRequest: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST' && request.url.endsWith('/messages')) {
        const key = request.headers.get('idempotency-key')!;
        const stored = await ref.adapter!.outboxEntries();
        seenAtRequest.push(
          ...stored.filter((e) => e.key === key).map((e) => `${e.key}:${e.state}`),
        );
      }
      return globalThis.fetch(request);
    };
    const { adapter, client } = await page(
      srv.url,
      { outbox: dbName('o'), cache: dbName('c') },
      fetch,
    );
    ref.adapter = adapter;
    await client.open(conversation.id);
    const sent = await client.send(conversation.id, { text: 'Hello' });
    expect(seenAtRequest).toEqual(['key-1:waiting']);
    expect(sent.id).not.toMatch(/^local:/);
    // Accepted: the entry is gone.
    expect(await adapter.outboxEntries()).toEqual([]);
  });

  it('SN6: offline, the message shows queued with the reason "offline", distinct from "business_hours"; after a reload it is delivered exactly once', async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const net = switchableFetch();
    const databases = { outbox: dbName('o'), cache: dbName('c') };
    const first = await page(srv.url, databases, net.fetch);
    await first.client.open(conversation.id);

    net.offline = true;
    const queued = await first.client.send(conversation.id, { text: 'Sent while offline' });
    expect(queued).toMatchObject({
      id: 'local:key-1',
      status: 'queued',
      queueReason: 'offline',
      idempotencyKey: 'key-1',
      text: 'Sent while offline',
    });
    expect(thread(first.client, conversation.id).at(-1)).toMatchObject({
      id: 'local:key-1',
      queueReason: 'offline',
    });
    expect(await first.adapter.outboxEntries()).toMatchObject([{ key: 'key-1', state: 'waiting' }]);

    // Reload while still offline: the thread paints from the cache and the outbox.
    first.client.disconnect();
    await first.adapter.close();
    const second = await page(srv.url, databases, net.fetch, { n: 100, prefix: 'key' });
    expect(second.client.getState().status).toBe('ready');
    await second.client.open(conversation.id);
    expect(
      thread(second.client, conversation.id).map((m) => [m.text, m.status, m.queueReason]),
    ).toEqual([
      ['Hi', 'delivered', undefined],
      ['Sent while offline', 'queued', 'offline'],
    ]);
    expect(await serverCopies(srv, conversation.id, 'key-1')).toEqual([]);

    // The network returns: the stream reopens, the outbox flushes.
    net.offline = false;
    await until(
      () =>
        thread(second.client, conversation.id).some(
          (m) => m.idempotencyKey === 'key-1' && !m.id.startsWith('local:'),
        ),
      'the server copy replaced the local one',
    );
    await until(
      () => thread(second.client, conversation.id).at(-1)?.status === 'delivered',
      'the message was delivered',
    );
    const texts = thread(second.client, conversation.id).map((m) => m.text);
    expect(texts).toEqual(['Hi', 'Sent while offline']);
    expect(await serverCopies(srv, conversation.id, 'key-1')).toHaveLength(1);
    expect(await second.adapter.outboxEntries()).toEqual([]);

    // Business hours are the server's reason, and stay distinct (SN6).
    const today = new Date().getUTCDay();
    const other = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[(today + 3) % 7]!;
    srv.backend.setBusinessHours({ timeZone: 'UTC', weekly: { [other]: [['00:00', '00:01']] } });
    const later = await second.client.send(conversation.id, { text: 'After hours' });
    expect(later).toMatchObject({ status: 'queued', queueReason: 'business_hours' });
    expect(later.id).not.toMatch(/^local:/);
  });

  it("U2: another user's waiting message is neither shown nor sent by this user's adapter", async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'team-sms',
      from: PHONE.unknown,
      text: 'Hi',
    });
    await srv.backend.connect('admin').assign([conversation.id], 'alice');
    const net = switchableFetch();
    const databases = { outbox: dbName('o'), cache: dbName('c') };
    const alice = await page(srv.url, databases, net.fetch);
    await alice.client.open(conversation.id);
    net.offline = true;
    await alice.client.send(conversation.id, { text: 'From alice' });
    alice.client.disconnect();
    await alice.adapter.close();

    // Bob signs in on the same browser, online.
    net.offline = false;
    const bobAdapter = adapterFor(srv.url, 'bob', {
      fetch: net.fetch,
      outbox: { databaseName: databases.outbox },
      cache: { databaseName: databases.cache },
    });
    const bob = createDeskClient({ adapter: bobAdapter });
    cleanup.push(async () => {
      bob.disconnect();
      await bobAdapter.close();
    });
    await bob.connect();
    await bobAdapter.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.stats().sendAttempts['key-1']).toBeUndefined();
    expect(await bobAdapter.outboxEntries()).toMatchObject([{ key: 'key-1', userId: 'alice' }]);

    // Alice comes back: her message goes.
    bob.disconnect();
    await bobAdapter.close();
    const again = await page(srv.url, databases, net.fetch, { n: 10, prefix: 'key' });
    await until(async () => (await again.adapter.outboxEntries()).length === 0, 'delivered');
    expect(srv.stats().sendAttempts['key-1']).toBe(1);
    expect(await serverCopies(srv, conversation.id, 'key-1')).toHaveLength(1);
  });

  it('a response lost after the server acted: the retry with the same key is answered from the first send', async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    let lose = 1;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await globalThis.fetch(request);
      if (request.method === 'POST' && request.url.endsWith('/messages') && lose-- > 0) {
        throw new TypeError('network error after the server answered');
      }
      return response;
    };
    const { adapter, client } = await page(
      srv.url,
      { outbox: dbName('o'), cache: dbName('c') },
      fetch,
    );
    await client.open(conversation.id);
    const sent = await client.send(conversation.id, { text: 'Once' });
    expect(sent.id).not.toMatch(/^local:/);
    expect(srv.stats().sendAttempts['key-1']).toBe(2);
    expect(await serverCopies(srv, conversation.id, 'key-1')).toHaveLength(1);
    expect(await adapter.outboxEntries()).toEqual([]);
    await until(() => thread(client, conversation.id).length === 2, 'one copy in the thread');
    expect(thread(client, conversation.id).filter((m) => m.text === 'Once')).toHaveLength(1);
  });

  it('every response lost: queued locally, then delivered once by the flush (a replay on the server)', async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    let lose = 3; // the first attempt and its two retries
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await globalThis.fetch(request);
      if (request.method === 'POST' && request.url.endsWith('/messages') && lose-- > 0) {
        throw new TypeError('connection reset');
      }
      return response;
    };
    const { adapter, client } = await page(
      srv.url,
      { outbox: dbName('o'), cache: dbName('c') },
      fetch,
    );
    await client.open(conversation.id);
    const sent = await client.send(conversation.id, { text: 'Twice?' });
    expect(sent).toMatchObject({ id: 'local:key-1', status: 'queued', queueReason: 'offline' });
    await until(async () => (await adapter.outboxEntries()).length === 0, 'the flush delivered it');
    await until(
      () => !thread(client, conversation.id).some((m) => m.id.startsWith('local:')),
      'the local copy was replaced',
    );
    expect(srv.stats().sendAttempts['key-1']).toBe(4);
    expect(await serverCopies(srv, conversation.id, 'key-1')).toHaveLength(1);
    expect(thread(client, conversation.id).filter((m) => m.text === 'Twice?')).toHaveLength(1);
  });

  it('SN5: a refusal rejects at once and leaves nothing in the outbox', async () => {
    const srv = await server();
    const { adapter } = await page(srv.url, { outbox: dbName('o'), cache: dbName('c') }, fetch);
    const error = await adapter
      .send({
        idempotencyKey: 'refused-1',
        target: { senderId: 'alice-sms', customer: PHONE.fay },
        content: { text: 'Sale!' },
      })
      .catch((e: unknown) => e);
    expect(isDeskError(error, 'opted_out')).toBe(true);
    expect(await adapter.outboxEntries()).toEqual([]);
  });

  it('SN1: a new conversation is queued too: with every answer lost, its key survives the retries, a second press and a reload; one message on the server', async () => {
    const srv = await server();
    let lose = true;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      if (lose && path === '/events') throw new TypeError('no events either');
      const response = await globalThis.fetch(request);
      if (lose && request.method === 'POST' && path === '/messages') {
        await response.body?.cancel(); // the server acted; the answer is lost
        throw new TypeError('connection reset after the server answered');
      }
      return response;
    };
    const databases = { outbox: dbName('o'), cache: dbName('c') };
    const first = await page(srv.url, databases, fetch, { n: 0, prefix: 'new' });
    const input = {
      phone: PHONE.unknown,
      senderId: 'alice-sms',
      content: { text: 'Hello stranger' },
    };
    const error = await first.client.startConversation(input).catch((e: unknown) => e);
    expect(isDeskError(error, 'network')).toBe(true);
    expect((error as { details: Record<string, unknown> }).details.queued).toBe(true);
    await until(() => first.client.getState().outbox.waiting === 1, 'the client counts it');
    // The user presses Send again: the same message, under the same key.
    await first.client.startConversation(input).catch(() => undefined);
    expect((await first.adapter.outboxEntries()).map((e) => e.key)).toEqual(['new-1']);

    // Reload; the answers come back.
    first.client.disconnect();
    await first.adapter.close();
    lose = false;
    const second = await page(srv.url, databases, fetch, { n: 0, prefix: 'other' });
    await until(async () => (await second.adapter.outboxEntries()).length === 0, 'delivered');
    expect(srv.stats().sendAttempts['new-1']).toBeGreaterThan(2);
    const api = srv.backend.connect('alice');
    const conversation = (await api.listConversations()).items.find(
      (c) => c.customer === PHONE.unknown,
    )!;
    const onServer = (await api.listMessages(conversation.id)).items;
    expect(onServer.filter((m) => m.direction === 'out').map((m) => m.idempotencyKey)).toEqual([
      'new-1',
    ]);
    await until(
      () => second.client.getState().conversations.has(conversation.id),
      'the new conversation shows',
    );
  });

  it('SN5, SN7: refused on a later flush, the local copy turns failed with the reason; a retry sends it under its key', async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.eli,
      text: 'Hi',
    });
    const net = switchableFetch();
    const { adapter, client } = await page(
      srv.url,
      { outbox: dbName('o'), cache: dbName('c') },
      net.fetch,
    );
    await client.open(conversation.id);
    net.offline = true;
    await client.send(conversation.id, { text: 'Queued' });
    // Meanwhile the customer opts out (SN5).
    await srv.backend.setOptOut(PHONE.eli, 'sms', true);
    net.offline = false;
    await until(
      () => thread(client, conversation.id).at(-1)?.status === 'failed',
      'the local copy failed',
    );
    const failed = thread(client, conversation.id).at(-1)!;
    expect(failed).toMatchObject({ id: 'local:key-1', status: 'failed' });
    expect(failed.failureReason).toMatch(/opted out/i);
    expect(await adapter.outboxEntries()).toMatchObject([{ key: 'key-1', state: 'failed' }]);
    expect(srv.stats().sendAttempts['key-1']).toBe(1);

    // The customer opts back in; the user retries.
    await srv.backend.setOptOut(PHONE.eli, 'sms', false);
    const retried = await client.retry('local:key-1');
    expect(retried.id).not.toMatch(/^local:/);
    expect(retried.idempotencyKey).toBe('key-1');
    await until(
      () => !thread(client, conversation.id).some((m) => m.id.startsWith('local:')),
      'the failed local copy was replaced',
    );
    expect(thread(client, conversation.id).filter((m) => m.text === 'Queued')).toHaveLength(1);
    expect(await serverCopies(srv, conversation.id, 'key-1')).toHaveLength(1);
    expect(await adapter.outboxEntries()).toEqual([]);
  });

  it('without an outbox, an offline send fails with network and the client keeps it for a retry', async () => {
    const srv = await server();
    const { conversation } = await srv.backend.simulateIncoming({
      senderId: 'alice-sms',
      from: PHONE.dana,
      text: 'Hi',
    });
    const net = switchableFetch();
    const adapter = adapterFor(srv.url, 'alice', { fetch: net.fetch });
    const client = createDeskClient({ adapter, createKey: () => 'plain-1' });
    cleanup.push(() => adapter.close());
    await client.connect();
    await client.open(conversation.id);
    await client.recipient(PHONE.dana); // without the offline layers, policies need the network
    net.offline = true;
    const error = await client
      .send(conversation.id, { text: 'No outbox' })
      .catch((e: unknown) => e);
    expect(isDeskError(error, 'network')).toBe(true);
    expect(thread(client, conversation.id).at(-1)).toMatchObject({
      status: 'failed',
      failureReason: 'network',
    });
  });
});
