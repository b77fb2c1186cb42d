import { describe, expect, it } from 'vitest';
import { createDemoClock } from '../examples/demo/demo-clock.js';

describe('demo clock', () => {
  it('SN6 demo: a jump fires the timers that fall due', () => {
    const clock = createDemoClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('soon'), 60_000);
    clock.setTimeout(() => fired.push('later'), 3_600_000);
    clock.jump(120_000);
    expect(fired).toEqual(['soon']);
  });

  it('SN6 demo: a timer just past the jump target fires in the remaining real time, not its old delay', async () => {
    const clock = createDemoClock();
    let fired = false;
    // Set for an opening a day away, one millisecond later than the jump lands.
    clock.setTimeout(() => (fired = true), 86_400_000 + 20);
    clock.jump(86_400_000);
    expect(fired).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fired).toBe(true);
  });
});
