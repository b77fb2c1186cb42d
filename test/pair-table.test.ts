/** C1: one conversation per sender ID and number; the memory repository's index of pairs. */
import { describe, expect, it } from 'vitest';
import { numberHigh, numberKey, PairTable, type PairEntry } from '../src/engine/pair-table.js';

const entry = (pairSender: string, pairCustomer: string): PairEntry => ({
  pairSender,
  pairCustomer,
  pairKey: numberKey(pairCustomer),
  pairHigh: numberHigh(pairCustomer),
});

describe('pair table', () => {
  it('C1: finds each pair after adds and removals, as a map of the pairs would', () => {
    const table = new PairTable<PairEntry>();
    const model = new Map<string, PairEntry>();
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    // Numbers sharing their last nine digits, several sender IDs per number, a few texts that
    // are not E.164 digits: every kind of neighbour a probe can meet.
    const numbers = Array.from({ length: 3000 }, (_, i) =>
      i % 50 === 0
        ? `short${i}`
        : `+${1 + (i % 3)}415${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
    );
    for (let round = 0; round < 20_000; round++) {
      const customer = numbers[Math.floor(random() * numbers.length)]!;
      const sender = `s${Math.floor(random() * 3)}`;
      const id = `${sender}|${customer}`;
      const held = model.get(id);
      if (held && random() < 0.4) {
        table.remove(held);
        model.delete(id);
      } else if (!held) {
        const e = entry(sender, customer);
        table.add(e);
        model.set(id, e);
      }
      if (round % 997 === 0)
        for (const n of numbers.slice(0, 300))
          for (const s of ['s0', 's1', 's2']) expect(table.get(s, n)).toBe(model.get(`${s}|${n}`));
    }
    for (const [id, e] of model) {
      const [s, n] = id.split('|') as [string, string];
      expect(table.get(s, n)).toBe(e);
    }
    expect(table.get('s0', '+19999999999')).toBeUndefined();
  });

  it('C1: numbers with the same last nine digits are told apart by what comes before', () => {
    const table = new PairTable<PairEntry>();
    const a = entry('s', '+14155550101');
    const b = entry('s', '+44155550101');
    table.add(a);
    table.add(b);
    expect(table.get('s', '+14155550101')).toBe(a);
    expect(table.get('s', '+44155550101')).toBe(b);
    expect(table.get('s', '+4155550101')).toBeUndefined();
    expect(table.get('t', '+14155550101')).toBeUndefined();
  });
});
