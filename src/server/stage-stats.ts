/**
 * Where a webhook's time goes, for the bench: the stages of a group commit and of the fan-out,
 * recorded only when `DESK_STAGE_STATS=1`; a SIGUSR2 prints their percentiles as one JSON line
 * (`stages {…}`) on stdout and starts over. Off, `stage()` is one check.
 */
import {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
} from 'node:perf_hooks';

const enabled = process.env.DESK_STAGE_STATS === '1';
/** Whether stages are recorded (to skip work done only for them). */
export const STAGES = enabled;
const samples = new Map<string, number[]>();

/** Records `value` (ms, or a count) under `name`. */
export function stage(name: string, value: number): void {
  if (!enabled) return;
  const list = samples.get(name);
  if (list) list.push(value);
  else samples.set(name, [value]);
}

/** A clock for stages: `lap(name)` records the time since the last lap. */
export function stageClock(): (name: string) => void {
  if (!enabled) return () => undefined;
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    stage(name, now - last);
    last = now;
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

if (enabled) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // Collections pause the thread (a full one also marks on the other core): when, how long.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = (entry as unknown as { detail: { kind: number } }).detail;
      const full = kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      stage(full ? 'gc: full' : 'gc: other', entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const out: Record<string, { n: number; mean: number; p50: number; p99: number }> = {};
    for (const [name, list] of samples) {
      const sorted = [...list].sort((a, b) => a - b);
      const mean = list.reduce((a, b) => a + b, 0) / list.length;
      out[name] = { n: list.length, mean, p50: pct(sorted, 50), p99: pct(sorted, 99) };
    }
    const ms = (ns: number) => ns / 1e6;
    out['event loop delay'] = {
      n: loop.count,
      mean: ms(loop.mean),
      p50: ms(loop.percentile(50)),
      p99: ms(loop.percentile(99)),
    };
    loop.reset();
    samples.clear();
    process.stdout.write(`stages ${JSON.stringify(out)}\n`);
  });
}
