/**
 * `PendingAdapter`, which stands for the HTTP adapter's offline layers while their chunk loads:
 * calls made before it loads reach it in the order they were made, listeners attach once it is
 * there, and a failed load is a typed `network` refusal.
 */
import { describe, expect, it } from 'vitest';
import type { BackendAdapter, EventListener, HeldSend } from '../../src/adapter.js';
import { DeskError, isDeskError } from '../../src/errors.js';
import { PendingAdapter } from '../../src/offline/pending.js';

/** A loading that the test finishes when it wants, and an adapter that records what reached it. */
function loading() {
  const calls: string[] = [];
  const listeners = new Set<EventListener>();
  const held: HeldSend[] = [
    { key: 'k1', request: {} as HeldSend['request'], createdAt: 1, state: 'waiting' },
  ];
  const inner = {
    session: async () => (calls.push('session'), { user: { id: 'amy' } }),
    listUsers: async () => (calls.push('listUsers'), []),
    send: async (request: { idempotencyKey: string }) => (
      calls.push(`send ${request.idempotencyKey}`),
      { ok: request.idempotencyKey }
    ),
    subscribe(listener: EventListener) {
      calls.push('subscribe');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watchOutbox(listener: (held: readonly HeldSend[]) => void) {
      listener(held);
      return () => undefined;
    },
  } as unknown as BackendAdapter;
  let finish!: (ok: boolean) => void;
  const promise = new Promise<BackendAdapter>((resolve, reject) => {
    finish = (ok) => (ok ? resolve(inner) : reject(new Error('chunk failed')));
  });
  return { calls, listeners, held, promise, finish };
}

describe('PendingAdapter (the offline layers loading)', () => {
  it('SN6: sends and reads made before the layers load reach them in the order they were made', async () => {
    const load = loading();
    const adapter = new PendingAdapter(load.promise);
    const answers = [
      adapter.session(),
      adapter.send({ idempotencyKey: 'a' } as never),
      adapter.listUsers(),
      adapter.send({ idempotencyKey: 'b' } as never),
    ];
    expect(load.calls).toEqual([]);
    load.finish(true);
    await Promise.all(answers);
    expect(load.calls).toEqual(['session', 'send a', 'listUsers', 'send b']);
    expect(await answers[1]).toEqual({ ok: 'a' });
    // Once loaded, a call goes straight through.
    await adapter.send({ idempotencyKey: 'c' } as never);
    expect(load.calls.at(-1)).toBe('send c');
  });

  it('a listener subscribed while loading receives events once loaded; one that left never attaches', async () => {
    const load = loading();
    const adapter = new PendingAdapter(load.promise);
    const kept: unknown[] = [];
    adapter.subscribe((event) => kept.push(event));
    const leave = adapter.subscribe(() => kept.push('left listener'));
    leave();
    load.finish(true);
    await load.promise;
    await adapter.settled();
    expect(load.listeners.size).toBe(1);
    for (const listener of load.listeners) listener({ type: 'reset' } as never);
    expect(kept).toEqual([{ type: 'reset' }]);
  });

  it('the outbox watcher hears "nothing held" at once, then what the loaded outbox holds', async () => {
    const load = loading();
    const adapter = new PendingAdapter(load.promise);
    const seen: Array<readonly HeldSend[]> = [];
    adapter.watchOutbox((held) => seen.push(held));
    expect(seen).toEqual([[]]);
    load.finish(true);
    await load.promise;
    await adapter.settled();
    expect(seen).toEqual([[], load.held]);
  });

  it('layers that fail to load refuse each call with the typed error of the loading, and close quietly', async () => {
    const load = loading();
    const failing = load.promise.catch((cause: unknown) => {
      throw new DeskError('network', 'The offline layers could not be loaded', { cause });
    });
    const adapter = new PendingAdapter(failing);
    const session = adapter.session();
    adapter.subscribe(() => undefined);
    load.finish(false);
    await expect(session).rejects.toSatisfy((e) => isDeskError(e, 'network'));
    await expect(adapter.close()).resolves.toBeUndefined();
  });
});
