/** The carriers' Postgres stores on PGlite: one row per event key, leased claims, the ledger. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInbox, postgresLedger, type InboxEntry } from '../../src/server/carriers/index.js';
import type { Database } from '../../src/server/db.js';
import { openPglite } from '../server/support.js';

let database: Database;
beforeAll(async () => {
  database = await openPglite();
}, 120_000);
afterAll(() => database?.close());

const entry = (key: string, receivedAt: number): InboxEntry => ({
  key,
  carrier: 'twilio',
  event: {
    kind: 'status',
    carrierMessageId: key,
    status: 'delivered',
    at: receivedAt,
  },
  receivedAt,
  retryAt: receivedAt,
  tries: 0,
});

describe('Postgres carrier stores', () => {
  it('stores an event key once, whoever delivers it', async () => {
    const inbox = postgresInbox(database.db);
    expect(await inbox.add([entry('k1', 100), entry('k2', 200)])).toHaveLength(2);
    expect((await inbox.add([entry('k1', 300), entry('k3', 300)])).map((e) => e.key)).toEqual([
      'k3',
    ]);
  });

  it('a claimed entry is not handed out again during its lease; defer and done are kept', async () => {
    const inbox = postgresInbox(database.db, { leaseMs: 10_000 });
    const first = await inbox.pending(1000, 10);
    expect(first.map((e) => e.key)).toEqual(['k1', 'k2', 'k3']);
    expect(first[0]!.event).toMatchObject({ kind: 'status', status: 'delivered' });
    expect(await inbox.pending(1000, 10)).toEqual([]); // another instance, same moment
    await inbox.done('k1');
    await inbox.defer('k2', 5000);
    const later = await inbox.pending(20_000, 10); // leases over
    expect(later.map((e) => [e.key, e.tries])).toEqual([
      ['k2', 1],
      ['k3', 0],
    ]);
    expect(await inbox.prune(Date.now() + 8 * 24 * 3600_000)).toBe(1);
  });

  it('the ledger maps a carrier id to its message and attempt; the first record wins', async () => {
    const ledger = postgresLedger(database.db);
    await ledger.record('twilio', 'SM1', 'm1', 2);
    await ledger.record('twilio', 'SM1', 'm9', 9);
    expect(await ledger.find('twilio', 'SM1')).toEqual({ messageId: 'm1', attempt: 2 });
    expect(await ledger.find('whatsapp', 'SM1')).toBeUndefined();
  });
});
