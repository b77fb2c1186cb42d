/**
 * End to end: the desk client in Chromium against the reference server, over the HTTP adapter,
 * with real IndexedDB: inbox, sending with status ticks, a dropped event stream that resumes, and
 * an offline send that survives a reload and is delivered exactly once.
 */
import { expect } from '@open-wc/testing';
import { createDeskClient, isFinal, type DeskClient, type Message } from '../../src/index.js';
import { createHttpAdapter, type HttpAdapter } from '../../src/http/index.js';
import {
  dropStreams,
  freshNumber,
  serverUrl,
  simulateIncoming,
  stats,
  unique,
  until,
} from './support.js';

interface Page {
  adapter: HttpAdapter;
  client: DeskClient;
}

const pages: Page[] = [];
const network = { online: true };
const fetchThrough: typeof fetch = (input, init) =>
  network.online ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch'));

/** A page load of the desk for sam, on the given IndexedDB databases. */
async function load(databases: { cache: string; outbox: string }): Promise<Page> {
  const adapter = createHttpAdapter({
    baseUrl: await serverUrl(),
    token: () => 'sam',
    fetch: fetchThrough,
    tabs: { scope: databases.cache },
    cache: { databaseName: databases.cache },
    outbox: { databaseName: databases.outbox },
    retry: { limit: 1, baseDelayMs: 10 },
    flush: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  const client = createDeskClient({ adapter });
  const page = { adapter, client };
  pages.push(page);
  await client.connect();
  return page;
}

async function unload(page: Page): Promise<void> {
  await page.adapter.settled();
  page.client.disconnect();
  await page.adapter.close();
  pages.splice(pages.indexOf(page), 1);
}

const thread = (client: DeskClient, id: string): readonly Message[] =>
  client.getState().threads.get(id)?.items ?? [];

describe('the desk against the reference server', () => {
  afterEach(async () => {
    network.online = true;
    for (const page of [...pages]) await unload(page);
  });

  it('V1, SN7, N1: an incoming message shows in My Inbox; a reply goes queued → sent → delivered; a dropped stream resumes', async () => {
    const { client } = await load({ cache: unique('cache'), outbox: unique('outbox') });
    const notifications: string[] = [];
    client.on('notification', (n) => notifications.push(n.conversationId));
    const customer = freshNumber();

    const { conversation } = await simulateIncoming('sam-sms', customer, 'Do you ship to Canada?');
    await until(
      () => client.view({ kind: 'mine' }).rows.some((r) => r.conversation.id === conversation.id),
      'the conversation is in My Inbox',
    );
    const row = client
      .view({ kind: 'mine' })
      .rows.find((r) => r.conversation.id === conversation.id)!;
    expect(row.conversation.lastMessage?.text).to.equal('Do you ship to Canada?');
    expect(row.conversation.unread).to.equal(true);
    expect(notifications).to.include(conversation.id);

    await client.open(conversation.id);
    const sent = await client.send(conversation.id, { text: 'Yes, we do!' });
    expect(sent.status).to.equal('queued');
    await until(
      () => thread(client, conversation.id).find((m) => m.id === sent.id)?.status === 'delivered',
      'the reply was delivered',
    );

    // The stream drops; the customer writes meanwhile; the stream resumes where it left off.
    const resumed = (await stats()).resumed;
    await dropStreams(800);
    await simulateIncoming('sam-sms', customer, 'Great, thanks');
    await until(
      () => thread(client, conversation.id).some((m) => m.text === 'Great, thanks'),
      'the message sent during the drop arrived',
      10_000,
    );
    expect((await stats()).resumed).to.be.greaterThan(resumed);
    expect(thread(client, conversation.id).map((m) => m.text)).to.deep.equal([
      'Do you ship to Canada?',
      'Yes, we do!',
      'Great, thanks',
    ]);
  });

  it('SN6: offline, a reply is queued ("offline"), survives a reload, and is delivered exactly once', async () => {
    const databases = { cache: unique('cache'), outbox: unique('outbox') };
    const first = await load(databases);
    const customer = freshNumber();
    const { conversation } = await simulateIncoming('sam-sms', customer, 'Is my order ready?');
    await until(() => first.client.getState().conversations.has(conversation.id), 'listed');
    await first.client.open(conversation.id);

    network.online = false;
    const queued = await first.client.send(conversation.id, { text: 'Checking now' });
    expect(queued.status).to.equal('queued');
    expect(queued.queueReason).to.equal('offline');
    expect(queued.id.startsWith('local:')).to.equal(true);

    // Reload, still offline: the desk paints from IndexedDB.
    await unload(first);
    const second = await load(databases);
    expect(second.client.view({ kind: 'mine' }).rows.map((r) => r.conversation.id)).to.include(
      conversation.id,
    );
    await second.client.open(conversation.id);
    expect(
      thread(second.client, conversation.id).map((m) => [m.text, m.queueReason]),
    ).to.deep.equal([
      ['Is my order ready?', undefined],
      ['Checking now', 'offline'],
    ]);

    // Back online.
    network.online = true;
    window.dispatchEvent(new Event('online'));
    await until(
      () =>
        thread(second.client, conversation.id).some(
          (m) => m.text === 'Checking now' && !m.id.startsWith('local:') && isFinal(m, 'sms'),
        ),
      'the queued reply was delivered',
      10_000,
    );
    const onServer = await (
      await fetch(`${await serverUrl()}/conversations/${conversation.id}/messages`, {
        headers: { Authorization: 'Bearer sam' },
      })
    ).json();
    expect(onServer.items.filter((m: Message) => m.text === 'Checking now')).to.have.length(1);
    expect(
      thread(second.client, conversation.id).filter((m) => m.text === 'Checking now'),
    ).to.have.length(1);
    expect((await stats()).sendAttempts[queued.idempotencyKey!]).to.equal(1);
    expect(await second.adapter.outboxEntries()).to.deep.equal([]);
  });
});
