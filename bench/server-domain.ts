/**
 * `npm run bench` (server's storage part): incoming messages routed by the Postgres domain, in
 * process, without HTTP or streams: what one message costs in the database, on PGlite and on a
 * real PostgreSQL, one at a time, and in bursts with and without grouping into one transaction.
 *
 *   node --import tsx bench/server-domain.ts [--messages 2000] [--concurrency 64]
 */
import { performance } from 'node:perf_hooks';
import { demoSeed } from '../examples/demo/seed.js';
import { openDatabase, type Database } from '../src/server/db.js';
import { appendEvents } from '../src/server/event-log.js';
import { openPostgresDomain, type PostgresDomain } from '../src/server/pg-domain.js';
import { openPglite, startPostgres } from '../test/server/support.js';
import { clientCpuMs, clusterCpuMs } from './cpu.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg('messages', 2000);
const CONCURRENCY = arg('concurrency', 64);

/** The PostgreSQL cluster's data folder, while it is the store measured. */
const cluster: { dataDir?: string } = {};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

type Receive = (
  domain: PostgresDomain,
  database: Database,
  text: string,
  i: number,
) => Promise<unknown>;

const input = (text: string, i: number) => ({
  senderId: 'sam-sms',
  from: `+1415555${String(1000 + (i % 500))}`,
  text,
});
/** One transaction per message, as a caller without `receiveNow` does. */
const alone: Receive = (domain, database, text, i) =>
  database.db.transaction().execute(async (tx) => {
    const { events } = await domain.receive(tx, input(text, i));
    await appendEvents(tx, events, Date.now());
  });
/** Grouped with the messages arriving at the same time. */
const grouped: Receive = (domain, _database, text, i) => domain.receiveNow(input(text, i));

async function run(
  store: string,
  domain: PostgresDomain,
  database: Database,
  label: string,
  count: number,
  concurrency: number,
  receive: Receive,
) {
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  const { dataDir } = cluster;
  const cpu = () => [clientCpuMs(), dataDir ? clusterCpuMs(dataDir) : 0] as const;
  const before = cpu();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await receive(domain, database, `${label} ${i}`, i);
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  const after = cpu();
  const per = (i: 0 | 1) => ((after[i] - before[i]) / count).toFixed(2);
  console.log(
    `${store.padEnd(10)} ${label.padEnd(34)} ${count} messages: ${(count / seconds).toFixed(0)}/s, ` +
      `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms; ` +
      `CPU ms per message: Node ${per(0)}${dataDir ? `, PostgreSQL ${per(1)}` : ''}`,
  );
}

async function bench(store: string, database: Database) {
  const domain = await openPostgresDomain({ database, seed: demoSeed, resumeInFlight: false });
  await run(store, domain, database, 'warm-up (500 conversations)', 500, 8, grouped);
  await run(store, domain, database, 'one at a time', 300, 1, alone);
  await run(
    store,
    domain,
    database,
    `burst ${CONCURRENCY}, a transaction each`,
    MESSAGES,
    CONCURRENCY,
    alone,
  );
  await run(
    store,
    domain,
    database,
    `burst ${CONCURRENCY}, grouped`,
    MESSAGES,
    CONCURRENCY,
    grouped,
  );
  await domain.close();
  await database.close();
}

await bench('PGlite', await openPglite());
const postgres = await startPostgres();
cluster.dataDir = postgres.dataDir;
try {
  await bench(
    'PostgreSQL',
    await openDatabase({ url: await postgres.createDatabase(), poolSize: 20 }),
  );
} finally {
  postgres.stop();
}
