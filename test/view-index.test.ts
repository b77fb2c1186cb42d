import { describe, expect, it } from 'vitest';
import { byActivity } from '../src/rules/views.js';
import type { Conversation } from '../src/types.js';
import { ViewIndex, type ConversationRow } from '../src/view-index.js';

const conversation = (i: number, at: number, unread: boolean): Conversation => ({
  id: `c${i}`,
  senderId: 's1',
  channel: 'sms',
  customer: `+1415200${String(i).padStart(4, '0')}`,
  ownerId: 'u1',
  unread,
  hasIncoming: true,
  lastActivityAt: at,
  outgoingBy: [],
  createdAt: 0,
  revision: 1,
});
const row = (c: Conversation): ConversationRow => ({
  conversation: c,
  contact: undefined,
  title: c.customer,
});
const mine = { kind: 'mine' } as const;

describe('ViewIndex (V5 kept incrementally)', () => {
  it('V5: after many moves, inserts and removals the rows are in activity order and the unread count is right', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    const current = new Map<string, Conversation>();
    for (let i = 0; i < 2000; i++) current.set(`c${i}`, conversation(i, random(500), i % 3 === 0));
    const index = ViewIndex.from([...current.values()].map(row));
    const first = index.snapshot(mine);
    const firstRows = [...current.values()].sort(byActivity).map((c) => c.id);
    for (let step = 0; step < 3000; step++) {
      const i = random(2300); // some ids are new, some leave the view
      const before = current.get(`c${i}`);
      if (before) index.remove(before);
      if (step % 5 === 0 && before) {
        current.delete(before.id);
        continue;
      }
      const after = conversation(i, random(800), random(2) === 0);
      current.set(after.id, after);
      index.insert(row(after));
      if (step % 100 === 0) index.snapshot(mine); // snapshots in between share chunks
    }
    const expected = [...current.values()].sort(byActivity);
    const snapshot = index.snapshot(mine);
    expect(snapshot.rows.map((r) => r.conversation.id)).toEqual(expected.map((c) => c.id));
    expect(snapshot.count).toBe(expected.length);
    expect(snapshot.unread).toBe(expected.filter((c) => c.unread).length);
    expect(snapshot.slice(250, 260)).toEqual(snapshot.rows.slice(250, 260));
    // An earlier snapshot is unchanged by later moves.
    expect(first.rows.map((r) => r.conversation.id)).toEqual(firstRows);
  });
});
