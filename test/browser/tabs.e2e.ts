/**
 * Tabs, in Chromium with two pages (same-origin iframes, each its own document): one holds the
 * event stream (Web Locks), the other gets the events over BroadcastChannel, takes over when the
 * first goes away, and the outbox is never flushed twice.
 */
import { expect } from '@open-wc/testing';
import type { ServerEvent } from '../../src/adapter.js';
import type { HttpAdapter } from '../../src/http/index.js';
import { freshNumber, serverUrl, simulateIncoming, stats, unique, until } from './support.js';

/** What a page exposes to the test. */
interface Tab {
  adapter: HttpAdapter;
  events: ServerEvent[];
  /** The page's network: false makes every request fail like a browser offline. */
  online: boolean;
}

const frames: HTMLIFrameElement[] = [];

/** Opens a page that creates an adapter for `userId` and subscribes, like a desk would. */
async function openTab(userId: string, scope: string, outbox: string): Promise<Tab> {
  const module = new URL('../../src/http/index.ts', import.meta.url).href;
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><script type="module">
    import { createHttpAdapter } from ${JSON.stringify(module)};
    const tab = { events: [], online: true };
    const fetchThrough = (input, init) =>
      tab.online ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch'));
    tab.adapter = createHttpAdapter({
      baseUrl: ${JSON.stringify(await serverUrl())},
      token: () => ${JSON.stringify(userId)},
      fetch: fetchThrough,
      tabs: { scope: ${JSON.stringify(scope)} },
      cache: false,
      outbox: { databaseName: ${JSON.stringify(outbox)} },
      retry: { limit: 1, baseDelayMs: 10 },
      flush: { baseDelayMs: 50, maxDelayMs: 200 },
    });
    tab.adapter.subscribe((event) => tab.events.push(event));
    window.tab = tab;
  </script>`;
  document.body.append(frame);
  frames.push(frame);
  const win = () => frame.contentWindow as (Window & { tab?: Tab }) | null;
  await until(() => Boolean(win()?.tab), 'the page started');
  return win()!.tab!;
}

function closeTab(tab: Tab): void {
  const frame = frames.find((f) => (f.contentWindow as { tab?: Tab } | null)?.tab === tab)!;
  frame.remove(); // the document goes away: its Web Locks are released
}

const texts = (tab: Tab) =>
  tab.events.flatMap((e) => (e.type === 'message.created' ? [e.message.text] : []));

describe('tabs', () => {
  afterEach(async () => {
    for (const frame of frames.splice(0)) {
      await (frame.contentWindow as { tab?: Tab } | null)?.tab?.adapter.close();
      frame.remove();
    }
  });

  it('one tab holds the stream, the other receives its events, and takes over when it closes', async () => {
    const scope = unique('scope');
    const outbox = unique('outbox');
    const a = await openTab('lee', scope, outbox);
    await until(() => a.adapter.status.role === 'leader', 'the first tab leads');
    await until(() => a.adapter.status.stream === 'open', 'the leader opened the stream');
    const b = await openTab('lee', scope, outbox);
    await until(() => b.adapter.status.role === 'follower', 'the second tab follows');
    expect((await stats()).openStreams.lee).to.equal(1);
    expect(b.adapter.status.stream).to.equal('idle');

    const customer = freshNumber();
    const { conversation } = await simulateIncoming('lee-wa', customer, 'to both tabs');
    // One incoming message is two events (message.created, then RT5's notification to the
    // owner); the leader reads both at once, the follower gets them in two broadcast tasks, so
    // the positions are compared once the follower has the last one too.
    const notified = (tab: Tab) =>
      tab.events.some((e) => e.type === 'notification' && e.conversationId === conversation.id);
    await until(() => texts(a).includes('to both tabs') && notified(a), 'the leader got it');
    await until(
      () => texts(b).includes('to both tabs') && notified(b),
      'the follower got it by broadcast',
    );
    expect(b.adapter.status.lastEventId).to.equal(a.adapter.status.lastEventId);

    // The leader's page goes away; an event happens before anyone holds the stream again.
    const resumedBefore = (await stats()).resumed;
    closeTab(a);
    await simulateIncoming('lee-wa', customer, 'during the takeover');
    await until(() => b.adapter.status.role === 'leader', 'the second tab took over');
    await until(() => texts(b).includes('during the takeover'), 'nothing missed on takeover');
    await simulateIncoming('lee-wa', customer, 'after the takeover');
    await until(() => texts(b).includes('after the takeover'), 'the new leader streams');

    expect(texts(b).filter((t) => t === 'during the takeover')).to.have.length(1);
    const now = await stats();
    expect(now.openStreams.lee).to.equal(1);
    expect(now.resumed).to.be.greaterThan(resumedBefore);
  });

  it('SN6: the outbox of two tabs is flushed one run at a time (Web Locks), each message once', async () => {
    const scope = unique('scope');
    const outbox = unique('outbox');
    const leader = await openTab('lee', scope, outbox);
    await until(() => leader.adapter.status.role === 'leader', 'a leader');
    const follower = await openTab('lee', scope, outbox);
    await until(() => follower.adapter.status.role === 'follower', 'a follower');

    const { conversation } = await simulateIncoming('lee-wa', freshNumber(), 'Hi');
    // Each tab knows the conversation (a desk lists the inbox first).
    await leader.adapter.listConversations();
    await follower.adapter.listConversations();

    leader.online = false;
    follower.online = false;
    const keys = [unique('from-leader'), unique('from-follower')];
    const results = await Promise.all(
      [leader, follower].map((tab, i) =>
        tab.adapter
          .send({
            idempotencyKey: keys[i]!,
            target: { conversationId: conversation.id },
            content: { text: `queued in tab ${i}` },
          })
          .catch((e: { code: string; details: { queued?: boolean } }) => e),
      ),
    );
    // Kept for later, not refused: the client shows them queued.
    for (const result of results) {
      expect((result as { code: string }).code).to.equal('network');
      expect((result as { details: { queued?: boolean } }).details.queued).to.equal(true);
    }
    expect((await leader.adapter.outboxEntries()).map((e) => e.key).sort()).to.deep.equal(
      [...keys].sort(),
    );

    // The network returns in both pages.
    leader.online = true;
    follower.online = true;
    for (const frame of frames) frame.contentWindow!.dispatchEvent(new Event('online'));
    await until(async () => (await leader.adapter.outboxEntries()).length === 0, 'flushed');
    await until(
      () =>
        keys.every((k) =>
          follower.events.some(
            (e) => e.type === 'message.created' && e.message.idempotencyKey === k,
          ),
        ),
      'the follower saw both delivered',
    );
    const now = await stats();
    const attempts = now.sendAttempts;
    console.info(
      `two tabs: ${now.openStreams.lee} event stream, POSTs per message ${keys.map((k) => attempts[k]).join(', ')}`,
    );
    expect(now.openStreams.lee).to.equal(1);
    expect(keys.map((k) => attempts[k])).to.deep.equal([1, 1]);
  });
});
