/**
 * The inbox cache's lifecycle: `close()` ends its background work, even a thread painted from the
 * cache whose refresh keeps failing because the network (or the closed transport under it) is gone;
 * and a thread painted from an old copy gets everything that came after it once the backend answers.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { PageQuery, ServerEvent } from '../../src/adapter.js';
import { DeskError } from '../../src/errors.js';
import { Layer, withCache } from '../../src/offline/index.js';
import type { Message, Page } from '../../src/types.js';
import { createDesk, PHONE } from '../support/desk.js';
import { until } from './support.js';

/** Answers `listMessages` until `offline` is set, then fails it as a lost network does. */
class Unreachable extends Layer {
  offline = false;
  calls = 0;
  override listMessages(conversationId: string, query?: PageQuery): Promise<Page<Message>> {
    this.calls++;
    if (this.offline) return Promise.reject(new DeskError('network', 'unreachable (injected)'));
    return this.inner.listMessages(conversationId, query);
  }
}

/** A desk with one conversation ('Hi'), and a cache over it that has stored its thread. */
async function cachedThread() {
  const desk = await createDesk();
  const { conversation } = await desk.backend.simulateIncoming({
    senderId: 'alice-sms',
    from: PHONE.dana,
    text: 'Hi',
  });
  const inner = new Unreachable(desk.backend.connect('alice'));
  const cache = withCache(inner, { databaseName: `cache-${Math.random()}` });
  await cache.session();
  await cache.listConversations(); // the conversation is known: its refresh emits what moved
  await cache.listMessages(conversation.id);
  await cache.settled(); // the thread is stored
  return { desk, conversation, inner, cache };
}

describe('cache', () => {
  it('close() finishes while a thread painted from the cache is still being fetched again', async () => {
    const { conversation, inner, cache } = await cachedThread();

    inner.offline = true;
    const painted = await cache.listMessages(conversation.id);
    expect(painted.items.map((m) => m.text)).toEqual(['Hi']); // from the cache, refresh retrying

    const outcome = await Promise.race([
      cache.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 2000)),
    ]);
    expect(outcome).toBe('closed');
    const calls = inner.calls;
    await new Promise((r) => setTimeout(r, 700)); // past the first retry's wait
    expect(inner.calls, 'no fetch after close').toBe(calls);
  });

  it('SN7: a thread painted from an old copy gets every message after it, not only the newest page', async () => {
    const { desk, conversation, inner, cache } = await cachedThread();

    // While this desk is away, far more than a page arrives, and it hears none of it.
    const later: string[] = [];
    for (let i = 0; i < 130; i++) {
      later.push(`m${i}`);
      await desk.backend.simulateIncoming({
        senderId: 'alice-sms',
        from: PHONE.dana,
        text: `m${i}`,
      });
    }
    const heard: ServerEvent[] = [];
    const stop = cache.subscribe((event) => heard.push(event));
    inner.offline = true;
    const painted = await cache.listMessages(conversation.id);
    expect(painted.items.map((m) => m.text)).toEqual(['Hi']); // the old copy
    inner.offline = false; // the refresh's next try gets through

    const created = () =>
      heard.flatMap((e) => (e.type === 'message.created' ? [e.message.text] : []));
    await until(() => created().length >= later.length, 'the refresh emits', 5000).catch(
      () => undefined, // the assertion below says what came
    );
    expect(created()).toEqual(later); // every one, once, in order
    stop();
    await cache.close();
  }, 30_000);
});
