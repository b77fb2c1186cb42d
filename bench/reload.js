/**
 * Reload benchmark (issue 11, part of `npm run bench`): the embedded backend over IndexedDB in
 * headless Chromium. Seeds an account once per size (10k conversations with 100k messages, 100k
 * with 1M), then times fresh page loads from `EmbeddedBackend.open` to the first rows of My
 * Inbox (client connect + the view's first page). Target: ≤ 300 ms at 100k / 1M.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { startStaticServer } from '../scripts/serve.js';
import { bundlePage } from './page-bundle.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.js';

const SIZES = (process.env.RELOAD_SIZES ?? '10000:100000,100000:1000000')
  .split(',')
  .map((s) => s.split(':').map(Number));
const RUNS = 3;
const out = '.bench/reload';
await bundlePage('bench/reload-page.ts', out);
writeFileSync(
  `${out}/index.html`,
  '<!doctype html><html lang="en"><body><script type="module" src="./reload-page.js"></script></body></html>',
);

const { server, url } = await startStaticServer({ root: out, port: 0 });
// RELOAD_PROFILE: a Chromium profile kept between runs, so an account is seeded only once.
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
  protocolTimeout: 3_600_000, // seeding 1M messages keeps the page busy for minutes
  ...(process.env.RELOAD_PROFILE && { userDataDir: process.env.RELOAD_PROFILE }),
});
const k = (n) => (n >= 1000 ? `${n / 1000}k` : `${n}`).replace('000k', 'M');
let failed = false;
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('reload page:', error));
  const run = async (query, timeout) => {
    await page.goto(`${url}?${query}`);
    await page.waitForFunction('window.benchResult', { timeout, polling: 100 });
    return page.evaluate('window.benchResult');
  };
  for (const [conversations, messages] of SIZES) {
    const db = `reload-${conversations}-${messages}`;
    const seeded = await run(
      `seed=1&db=${db}&conversations=${conversations}&messages=${messages}`,
      1_800_000,
    );
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run(`db=${db}`, 600_000));
    const best = (key) => Math.min(...runs.map((r) => r[key]));
    const label = `${k(conversations)} conversations, ${k(messages)} messages`;
    console.log(
      `reload (${label}; seeded in ${(seeded.seedMs / 1000).toFixed(1)} s): first rows of My Inbox in ${best('firstRowsMs').toFixed(0)} ms` +
        ` (runs ${runs.map((r) => r.firstRowsMs.toFixed(0)).join(', ')}; open ${best('openMs').toFixed(0)} ms; ${runs[0].rows} rows)` +
        `; views' counts in ${best('countViewsMs').toFixed(0)} ms (runs ${runs.map((r) => r.countViewsMs.toFixed(0)).join(', ')})` +
        `; whole account loaded in ${best('loadedMs').toFixed(0)} ms; newest thread's first page ${best('threadMs').toFixed(1)} ms` +
        ` [load ${loadavg()[0].toFixed(1)}]`,
    );
    if (process.env.RELOAD_CALLS) for (const r of runs) console.log(`  ${r.calls.join('; ')}`);
    if (conversations >= 100_000) failed ||= best('firstRowsMs') > 300;
  }
} finally {
  await browser.close();
  server.close();
}
if (failed) console.error('reload: the 300 ms target at 100k conversations is not met.');
