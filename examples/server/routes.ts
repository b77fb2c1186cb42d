/**
 * The reference server's routes: docs/protocol.md, one line per endpoint, each a call of the
 * signed-in user's adapter; bodies are checked with the engine's schemas.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendAdapter, SendRequest } from '../../src/adapter.js';
import {
  AssignSchema,
  ContactInputSchema,
  ContactPatchSchema,
  MarkReadSchema,
  parseInput,
  SendRequestSchema,
} from '../../src/engine/schemas.js';
import { errorBody, STATUS_OF_CODE, viewOfParam } from '../../src/http/protocol.js';
import type { ViewKey } from '../../src/rules/views.js';
import type { UserId } from '../../src/types.js';
import {
  idempotencyKey,
  limitOf,
  pageQuery,
  readObject,
  sendJson,
  toDeskError,
  whole,
} from './support.js';

export interface Call {
  api: BackendAdapter;
  userId: UserId;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  ids: string[];
}

export type Route = [method: string, path: RegExp, run: (call: Call) => Promise<void> | void];

const REPLAYED = { 'Idempotent-Replayed': 'true' };

const route = (method: string, path: string, run: Route[2]): Route => [
  method,
  new RegExp(`^${path.replace(/:id/g, '([^/]+)')}$`),
  run,
];
const ok = (res: ServerResponse, body: unknown) => sendJson(res, 200, body);

export interface RouteContext {
  /** `POST /messages` requests that reached the server, per idempotency key. */
  sendAttempts: Map<string, number>;
  openStream(call: Call): void;
}

export function createRoutes(ctx: RouteContext): Route[] {
  /** (User, key) pairs whose send the engine accepted: a later POST with one is a replay. */
  const accepted = new Set<string>();
  /** POST /contacts answers by (user, Idempotency-Key): the first answer, replayed. */
  const contactReplies = new Map<string, Promise<{ status: number; body: unknown }>>();

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

  return [
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
      // V1–V4 and V6: the engine checks the view and the search.
      const view = query.get('view');
      const q = query.get('q');
      const filters = {
        ...(view !== null && { view: viewOfParam(view) as unknown as ViewKey }),
        ...(q !== null && { search: q }),
      };
      ok(res, await api.listConversations({ ...pageQuery(query), ...scope, ...filters }));
    }),
    // Issue 11: each view's size and unread rows, in the order of the `view` parameters.
    route('GET', '/conversations/counts', async ({ api, res, query }) => {
      const views = query.getAll('view').map((v) => viewOfParam(v) as unknown as ViewKey);
      ok(res, { items: await api.countViews!(views) });
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
      ctx.sendAttempts.set(key, (ctx.sendAttempts.get(key) ?? 0) + 1);
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
    route('GET', '/events', (call) => ctx.openStream(call)),
  ];
}
