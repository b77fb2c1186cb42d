/**
 * The reference server: docs/protocol.md on plain Node `http`, on top of the embedded backend, so
 * every rule (routing, care window, consent, opt-outs, business hours, status order, permissions)
 * is the SDK's own rule function, not a second implementation.
 *
 *   node --import tsx examples/server/server.ts [--port 8787] [--host 127.0.0.1]
 *        [--status-delay 400] [--reconnect 1000] [--ring-size 1000]
 *
 * Authentication: `Authorization: Bearer <token>`; by default each user's token is its user id
 * (`Bearer sam`). Demo only: `POST /simulate/incoming` lets a customer write in.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { BackendAdapter, SendRequest, ServerEvent } from '../../src/adapter.js';
import { EmbeddedBackend, type SeedData } from '../../src/embedded/index.js';
import { DeskError, isDeskError } from '../../src/errors.js';
import { errorBody, HEADERS, RESET_EVENT, STATUS_OF_CODE } from '../../src/http/protocol.js';
import type { ContactInput, UserId } from '../../src/types.js';
import { demoHistory, demoSeed } from '../demo/seed.js';

export interface ServerOptions {
  /** 0 picks a free port. Default 8787. */
  port?: number;
  host?: string;
  /** A backend to serve; by default a fresh in-memory one seeded with `seed`. */
  backend?: EmbeddedBackend;
  /** Default: the demo shop of `npm start`, with a little history. */
  seed?: SeedData;
  /** Token → user id. Default: every user's id is its own token. */
  tokens?: Record<string, UserId>;
  /** Events kept per user for `Last-Event-ID` resume. Default 1000. */
  ringSize?: number;
  /** Interval of the `: ping` comments on the event stream. Default 15 s. */
  heartbeatMs?: number;
  /** Base delay of the simulated provider's statuses (sent, delivered, read). Default 400 ms. */
  statusDelayMs?: number;
  /** The `retry:` the event stream announces (the client's base reconnection delay). Default 1 s. */
  reconnectMs?: number;
  /** The `/simulate/*` endpoints (demos and tests). Default true. */
  simulate?: boolean;
}

export interface ServerStats {
  /** Event streams open now, per user. */
  openStreams: Record<UserId, number>;
  /** Event stream connections accepted so far. */
  connections: number;
  /** Of those, the ones that resumed from a `Last-Event-ID` by replaying the missed events. */
  resumed: number;
  /** Of those, the ones whose `Last-Event-ID` was too old (answered with a `reset` event). */
  resets: number;
  /** `POST /messages` requests that reached the server, per idempotency key. */
  sendAttempts: Record<string, number>;
}

export interface RunningServer {
  url: string;
  port: number;
  backend: EmbeddedBackend;
  stats(): ServerStats;
  /** Cuts every open event stream; with `holdMs`, refuses new ones (503) for that long. */
  dropStreams(holdMs?: number): void;
  close(): Promise<void>;
}

interface Stream {
  userId: UserId;
  response: ServerResponse;
  heartbeat: ReturnType<typeof setInterval>;
}

interface Ring {
  events: Array<{ id: number; event: ServerEvent }>;
  /** The highest id dropped from the ring: a resume from before it would miss events. */
  dropped: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const REPLAYED = { 'Idempotent-Replayed': 'true' };
const MAX_BODY = 8 * 1024 * 1024;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const delay = options.statusDelayMs ?? 400;
  let backend = options.backend;
  if (!backend) {
    backend = await EmbeddedBackend.open({
      provider: { sentAfterMs: delay, deliveredAfterMs: delay * 3, readAfterMs: delay * 10 },
    });
    await backend.seed(options.seed ?? demoSeed);
    if (!options.seed) for (const incoming of demoHistory) await backend.simulateIncoming(incoming);
  }
  const desk = backend;
  const users = desk.listUsers();
  const tokens = options.tokens ?? Object.fromEntries(users.map((u) => [u.id, u.id]));
  const ringSize = options.ringSize ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const simulate = options.simulate ?? true;
  const reconnectMs = options.reconnectMs ?? 1000;

  // ---- the event log: one ring per user, ids from one counter ----------------------------------
  let seq = 0;
  const rings = new Map<UserId, Ring>();
  const streams = new Set<Stream>();
  const unsubscribes: Array<() => void> = [];
  for (const user of users) {
    const ring: Ring = { events: [], dropped: 0 };
    rings.set(user.id, ring);
    unsubscribes.push(
      desk.connect(user.id).subscribe((event) => {
        const id = ++seq;
        ring.events.push({ id, event });
        if (ring.events.length > ringSize) ring.dropped = ring.events.shift()!.id;
        for (const stream of streams) {
          if (stream.userId === user.id) writeEvent(stream.response, id, event);
        }
      }),
    );
  }

  const stats = {
    connections: 0,
    resumed: 0,
    resets: 0,
    sendAttempts: new Map<string, number>(),
  };
  let refuseStreamsUntil = 0;
  /** POST /contacts answers by (user, Idempotency-Key): the first answer, replayed. */
  const contactReplies = new Map<string, Promise<{ status: number; body: unknown }>>();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const query = url.searchParams;

    if (path === '/health') return sendJson(res, 200, { ok: true });
    if (path.startsWith('/simulate/')) {
      if (!simulate) throw new DeskError('not_found', 'Simulation is off.');
      return simulation(method, path, req, res);
    }

    const userId = authenticate(req);
    const api = desk.connect(userId);
    for (const [routeMethod, pattern, run] of routes) {
      if (routeMethod !== method) continue;
      const match = pattern.exec(path);
      if (match)
        return run({ api, userId, req, res, query, ids: match.slice(1).map(decodeURIComponent) });
    }
    throw new DeskError('not_found', `No route for ${method} ${path}.`);
  }

  interface Call {
    api: BackendAdapter;
    userId: UserId;
    req: IncomingMessage;
    res: ServerResponse;
    query: URLSearchParams;
    ids: string[];
  }
  const route = (
    method: string,
    path: string,
    run: (call: Call) => Promise<void> | void,
  ): [string, RegExp, (call: Call) => Promise<void> | void] => [
    method,
    new RegExp(`^${path.replace(/:id/g, '([^/]+)')}$`),
    run,
  ];
  const ok = (res: ServerResponse, body: unknown) => sendJson(res, 200, body);

  /** docs/protocol.md, one line per endpoint. */
  const routes = [
    route('GET', '/session', async ({ api, res }) => ok(res, await api.session())),
    route('GET', '/users', async ({ api, res }) => ok(res, whole(await api.listUsers()))),
    route('GET', '/sender-ids', async ({ api, res }) => ok(res, whole(await api.listSenderIds()))),
    route('GET', '/templates', async ({ api, res }) => ok(res, whole(await api.listTemplates()))),
    route('GET', '/contacts', async ({ api, res, query }) =>
      ok(res, await api.listContacts(pageQuery(query))),
    ),
    route('GET', '/contacts/search', async ({ api, res, query }) =>
      ok(res, { items: await api.searchContacts(query.get('q') ?? '', limitOf(query, 8)) }),
    ),
    route('POST', '/contacts', (call) => createContact(call)),
    route('PATCH', '/contacts/:id', async ({ api, res, req, ids }) =>
      ok(res, await api.updateContact(ids[0]!, contactInput(await readObject(req), true))),
    ),
    route('GET', '/recipients/:id', async ({ api, res, ids }) =>
      ok(res, await api.getRecipient(ids[0]!)),
    ),
    route('GET', '/conversations', async ({ api, res, query }) => {
      const teamMember = query.get('teamMember');
      const scope = teamMember ? { scope: { teamMember } } : {};
      ok(res, await api.listConversations({ ...pageQuery(query), ...scope }));
    }),
    route('GET', '/conversations/:id/messages', async ({ api, res, query, ids }) =>
      ok(res, await api.listMessages(ids[0]!, pageQuery(query))),
    ),
    route('POST', '/conversations/read', async ({ api, res, req }) => {
      const body = await readObject(req);
      const ids = stringArray(body.conversationIds, 'conversationIds');
      if (typeof body.read !== 'boolean') throw invalid('`read` must be true or false.');
      const mode = body.mode ?? 'owner';
      if (mode !== 'owner' && mode !== 'admin') throw invalid('`mode` is owner or admin.');
      ok(res, { items: await api.markRead(ids, body.read, mode) });
    }),
    route('POST', '/conversations/assign', async ({ api, res, req }) => {
      const body = await readObject(req);
      const ids = stringArray(body.conversationIds, 'conversationIds');
      if (typeof body.assigneeId !== 'string') throw invalid('`assigneeId` is required.');
      ok(res, { items: await api.assign(ids, body.assigneeId) });
    }),
    route('POST', '/messages', async ({ api, res, req }) => {
      const key = idempotencyKey(req);
      stats.sendAttempts.set(key, (stats.sendAttempts.get(key) ?? 0) + 1);
      const request: SendRequest = { idempotencyKey: key, ...sendBody(await readObject(req)) };
      // The backend sends at most once per key; a repeat answers the first message (200).
      const replay = accepted.has(key);
      const result = await api.send(request);
      accepted.add(key);
      sendJson(res, replay ? 200 : 201, result, replay ? REPLAYED : {});
    }),
    route('POST', '/messages/:id/retry', async ({ api, res, req, ids }) =>
      ok(res, await api.retry(ids[0]!, idempotencyKey(req))),
    ),
    route('GET', '/events', ({ userId, req, res, query }) => openStream(userId, req, res, query)),
  ];

  /** Keys whose send the backend accepted: a later POST with one is a replay. */
  const accepted = new Set<string>();

  async function createContact({ api, userId, req, res }: Call): Promise<void> {
    const key = req.headers['idempotency-key'];
    const run = async () => {
      try {
        return { status: 201, body: await api.createContact(contactInput(await readObject(req))) };
      } catch (error) {
        const e = toDeskError(error);
        return { status: STATUS_OF_CODE[e.code], body: errorBody(e) };
      }
    };
    if (typeof key !== 'string' || !key) {
      const { status, body } = await run();
      return sendJson(res, status, body);
    }
    // One run per (user, key), concurrent repeats included; a refusal is forgotten (section 3).
    const slot = `${userId} ${key}`;
    let reply = contactReplies.get(slot);
    const replay = reply !== undefined;
    if (!reply) {
      contactReplies.set(slot, (reply = run()));
      if (contactReplies.size > 10_000) contactReplies.delete(contactReplies.keys().next().value!);
    }
    const { status, body } = await reply;
    if (status !== 201) contactReplies.delete(slot);
    sendJson(res, replay && status === 201 ? 200 : status, body, replay ? REPLAYED : {});
  }

  function openStream(
    userId: UserId,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): void {
    if (Date.now() < refuseStreamsUntil) {
      const wait = Math.ceil((refuseStreamsUntil - Date.now()) / 1000);
      return sendJson(res, 503, errorBody(new DeskError('server', 'The event stream is paused.')), {
        [HEADERS.retryAfter]: String(wait),
      });
    }
    const ring = rings.get(userId)!;
    const header = req.headers['last-event-id'];
    const from = (typeof header === 'string' ? header : undefined) ?? query.get('lastEventId');
    stats.connections++;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${reconnectMs}\n\n`);
    const last = from === null || from === undefined || from === '' ? undefined : Number(from);
    if (last === undefined) {
      // A fresh connection: the current position, so a drop before any event loses nothing.
      res.write(`id: ${seq}\n\n`);
    } else if (!Number.isInteger(last) || last > seq || last < ring.dropped) {
      stats.resets++;
      res.write(`id: ${seq}\nevent: ${RESET_EVENT}\ndata: {}\n\n`);
    } else {
      stats.resumed++;
      for (const { id, event } of ring.events) if (id > last) writeEvent(res, id, event);
    }
    const stream: Stream = {
      userId,
      response: res,
      heartbeat: setInterval(() => res.write(`: ping\n\n`), heartbeatMs),
    };
    streams.add(stream);
    const end = () => {
      clearInterval(stream.heartbeat);
      streams.delete(stream);
    };
    res.on('close', end);
    req.on('close', end);
  }

  async function simulation(
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (method === 'POST' && path === '/simulate/incoming') {
      const body = await readObject(req);
      const { conversation, message, routing } = await desk.simulateIncoming({
        senderId: String(body.senderId ?? ''),
        from: String(body.from ?? ''),
        text: typeof body.text === 'string' ? body.text : undefined,
      });
      return sendJson(res, 201, { conversation, message, routing });
    }
    if (method === 'POST' && path === '/simulate/drop-streams') {
      const body = await readObject(req).catch(() => ({}) as Record<string, unknown>);
      running.dropStreams(Number(body.holdMs) || 0);
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'GET' && path === '/simulate/stats') return sendJson(res, 200, running.stats());
    throw new DeskError('not_found', `No route for ${method} ${path}.`);
  }

  function authenticate(req: IncomingMessage): UserId {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const userId = match ? tokens[match[1]!.trim()] : undefined;
    if (!userId) throw new DeskError('unauthorized', 'A valid bearer token is required.');
    return userId;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const running: RunningServer = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    backend: desk,
    stats() {
      const openStreams: Record<UserId, number> = {};
      for (const s of streams) openStreams[s.userId] = (openStreams[s.userId] ?? 0) + 1;
      return {
        openStreams,
        connections: stats.connections,
        resumed: stats.resumed,
        resets: stats.resets,
        sendAttempts: Object.fromEntries(stats.sendAttempts),
      };
    },
    dropStreams(holdMs = 0) {
      refuseStreamsUntil = holdMs > 0 ? Date.now() + holdMs : 0;
      for (const stream of [...streams]) stream.response.destroy();
    },
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const stream of [...streams]) stream.response.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return running;
}

// ---- helpers ---------------------------------------------------------------------------------

/** A small list as one page. */
const whole = <T>(items: T[]) => ({ items, nextCursor: null });

function writeEvent(res: ServerResponse, id: number, event: ServerEvent): void {
  res.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin || !LOCAL_ORIGIN.test(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    'Authorization, Content-Type, Accept, Idempotency-Key, Last-Event-ID',
  );
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Idempotent-Replayed');
  res.setHeader('Access-Control-Max-Age', '600');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function toDeskError(error: unknown): DeskError {
  if (isDeskError(error)) return error;
  return new DeskError('server', 'The server failed.', { cause: error });
}

function sendError(res: ServerResponse, error: unknown): void {
  const e = toDeskError(error);
  if (!isDeskError(error)) console.error(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, STATUS_OF_CODE[e.code], errorBody(e));
}

const invalid = (message: string) => new DeskError('invalid_input', message);

async function readObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw invalid('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('The request body is not JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function idempotencyKey(req: IncomingMessage): string {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !key.trim() || key.length > 255) {
    throw invalid('An Idempotency-Key header (1 to 255 characters) is required.');
  }
  return key.trim();
}

function sendBody(body: Record<string, unknown>): Omit<SendRequest, 'idempotencyKey'> {
  const target = body.target as Record<string, unknown> | undefined;
  const content = body.content as Record<string, unknown> | undefined;
  if (!target || typeof target !== 'object') throw invalid('`target` is required.');
  if (!content || typeof content !== 'object') throw invalid('`content` is required.');
  if (typeof target.conversationId === 'string') {
    return { target: { conversationId: target.conversationId }, content };
  }
  if (typeof target.senderId === 'string' && typeof target.customer === 'string') {
    return { target: { senderId: target.senderId, customer: target.customer }, content };
  }
  throw invalid('`target` is { conversationId } or { senderId, customer }.');
}

const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'phone',
  'countryCallingCode',
  'nationalNumber',
  'email',
] as const;

/** A contact body: known text fields only; the backend applies the rules (S2, CT1). */
function contactInput(body: Record<string, unknown>, patch = false): ContactInput {
  const input: Record<string, string> = {};
  for (const field of CONTACT_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalid(`\`${field}\` must be text.`);
    input[field] = value;
  }
  if (!patch && !input.firstName) throw invalid('A contact needs a name.');
  return input as unknown as ContactInput;
}

function stringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(`\`${name}\` must be a list of ids.`);
  }
  return value;
}

function limitOf(query: URLSearchParams, fallback?: number): number | undefined {
  const raw = query.get('limit');
  if (raw === null || raw === '') return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw invalid('`limit` is a positive whole number.');
  return limit;
}

function pageQuery(query: URLSearchParams): { cursor?: string; limit?: number } {
  const cursor = query.get('cursor');
  const limit = limitOf(query);
  return { ...(cursor && { cursor }), ...(limit !== undefined && { limit }) };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0) return process.argv[index + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

// `node --import tsx examples/server/server.ts`: start it and say where.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(argument('port') ?? process.env.PORT ?? 8787);
  const number = (name: string) => {
    const value = argument(name);
    return value === undefined ? undefined : Number(value);
  };
  const running = await startServer({
    port,
    host: argument('host') ?? '127.0.0.1',
    statusDelayMs: number('status-delay'),
    reconnectMs: number('reconnect'),
    ringSize: number('ring-size'),
  });
  console.log(`Converse Desk reference server listening on ${running.url}`);
  console.log(
    `Tokens: ${running.backend
      .listUsers()
      .map((u) => u.id)
      .join(', ')} (Bearer <user id>)`,
  );
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
