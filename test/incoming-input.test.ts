/**
 * Routing checks its untrusted input with a hand-written fast path for the common case, in front
 * of the valibot schema that defines it: both must give the same answer for every input.
 */
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { DeskError } from '../src/errors.js';
import { IncomingSchema, parseIncoming } from '../src/engine/schemas.js';

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const MISSING = Symbol('missing');
const strings = [
  '',
  'a',
  's1',
  '+14155550001',
  ' +1 415 555 0001 ',
  '__proto__',
  'constructor',
  'toString',
  'a\u0000b',
  'tab\there',
  'x'.repeat(40),
  'x'.repeat(41),
  'x'.repeat(256),
  'x'.repeat(257),
  'x'.repeat(100_000),
  'x'.repeat(100_001),
];
const others = [MISSING, undefined, null, 0, 12, true, [], ['a'], {}, { toString: () => 's1' }];
const values = [...strings, ...others];
const extras = [MISSING, undefined, null, [], 'out', 'in', 'stop', [{ url: 'u' }], 1];

/** What valibot alone answers: the output, or the field it names. */
function bySchema(input: unknown): { output?: unknown; field?: string } {
  const result = v.safeParse(IncomingSchema, input);
  if (result.success) return { output: result.output };
  return { field: v.getDotPath(result.issues[0]) ?? 'incoming' };
}

function byEngine(input: unknown): { output?: unknown; field?: string } {
  try {
    return { output: parseIncoming(input) };
  } catch (error) {
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe('invalid_input');
    return { field: (error as DeskError).details?.field as string };
  }
}

describe('incoming input (routing boundary)', () => {
  it('bad input: the fast path and the valibot schema agree on 5000 inputs, output and named field alike', () => {
    const next = random(11);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const input: Record<string, unknown> = {};
      // Mostly valid ids and numbers, so both branches are well covered.
      const fields: Array<[string, readonly unknown[]]> = [
        ['senderId', next() < 0.7 ? ['s1'] : values],
        ['from', next() < 0.7 ? ['+14155550001'] : values],
        ['text', next() < 0.6 ? ['Hello', MISSING] : values],
        ['media', next() < 0.8 ? [MISSING] : extras],
        ['optOut', next() < 0.8 ? [MISSING] : extras],
        ['extra', [MISSING, 'ignored']],
      ];
      for (const [key, pool] of fields) {
        const value = pick(pool);
        if (value !== MISSING) input[key] = value;
      }
      const expected = bySchema(input);
      const actual = byEngine(input);
      expect(actual, JSON.stringify(input).slice(0, 200)).toEqual(expected);
      if (expected.output) {
        // Same keys in the same order: nothing more, nothing less.
        expect(Object.keys(actual.output as object)).toEqual(Object.keys(expected.output));
        accepted++;
      } else refused++;
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('bad input: non-objects and odd objects are refused naming the field, as the schema does', () => {
    for (const input of [null, undefined, 'x', 3, [], ['s1'], Object.create(null)]) {
      expect(byEngine(input)).toEqual(bySchema(input));
      expect(byEngine(input).field).toBeDefined();
    }
    expect(byEngine({ senderId: 's1', from: 7, text: 'x' }).field).toBe('from');
    expect(byEngine({ senderId: '__proto__', from: '+14155550001' }).field).toBe('senderId');
    expect(byEngine({ senderId: 's1', from: '+14155550001', text: 5 }).field).toBe('text');
    // Inherited keys count for valibot (`in`), so they count for the fast path too.
    const inherited = Object.create({ text: 'from the prototype' }) as object;
    Object.assign(inherited, { senderId: 's1', from: '+14155550001' });
    expect(byEngine(inherited)).toEqual(bySchema(inherited));
  });
});
