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
 * (`Bearer sam`). Demo only, signed in like every route: `POST /simulate/incoming` lets a customer
 * write in, through the simulated carrier's signed webhook (`POST /webhooks/simulator`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { BackendAdapter } from '../../src/adapter.js';
import { EmbeddedBackend } from '../../src/embedded/index.js';
import { DeskError } from '../../src/errors.js';
import type { UserId } from '../../src/types.js';
import { demoHistory, demoSeed } from '../demo/seed.js';
import { EventStreams } from './event-streams.js';
import type { RunningServer, ServerOptions } from './options.js';
import { createRoutes } from './routes.js';
import { SIMULATOR_WEBHOOK, simulatedCarrier } from './simulated-carrier.js';
import { cors, readObject, sendError, sendJson } from './support.js';

export type { RunningServer, ServerOptions, ServerStats } from './options.js';

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
  const tokens = options.tokens ?? Object.fromEntries(desk.listUsers().map((u) => [u.id, u.id]));
  const simulate = options.simulate ?? true;
  const streams = new EventStreams(desk, {
    ringSize: options.ringSize ?? 1000,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    reconnectMs: options.reconnectMs ?? 1000,
  });
  const sendAttempts = new Map<string, number>();
  const routes = createRoutes({
    sendAttempts,
    openStream: ({ userId, req, res, query }) => streams.open(userId, req, res, query),
  });
  const sockets = new Set<Socket>();
  /** The customer's side (demo): set once the server knows its URL, which the carrier signs. */
  let carrier: ReturnType<typeof simulatedCarrier> | undefined;

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
    if (path === SIMULATOR_WEBHOOK && method === 'POST' && carrier) {
      // Signed by the simulated carrier: no token, like a carrier's webhook.
      const { status, body } = await carrier.route(req);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      return;
    }
    const userId = authenticate(req);
    if (path.startsWith('/simulate/')) {
      if (!simulate || !carrier) throw new DeskError('not_found', 'Simulation is off.');
      return simulation(method, path, req, res, desk.connect(userId));
    }

    const api = desk.connect(userId);
    for (const [routeMethod, pattern, run] of routes) {
      if (routeMethod !== method) continue;
      const match = pattern.exec(path);
      if (match)
        return run({ api, userId, req, res, query, ids: match.slice(1).map(decodeURIComponent) });
    }
    throw new DeskError('not_found', `No route for ${method} ${path}.`);
  }

  async function simulation(
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
    api: BackendAdapter,
  ): Promise<void> {
    if (method === 'POST' && path === '/simulate/incoming') {
      const body = await readObject(req);
      const { conversation, message, routing } = await carrier!.customerWrites(api, {
        senderId: body.senderId,
        from: body.from,
        ...(body.text !== undefined && { text: body.text }),
      });
      return sendJson(res, 201, { conversation, message, routing });
    }
    if (method === 'POST' && path === '/simulate/drop-streams') {
      const body = await readObject(req).catch(() => ({}) as Record<string, unknown>);
      streams.drop(Number(body.holdMs) || 0);
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
  if (simulate) carrier = simulatedCarrier(desk, `http://${host}:${address.port}`);

  const running: RunningServer = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    backend: desk,
    stats: () => ({
      openStreams: streams.openStreams(),
      ...streams.stats,
      sendAttempts: Object.fromEntries(sendAttempts),
    }),
    dropStreams: (holdMs = 0) => streams.drop(holdMs),
    async close() {
      streams.close();
      carrier?.close();
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
