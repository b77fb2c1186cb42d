/**
 * Traces the paint phase of bench/inbox-page.ts (100k conversations, 20 incoming messages) in
 * headless Chromium and sums the main thread's work per kind: style recalculation (elements
 * restyled), layout, script, and what invalidated the styles. `ROOT=dir` serves an already
 * bundled page (to compare two builds); `RUNS` page loads (3).
 */
import { loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { startStaticServer } from '../scripts/serve.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.js';

const ROOT = process.env.ROOT ?? '.bench';
const RUNS = Number(process.env.RUNS ?? 3);
/** Sizes, page loads in this order in one browser (`COUNT=10000,100000`). */
const COUNTS = (process.env.COUNT ?? '100000').split(',').map(Number);
const INVALIDATIONS = !!process.env.INVALIDATIONS;
const PROFILE = !!process.env.PROFILE;
/** `FIRST=1`: the first rows instead (from appending <cd-inbox> to the frame with rows). */
const FIRST = !!process.env.FIRST;
/**
 * `COLD=1` (with `FIRST=1`): the page as the bench loads it, traced from its load, with no hold
 * (a hold leaves the page idle first, so garbage collection of its build is over by then).
 */
const COLD = FIRST && !!process.env.COLD;
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink',
  'v8.execute',
  ...(INVALIDATIONS ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : []),
];

const { server, url } = await startStaticServer({ root: ROOT, port: 0 });
const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 420, height: 900 });
  for (let run = 0; run < RUNS * COUNTS.length; run++) {
    const count = COUNTS[Math.floor(run / RUNS)];
    if (FIRST) process.stdout.write(`${count / 1000}k `);
    if (COLD && PROFILE) {
      const cdp = await page.createCDPSession();
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      const done = new Promise((r) => cdp.once('Profiler.consoleProfileFinished', r));
      await page.goto(`${url}?count=${count}&profile=1`);
      profileReport((await done).profile);
      await page.waitForFunction('window.benchResult', { timeout: 180_000 });
      await cdp.detach();
      continue;
    }
    if (COLD) {
      await page.tracing.start({ categories: [...CATEGORIES, 'blink.user_timing', 'v8'] });
      await page.goto(`${url}?count=${count}`);
      await page.waitForFunction('window.benchResult', { timeout: 180_000 });
      const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
      firstReport(trace.traceEvents, run);
      continue;
    }
    await page.goto(`${url}?count=${count}&paint=1&hold=1`);
    await page.waitForFunction('window.benchGo', { timeout: 180_000 });
    if (FIRST) await page.tracing.start({ categories: [...CATEGORIES, 'blink.user_timing', 'v8'] });
    const cdp = await page.createCDPSession();
    if (FIRST && PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    await page.evaluate('window.benchGo()');
    await page.waitForFunction('window.benchScroll', { timeout: 180_000 });
    if (FIRST && PROFILE) profileReport((await cdp.send('Profiler.stop')).profile);
    await page.evaluate('window.benchScroll()');
    await page.waitForFunction('window.benchPaint', { timeout: 180_000 });
    if (FIRST) {
      const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
      firstReport(trace.traceEvents, run);
      continue;
    }
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      await page.evaluate('window.benchPaint()');
      await page.waitForFunction('window.benchResult', { timeout: 180_000 });
      const { profile } = await cdp.send('Profiler.stop');
      profileReport(profile);
      continue;
    }
    await page.tracing.start({ categories: CATEGORIES });
    await page.evaluate('window.benchPaint()');
    await page.waitForFunction('window.benchResult', { timeout: 180_000 });
    const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
    const { paintMs } = await page.evaluate('window.benchResult');
    report(trace.traceEvents, paintMs, run);
  }
} finally {
  await browser.close();
  server.close();
}

function report(events, paintMs, run) {
  // The page's renderer main thread: the one that recalculates styles.
  const busy = new Map();
  for (const e of events) {
    if (e.name === 'FunctionCall')
      busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  }
  const main = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === main);
  const totals = new Map();
  const add = (name, dur, tdur) => {
    const t = totals.get(name) ?? { n: 0, wall: 0, cpu: 0 };
    t.n++;
    t.wall += dur / 1000;
    t.cpu += (tdur ?? 0) / 1000;
    totals.set(name, t);
  };
  let elements = 0;
  const styleCounts = [];
  const open = new Map();
  for (const e of mine) {
    if (e.ph === 'X') add(e.name, e.dur ?? 0, e.tdur);
    else if (e.ph === 'B') open.set(e.name, e);
    else if (e.ph === 'E' && open.has(e.name)) {
      const b = open.get(e.name);
      add(e.name, e.ts - b.ts, e.tts && b.tts ? e.tts - b.tts : 0);
      open.delete(e.name);
    }
    const count = e.args?.elementCount ?? e.args?.data?.elementCount;
    if (e.name === 'UpdateLayoutTree' && typeof count === 'number') {
      elements += count;
      styleCounts.push(count);
    }
  }
  const pick = ['UpdateLayoutTree', 'Layout', 'FunctionCall', 'RunMicrotasks', 'Paint', 'PrePaint'];
  pick.push('ParseHTML', 'UpdateLayerTree', 'Layerize', 'HitTest', 'ScheduleStyleRecalculation');
  console.log(
    `run ${run + 1}: paint median ${median(paintMs).toFixed(1)} ms, worst ${Math.max(...paintMs).toFixed(1)} (load ${loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `  elements restyled: ${elements} in ${styleCounts.length} recalcs (${styleCounts.join(',')})`,
  );
  for (const name of pick) {
    const t = totals.get(name);
    if (t)
      console.log(`  ${name}: ${t.n}×, wall ${t.wall.toFixed(1)} ms, cpu ${t.cpu.toFixed(1)} ms`);
  }
  const task = totals.get('RunTask') ?? totals.get('ThreadControllerImpl::RunTask');
  if (task)
    console.log(
      `  tasks: ${task.n}×, wall ${task.wall.toFixed(1)} ms, cpu ${task.cpu.toFixed(1)} ms`,
    );
  if (INVALIDATIONS) {
    const reasons = new Map();
    for (const e of mine) {
      if (!e.name.includes('InvalidationTracking')) continue;
      const d = e.args?.data ?? {};
      const key = `${e.name} ${d.reason ?? ''} ${d.nodeName ?? ''} ${d.invalidationList ? JSON.stringify(d.invalidationList).slice(0, 160) : ''} ${d.extraData ?? ''}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 30);
    for (const [k, n] of top) console.log(`  ${n}× ${k}`);
  }
}

/** `PROFILE=1`: the JavaScript's self time by function (a sampling profile of the paint phase). */
function profileReport(profile) {
  const self = new Map();
  const total = profile.endTime - profile.startTime;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const per = total / profile.samples.length / 1000;
  for (const [id, n] of counts) {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + n * per);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
  for (const [k, ms] of top) console.log(`  ${ms.toFixed(1)} ms  ${k}`);
}

/** `FIRST=1`: main-thread work from the 'inbox-append' mark to 'inbox-first-rows', by kind. */
function firstReport(events, run) {
  const mark = (name) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
  const from = mark('inbox-append');
  const to = mark('inbox-first-rows');
  const mine = events.filter((e) => e.pid === from.pid && e.tid === from.tid && e.ph === 'X');
  // Each event's share inside the window (events that began before the mark count in part).
  const sum = new Map();
  for (const e of mine) {
    const start = Math.max(e.ts, from.ts);
    const end = Math.min(e.ts + (e.dur ?? 0), to.ts);
    if (end <= start) continue;
    const share = (end - start) / (e.dur || 1);
    const t = sum.get(e.name) ?? { n: 0, wall: 0, cpu: 0 };
    t.n++;
    t.wall += (end - start) / 1000;
    t.cpu += ((e.tdur ?? 0) * share) / 1000;
    sum.set(e.name, t);
  }
  if (process.env.CALLS) {
    for (const e of mine) {
      if (e.ts + (e.dur ?? 0) <= from.ts || e.ts >= to.ts) continue;
      const names = ['FunctionCall', 'EvaluateScript', 'V8.Execute', 'RunTask', 'MajorGC'];
      names.push('MinorGC', 'UpdateLayoutTree', 'Layout', 'Paint', 'V8.GCFinalizeMC');
      if (!names.includes(e.name) || (e.name === 'RunTask' && (e.dur ?? 0) < 500)) continue;
      const d = e.args?.data ?? {};
      console.log(
        `    ${e.name} ${((e.ts - from.ts) / 1000).toFixed(1)} +${((e.dur ?? 0) / 1000).toFixed(1)} cpu ${((e.tdur ?? 0) / 1000).toFixed(1)} ${d.functionName ?? ''} ${(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}`,
      );
    }
  }
  const task = sum.get('RunTask');
  console.log(
    `run ${run + 1}: first rows ${((to.ts - from.ts) / 1000).toFixed(1)} ms wall; tasks cpu ${task?.cpu.toFixed(1)} ms (load ${loadavg()[0].toFixed(1)})`,
  );
  const top = [...sum]
    .filter(([k]) => k !== 'RunTask')
    .sort((a, b) => b[1].cpu - a[1].cpu)
    .slice(0, 14);
  for (const [k, t] of top)
    console.log(`  ${k}: ${t.n}×, wall ${t.wall.toFixed(1)}, cpu ${t.cpu.toFixed(1)}`);
}
