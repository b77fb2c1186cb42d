/**
 * Webhook intake with group commit (PGlite): webhooks arriving together are stored in the inbox
 * and their messages routed in one transaction (one NOTIFY), a duplicate changes nothing, a
 * refusal is left to the webhook pipeline, and a batch whose transaction fails loses nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { conformanceSeed } from '../../src/conformance/fixture.js';
import type { Database } from '../../src/server/db.js';
import { EVENTS_CHANNEL } from '../../src/server/event-log.js';
import { openPostgresDomain, type PostgresDomain } from '../../src/server/pg-domain.js';
import { createReceiveBatcher, type InboxRow } from '../../src/server/receive-batcher.js';
import { openPglite } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let database: Database | undefined;
let domain: PostgresDomain | undefined;
afterEach(async () => {
  await domain?.close();
  await database?.close();
  domain = database = undefined;
});

const row = (key: string): InboxRow => ({
  key,
  carrier: 'simulator',
  event: JSON.stringify({ kind: 'message', carrierMessageId: key }),
  received_at: 1000,
  retry_at: 61_000,
});
const input = (text: string, from = '+14155550111') => ({ senderId: 'alice-sms', from, text });

async function open() {
  database = await openPglite();
  domain = await openPostgresDomain({ database, seed: conformanceSeed(), resumeInFlight: false });
  return { database, domain };
}

const inbox = (db: Database) =>
  db.db.selectFrom('desk_carrier_inbox').select(['key', 'processed_at']).orderBy('key').execute();
const texts = async (db: Database) =>
  (await db.db.selectFrom('desk_messages').select('data').execute())
    .map((r) => (JSON.parse(r.data) as { text: string }).text)
    .sort();

describe('webhook intake (group commit)', () => {
  it('webhooks arriving together: stored and routed in one transaction, one NOTIFY', async () => {
    const { database, domain } = await open();
    const notified: string[] = [];
    const stop = await database.listen(EVENTS_CHANNEL, (payload) => notified.push(payload));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        domain.intake({
          row: row(`k${String(i).padStart(2, '0')}`),
          input: input(`hi ${i}`, `+1415555${1000 + i}`),
        }),
      ),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(Array(20).fill('routed'));
    const rows = await inbox(database);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.processed_at !== null)).toBe(true);
    expect(await texts(database)).toHaveLength(20);
    await vi.waitFor(() => expect(notified).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50)); // and no other one follows
    expect(notified).toHaveLength(1);
    await stop();
  });

  it('a webhook delivered twice (same key, together or later) is routed once', async () => {
    const { database, domain } = await open();
    const [first, second] = await Promise.all([
      domain.intake({ row: row('dup'), input: input('once') }),
      domain.intake({ row: row('dup'), input: input('once') }),
    ]);
    expect([first!.kind, second!.kind]).toEqual(['routed', 'duplicate']);
    const events = await database.db.selectFrom('desk_events').select('id').execute();
    const again = await domain.intake({ row: row('dup'), input: input('once') });
    expect(again.kind).toBe('duplicate');
    expect(await texts(database)).toEqual(['once']);
    expect(await database.db.selectFrom('desk_events').select('id').execute()).toEqual(events);
  });

  it('a refused message (no such sender ID) is stored unprocessed, for the pipeline to settle', async () => {
    const { database, domain } = await open();
    const [refused, ok] = await Promise.all([
      domain.intake({ row: row('bad'), input: { ...input('lost?'), senderId: 'nobody' } }),
      domain.intake({ row: row('good'), input: input('kept') }),
    ]);
    expect(refused).toMatchObject({ kind: 'stored', error: { code: 'not_found' } });
    expect(ok!.kind).toBe('routed');
    expect((await inbox(database)).map((r) => [r.key, r.processed_at === null])).toEqual([
      ['bad', true],
      ['good', false],
    ]);
    expect(await texts(database)).toEqual(['kept']);
  });

  it('a status (no input) is stored unprocessed; a receive without row is refused as before', async () => {
    const { database, domain } = await open();
    expect((await domain.intake({ row: row('status') })).kind).toBe('stored');
    expect(await inbox(database)).toEqual([{ key: 'status', processed_at: null }]);
    await expect(domain.receiveNow({ ...input('x'), senderId: 'nobody' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('a batch whose transaction breaks is tried again alone: the others are routed, the broken one stored', async () => {
    const { database, domain } = await open();
    const batcher = createReceiveBatcher({
      db: database.db,
      async run(incoming) {
        if (incoming.text === 'boom') throw new TypeError('a bug, not a refusal');
        return domain.engine.receive(incoming);
      },
      finish: async () => [],
      now: () => 5000,
    });
    const outcomes = await Promise.all([
      batcher.intake({ row: row('a'), input: input('first') }),
      batcher.intake({ row: row('b'), input: input('boom', '+14155550112') }),
      batcher.intake({ row: row('c'), input: input('third', '+14155550113') }),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['routed', 'stored', 'routed']);
    expect(outcomes[1]).toMatchObject({ error: { name: 'TypeError' } });
    expect((await inbox(database)).map((r) => [r.key, r.processed_at])).toEqual([
      ['a', 5000],
      ['b', null],
      ['c', 5000],
    ]);
    expect(await texts(database)).toEqual(['first', 'third']);
  });
});
