/**
 * Issue 9: events too old for the log get the `reset` event. The retention job prunes the log
 * (a restart under a clock moved past the retention: no sleeping), then a desk resumes from an id
 * below the horizon and gets `reset`, while one resuming from the horizon gets the newer events.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/server/db.js';
import { incoming, openPglite, token, startTestServer } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let database: Database;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database.close());

const HOUR = 3600_000;
const start = (offsetMs: number) =>
  startTestServer(database, {
    demo: true,
    eventRetentionMs: 72 * HOUR,
    clock: { ...systemClock, now: () => Date.now() + offsetMs },
  });
const ids = async () =>
  (await sql<{ id: string }>`select id from desk_events order by id`.execute(database.db)).rows.map(
    (r) => Number(r.id),
  );
const horizon = async () =>
  Number(
    (
      await sql<{ p: string }>`select pruned_through as p from desk_log_horizon`.execute(
        database.db,
      )
    ).rows[0]!.p,
  );

/** The stream's first lines after `Last-Event-ID: lastEventId`, up to its first event. */
async function resume(url: string, lastEventId: number) {
  const response = await fetch(`${url}/events`, {
    headers: {
      authorization: `Bearer ${await token('sam')}`,
      'last-event-id': String(lastEventId),
    },
  });
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('event:')) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  return text;
}

describe('event log retention', () => {
  it('answers reset for an id older than the pruned log, and replays from the horizon', async () => {
    let server = await start(0);
    for (let i = 0; i < 3; i++) expect((await incoming(server.url, `old ${i}`)).status).toBe(201);
    const old = await ids();
    expect(old.length).toBeGreaterThanOrEqual(3);
    await server.close();

    // 73 hours later: the restart runs the retention job, which prunes those events.
    server = await start(73 * HOUR);
    try {
      await expect.poll(horizon, { timeout: 20_000 }).toBeGreaterThanOrEqual(old.at(-1)!);
      const pruned = await horizon();
      expect(await ids()).not.toContain(old[0]);
      expect((await incoming(server.url, 'new')).status).toBe(201);

      const tooOld = await resume(server.url, old[0]!);
      expect(tooOld).toContain('event: reset');
      const fromHorizon = await resume(server.url, pruned);
      expect(fromHorizon).not.toContain('event: reset');
      expect(fromHorizon).toContain('event: message.created');
    } finally {
      await server.close();
    }
  });
});
