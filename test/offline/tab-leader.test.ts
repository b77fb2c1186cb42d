/**
 * `withTabLeader` in Node, with an in-process Web Locks stand-in and Node's BroadcastChannel: two
 * "tabs" share one event stream (only the leader subscribes), take over in turn, and in `share`
 * mode see each other's events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventListener, ServerEvent, SubscribeOptions } from '../../src/adapter.js';
import { withTabLeader, type TabLeader } from '../../src/offline/index.js';
import { until } from './support.js';

/** Exclusive locks by name, granted in request order, released when the callback settles. */
function fakeLocks() {
  const held = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const release = (name: string) => {
    const next = waiting.get(name)?.shift();
    if (next) next();
    else held.delete(name);
  };
  return {
    async request(
      name: string,
      options: { signal?: AbortSignal; ifAvailable?: boolean },
      callback: (lock: unknown) => Promise<unknown>,
    ) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        await new Promise<void>((resolve, reject) => {
          const queue = waiting.get(name) ?? [];
          waiting.set(name, queue);
          const grant = () => resolve();
          queue.push(grant);
          options.signal?.addEventListener('abort', () => {
            queue.splice(queue.indexOf(grant), 1);
            reject(new DOMException('aborted', 'AbortError'));
          });
        });
      } else held.add(name);
      try {
        return await callback({ name });
      } finally {
        release(name);
      }
    },
  };
}

/** A backend's event feed: counts subscribers and emits on demand. */
function feed() {
  const listeners = new Set<EventListener>();
  const subscriptions: Array<SubscribeOptions | undefined> = [];
  return {
    listeners,
    subscriptions,
    subscribe(listener: EventListener, options?: SubscribeOptions) {
      listeners.add(listener);
      subscriptions.push(options);
      return () => listeners.delete(listener);
    },
    emit(event: ServerEvent, id?: string) {
      for (const l of [...listeners]) l(event, id ? { id } : undefined);
    },
  };
}

const event = (n: number): ServerEvent => ({
  type: 'notification',
  kind: 'incoming',
  userId: 'alice',
  conversationId: `c${n}`,
  at: n,
});

let tabs: TabLeader[] = [];
beforeEach(() => {
  Object.defineProperty(globalThis, 'navigator', {
    value: { locks: fakeLocks() },
    configurable: true,
  });
});
afterEach(async () => {
  for (const tab of tabs.splice(0)) await tab.close();
  Reflect.deleteProperty(globalThis, 'navigator');
});

function tab(inner: ReturnType<typeof feed>, mode?: 'share') {
  const t = withTabLeader(inner as never, { scope: `test-${scope}`, mode });
  tabs.push(t);
  const got: ServerEvent[] = [];
  t.subscribe((e) => got.push(e));
  return { t, got };
}
let scope = 0;

describe('withTabLeader', () => {
  it('one event stream for two tabs; the follower takes over after the last id it saw, each event once', async () => {
    scope++;
    const feedA = feed();
    const feedB = feed();
    const a = tab(feedA);
    await until(() => a.t.role === 'leader', 'the first tab leads');
    const b = tab(feedB);
    expect(b.t.role).toBe('follower');
    expect(feedA.listeners.size).toBe(1);
    expect(feedB.listeners.size).toBe(0); // one stream, not two

    feedA.emit(event(1), 'e1');
    await until(() => b.got.length === 1, 'the follower got it');
    expect(a.got).toEqual([event(1)]);

    await a.t.close(); // the leader's tab goes away
    tabs = tabs.filter((t) => t !== a.t);
    await until(() => b.t.role === 'leader', 'the follower took over');
    expect(feedB.subscriptions.at(-1)?.after).toBe('e1');
    feedB.emit(event(1), 'e1'); // replayed from the resume point
    feedB.emit(event(2), 'e2');
    expect(b.got).toEqual([event(1), event(2)]);
  });

  it("share mode: every tab follows its own backend and sees the other tabs' events", async () => {
    scope++;
    const feedA = feed();
    const feedB = feed();
    const a = tab(feedA, 'share');
    const b = tab(feedB, 'share');
    expect(feedA.listeners.size).toBe(1);
    expect(feedB.listeners.size).toBe(1);
    feedA.emit(event(1));
    await until(() => b.got.length === 1, 'the second tab saw the first tab’s event');
    expect(a.got).toEqual([event(1)]);
    feedB.emit(event(2));
    await until(() => a.got.length === 2, 'and back');
    expect(b.got).toEqual([event(1), event(2)]);
  });
});
