/**
 * What the PostgreSQL pool's connections do to a transaction's round trips. The connections run
 * in pg's pipeline mode (a query is written as soon as it is asked for, each with its own Sync),
 * and each connection's `query` is wrapped so that:
 * - the hot statements (`named`) are named prepared statements: parsed and planned once per
 *   connection;
 * - `begin` is not waited for: it is written with the transaction's first statement, in one
 *   socket write, which answers once both did (if `begin` failed, so does that statement);
 * - a statement named `{ thenCommit: true }` (a group commit's last write) has its `commit`
 *   written right behind it, in the same socket write. When Kysely then commits, it gets that
 *   commit's answer: `COMMIT`, or `ROLLBACK` when the statement failed (PostgreSQL answers a
 *   commit in a failed transaction so, and Kysely throws AbortedTransactionError for it). Either
 *   way nothing is half-committed, and the caller, which awaits the transaction, learns it
 *   failed. A statement asked for after that commit is refused: it would run outside the
 *   transaction;
 * - a statement named `{ ahead }` has another statement (`aheadOf`) written right behind it, in
 *   the same socket write: one round trip for two statements when the second needs nothing from
 *   the first's answer. PostgreSQL runs it after the first (in its own snapshot, so it sees what
 *   the first waited for, a lock say); its answer is kept for the caller (`Ahead.answer`).
 * PGlite has no round trips: it ignores the names (SQL comments) and commits as usual.
 */
import type { Writable } from 'node:stream';
import type pg from 'pg';

/** `/* desk:name *\/` (or `desk:name+commit`, `desk:name+ahead:7`) at a statement's start. */
const NAMED = /^\/\* (desk:[\w-]+(\+commit)?)(?:\+ahead:(\d+))? \*\//;

/**
 * The comment that makes a statement a named prepared statement on PostgreSQL; `thenCommit`: the
 * transaction's last statement, its commit sent with it; `ahead`: a statement to write right
 * behind it (see above).
 */
export const named = (name: string, options: { thenCommit?: boolean; ahead?: Ahead } = {}) =>
  `/* desk:${name}${options.thenCommit ? '+commit' : ''}${options.ahead ? `+ahead:${options.ahead.token}` : ''} */`;

/** A statement to be written behind another (`named(…, { ahead })`). */
export interface Ahead {
  readonly token: number;
  /** Its answer, when it was written behind the other (PostgreSQL); else run it yourself. */
  answer(): Promise<pg.QueryResult> | undefined;
  /** Once the other statement answered: it can no longer be taken. */
  release(): void;
}

interface Follower {
  text: string;
  values: readonly unknown[];
  answer?: Promise<pg.QueryResult>;
}
const followers = new Map<number, Follower>();
let tokens = 0;

/** `query` (a named statement: see `named`) as an `Ahead`, to put in another's `named`. */
export function aheadOf(query: { sql: string; parameters: readonly unknown[] }): Ahead {
  const token = ++tokens;
  const follower: Follower = { text: query.sql, values: query.parameters };
  followers.set(token, follower);
  return {
    token,
    answer: () => follower.answer,
    release: () => void followers.delete(token),
  };
}

type Query = (...args: unknown[]) => Promise<pg.QueryResult>;
const result = (command: string): pg.QueryResult =>
  ({ command, rowCount: null, oid: 0, rows: [], fields: [] }) as pg.QueryResult;
/** Answered (and handled) later: never an unhandled rejection meanwhile. */
const held = <T>(promise: Promise<T>) => (promise.catch(() => undefined), promise);

/** Wraps a pool connection's `query` (the pool's `connect` event). */
export function pipelineClient(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  // Each message pg writes is one syscall (a query's own are corked into one): corked here too,
  // `begin` and the first statement, or a last statement and its commit, are one write, which
  // wakes the server once.
  const connection = (
    client as unknown as { connection?: { stream?: Partial<Pick<Writable, 'cork' | 'uncork'>> } }
  ).connection;
  const cork = () => connection?.stream?.cork?.();
  const uncork = () => connection?.stream?.uncork?.();
  /** `begin` asked for, not written yet: it goes with the next statement. */
  let beginning = false;
  /** The commit written behind a last statement, not yet asked for. */
  let committing: Promise<pg.QueryResult> | undefined;

  /** `text` as a named prepared statement when it says so. */
  const statement = (text: string, values?: readonly unknown[]) => {
    const name = Array.isArray(values) ? NAMED.exec(text) : null;
    // The token is not part of the statement: one text per name, prepared once.
    if (name?.[3]) text = text.replace(`+ahead:${name[3]}`, '');
    return {
      name,
      answer: name ? query({ name: name[1], text, values }) : query(text, values),
    };
  };

  const send = (text: string, values?: unknown[]): Promise<pg.QueryResult> => {
    const first = beginning;
    beginning = false;
    cork();
    let begun: Promise<pg.QueryResult> | undefined;
    let sent: Promise<pg.QueryResult>;
    try {
      if (first) begun = held(query('begin'));
      const { name, answer } = statement(text, values);
      sent = answer;
      const follower = name?.[3] ? followers.get(Number(name[3])) : undefined;
      if (follower) {
        followers.delete(Number(name![3]));
        follower.answer = held(statement(follower.text, follower.values).answer);
      }
      if (name?.[2]) committing = held(query('commit'));
    } finally {
      uncork();
    }
    return begun ? Promise.all([begun, sent]).then(([, r]) => r) : sent;
  };

  client.query = ((text: unknown, values?: unknown, ...rest: unknown[]) => {
    // Callbacks, query objects: untouched (this code base sends neither on the pool).
    if (typeof text !== 'string' || typeof values === 'function' || rest.length) {
      if (beginning) void held(query('begin')); // still first on the wire
      beginning = false;
      return query(text, values, ...rest);
    }
    if (committing) {
      const commit = committing;
      committing = undefined;
      if (text === 'commit') return commit;
      // After a failure: the commit already ended the transaction (as a rollback, or not).
      if (text === 'rollback')
        return commit.then(
          () => result('ROLLBACK'),
          () => result('ROLLBACK'),
        );
      return Promise.reject(new Error(`"${text.slice(0, 40)}" after the transaction's commit`));
    }
    if (text === 'begin' && !beginning) {
      beginning = true;
      return Promise.resolve(result('BEGIN'));
    }
    return send(text, values as unknown[] | undefined);
  }) as typeof client.query;
}
