/**
 * `node --expose-gc --import tsx bench/live.ts`: issue 11's live ingest alone, every run printed
 * (not only the best), to compare builds interleaved. `SIZES=10000,100000 RUNS=3 LIVE=20000`.
 */
import { clientIngest } from './client-scale.js';

const sizes = (process.env.SIZES ?? '10000,100000').split(',').map(Number);
const runs = Number(process.env.RUNS ?? 3);
const live = Number(process.env.LIVE ?? 20_000);
for (let r = 0; r < runs; r++) {
  for (const n of sizes) {
    const f = await clientIngest(n, live, live);
    console.log(
      `${n / 1000}k: live ${f.liveUsPerEvent.toFixed(1)} µs wall, ${f.liveCpuUsPerEvent.toFixed(1)} µs CPU; store ${f.storeUsPerEvent.toFixed(1)}; floor ${f.floorUsPerEvent.toFixed(1)}; burst ${f.burstUsPerEvent.toFixed(1)}`,
    );
  }
}
