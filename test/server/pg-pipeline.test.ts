/**
 * Pipelined transactions on a real PostgreSQL (src/server/pg-pipeline.ts): `begin` rides with the
 * first statement, `commit` with the last one of a group commit. A failure of that last statement
 * or of the commit itself rolls everything back and reaches the caller, so a webhook is never
 * answered as stored when it is not.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { conformanceSeed } from '../../src/conformance/fixture.js';
import { named, openDatabase, type Database } from '../../src/server/db.js';
import { aheadOf } from '../../src/server/pg-pipeline.js';
import { openPostgresDomain, type PostgresDomain } from '../../src/server/pg-domain.js';
import type { InboxRow } from '../../src/server/receive-batcher.js';
import { startPostgres, type Postgres } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let postgres: Postgres;
let database: Database | undefined;
let domain: PostgresDomain | undefined;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterEach(async () => {
  await domain?.close();
  await database?.close();
  domain = database = undefined;
});
afterAll(() => postgres?.stop());

const open = async () => (database = await openDatabase({ url: await postgres.createDatabase() }));
const last = { thenCommit: true };

async function table(db: Database) {
  await sql`create table t (x int check (x > 0))`.execute(db.db);
  // Checked at commit: the last statement succeeds, the commit behind it fails.
  await sql`create table d (x int unique deferrable initially deferred)`.execute(db.db);
}
const rowsOf = async (db: Database, name: 't' | 'd') =>
  (await sql<{ x: number }>`select x from ${sql.table(name)} order by x`.execute(db.db)).rows.map(
    (r) => r.x,
  );

describe('pipelined transactions (PostgreSQL)', () => {
  it('begin with the first statement, commit with the last: all of it committed once', async () => {
    const db = await open();
    await table(db);
    const answer = await db.db.transaction().execute(async (tx) => {
      await sql`insert into t values (1)`.execute(tx);
      return sql<{ x: number }>`${sql.raw(named('pipeline-ok', last))}
        insert into t values (${2}) returning x`.execute(tx);
    });
    expect(answer.rows).toEqual([{ x: 2 }]);
    expect(await rowsOf(db, 't')).toEqual([1, 2]);
    // The connection is back in a clean state: the next transaction runs as usual.
    await db.db.transaction().execute((tx) => sql`insert into t values (3)`.execute(tx));
    expect(await rowsOf(db, 't')).toEqual([1, 2, 3]);
  });

  it('the last statement fails: the commit sent behind it rolls back, the caller gets the error', async () => {
    const db = await open();
    await table(db);
    await expect(
      db.db.transaction().execute(async (tx) => {
        await sql`insert into t values (1)`.execute(tx);
        await sql`${sql.raw(named('pipeline-bad', last))} insert into t values (${-1})`.execute(tx);
      }),
    ).rejects.toThrow(/check constraint/);
    expect(await rowsOf(db, 't')).toEqual([]);
    await db.db.transaction().execute((tx) => sql`insert into t values (4)`.execute(tx));
    expect(await rowsOf(db, 't')).toEqual([4]);
  });

  it('the commit itself fails (a deferred constraint): nothing is stored, the caller gets the error', async () => {
    const db = await open();
    await table(db);
    await expect(
      db.db.transaction().execute(async (tx) => {
        await sql`insert into t values (1)`.execute(tx);
        await sql`insert into d values (7)`.execute(tx);
        // Succeeds as a statement; its commit, already on the wire, fails.
        await sql`${sql.raw(named('pipeline-late', last))} insert into d values (${7})`.execute(tx);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await rowsOf(db, 't')).toEqual([]);
    expect(await rowsOf(db, 'd')).toEqual([]);
  });

  it('a statement written ahead runs after the first (it sees its write) and answers from the same round trip', async () => {
    const db = await open();
    await table(db);
    for (const x of [7, 8]) {
      // Twice: one prepared text per name whatever the token.
      const read = sql<{ n: number }>`${sql.raw(named('pipeline-read'))}
        select count(*)::int as n from t where x = ${x}`.compile(db.db);
      const ahead = aheadOf(read);
      const answer = await db.db.transaction().execute(async (tx) => {
        await sql`${sql.raw(named('pipeline-first', { ahead }))}
          insert into t values (${x})`.execute(tx);
        ahead.release();
        return ahead.answer();
      });
      expect(answer?.rows).toEqual([{ n: 1 }]);
    }
    expect(await rowsOf(db, 't')).toEqual([7, 8]);
  });

  it('a statement asked for after the pipelined commit is refused (it would run outside the transaction)', async () => {
    const db = await open();
    await table(db);
    await expect(
      db.db.transaction().execute(async (tx) => {
        await sql`${sql.raw(named('pipeline-end', last))} insert into t values (${5})`.execute(tx);
        await sql`insert into t values (6)`.execute(tx);
      }),
    ).rejects.toThrow(/after the transaction's commit/);
    expect(await rowsOf(db, 't')).toEqual([5]); // what came before the commit is committed
  });
});

describe('group commit on PostgreSQL with the pipelined commit', () => {
  const row = (key: string): InboxRow => ({
    key,
    carrier: 'simulator',
    event: JSON.stringify({ kind: 'message', carrierMessageId: key }),
    received_at: 1000,
    retry_at: 61_000,
  });
  const input = (text: string, from: string) => ({ senderId: 'alice-sms', from, text });
  const openDomain = (database: Database) =>
    openPostgresDomain({ database, seed: conformanceSeed(), resumeInFlight: false });
  const texts = async (db: Database) =>
    (await db.db.selectFrom('desk_messages').select('data').execute())
      .map((r) => (JSON.parse(r.data) as { text: string }).text)
      .sort();

  it('routing reads, written behind the locks, what the batch before committed (one conversation per customer)', async () => {
    const db = await open();
    domain = await openDomain(db);
    const from = '+14155550131';
    const first = await domain.intake({ row: row('r1'), input: input('one', from) });
    // A duplicate of r1 (no row is new: no locks) with a message without a row: the read written
    // ahead ran without the locks, so it is not used; routing reads again under them.
    const [again, second] = await Promise.all([
      domain.intake({ row: row('r1'), input: input('one', from) }),
      domain.receiveNow(input('two', from)),
    ]);
    const third = await domain.intake({ row: row('r3'), input: input('three', from) });
    expect(again.kind).toBe('duplicate');
    const ids = [first, third].map((o) =>
      o.kind === 'routed' ? o.result.conversation.id : o.kind,
    );
    expect(new Set([...ids, second.conversation.id]).size).toBe(1);
    expect(await texts(db)).toEqual(['one', 'three', 'two']);
  });

  it('a webhook whose commit fails is not answered as stored (the intake rejects); the others of its batch are routed once', async () => {
    const db = await open();
    domain = await openDomain(db);
    // Refuses the inbox row `boom` at commit: after every statement of its batch succeeded.
    await sql`create function refuse_boom() returns trigger language plpgsql as $$
      begin if new.key = 'boom' then raise exception 'refused at commit'; end if; return null; end
      $$`.execute(db.db);
    await sql`create constraint trigger refuse_boom after insert on desk_carrier_inbox
      deferrable initially deferred for each row execute function refuse_boom()`.execute(db.db);
    const outcomes = await Promise.allSettled([
      domain.intake({ row: row('a'), input: input('first', '+14155550121') }),
      domain.intake({ row: row('boom'), input: input('never', '+14155550122') }),
      domain.intake({ row: row('c'), input: input('third', '+14155550123') }),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.kind : o.status))).toEqual([
      'routed',
      'rejected',
      'routed',
    ]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/refused at commit/);
    expect(await texts(db)).toEqual(['first', 'third']);
    const keys = await db.db
      .selectFrom('desk_carrier_inbox')
      .select('key')
      .orderBy('key')
      .execute();
    expect(keys.map((k) => k.key)).toEqual(['a', 'c']);
    const created = await db.db
      .selectFrom('desk_events')
      .select('data')
      .where('type', '=', 'message.created')
      .execute();
    expect(
      created.map((e) => (JSON.parse(e.data) as { message: { text: string } }).message.text),
    ).toHaveLength(2);
  });
});
