/**
 * What a pipelined transaction writes to its connection (src/server/pg-pipeline.ts): `begin` goes
 * out with the first statement, and a last statement with its commit, each pair in one socket
 * write (one syscall, one wake-up of the server). A stand-in client writes each query to a
 * stream as pg does (synchronously, as it is asked for), so the writes can be counted.
 */
import { Writable } from 'node:stream';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { named } from '../../src/server/db.js';
import { pipelineClient } from '../../src/server/pg-pipeline.js';

function standIn() {
  const writes: string[][] = [];
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
    query(config: string | { name: string }) {
      stream.write(typeof config === 'string' ? config : config.name);
      const command = typeof config === 'string' ? config.toUpperCase() : 'INSERT';
      return Promise.resolve({ command, rows: [] } as unknown as pg.QueryResult);
    },
  };
  pipelineClient(client as unknown as pg.PoolClient);
  return { query: client.query as (text: string, values?: unknown[]) => Promise<unknown>, writes };
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
});
