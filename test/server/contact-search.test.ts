/**
 * SN1's contact search on Postgres: a substring match served by the trigram indexes (migration
 * 0005), not a scan of the account's contacts; LIKE's wildcards in the text are taken literally.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db.js';
import { contactSearch, recordStore } from '../../src/server/pg-store-records.js';
import { openPglite } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

let database: Database;
beforeAll(async () => {
  database = await openPglite();
  const store = recordStore(database.db);
  const contact = (id: string, firstName: string, phone: string) =>
    store.putContact({ id, firstName, lastName: 'Doe', phone, createdAt: 1, updatedAt: 1 });
  await contact('c1', 'Ana', '+14155550101');
  await contact('c2', 'An%a', '+14155550102');
  await contact('c3', 'Zoé', '+33612345678');
}, 120_000);
afterAll(() => database?.close());

describe('SN1 contact search on Postgres', () => {
  it('finds by folded name or digits, and takes % and _ literally', async () => {
    const store = recordStore(database.db);
    const ids = async (text: string, digits = '') =>
      (await store.searchContacts({ text, digits, limit: 10 })).map((c) => c.id);
    expect(await ids('ana doe')).toEqual(['c1']);
    expect(await ids('%')).toEqual(['c2']);
    expect(await ids('a_a')).toEqual([]);
    expect(await ids('', '3361234')).toEqual(['c3']);
    expect(await ids('zoe', '5550101')).toEqual(['c1', 'c3']);
  });

  it('uses the trigram indexes, not a scan of the contacts', async () => {
    // An account of 20 000 contacts, none of them named like the one searched for.
    await sql`
      insert into desk_contacts (id, phone, folded, digits, data)
      select 'x' || i, '+1202555' || i, 'person ' || md5(i::text), '1202555' || i, '{}'
      from generate_series(1, 20000) as i`.execute(database.db);
    await sql`vacuum analyze desk_contacts`.execute(database.db); // as autovacuum would
    const plan = async (search: { text: string; digits: string }) =>
      (await contactSearch(database.db, { ...search, limit: 10 }).explain())
        .map((r) => Object.values(r).join(' '))
        .join('\n');
    expect(await plan({ text: 'zoe', digits: '' })).toContain('desk_contacts_folded_trgm');
    expect(await plan({ text: 'zoe', digits: '3361234' })).toMatch(
      /desk_contacts_folded_trgm[\s\S]*desk_contacts_digits_trgm/,
    );
    expect(await plan({ text: 'zoe', digits: '' })).not.toContain('Seq Scan');
  });
});
