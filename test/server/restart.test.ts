/**
 * A restart with desks connected (PGlite in a data folder, the zero-setup default): event ids
 * continue where they were, so every desk resumes with its Last-Event-ID and misses nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { incoming, openDesk, openPglite, SECRET, seed, until, type Desk } from './support.js';

vi.setConfig({ testTimeout: 120_000 });

const dir = mkdtempSync(join(tmpdir(), 'desk-restart-'));
const desks: Desk[] = [];
afterAll(() => {
  for (const desk of desks) desk.stop();
  rmSync(dir, { recursive: true, force: true });
});

const created = (desk: Desk) =>
  desk.messages.filter((m) => m.event === 'message.created').map((m) => JSON.parse(m.data));

describe('restart', () => {
  it('keeps event ids increasing across a restart: connected desks miss 0 events', async () => {
    const dataDir = join(dir, 'data');
    const options = { seed, auth: { jwtSecret: SECRET }, demo: true, logLevel: 'silent' } as const;
    const first = await openPglite(dataDir); // the folder, created from the initdb template
    let server: RunningServer = await startServer({ ...options, port: 0, database: first });
    let url = server.url;
    for (const user of ['ada', 'sam', 'ada']) desks.push(openDesk(() => [url], user));
    await until(() => desks.every((d) => d.stream.connections === 1), 10_000, 'connections');
    for (let i = 0; i < 5; i++) await incoming(url, `before ${i}`);
    await until(() => desks.every((d) => created(d).length === 5), 10_000, 'first events');
    const lastBefore = Math.max(...desks[0]!.ids());

    await server.close();
    await first.close();
    // The same folder, opened by the server itself; the desks reconnect by themselves.
    server = await startServer({ ...options, port: server.port, dataDir });
    url = server.url;
    try {
      await until(() => desks.every((d) => d.stream.connections === 2), 20_000, 'reconnections');
      for (let i = 0; i < 5; i++) await incoming(url, `after ${i}`);
      await until(() => desks.every((d) => created(d).length >= 10), 10_000, 'later events');
      for (const desk of desks) {
        expect(created(desk).map((e) => e.message.text)).toEqual([
          ...[0, 1, 2, 3, 4].map((i) => `before ${i}`),
          ...[0, 1, 2, 3, 4].map((i) => `after ${i}`),
        ]);
        expect(desk.messages.some((m) => m.event === 'reset')).toBe(false);
        // Strictly increasing across the restart: no id reused (a counter restarting at 0 would).
        const ids = desk.ids();
        expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
        expect(ids.at(-1)).toBeGreaterThan(lastBefore);
      }
      expect(server.stats().resumed).toBe(3);
    } finally {
      await server.close();
    }
  });
});
