/**
 * Helpers for the server's tests: a throwaway PostgreSQL cluster (Debian's `postgresql`, run as
 * the `postgres` user on a free port in a temp folder), server processes, and desks that read
 * the event stream with the HTTP adapter's own `EventStream` (so resume is the real client's).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { DeskError } from '../../src/errors.js';
import { EventStream, type StreamMessage } from '../../src/http/event-stream.js';
import { errorFromBody, parseRetryAfter } from '../../src/http/protocol.js';
import { openDatabase, type Database } from '../../src/server/db.js';
import { signToken, startServer, type ServerConfig } from '../../src/server/index.js';
import { demoSeed } from '../../examples/demo/seed.js';

export const SECRET = 'test-secret-test-secret-test-secret-42';
export const seed = demoSeed;
export const token = (userId: string, ttlSeconds = 3600) =>
  signToken(SECRET, userId, { ttlSeconds });

const TEMPLATE = 'node_modules/.cache/converse-desk/pglite-initdb.tar';

/**
 * A fresh PGlite database. PGlite's initdb takes seconds (tens under load), so it runs once per
 * machine: later databases load its dump (about 1 s).
 */
/** The team server in this process on `database`: the demo seed, HS256 tokens, no logs, a free port. */
export const startTestServer = (database: Database, config: Partial<ServerConfig> = {}) =>
  startServer({
    port: 0,
    database,
    logLevel: 'silent',
    seed,
    auth: { jwtSecret: SECRET },
    ...config,
  });

export async function openPglite(dataDir = 'memory://'): Promise<Database> {
  if (!existsSync(TEMPLATE)) {
    const { PGlite } = await import('@electric-sql/pglite');
    const lite = await PGlite.create('memory://');
    const dump = await lite.dumpDataDir('none');
    await lite.close();
    mkdirSync(join(TEMPLATE, '..'), { recursive: true });
    const temp = `${TEMPLATE}.${process.pid}`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, TEMPLATE); // atomic: parallel test files never read half a file
  }
  const loadDataDir = new Blob([readFileSync(TEMPLATE)]);
  return openDatabase(existsSync(dataDir) ? { dataDir } : { dataDir, loadDataDir });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
  const bin = version && join(root, version, 'bin');
  if (!bin || !existsSync(join(bin, 'initdb'))) {
    throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does).');
  }
  return bin;
}

export interface Postgres {
  /** The cluster's data folder (`postmaster.pid` is there). */
  dataDir: string;
  /** A new empty database on the cluster; `socket`: its URL through the Unix socket, not TCP. */
  createDatabase(options?: { socket?: boolean }): Promise<string>;
  stop(): void;
}

/** A throwaway cluster; `stop()` removes it. */
export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'desk-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asPostgres('pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 ${process.env.DESK_PG_OPTIONS ?? ''}`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  let n = 0;
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    dataDir: join(dir, 'data'),
    async createDatabase(options = {}) {
      const name = `desk_${process.pid}_${++n}`;
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      return options.socket
        ? `postgres://postgres@localhost:${port}/${name}?host=${encodeURIComponent(dir)}`
        : `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      try {
        asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Waits for the process to exit. */
  exited: Promise<number | null>;
}

/** The team server in its own process (so a test can SIGKILL it). */
export async function spawnServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  /** `built`: the package's bin (`npx converse-desk-server`, dist/) in demo mode, not the source. */
  from: 'source' | 'built' = 'source',
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    from === 'built'
      ? [...nodeArgs, 'bin/converse-desk-server.js']
      : [...nodeArgs, '--import', 'tsx', 'examples/server/team-server.ts'],
    {
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'warn',
        DESK_JWT_SECRET: SECRET,
        ...(from === 'built' ? { DESK_DEMO: '1' } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`server did not start: ${out}${err}`)),
      120_000,
    );
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${out}${err}`)));
  });
  return { url, child, exited };
}

export interface Desk {
  messages: StreamMessage[];
  /** Ids of the data events received (not resets), in order. */
  ids(): number[];
  stream: EventStream;
  stop(): void;
}

/**
 * A desk reading `/events` as `userId`; on a drop it resumes with `Last-Event-ID` on the next
 * URL of `urls` that answers (a load balancer in one line).
 */
export function openDesk(urls: () => string[], userId: string, ttlSeconds = 3600): Desk {
  const messages: StreamMessage[] = [];
  const stream = new EventStream({
    async open(lastEventId, signal) {
      let failure: unknown;
      for (const url of urls()) {
        try {
          const response = await fetch(`${url}/events`, {
            signal,
            headers: {
              authorization: `Bearer ${await token(userId, ttlSeconds)}`,
              accept: 'text/event-stream',
              ...(lastEventId && { 'last-event-id': lastEventId }),
            },
          });
          if (response.ok) return response;
          const body: unknown = await response.json().catch(() => null);
          const error = errorFromBody(response.status, body);
          const wait = parseRetryAfter(response.headers.get('retry-after'), Date.now());
          throw new DeskError(error.code, error.message, {
            details: { ...error.details, ...(wait !== undefined && { retryAfterMs: wait }) },
          });
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    },
    onMessage: (message) => messages.push(message),
    clock: systemClock,
    random: Math.random,
    backoff: { baseDelayMs: 50, maxDelayMs: 200, jitter: false },
    heartbeatTimeoutMs: 0,
  });
  stream.start();
  return {
    messages,
    ids: () => messages.filter((m) => m.event !== 'reset').map((m) => Number(m.id)),
    stream,
    stop: () => stream.stop(),
  };
}

export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition') {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function api(
  url: string,
  userId: string | null,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many shapes, read by the tests
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(userId && { authorization: `Bearer ${await token(userId)}` }),
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    headers: response.headers,
  };
}

/** A customer writes in through the demo carrier. */
export const incoming = (url: string, text: string, from = '+14155550100') =>
  api(url, 'ada', '/simulate/incoming', { body: { senderId: 'sam-sms', from, text } });
