/**
 * `node --expose-gc --import tsx bench/routing.ts`: the embedded backend's routing figures alone
 * (also part of run.ts). RT1–RT5 on the desk engine over its memory repository and over
 * IndexedDB (fake-indexeddb in Node), one message at a time (each awaited) and in bursts.
 */
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { createManualClock } from '../src/index.js';
import { EmbeddedBackend } from '../src/embedded/index.js';
import type { SenderId, User } from '../src/types.js';

const admin: User = { id: 'admin', name: 'Admin', role: 'admin', portalLicense: true };
const senders: SenderId[] = [
  {
    id: 's1',
    channel: 'sms',
    address: '+14155550001',
    label: 'SMS',
    access: { type: 'shared', userIds: ['u1'] },
  },
  {
    id: 's2',
    channel: 'whatsapp',
    address: '+14155550002',
    label: 'WA',
    access: { type: 'shared', userIds: ['u1'] },
  },
];
const phoneOf = (i: number) => `+1415${String(2000000 + i).padStart(7, '0')}`;

export interface RoutingFigures {
  count: number;
  wallMs: number;
  cpuMs: number;
  /** After the timed part: writing what is still pending (IndexedDB) and closing. */
  flushMs: number;
}

/**
 * `count` incoming messages over `conversationCount` numbers, one at a time (`burst` 1, each
 * awaited) or `burst` at once. With `warm`, every conversation exists (and every number was
 * parsed) before the clock starts, so the figure is the steady cost at that account size.
 */
export async function routing(
  count: number,
  conversationCount: number,
  options: {
    burst?: number;
    databaseName?: string;
    warm?: boolean;
    /** Called around the timed part (a profiler's start and stop). */
    around?: { start(): void; stop(): Promise<void> };
  } = {},
): Promise<RoutingFigures> {
  const { burst = 1, databaseName, warm = false, around } = options;
  const backend = await EmbeddedBackend.open({ clock: createManualClock(0), databaseName });
  await backend.seed({
    users: [admin, { id: 'u1', name: 'U1', role: 'standard', portalLicense: true }],
    senders,
    settings: { defaultAdminId: 'admin' },
  });
  const incoming = (n: number) => {
    const i = n % conversationCount;
    return backend.simulateIncoming({
      senderId: senders[i % 2]!.id,
      from: phoneOf(i),
      text: `Message ${n}`,
    });
  };
  if (warm) {
    for (let n = 0; n < conversationCount; n += 1000)
      await Promise.all(
        Array.from({ length: Math.min(1000, conversationCount - n) }, (_, k) => incoming(n + k)),
      );
    await backend.flush();
  }
  (globalThis as { gc?: () => void }).gc?.();
  around?.start();
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let n = 0; n < count; n += burst) {
    if (burst === 1) await incoming(n);
    else await Promise.all(Array.from({ length: burst }, (_, k) => incoming(n + k)));
  }
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - start;
  await around?.stop();
  await backend.close(); // with IndexedDB: writes what is still pending
  return {
    count,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    flushMs: performance.now() - start - wallMs,
  };
}

export const perMessage = (r: RoutingFigures) =>
  `${((r.wallMs / r.count) * 1000).toFixed(1)} µs wall, ${((r.cpuMs / r.count) * 1000).toFixed(1)} µs CPU each`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const which = process.argv[2] ?? 'all';
  if (which === 'all' || which === 'memory') {
    const one = await routing(100_000, 100_000, { warm: true });
    const burst = await routing(100_000, 100_000, { warm: true, burst: 1000 });
    console.log(`memory, 100k conversations, 100k one at a time: ${perMessage(one)}`);
    console.log(`memory, 100k conversations, 100k in bursts of 1000: ${perMessage(burst)}`);
  }
  if (which === 'all' || which === 'idb') {
    const name = `bench-routing-${Date.now()}`;
    const one = await routing(20_000, 10_000, { databaseName: name });
    console.log(
      `IndexedDB, 20k one at a time over 10k: ${perMessage(one)}, then ${one.flushMs.toFixed(0)} ms to write behind`,
    );
  }
}
