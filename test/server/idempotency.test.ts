/**
 * docs/protocol.md section 3 on the team server: a key is checked after the permission checks
 * (issue 8), and records older than 7 days are forgotten by the maintenance job. Time moves by an
 * injected clock (a restart later), never by sleeping.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock, type Clock } from '../../src/clock.js';
import type { Database } from '../../src/server/db.js';
import { type RunningServer } from '../../src/server/index.js';
import { api, openPglite, startTestServer } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const DAY = 24 * 3600_000;
let database: Database;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database.close());

/** A server on the shared database whose clock runs `offsetMs` ahead of the real one. */
const start = (offsetMs = 0): Promise<RunningServer> => {
  const clock: Clock = { ...systemClock, now: () => Date.now() + offsetMs };
  return startTestServer(database, { clock });
};
const send = (url: string, userId: string, key: string, customer: string) =>
  api(url, userId, '/messages', {
    body: { target: { senderId: 'support-sms', customer }, content: { text: 'Hi' } },
    headers: { 'idempotency-key': key },
  });
const keysOf = async (userId: string) =>
  (
    await sql<{ key: string }>`select key from desk_idempotency where user_id = ${userId}`.execute(
      database.db,
    )
  ).rows.map((r) => r.key);

describe('idempotency on the team server', () => {
  it('replays a key only once the request is permitted now: a user who lost access is refused', async () => {
    let server = await start();
    const first = await send(server.url, 'sam', 'lost-1', '+14155550181');
    expect(first.status).toBe(201);
    expect((await send(server.url, 'sam', 'lost-1', '+14155550181')).status).toBe(200);
    await server.close();
    // The account changes under the desk: sam no longer shares support-sms, and the
    // conversation is lee's alone.
    const conversationId = first.body.conversation.id as string;
    await sql`update desk_senders set data = jsonb_set(data::jsonb, '{access,userIds}', '["lee"]')::text
      where id = 'support-sms'`.execute(database.db);
    await sql`update desk_conversations set owner_id = 'lee', outgoing_by = '{lee}',
      data = jsonb_set(jsonb_set(data::jsonb, '{ownerId}', '"lee"'), '{outgoingBy}', '["lee"]')::text
      where id = ${conversationId}`.execute(database.db);
    server = await start();
    try {
      const fresh = await send(server.url, 'sam', 'lost-2', '+14155550181');
      expect(fresh.status).toBe(403);
      const replay = await send(server.url, 'sam', 'lost-1', '+14155550181');
      expect(replay.status).toBe(403);
      expect(replay.body.error.code).toBe('forbidden');
      expect(replay.headers.get('idempotent-replayed')).toBeNull();
      expect(replay.body.message).toBeUndefined(); // not the first answer
      // lee, who may send there, keeps its own keys apart: the same key is a new send.
      const lee = await send(server.url, 'lee', 'lost-1', '+14155550181');
      expect(lee.status).toBe(201);
      expect(lee.body.message.id).not.toBe(first.body.message.id);
    } finally {
      await server.close();
    }
  });

  it('forgets keys older than 7 days (the maintenance job), and keeps younger ones', async () => {
    let server = await start();
    const old = await send(server.url, 'lee', 'old-1', '+14155550182');
    expect(old.status).toBe(201);
    await server.close();
    // Six days later the key is still known; its replay is the first answer.
    server = await start(6 * DAY);
    const young = await send(server.url, 'lee', 'young-1', '+14155550183');
    expect(young.status).toBe(201);
    const replay = await send(server.url, 'lee', 'old-1', '+14155550182');
    expect(replay.status).toBe(200);
    expect(replay.body.message.id).toBe(old.body.message.id);
    await server.close();
    // Past 7 days: the restart runs the maintenance job, which forgets the old key only.
    server = await start(7 * DAY + 3600_000);
    try {
      await expect.poll(() => keysOf('lee'), { timeout: 20_000 }).not.toContain('old-1');
      expect(await keysOf('lee')).toContain('young-1');
      const again = await send(server.url, 'lee', 'old-1', '+14155550182');
      expect(again.status).toBe(201); // a new request: the key may be forgotten after 7 days
      expect(again.body.message.id).not.toBe(old.body.message.id);
    } finally {
      await server.close();
    }
  });
});
