/**
 * What a pipelined transaction writes to its connection (src/server/pg-pipeline.ts): `begin` goes
 * out with the first statement, a last statement with its commit, and a statement written ahead
 * behind the one that names it, each pair in one socket write (one syscall, one wake-up of the server). A stand-in client writes each query to a
 * stream as pg does (synchronously, as it is asked for), so the writes can be counted.
 */
import { Writable } from 'node:stream';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { named } from '../../src/server/db.js';
import { aheadOf, pipelineClient } from '../../src/server/pg-pipeline.js';

function standIn() {
  const writes: string[][] = [];
  /** The text of each named statement, as prepared. */
  const texts: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map((c) => (c.chunk as Buffer).toString()));
      done();
    },
  });
  const client = {
    connection: { stream },
    query(config: string | { name: string; text: string }) {
      if (typeof config !== 'string') texts.push(config.text);
      stream.write(typeof config === 'string' ? config : config.name);
      const command = typeof config === 'string' ? config.toUpperCase() : 'INSERT';
      return Promise.resolve({ command, rows: [] } as unknown as pg.QueryResult);
    },
  };
  pipelineClient(client as unknown as pg.PoolClient);
  return {
    query: client.query as (text: string, values?: unknown[]) => Promise<unknown>,
    writes,
    texts,
  };
}

describe('pipelined transactions: socket writes', () => {
  it('begin rides with the first statement, and commit with the last, one write each', async () => {
    const { query, writes } = standIn();
    await query('begin');
    expect(writes).toEqual([]); // not written alone
    await query(`${named('first')} select 1`, []);
    await query('select 2', []);
    await query(`${named('last', { thenCommit: true })} select 3`, []);
    await query('commit');
    expect(writes).toEqual([['begin', 'desk:first'], ['select 2'], ['desk:last+commit', 'commit']]);
  });

  it('a transaction with no statement writes begin with its end', async () => {
    const { query, writes } = standIn();
    await query('begin');
    await query('rollback');
    expect(writes).toEqual([['begin', 'rollback']]);
  });

  it('a statement ahead goes out in the same write, right behind the first, once', async () => {
    const { query, writes, texts } = standIn();
    const ahead = aheadOf({ sql: `${named('second')} select 2`, parameters: [] });
    await query('begin');
    await query(`${named('first', { ahead })} select 1`, []);
    ahead.release();
    expect(writes).toEqual([['begin', 'desk:first', 'desk:second']]);
    // Prepared under its name with one text whatever the token: the token is not sent.
    expect(texts).toEqual([`${named('first')} select 1`, `${named('second')} select 2`]);
    expect(await ahead.answer()).toMatchObject({ command: 'INSERT' });
    await query(`${named('first', { ahead })} select 1`, []); // released: nothing follows
    expect(writes.at(-1)).toEqual(['desk:first']);
  });

  it('a statement ahead whose first was not sent has no answer: its caller runs it', async () => {
    const { writes } = standIn();
    const ahead = aheadOf({ sql: `${named('second')} select 2`, parameters: [] });
    ahead.release();
    expect(ahead.answer()).toBeUndefined();
    expect(writes).toEqual([]);
  });
});
