import { describe, expect, it } from 'vitest';
import { byActivity } from '../src/rules/views.js';
import type { Conversation } from '../src/types.js';
import { entryOf, rowOf, ViewIndex } from '../src/view-index.js';

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
const row = (c: Conversation) => rowOf(c, new Map(), Number(c.id.slice(1)));
const mine = { kind: 'mine' } as const;

describe('ViewIndex (V5 kept incrementally)', () => {
  it.each([
    { name: '2000 rows', size: 2000, steps: 3000, top: false, every: 100 },
    // Deep enough for three levels of nodes; most moves go to the top, as new messages do.
    { name: '12k rows, moves to the top', size: 12_000, steps: 30_000, top: true, every: 100 },
    // A reader takes a snapshot after every move, as a live inbox does: each move to the top
    // starts or grows a short first leaf, shared with the snapshot before it.
    { name: '12k rows, a snapshot per move', size: 12_000, steps: 20_000, top: true, every: 1 },
    // From empty: every node is made by inserts and splits, then emptied by removals.
    { name: 'from empty', size: 0, steps: 12_000, top: false, every: 100 },
  ])(
    'V5: after many moves, inserts and removals the rows are in activity order and the unread count is right ($name)',
    ({ size, steps, top, every }) => {
      let seed = 7;
      const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
      const current = new Map<string, Conversation>();
      for (let i = 0; i < size; i++)
        current.set(`c${i}`, conversation(i, random(500), i % 3 === 0));
      const index = ViewIndex.from([...current.values()].map(row));
      const first = index.snapshot(mine);
      const firstRows = [...current.values()].sort(byActivity).map((c) => c.id);
      let middle = first;
      let middleRows = firstRows;
      const ids = Math.max(size, 2000) * 1.15;
      for (let step = 0; step < steps; step++) {
        const i = random(ids); // some ids are new, some leave the view
        const before = current.get(`c${i}`);
        if (before) index.remove(before);
        if (step % 5 === 0 && before) {
          current.delete(before.id);
          continue;
        }
        const after = conversation(i, top ? 1000 + step : random(800), random(2) === 0);
        current.set(after.id, after);
        index.insert(row(after));
        if (step % every === 0) index.snapshot(mine); // snapshots in between share nodes
        if (step === steps >> 1) {
          middle = index.snapshot(mine);
          middleRows = [...current.values()].sort(byActivity).map((c) => c.id);
        }
      }
      const expected = [...current.values()].sort(byActivity);
      const snapshot = index.snapshot(mine);
      expect(snapshot.rows.map((r) => r.conversation.id)).toEqual(expected.map((c) => c.id));
      expect(snapshot.count).toBe(expected.length);
      expect(snapshot.unread).toBe(expected.filter((c) => c.unread).length);
      expect(index.snapshot(mine).slice(250, 260)).toEqual(snapshot.rows.slice(250, 260));
      expect(index.snapshot(mine).slice(0, 3)).toEqual(snapshot.rows.slice(0, 3));
      // Reads by position, by conversation and in order agree with the whole list.
      const probes = [0, 1, expected.length >> 1, expected.length - 1].filter((i) => i >= 0);
      for (const i of probes) {
        expect(snapshot.at(i)).toBe(snapshot.rows[i]);
        expect(snapshot.indexOf(expected[i]!)).toBe(i);
        expect(entryOf(snapshot.at(i)!)).toBe(Number(expected[i]!.id.slice(1)));
      }
      expect(snapshot.at(expected.length)).toBeUndefined();
      expect(snapshot.indexOf(conversation(999_999, 5, false))).toBe(-1);
      const walked: string[] = [];
      snapshot.forEach((r) => walked.push(r.conversation.id));
      expect(walked).toEqual(expected.map((c) => c.id));
      // An earlier snapshot is unchanged by later moves.
      expect(first.rows.map((r) => r.conversation.id)).toEqual(firstRows);
      expect(middle.rows.map((r) => r.conversation.id)).toEqual(middleRows);
    },
  );
});
