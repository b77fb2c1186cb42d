/** The engine's default ids: a random prefix per engine and a base-36 counter, never repeated. */
import { describe, expect, it } from 'vitest';
import { idGenerator } from '../src/engine/engine.js';

describe('engine ids', () => {
  it('are the prefix and the counter in base 36, unique, past the two-digit table many times', () => {
    const next = idGenerator();
    const ids = Array.from({ length: 50_000 }, next);
    const prefix = ids[0]!.slice(0, -1);
    expect(prefix).toMatch(/^[A-Za-z0-9_-]{16}$/);
    ids.forEach((id, n) => expect(id).toBe(`${prefix}${n.toString(36)}`));
    expect(new Set(ids).size).toBe(ids.length);
    expect(idGenerator()().slice(0, 16)).not.toBe(prefix); // another engine, another prefix
  });

  it('isId accepts and refuses the same ids whatever it accepted before', async () => {
    const { isId } = await import('../src/engine/input.js');
    const verdicts = ['s1', '__proto__', 's1', 'a\u0001', '', 's1', 'x'.repeat(257), 42, 's1'].map(
      (id) => isId(id),
    );
    expect(verdicts).toEqual([true, false, true, false, false, true, false, false, true]);
  });
});
