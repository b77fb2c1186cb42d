import { describe, expect, it } from 'vitest';
import {
  mergeMessages,
  threadOf,
  withMessage,
  withoutMessage,
  withPage,
} from '../src/client/thread.js';
import type { Message } from '../src/types.js';

const message = (id: string, at: number, extra: Partial<Message> = {}): Message => ({
  id,
  conversationId: 'c1',
  direction: 'out',
  text: id,
  media: [],
  status: 'sent',
  statusTimes: { sent: at },
  attempt: 1,
  createdAt: at,
  ...extra,
});
const ids = (items: readonly Message[]) => items.map((m) => m.id);

describe('thread versions (issue 11: a windowed thread, O(log n) per message)', () => {
  it('appends in time order, reads a window with count and slice, and an older version never changes', () => {
    let thread = threadOf([message('a', 1), message('b', 2)], 'older', true);
    const first = thread;
    for (let i = 0; i < 500; i++) thread = withMessage(thread, message(`m${i}`, 10 + i));
    thread = withMessage(thread, message('early', 5)); // arrives late, goes by its time
    expect(thread.count).toBe(503);
    expect(ids(thread.slice(0, 4))).toEqual(['a', 'b', 'early', 'm0']);
    expect(ids(thread.slice(501))).toEqual(['m498', 'm499']);
    expect(thread.items).toHaveLength(503);
    expect(thread.nextCursor).toBe('older');
    expect(thread.loaded).toBe(true);
    expect(ids(first.items)).toEqual(['a', 'b']);
    expect(first.get('m0')).toBeUndefined();
    expect(thread.get('m250')?.text).toBe('m250');
  });

  it('SN7: a status moves forward in place among messages of the same millisecond, never back', () => {
    let thread = threadOf([message('a', 1), message('b', 1), message('c', 1)], null, true);
    const delivered = message('b', 1, {
      status: 'delivered',
      statusTimes: { sent: 1, delivered: 2 },
    });
    thread = withMessage(thread, delivered);
    expect(ids(thread.items)).toEqual(['a', 'b', 'c']);
    expect(thread.get('b')?.status).toBe('delivered');
    const stale = withMessage(thread, message('b', 1));
    expect(stale).toBe(thread);
  });

  it("a local copy gives way to the backend's copy of the same send, and a late local copy is dropped", () => {
    const local = message('local:k1', 5, { idempotencyKey: 'k1', status: 'queued' });
    let thread = withMessage(threadOf([message('a', 1)], null, true), local);
    expect(ids(thread.items)).toEqual(['a', 'local:k1']);
    thread = withMessage(thread, message('m1', 6, { idempotencyKey: 'k1' }));
    expect(ids(thread.items)).toEqual(['a', 'm1']);
    expect(withMessage(thread, local)).toBe(thread);
    expect(ids(withoutMessage(thread, 'a').items)).toEqual(['m1']);
  });

  it('a loaded page merges as mergeMessages does: the page first among messages of the same millisecond', () => {
    const thread = withMessage(threadOf([message('x', 3)], 'p2', true), message('y', 3));
    const page = [message('p', 1), message('q', 3)];
    const merged = withPage(thread, page, null);
    expect(ids(merged.items)).toEqual(ids(mergeMessages(page, thread.items)));
    expect(ids(merged.items)).toEqual(['p', 'q', 'x', 'y']);
    expect(merged.nextCursor).toBe(null);
  });
});
