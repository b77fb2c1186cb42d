/** The event stream in Chromium (fetch + ReadableStream), against the reference server. */
import { expect } from '@open-wc/testing';
import type { ServerEvent } from '../../src/adapter.js';
import { createHttpAdapter, type HttpAdapter } from '../../src/http/index.js';
import { dropStreams, freshNumber, serverUrl, simulateIncoming, stats, until } from './support.js';

describe('event stream in the browser', () => {
  let adapter: HttpAdapter;
  afterEach(() => adapter?.close());

  const incomingTexts = (events: ServerEvent[]) =>
    events.flatMap((e) =>
      e.type === 'message.created' && e.message.direction === 'in' ? [e.message.text] : [],
    );

  it('RT5: delivers server events, and after a drop resumes with Last-Event-ID: nothing missed, nothing twice', async () => {
    adapter = createHttpAdapter({
      baseUrl: await serverUrl(),
      token: () => 'sam',
      tabs: false,
      cache: false,
      outbox: false,
    });
    const events: ServerEvent[] = [];
    adapter.subscribe((e) => events.push(e));
    await until(() => adapter.status.stream === 'open', 'the stream opened');
    const customer = freshNumber();

    await simulateIncoming('sam-sms', customer, 'before the drop');
    await until(() => incomingTexts(events).includes('before the drop'), 'the first event');
    expect(events.some((e) => e.type === 'notification' && e.userId === 'sam')).to.equal(true);

    const before = await stats();
    await dropStreams(800); // new streams are refused for a moment: events pile up meanwhile
    await simulateIncoming('sam-sms', customer, 'during the drop 1');
    await simulateIncoming('sam-sms', customer, 'during the drop 2');
    await until(() => incomingTexts(events).length === 3, 'the missed events', 10_000);
    await simulateIncoming('sam-sms', customer, 'after the drop');
    await until(() => incomingTexts(events).length === 4, 'the live event');

    expect(incomingTexts(events)).to.deep.equal([
      'before the drop',
      'during the drop 1',
      'during the drop 2',
      'after the drop',
    ]);
    const after = await stats();
    expect(after.resumed).to.be.greaterThan(before.resumed);
    expect(after.resets).to.equal(before.resets);
    expect(adapter.status.connections).to.equal(2);
  });

  it('the stream stops when the last subscriber leaves', async () => {
    adapter = createHttpAdapter({
      baseUrl: await serverUrl(),
      token: () => 'lee',
      tabs: false,
      cache: false,
      outbox: false,
    });
    const unsubscribe = adapter.subscribe(() => undefined);
    await until(async () => ((await stats()).openStreams.lee ?? 0) === 1, 'one stream for lee');
    unsubscribe();
    await until(async () => ((await stats()).openStreams.lee ?? 0) === 0, 'no stream for lee');
  });
});
