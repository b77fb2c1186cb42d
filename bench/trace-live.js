/**
 * Breaks down one incoming message at 100k conversations, delivered in a task of its own, from
 * its arrival to the end of the frame that paints its row (`bench/inbox-page.ts`, the figure
 * `bench/browser.js` judges against 16 ms), from a Chromium trace: the delivering task's
 * JavaScript, the wait for the frame, and the frame's own work (animation frame callbacks, style,
 * layout, ResizeObserver callbacks, pre-paint, paint, layerize, commit), as medians over the 20
 * messages of a page load. `ROOT=dir` serves a page bundled before; `RUNS` page loads (2);
 * `DUMP=n` prints the main thread's events of the n-th message.
 */
import { loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { startStaticServer } from '../scripts/serve.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.js';

const ROOT = process.env.ROOT ?? '.bench';
const RUNS = Number(process.env.RUNS ?? 2);
const DUMP = process.env.DUMP === undefined ? -1 : Number(process.env.DUMP);
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink',
  'blink.user_timing',
  'v8.execute',
  'cc',
];
/** The kinds of work a frame does, by trace event name (the outermost of each is counted). */
const KINDS = {
  FireAnimationFrame: 'rAF callbacks',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  ResizeObserverController: 'ResizeObserver',
  'ResizeObserverController::DeliverObservations': 'ResizeObserver',
  'LocalFrameView::NotifyResizeObservers': 'ResizeObserver',
  PrePaint: 'pre-paint',
  Paint: 'paint',
  Layerize: 'layerize',
  'LocalFrameView::RunPaintLifecyclePhase': 'paint',
  Commit: 'commit',
  'ProxyMain::BeginMainFrame::commit': 'commit',
  RunMicrotasks: 'microtasks',
  FunctionCall: 'script',
  'V8.GC_MC_BACKGROUND_MARKING': 'gc',
  MajorGC: 'gc',
  MinorGC: 'gc',
};

const { server, url } = await startStaticServer({ root: ROOT, port: 0 });
const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 420, height: 900 });
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${url}?count=100000&paint=1&hold=1`);
    await page.waitForFunction('window.benchGo', { timeout: 180_000 });
    await page.evaluate('window.benchGo()');
    await page.waitForFunction('window.benchScroll', { timeout: 180_000 });
    await page.evaluate('window.benchScroll()');
    await page.waitForFunction('window.benchPaint', { timeout: 180_000 });
    await page.tracing.start({ categories: CATEGORIES });
    await page.evaluate('window.benchPaint()');
    await page.waitForFunction('window.benchResult', { timeout: 180_000 });
    const trace = JSON.parse(Buffer.from(await page.tracing.stop()).toString());
    const { liveMs } = await page.evaluate('window.benchResult');
    report(trace.traceEvents, liveMs, run);
  }
} finally {
  await browser.close();
  server.close();
}

function report(events, liveMs, run) {
  const marks = events.filter((e) => e.name === 'live-deliver' || e.name === 'live-painted');
  const { pid, tid } = marks[0];
  const mine = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts);
  const tasks = mine.filter(
    (e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask',
  );
  const rows = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    if (marks[i].name !== 'live-deliver' || marks[i + 1].name !== 'live-painted') continue;
    const from = marks[i].ts;
    const to = marks[i + 1].ts;
    const own = tasks.find((t) => t.ts <= from && t.ts + t.dur >= from);
    const deliverEnd = own ? own.ts + own.dur : from;
    const frame = mine.find((e) => e.ts > from && e.name === 'ProxyMain::BeginMainFrame');
    const frameTask = frame && tasks.find((t) => t.ts <= frame.ts && t.ts + t.dur >= frame.ts);
    const row = {
      total: (to - from) / 1000,
      'delivering task (JS)': (deliverEnd - from) / 1000,
      'delivering task cpu': own ? (own.tdur ?? 0) / 1000 : NaN,
      'wait for the frame': frameTask ? (frameTask.ts - deliverEnd) / 1000 : NaN,
      'frame task': frameTask ? frameTask.dur / 1000 : NaN,
      'frame task cpu': frameTask ? (frameTask.tdur ?? 0) / 1000 : NaN,
      'tasks between': 0,
    };
    for (const t of tasks) {
      if (t.ts > deliverEnd && t.ts + t.dur < to && t !== frameTask && t.ts < (frameTask?.ts ?? 0))
        row['tasks between'] += t.dur / 1000;
    }
    // The frame task's parts (and the delivering task's): the outermost event of each kind,
    // wall and CPU.
    const parts = (task, prefix) => {
      const end = task.ts + task.dur;
      const inside = mine.filter((e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
      const counted = [];
      for (const e of inside) {
        if (e.name === 'EventDispatch' && e.args?.data?.type === 'rangeChanged') {
          // The virtualizer's directive renders the drawn rows (nested in microtasks).
          const k = `${prefix}rows rendered (rangeChanged)`;
          row[k] = (row[k] ?? 0) + e.dur / 1000;
          row[`${k} cpu`] = (row[`${k} cpu`] ?? 0) + (e.tdur ?? 0) / 1000;
          continue;
        }
        const kind = KINDS[e.name];
        if (!kind) continue;
        if (counted.some((c) => c.ts <= e.ts && c.ts + c.dur >= e.ts + e.dur)) continue;
        counted.push(e);
        row[prefix + kind] = (row[prefix + kind] ?? 0) + e.dur / 1000;
        row[`${prefix}${kind} cpu`] = (row[`${prefix}${kind} cpu`] ?? 0) + (e.tdur ?? 0) / 1000;
      }
    };
    if (frameTask) parts(frameTask, '');
    if (own) parts(own, 'delivering: ');
    const n = rows.length;
    rows.push(row);
    if (n === DUMP) {
      for (const e of mine) {
        if (e.ts < from || e.ts > to) continue;
        console.log(
          `  ${((e.ts - from) / 1000).toFixed(2)} +${((e.dur ?? 0) / 1000).toFixed(2)} ${e.name} ${e.args?.data?.functionName ?? ''} ${e.args?.data?.type ?? ''} ${(e.args?.data?.url ?? '').split('/').pop()}:${e.args?.data?.lineNumber ?? ''}`,
        );
      }
    }
  }
  console.log(
    `run ${run + 1}: own task → end of the frame painting its row, median ${median(liveMs).toFixed(1)} ms over ${liveMs.length} (load ${loadavg()[0].toFixed(1)}); medians of its parts (ms):`,
  );
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  for (const k of keys) {
    const v = rows.map((r) => r[k] ?? 0);
    console.log(
      `  ${k}: ${median(v).toFixed(2)} (min ${Math.min(...v).toFixed(2)}, max ${Math.max(...v).toFixed(2)})`,
    );
  }
}
