import type { Clock } from 'converse-desk';

/** Real time plus an offset the demo can jump forward, firing the timers that fall due. */
export interface DemoClock extends Clock {
  jump(ms: number): void;
}

/** `offset` starts where a previous page load left it; `onJump` can keep it. */
export function createDemoClock(
  offset = 0,
  onJump: (offset: number) => void = () => undefined,
): DemoClock {
  let seq = 0;
  const timers = new Map<
    number,
    { due: number; callback: () => void; handle: ReturnType<typeof setTimeout> }
  >();
  const now = () => Date.now() + offset;
  const fire = (id: number) => {
    const timer = timers.get(id);
    if (!timer) return;
    timers.delete(id);
    clearTimeout(timer.handle);
    timer.callback();
  };
  return {
    now,
    setTimeout(callback, ms) {
      const id = ++seq;
      const delay = Math.max(0, ms);
      timers.set(id, { due: now() + delay, callback, handle: setTimeout(() => fire(id), delay) });
      return id;
    },
    clearTimeout(id) {
      const timer = timers.get(id as number);
      if (timer) clearTimeout(timer.handle);
      timers.delete(id as number);
    },
    jump(ms) {
      offset += ms;
      onJump(offset);
      const due = [...timers].filter(([, t]) => t.due <= now()).sort((a, b) => a[1].due - b[1].due);
      for (const [id] of due) fire(id);
      // The others now fall due sooner in real time (one set for the opening may be a
      // millisecond past it): re-arm them for what is left.
      for (const [id, timer] of timers) {
        clearTimeout(timer.handle);
        timer.handle = setTimeout(() => fire(id), Math.max(0, timer.due - now()));
      }
    },
  };
}
