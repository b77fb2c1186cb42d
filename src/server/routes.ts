/**
 * docs/protocol.md on Fastify: one line per endpoint. Bodies and queries are checked with the
 * engine's valibot schemas (./route-schemas.ts) before any work; ids are checked by the engine
 * itself. Rules are the domain's; this file only maps HTTP to commands.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as v from 'valibot';
import type { BackendAdapter } from '../adapter.js';
import { viewOfParam } from '../http/protocol.js';
import type { ViewKey } from '../rules/views.js';
import type { Identity } from './auth.js';
import {
  AssignBody,
  ContactInputSchema,
  ContactPatchSchema,
  ConversationParams,
  CountParams,
  keyOf,
  MarkReadBody,
  optionalKeyOf,
  PageParams,
  parseInput,
  SearchParams,
  SendBody,
} from './route-schemas.js';

export interface Answer {
  status: number;
  body: unknown;
  replayed?: boolean;
}

/** What the routes need from the server. */
export interface RouteContext {
  /** A read as the request's user. */
  read<T>(request: FastifyRequest, query: (api: BackendAdapter) => Promise<T>): Promise<T>;
  /**
   * A write as the request's user, in one transaction with its events (and its key, if any).
   * `engineKeyed`: the command passes the key to the engine, which replays it after its checks.
   */
  write(
    request: FastifyRequest,
    status: number,
    command: (api: BackendAdapter) => Promise<unknown>,
    idempotencyKey?: string,
    engineKeyed?: boolean,
  ): Promise<Answer>;
  openStream(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
    /** Why the request is not authenticated (answered after the rate limit). */
    authError?: unknown;
  }
}

/** The request's part, checked by the engine's schema (invalid_input naming the field). */
const check = <S extends v.GenericSchema>(schema: S, value: unknown, name: string) =>
  parseInput(schema, value ?? {}, name);
const whole = <T>(items: T[]) => ({ items, nextCursor: null });
const reply = (r: FastifyReply, answer: Answer) => {
  if (answer.replayed) r.header('Idempotent-Replayed', 'true');
  return r.code(answer.replayed && answer.status === 201 ? 200 : answer.status).send(answer.body);
};

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { read, write } = ctx;
  const param = (req: FastifyRequest) => (req.params as { id: string }).id;
  app.get('/session', (req) => read(req, (api) => api.session()));
  app.get('/users', (req) => read(req, async (api) => whole(await api.listUsers())));
  app.get('/sender-ids', (req) => read(req, async (api) => whole(await api.listSenderIds())));
  app.get('/templates', (req) => read(req, async (api) => whole(await api.listTemplates())));
  app.get('/contacts', (req) => {
    const page = check(PageParams, req.query, 'query');
    return read(req, (api) => api.listContacts(page));
  });
  app.get('/contacts/search', (req) => {
    const { q, limit } = check(SearchParams, req.query, 'query');
    return read(req, async (api) => ({ items: await api.searchContacts(q, limit ?? 8) }));
  });
  app.post('/contacts', async (req, r) => {
    const contact = check(ContactInputSchema, req.body, 'contact');
    const key = optionalKeyOf(req.headers['idempotency-key']);
    return reply(r, await write(req, 201, (api) => api.createContact(contact), key));
  });
  app.patch('/contacts/:id', async (req, r) => {
    const patch = check(ContactPatchSchema, req.body, 'patch');
    return reply(r, await write(req, 200, (api) => api.updateContact(param(req), patch)));
  });
  app.get('/recipients/:id', (req) => read(req, (api) => api.getRecipient(param(req))));
  app.get('/conversations', (req) => {
    const q = check(ConversationParams, req.query, 'query');
    const query = {
      ...(q.cursor != null && { cursor: q.cursor }),
      ...(q.limit !== undefined && { limit: q.limit }),
      ...(q.teamMember !== undefined && { scope: { teamMember: q.teamMember } }),
      // The engine checks the view it names (invalid_input).
      ...(q.view !== undefined && { view: viewOfParam(q.view) as unknown as ViewKey }),
      ...(q.q !== undefined && { search: q.q }),
    };
    return read(req, (api) => api.listConversations(query));
  });
  // Issue 11: each view's size and unread rows (`?view=mine&view=sender:<id>…`, in that order).
  app.get('/conversations/counts', async (req) => {
    const { view = [] } = check(CountParams, req.query, 'query');
    const views = (typeof view === 'string' ? [view] : view).map(
      (one) => viewOfParam(one) as unknown as ViewKey,
    );
    return { items: await read(req, (api) => api.countViews!(views)) };
  });
  app.get('/conversations/:id/messages', (req) => {
    const page = check(PageParams, req.query, 'query');
    return read(req, (api) => api.listMessages(param(req), page));
  });
  app.post('/conversations/read', async (req, r) => {
    const body = check(MarkReadBody, req.body, 'body');
    return reply(
      r,
      await write(req, 200, async (api) => ({
        items: await api.markRead(body.conversationIds, body.read, body.mode),
      })),
    );
  });
  app.post('/conversations/assign', async (req, r) => {
    const body = check(AssignBody, req.body, 'body');
    return reply(
      r,
      await write(req, 200, async (api) => ({
        items: await api.assign(body.conversationIds, body.assigneeId),
      })),
    );
  });
  app.post('/messages', async (req, r) => {
    const body = check(SendBody, req.body, 'request');
    const key = keyOf(req.headers['idempotency-key']);
    return reply(
      r,
      await write(req, 201, (api) => api.send({ ...body, idempotencyKey: key }), key, true),
    );
  });
  app.post('/messages/:id/retry', async (req, r) => {
    const key = keyOf(req.headers['idempotency-key']);
    return reply(r, await write(req, 200, (api) => api.retry(param(req), key), key, true));
  });
  app.get('/events', (req, r) => ctx.openStream(req, r));
}
