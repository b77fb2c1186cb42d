/**
 * Group commit's overlap (src/server/receive-batcher.ts, `overlap`): on a database server, a
 * batch's answers and fan-out wait until the next batch's first statement is written, so that the
 * server runs it meanwhile. A stand-in driver records each statement as it is asked for (each
 * takes a few ms, as a round trip would) and the test records when each intake settles.
 */
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Incoming } from '../../src/server/domain.js';
import { createReceiveBatcher } from '../../src/server/receive-batcher.js';
import type { Tables } from '../../src/server/schema.js';

function standIn(log: string[]) {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      log.push(/^\s*(?:\/\*.*?\*\/)?\s*(\w+)/s.exec(query.sql)![1]!.toLowerCase());
      await new Promise((resolve) => setTimeout(resolve, 3));
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const run = (sql: string) => connection.executeQuery(CompiledQuery.raw(sql)).then(() => {});
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: () => run('begin'),
    commitTransaction: () => run('commit'),
    rollbackTransaction: () => run('rollback'),
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return new Kysely<Tables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

async function order(overlap: boolean): Promise<string[]> {
  const log: string[] = [];
  const batcher = createReceiveBatcher({
    db: standIn(log),
    run: async () => ({}) as Incoming,
    finish: async () => [],
    now: () => 1000,
    overlap,
  });
  const input = (from: string) => ({ senderId: 'alice-sms', from, text: 'hi' });
  const first = batcher.receive(input('+14155550101')).then(() => log.push('answer 1'));
  // Arrives while the first batch runs: the second batch.
  await new Promise((resolve) => setTimeout(resolve, 4));
  const second = batcher.receive(input('+14155550102')).then(() => log.push('answer 2'));
  await Promise.all([first, second]);
  return log;
}

describe('group commit overlap', () => {
  it('on a database server, a batch is answered once the next batch has begun', async () => {
    const log = await order(true);
    const committed = log.indexOf('commit');
    expect(log.slice(committed, committed + 3)).toEqual(['commit', 'begin', 'answer 1']);
    expect(log.at(-1)).toBe('answer 2');
  });

  it('without overlap (PGlite, on this thread), a batch is answered before the next begins', async () => {
    const log = await order(false);
    const committed = log.indexOf('commit');
    expect(log.slice(committed, committed + 3)).toEqual(['commit', 'answer 1', 'begin']);
  });
});
