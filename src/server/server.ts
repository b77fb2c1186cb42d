/**
 * `startServer(config)`: the team-grade desk server. Fastify serves docs/protocol.md; each write
 * is one transaction holding its idempotency claim, the domain's change and the events it
 * emitted; the hub fans the log out to this instance's streams, NOTIFY wakes every instance.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendAdapter } from '../adapter.js';
import { systemClock } from '../clock.js';
import { DeskError, isDeskError } from '../errors.js';
import { errorBody, STATUS_OF_CODE } from '../http/protocol.js';
import { bearer, createVerifier, type Verifier } from './auth.js';
import { DEFAULT_RATE_LIMIT, type ServerConfig } from './config.js';
import { openDatabase, type Database } from './db.js';
import { startCarriers } from './carriers/start.js';
import { WEBHOOK_PREFIX } from './carriers/mount.js';
import type { RawRoute } from './carriers/raw-route.js';
import { createOutbound } from './carriers/outbound.js';
import { registerDemoRoutes } from './demo.js';
import { wipeDesk } from './demo-reset.js';
import { openPostgresDomain } from './pg-domain.js';
import { appendEvents } from './event-log.js';
import { EventHub } from './hub.js';
import { claimKey, recordAnswer } from './idempotency.js';
import { JobRunner, scheduleJob } from './jobs.js';
import { MAINTENANCE, maintenanceJob } from './maintenance.js';
import { registerRoutes, type Answer } from './routes.js';
import { Streams, type StreamStats } from './streams.js';

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  database: Database;
  /** Demo mode: the HS256 secret the token issuer signs with. */
  demoSecret?: string;
  stats(): StreamStats;
  /** Ends every event stream; clients resume. */
  endStreams(): void;
  /** Graceful: streams end, requests in flight finish, jobs stop, the database closes. */
  close(): Promise<void>;
}

const HOUR = 3600_000;

export async function startServer(config: ServerConfig = {}): Promise<RunningServer> {
  const demo = config.demo ?? false;
  const demoSecret =
    demo && !config.auth?.jwtSecret && !config.auth?.jwksUrl
      ? randomBytes(32).toString('base64url')
      : undefined;
  const auth = demoSecret ? { ...config.auth, jwtSecret: demoSecret } : (config.auth ?? {});
  const verify: Verifier = createVerifier(auth);
  const retentionMs = config.eventRetentionMs ?? 72 * HOUR;
  const clock = config.clock ?? systemClock;

  /** Webhooks, answered ahead of Fastify (carriers/raw-route.ts); unset while closing. */
  let rawRoute: RawRoute | undefined;
  // A body that stalls this long (no byte) is cut; streams turn it off for themselves.
  const connectionTimeout = config.bodyTimeoutMs ?? 30_000;
  const requestTimeout = 4 * connectionTimeout;
  const app = Fastify({
    serverFactory: (handler) => {
      const server = createHttpServer((req, res) => {
        if (!rawRoute?.(req, res)) handler(req, res);
      });
      // What Fastify sets on a server it creates itself (its default keep-alive).
      server.keepAliveTimeout = 72_000;
      server.requestTimeout = requestTimeout;
      server.setTimeout(connectionTimeout);
      return server;
    },
    logger: { level: config.logLevel ?? 'info' },
    bodyLimit: config.bodyLimit ?? 8 * 1024 * 1024,
    connectionTimeout,
    requestTimeout,
    forceCloseConnections: false,
    return503OnClosing: true,
    // No coercion: a number or a list where text is expected is invalid_input, not converted.
    ajv: { customOptions: { coerceTypes: false } },
  });
  const log = app.log;
  const database =
    config.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir ?? '.desk-data',
      poolSize: config.poolSize,
      onError: (error) => log.error({ err: error }, 'database'),
    }));
  const { db } = database;

  // Configured carriers send for the engine; without them (the demo) the simulation does.
  const outbound = config.carriers?.providers.length
    ? createOutbound({
        db,
        carriers: config.carriers,
        ...(config.carrierRetryMs !== undefined && { retryAfterMs: config.carrierRetryMs }),
        onError: (error) => log.warn({ err: error }, 'carrier send'),
      })
    : undefined;
  const delay = config.statusDelayMs ?? 400;
  const domain = await openPostgresDomain({
    database,
    ...(config.seed && { seed: config.seed }),
    clock,
    history: config.history ?? [],
    ...(outbound
      ? { provider: outbound.provider }
      : config.provider && { provider: config.provider }),
    simulation: demo
      ? { sentAfterMs: delay, deliveredAfterMs: delay * 3, readAfterMs: delay * 10 }
      : {},
  });
  // Events of commands run outside any unit (a provider calling the engine directly).
  let spontaneous = Promise.resolve();
  domain.onEvents((events) => {
    spontaneous = spontaneous
      .then(() => db.transaction().execute((tx) => appendEvents(tx, events, clock.now())))
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error }, 'event log'),
      );
  });

  const hub = new EventHub(database, {
    pollMs: config.pollMs ?? 2000,
    coalesceMs: config.streams?.coalesceMs ?? 0,
    onError: (error) => log.error({ err: error }, 'hub'),
  });
  await hub.start();
  domain.onCommitted((events) => hub.offer(events));
  const streams = new Streams(db, hub, {
    perUser: config.streams?.perUser ?? 8,
    heartbeatMs: config.streams?.heartbeatMs ?? 15_000,
    reconnectMs: config.streams?.reconnectMs ?? 1000,
    maxBufferedBytes: config.streams?.maxBufferedBytes ?? 1024 * 1024,
    maxReplay: config.streams?.maxReplay ?? 10_000,
  });
  const jobs = new JobRunner(
    database,
    {
      ...domain.jobs,
      [MAINTENANCE]: maintenanceJob(db, clock, retentionMs),
      ...outbound?.jobs,
    },
    {
      now: () => clock.now(),
      onError: (error, kind) => log.error({ err: error, kind }, 'job failed'),
    },
  );
  await scheduleJob(db, { kind: MAINTENANCE, uniqueKey: MAINTENANCE }, clock.now());
  await jobs.start();

  // ---- HTTP ------------------------------------------------------------------------------------
  await app.register(cors, {
    origin: config.corsOrigins ?? (demo ? [/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/] : false),
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Idempotency-Key', 'Last-Event-ID'],
    exposedHeaders: ['Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0]!;
    if (request.method === 'OPTIONS' || path === '/health' || path === '/demo/token') return;
    if (path.startsWith(WEBHOOK_PREFIX)) return; // carriers authenticate by signature
    try {
      const token = bearer(request.headers.authorization);
      if (!token) throw new DeskError('unauthorized', 'A bearer token is required.');
      const identity = await verify(token);
      if (!(await domain.hasUser(identity.userId))) {
        throw new DeskError('unauthorized', 'The token names no user of this desk.');
      }
      request.identity = identity;
    } catch (error) {
      request.authError = error; // refused after the rate limit (below) counted the attempt
    }
  });
  await app.register(rateLimit, {
    max: (config.rateLimit ?? DEFAULT_RATE_LIMIT).max,
    timeWindow: (config.rateLimit ?? DEFAULT_RATE_LIMIT).windowMs,
    keyGenerator: (request) => request.identity?.userId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new DeskError('rate_limited', `Too many requests; retry in ${context.after}.`, {
        details: { retryAfterMs: context.ttl },
      }),
  });
  // Refused after the rate limit (a route-level onRequest hook): unauthenticated requests count
  // against their address, so token guessing is rate-limited too.
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.authError) throw request.authError;
    return payload;
  });
  app.setErrorHandler((error, request, reply) => {
    const e = toDeskError(error);
    if (e.code === 'server') request.log.error({ err: error }, 'request failed');
    const status =
      (error as { statusCode?: number }).statusCode === 413 ? 413 : STATUS_OF_CODE[e.code];
    void reply.code(status).send(errorBody(e));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(
        errorBody(new DeskError('not_found', `No route for ${request.method} ${request.url}.`)),
      );
  });
  app.get('/health', async () => ({ ok: true }));

  const userOf = (request: FastifyRequest) => request.identity!.userId;
  const read = async <T>(request: FastifyRequest, query: (api: BackendAdapter) => Promise<T>) =>
    (await domain.run(db, userOf(request), query)).result;

  /**
   * One transaction: the key's claim, the change, its events. A refusal rolls all back. A key
   * seen before replays its answer only once the command passed the permission checks again
   * (docs/protocol.md section 3): a keyed command is a contact (any user of the desk, which the
   * auth hook just checked) or a send or retry, which the engine replays after its own checks
   * without acting (no events).
   */
  async function write(
    request: FastifyRequest,
    status: number,
    command: (api: BackendAdapter) => Promise<unknown>,
    key?: string,
    engineKeyed = false,
  ): Promise<Answer> {
    const userId = userOf(request);
    return db.transaction().execute(async (tx) => {
      const now = clock.now();
      const stored = key ? await claimKey(tx, userId, key, now) : null;
      if (stored && !engineKeyed) return { ...stored, replayed: true };
      const { result, events } = await domain.run(tx, userId, command);
      if (stored && events.length === 0) return { ...stored, replayed: true };
      if (key) await recordAnswer(tx, userId, key, { status, body: result });
      await appendEvents(tx, events, now);
      return { status, body: result };
    });
  }

  registerRoutes(app, {
    read,
    write,
    async openStream(request, reply) {
      const userId = userOf(request);
      if (!streams.hasRoom(userId)) {
        void reply.header('Retry-After', '5');
        throw new DeskError('rate_limited', 'Too many event streams for this user.');
      }
      const header = request.headers['last-event-id'];
      const query = (request.query as { lastEventId?: string }).lastEventId;
      reply.hijack();
      const headers = Object.fromEntries(
        Object.entries(reply.getHeaders()).map(([k, v]) => [k, String(v)]),
      );
      await streams.open(
        userId,
        reply.raw,
        headers,
        typeof header === 'string' ? header : query,
        request.identity!.expiresAt,
      );
    },
  });
  const carriers = await startCarriers(app, config, {
    db,
    domain,
    log,
    ...(outbound && { outbound }),
    rawRoute: (route) => (rawRoute = route),
  });
  if (demo) {
    registerDemoRoutes(app, {
      secret: auth.jwtSecret!,
      domain,
      // The phone simulator writes through the simulated carrier's signed webhook.
      receive: (input) => carriers.customerWrites(input),
      simulate: (simulation) =>
        db.transaction().execute(async (tx) => {
          const { result, events } = await domain.simulate(tx, simulation);
          await appendEvents(tx, events, clock.now());
          return result;
        }),
      endStreams: () => streams.endAll(),
      stats: () => streams.stats(),
      async reset() {
        await db.transaction().execute(async (tx) => {
          await wipeDesk(tx);
          await domain.reseed(tx);
        });
        streams.endAll(); // each desk resumes from before the horizon: `reset`, then reloads
      },
    });
  }

  await app.listen({ port: config.port ?? 8787, host: config.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    app,
    database,
    ...(demoSecret && { demoSecret }),
    stats: () => streams.stats(),
    endStreams: () => streams.endAll(),
    close() {
      closing ??= (async () => {
        streams.endAll();
        carriers.close();
        await app.close();
        await hub.stop();
        await jobs.stop();
        await spontaneous;
        await domain.close();
        if (!config.database) await database.close();
      })();
      return closing;
    },
  };
}

function toDeskError(error: unknown): DeskError {
  if (isDeskError(error)) return error;
  const e = error as { validation?: unknown; statusCode?: number; message?: string };
  if (e.validation || (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)) {
    return new DeskError('invalid_input', e.message ?? 'The request is not valid.');
  }
  return new DeskError('server', 'The server failed.', { cause: error });
}
