/**
 * Issue 11's comparison: the CPU cost of one incoming message, delivered one per task (as a socket
 * delivers) and in bursts of 100 per task, to (a) our DeskClient, (b) stream-chat's StreamChat
 * client with its ChannelManager, (c) the plain JavaScript limit; at 10k and 100k conversations
 * (channels), every one loaded in each. Runs interleaved in one process; prints the best run.
 *
 * `node --expose-gc --max-old-space-size=8192 --import tsx bench/compare-stream-chat.ts` (also part
 * of `npm run bench`; stream-chat holding 100k channels needs more than Node's default 4 GB heap).
 * `COMPARE_EVENTS=5000 COMPARE_RUNS=3 COMPARE_SIZES=10000,100000`.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ServerEvent } from '../src/adapter.js';
import { channel, incoming, nextTask, openChannel } from './client-scale.js';
import { deskSubject, floorSubject, streamChatSubject, type Subject } from './compare-subjects.js';

const SUBJECTS = {
  'converse-desk DeskClient': deskSubject,
  'stream-chat StreamChat + ChannelManager': streamChatSubject,
  'plain JavaScript limit': async (n: number) => floorSubject(n),
} satisfies Record<string, (n: number) => Promise<Subject>>;
type Name = keyof typeof SUBJECTS;
const BURST = 100;

interface Cost {
  cpuUs: number;
  wallUs: number;
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** CPU (user + system, all threads) and wall µs per event for delivering `events`. */
async function time(subject: Subject, events: ServerEvent[], perTask: number): Promise<Cost> {
  gc();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let k = 0; k < events.length; k += perTask) {
    for (let j = k; j < Math.min(events.length, k + perTask); j++) subject.deliver(events[j]!);
    await nextTask();
  }
  await subject.settle();
  const used = process.cpuUsage(cpu);
  return {
    cpuUs: (used.user + used.system) / events.length,
    wallUs: ((performance.now() - wall) * 1000) / events.length,
  };
}

/** The event loop alone: one task per event, no subject. */
async function loopAlone(count: number): Promise<Cost> {
  gc();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let k = 0; k < count; k++) await nextTask();
  const used = process.cpuUsage(cpu);
  return {
    cpuUs: (used.user + used.system) / count,
    wallUs: ((performance.now() - wall) * 1000) / count,
  };
}

export interface CompareFigures {
  size: number;
  name: Name | 'event loop alone';
  live: Cost[];
  burst: Cost[];
}

export async function runCompare(
  sizes = [10_000, 100_000],
  eventsPerRun = 5_000,
  runs = 3,
): Promise<CompareFigures[]> {
  const figures: CompareFigures[] = [];
  openChannel();
  for (const size of sizes) {
    const subjects = new Map<Name, Subject>();
    for (const name of Object.keys(SUBJECTS) as Name[]) {
      gc();
      subjects.set(name, await SUBJECTS[name](size));
    }
    const rows = new Map<Name, CompareFigures>();
    for (const name of subjects.keys()) rows.set(name, { size, name, live: [], burst: [] });
    const loop: CompareFigures = { size, name: 'event loop alone', live: [], burst: [] };
    let n = 0;
    const prepared = () => Array.from({ length: eventsPerRun }, () => incoming(n++, size));
    // Warm every code path first, then interleave: run r measures each subject in turn.
    for (const subject of subjects.values()) await time(subject, prepared(), BURST);
    for (let r = 0; r <= runs; r++) {
      for (const [name, subject] of subjects) {
        const live = await time(subject, prepared(), 1);
        const burst = await time(subject, prepared(), BURST);
        if (r === 0) continue; // round 0 warms each subject's live path
        rows.get(name)!.live.push(live);
        rows.get(name)!.burst.push(burst);
      }
      if (r > 0) loop.live.push(await loopAlone(eventsPerRun));
    }
    const last = incoming(n++, size);
    for (const [name, subject] of subjects) {
      subject.deliver(last);
      await nextTask();
      await subject.settle();
      subject.check(last);
      if (subject.reads() === 0) throw new Error(`${name}: the inbox never read`);
      subject.close();
    }
    figures.push(...rows.values(), loop);
  }
  channel.port1.close();
  return figures;
}

const best = (costs: Cost[], key: keyof Cost) => Math.min(...costs.map((c) => c[key]));
const median = (costs: Cost[], key: keyof Cost) => {
  const sorted = costs.map((c) => c[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const us = (v: number) => v.toFixed(1).padStart(8);

export function printCompare(figures: CompareFigures[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(
    `compare (issue 11): µs of CPU per incoming message (best of ${figures[0]!.live.length} interleaved runs; median; wall best), every conversation loaded, an inbox reading its badge and first 50 rows once per task`,
  );
  console.log(
    `${'size'.padEnd(6)}${'client'.padEnd(width + 2)}${'one per task'.padStart(26)}${'bursts of 100'.padStart(28)}`,
  );
  for (const f of figures) {
    const cell = (costs: Cost[]) =>
      costs.length === 0
        ? ''.padStart(28)
        : `${us(best(costs, 'cpuUs'))}${us(median(costs, 'cpuUs'))} (${us(best(costs, 'wallUs')).trim()} wall)`.padStart(
            28,
          );
    console.log(
      `${`${f.size / 1000}k`.padEnd(6)}${f.name.padEnd(width + 2)}${cell(f.live)}${cell(f.burst)}`,
    );
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1, 5, 15 min)`,
  );
}

if (process.argv[1]?.endsWith('compare-stream-chat.ts')) {
  const sizes = (process.env.COMPARE_SIZES ?? '10000,100000').split(',').map(Number);
  const figures = await runCompare(
    sizes,
    Number(process.env.COMPARE_EVENTS ?? 5_000),
    Number(process.env.COMPARE_RUNS ?? 3),
  );
  printCompare(figures);
}
