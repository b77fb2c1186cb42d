/**
 * `npm run bench` (server part): the team server in its own process, on a real PostgreSQL (a
 * throwaway cluster) and on PGlite, with 100 desks connected to its event stream. Customers write
 * in through the simulated carrier: signed webhooks POSTed to `/webhooks/simulator`. The webhooks
 * that arrive together are stored and routed in one transaction (group commit: inbox rows,
 * routing, events, one NOTIFY, one commit), answered after it, and fanned out. Reported: webhooks
 * per second, the latency from sending a webhook to its `message.created` on every desk's stream
 * (p50/p99), one at a time and in bursts, and the CPU each process spent per webhook (server,
 * PostgreSQL, this process: the carrier and the 100 desks), which the machine's load does not skew.
 *
 *   node --import tsx bench/server.ts [--webhooks 3000] [--concurrency 64] [--desks 100]
 *        [--store both|postgres|pglite] [--async-commit] [--profile <dir>]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { demoSeed } from '../examples/demo/seed.js';
import { EventStreamParser } from '../src/http/event-stream.js';
import { clientCpuMs, clusterCpuMs, cpuMs } from './cpu.js';
import { webhookUrl } from '../src/server/carriers/config.js';
import { createSimulatedCarrier } from '../src/server/carriers/simulator.js';
import {
  api,
  freePort,
  SECRET,
  spawnServer,
  startPostgres,
  token,
} from '../test/server/support.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const WEBHOOKS = arg('webhooks', 3000);
const CONCURRENCY = arg('concurrency', 64);
const DESKS = arg('desks', 100);
const ONE_AT_A_TIME = 200;
const storeAt = process.argv.indexOf('--store');
const STORES = (storeAt >= 0 ? process.argv[storeAt + 1]! : 'both')
  .replace('both', 'postgres,pglite')
  .split(',');
/** `--async-commit`: synchronous_commit=off, to show what the commit's flush to disk costs. */
const ASYNC_COMMIT = process.argv.includes('--async-commit');
/** `--profile <dir>`: the server writes a V8 CPU profile there when it stops. */
const profileAt = process.argv.indexOf('--profile');
const PROFILE_DIR = profileAt >= 0 ? process.argv[profileAt + 1] : undefined;

const MARK = Buffer.from('\nevent: message.created\n');
const SAM_SMS = demoSeed.senders.find((s) => s.id === 'sam-sms')!.address;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function bench(store: string): Promise<void> {
  const postgres = store === 'postgres' ? await startPostgres() : undefined;
  const dataDir = postgres ? undefined : mkdtempSync(join(tmpdir(), 'desk-bench-'));
  // The carrier's side: webhooks signed as the simulated carrier signs them, posted over HTTP.
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const carrierSecret = `${SECRET}-carrier`;
  const carrier = createSimulatedCarrier({
    secret: carrierSecret,
    webhookUrl: webhookUrl(publicUrl, 'simulator'),
    async deliver(webhook) {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: webhook.headers,
        body: webhook.body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    },
  });
  const server = await spawnServer(
    {
      PORT: String(port),
      DESK_PUBLIC_URL: publicUrl,
      DESK_SIMULATOR_SECRET: carrierSecret,
      ...(postgres
        ? {
            DATABASE_URL:
              (await postgres.createDatabase()) +
              (ASYNC_COMMIT ? `?options=${encodeURIComponent('-c synchronous_commit=off')}` : ''),
            DATABASE_POOL_SIZE: '20',
          }
        : { DESK_DATA_DIR: dataDir! }),
      DESK_RATE_LIMIT: '100000000',
      DESK_STREAMS_PER_USER: String(DESKS),
    },
    PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  );
  const cpu = () => ({
    server: cpuMs(server.child.pid!),
    database: postgres ? clusterCpuMs(postgres.dataDir) : 0,
    client: clientCpuMs(),
  });

  /** Sent time per text; arrival latencies, over every desk. */
  const sentAt = new Map<string, number>();
  let latencies: number[] = [];
  let received = 0;
  const controllers: AbortController[] = [];

  /**
   * A desk's stream. Every desk counts the `message.created` events it receives (a byte scan);
   * every tenth also parses them and records their latency. Parsing all 100 streams in this one
   * process cost more CPU than the server itself (3 ms per webhook), on the same 2 cores.
   */
  async function connectDesk(userId: string, timed: boolean): Promise<void> {
    const controller = new AbortController();
    controllers.push(controller);
    const response = await fetch(`${server.url}/events`, {
      headers: { authorization: `Bearer ${await token(userId)}` },
      signal: controller.signal,
    });
    const parser = new EventStreamParser();
    const decoder = new TextDecoder();
    let tail = Buffer.alloc(0);
    void (async () => {
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        const now = performance.now();
        if (!timed) {
          const bytes = Buffer.concat([tail, value!]);
          for (let at = bytes.indexOf(MARK); at >= 0; at = bytes.indexOf(MARK, at + 1)) received++;
          tail = bytes.subarray(Math.max(0, bytes.length - MARK.length + 1));
          continue;
        }
        for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
          if (message.event !== 'message.created') continue;
          const text = (JSON.parse(message.data) as { message: { text: string } }).message.text;
          const at = sentAt.get(text);
          if (at !== undefined) {
            latencies.push(now - at);
            received++;
          }
        }
      }
    })();
  }

  async function run(label: string, count: number, concurrency: number) {
    latencies = [];
    received = 0;
    const requestTimes: number[] = [];
    let next = 0;
    const start = performance.now();
    const before = cpu();
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const text = `${store} ${label} ${i}`;
        const t0 = performance.now();
        sentAt.set(text, t0);
        await carrier.incoming({
          channel: 'sms',
          from: `+1415555${String(1000 + (i % 500))}`,
          to: SAM_SMS,
          text,
        });
        requestTimes.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const expected = count * DESKS;
    const deadline = performance.now() + 60_000;
    while (received < expected && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - start) / 1000;
    const after = cpu();
    const per = (k: keyof typeof after) => ((after[k] - before[k]) / count).toFixed(2);
    console.log(
      `${store.padEnd(10)} ${label.padEnd(20)} ${count} webhooks × ${DESKS} desks: ` +
        `${(count / seconds).toFixed(0)} webhooks/s, ${received}/${expected} events delivered; ` +
        `webhook→stream p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms; webhook answer p50 ` +
        `${percentile(requestTimes, 50).toFixed(1)} ms, p99 ${percentile(requestTimes, 99).toFixed(1)} ms; ` +
        `CPU ms per webhook: server ${per('server')}` +
        (postgres ? `, PostgreSQL ${per('database')}` : '') +
        `, carrier+desks ${per('client')}`,
    );
  }

  try {
    const users = ['ada', 'sam'];
    await Promise.all(
      Array.from({ length: DESKS }, (_, i) => connectDesk(users[i % 2]!, i % 10 === 0)),
    );
    await run('warm-up', 100, 8);
    const idle = cpu();
    await new Promise((r) => setTimeout(r, 5000));
    const idleAfter = cpu();
    console.log(
      `${store.padEnd(10)} idle, 100 desks connected: CPU ms per second: server ` +
        `${((idleAfter.server - idle.server) / 5).toFixed(0)}` +
        (postgres ? `, PostgreSQL ${((idleAfter.database - idle.database) / 5).toFixed(0)}` : ''),
    );
    await run('one at a time', ONE_AT_A_TIME, 1);
    await run(`burst (${CONCURRENCY} at once)`, WEBHOOKS, CONCURRENCY);
    const ok = await api(server.url, null, '/health');
    if (ok.status !== 200) throw new Error('server unhealthy after the bench');
  } finally {
    for (const controller of controllers) controller.abort();
    server.child.kill(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL'); // a profile is written on a clean exit
    await server.exited;
    postgres?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const store of STORES) await bench(store);
