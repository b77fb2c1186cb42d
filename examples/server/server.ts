/**
 * The reference server: docs/protocol.md on plain Node `http`, on the desk engine (through the
 * embedded backend's memory repository and simulated provider), so every rule (routing, care
 * window, consent, opt-outs, business hours, status order, permissions, idempotency per user) is
 * the engine's, not a second implementation. Bodies are checked with the engine's schemas.
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
import { EmbeddedBackend } from '../../src/embedded/index.js';
import {
  AssignSchema,
  ContactInputSchema,
  ContactPatchSchema,
  MarkReadSchema,
  parseInput,
  SendRequestSchema,
} from '../../src/engine/schemas.js';
import { DeskError } from '../../src/errors.js';
import { errorBody, HEADERS, RESET_EVENT, STATUS_OF_CODE } from '../../src/http/protocol.js';
import type { UserId } from '../../src/types.js';
import {
  cors,
  idempotencyKey,
  limitOf,
  pageQuery,
  readObject,
  sendError,
  sendJson,
  toDeskError,
  whole,
  writeEvent,
} from './support.js';
import { demoHistory, demoSeed } from '../demo/seed.js';
import type { RunningServer, ServerOptions } from './options.js';

export type { RunningServer, ServerOptions, ServerStats } from './options.js';

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

const REPLAYED = { 'Idempotent-Replayed': 'true' };

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
      ok(
        res,
        await api.updateContact(ids[0]!, parseInput(ContactPatchSchema, await readObject(req))),
      ),
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
      const { conversationIds, read, mode } = parseInput(MarkReadSchema, {
        ...body,
        mode: body.mode ?? 'owner',
      });
      ok(res, { items: await api.markRead(conversationIds, read, mode) });
    }),
    route('POST', '/conversations/assign', async ({ api, res, req }) => {
      const body = parseInput(AssignSchema, await readObject(req));
      ok(res, { items: await api.assign(body.conversationIds, body.assigneeId) });
    }),
    route('POST', '/messages', async ({ api, res, req, userId }) => {
      const key = idempotencyKey(req);
      stats.sendAttempts.set(key, (stats.sendAttempts.get(key) ?? 0) + 1);
      const body = await readObject(req);
      const request = parseInput(SendRequestSchema, { ...body, idempotencyKey: key });
      // The engine sends at most once per user and key; a repeat answers the first message (200).
      const slot = `${userId} ${key}`;
      const replay = accepted.has(slot);
      const result = await api.send(request as SendRequest);
      accepted.add(slot);
      sendJson(res, replay ? 200 : 201, result, replay ? REPLAYED : {});
    }),
    route('POST', '/messages/:id/retry', async ({ api, res, req, ids }) =>
      ok(res, await api.retry(ids[0]!, idempotencyKey(req))),
    ),
    route('GET', '/events', ({ userId, req, res, query }) => openStream(userId, req, res, query)),
  ];

  /** (User, key) pairs whose send the engine accepted: a later POST with one is a replay. */
  const accepted = new Set<string>();

  async function createContact({ api, userId, req, res }: Call): Promise<void> {
    const key = req.headers['idempotency-key'];
    const run = async () => {
      try {
        const input = parseInput(ContactInputSchema, await readObject(req));
        return { status: 201, body: await api.createContact(input) };
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
        // Checked by the engine's schema: a bad field is invalid_input, named.
        senderId: body.senderId as string,
        from: body.from as string,
        text: body.text as string | undefined,
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
