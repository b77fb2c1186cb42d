/** Time is a parameter: everything that depends on "now" takes a clock, so tests never sleep. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A clock that only moves when told to; timers fire in order during `advance`. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(time: number): void;
}

export function createManualClock(start: number | Date = 0): ManualClock {
  let now = typeof start === 'number' ? start : start.getTime();
  let seq = 0;
  const timers = new Map<number, { at: number; seq: number; callback: () => void }>();

  const runUntil = (target: number) => {
    for (;;) {
      let next: { id: number; at: number; seq: number } | undefined;
      for (const [id, t] of timers) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) {
          next = { id, at: t.at, seq: t.seq };
        }
      }
      if (!next) break;
      const timer = timers.get(next.id)!;
      timers.delete(next.id);
      now = Math.max(now, timer.at);
      timer.callback();
    }
    now = Math.max(now, target);
  };

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), seq: id, callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      runUntil(now + ms);
    },
    set(time) {
      runUntil(time);
    },
  };
}
