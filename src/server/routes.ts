/**
 * docs/protocol.md on Fastify: one line per endpoint, each with its JSON schema (bodies,
 * queries, ids). Rules are the domain's; this file only maps HTTP to commands.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BackendAdapter, SendRequest } from '../adapter.js';
import { viewOfParam } from '../http/protocol.js';
import type { ViewKey } from '../rules/views.js';
import type { ContactInput } from '../types.js';
import type { Identity } from './auth.js';

export interface Answer {
  status: number;
  body: unknown;
  replayed?: boolean;
}

/** What the routes need from the server. */
export interface RouteContext {
  /** A read as the request's user. */
  read<T>(request: FastifyRequest, query: (api: BackendAdapter) => Promise<T>): Promise<T>;
  /** A write as the request's user, in one transaction with its events (and its key, if any). */
  write(
    request: FastifyRequest,
    status: number,
    command: (api: BackendAdapter) => Promise<unknown>,
    idempotencyKey?: string,
  ): Promise<Answer>;
  openStream(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
}

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const ids = { type: 'array', items: id, minItems: 1, maxItems: 1000 } as const;
const text = { type: 'string', maxLength: 10_000 } as const;
const page = {
  type: 'object',
  properties: {
    cursor: { type: 'string', maxLength: 500 },
    limit: { type: 'string', pattern: '^(1000|[1-9][0-9]{0,2})$' },
  },
} as const;
const idParam = { type: 'object', properties: { id }, required: ['id'] } as const;
const keyHeader = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 } },
} as const;
const requiredKey = { ...keyHeader, required: ['idempotency-key'] } as const;
const contact = {
  type: 'object',
  properties: {
    firstName: { type: 'string', maxLength: 200 },
    lastName: { type: 'string', maxLength: 200 },
    phone: { type: 'string', maxLength: 40 },
    countryCallingCode: { type: 'string', maxLength: 8 },
    nationalNumber: { type: 'string', maxLength: 30 },
    email: { type: 'string', maxLength: 320 },
  },
} as const;
const media = {
  type: 'object',
  properties: {
    url: { type: 'string', maxLength: 8_000_000 },
    mimeType: { type: 'string', maxLength: 200 },
    fileName: { type: 'string', maxLength: 500 },
    size: { type: 'number', minimum: 0 },
  },
  required: ['url', 'mimeType', 'fileName', 'size'],
} as const;
const sendBody = {
  type: 'object',
  properties: {
    target: {
      type: 'object',
      properties: { conversationId: id, senderId: id, customer: { type: 'string', maxLength: 40 } },
      anyOf: [{ required: ['conversationId'] }, { required: ['senderId', 'customer'] }],
    },
    content: {
      type: 'object',
      properties: { text, templateId: id, media: { type: 'array', items: media, maxItems: 10 } },
    },
  },
  required: ['target', 'content'],
} as const;

type Q = Record<string, string | number | undefined>;
const pageOf = (q: Q) => ({
  ...(q.cursor !== undefined && { cursor: String(q.cursor) }),
  ...(q.limit !== undefined && { limit: Number(q.limit) }),
});
const whole = <T>(items: T[]) => ({ items, nextCursor: null });
const keyOf = (request: FastifyRequest) => {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' && key.trim() ? key.trim() : undefined;
};
const reply = (r: FastifyReply, answer: Answer) => {
  if (answer.replayed) r.header('Idempotent-Replayed', 'true');
  return r.code(answer.replayed && answer.status === 201 ? 200 : answer.status).send(answer.body);
};

export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { read, write } = ctx;
  app.get('/session', (req) => read(req, (api) => api.session()));
  app.get('/users', (req) => read(req, async (api) => whole(await api.listUsers())));
  app.get('/sender-ids', (req) => read(req, async (api) => whole(await api.listSenderIds())));
  app.get('/templates', (req) => read(req, async (api) => whole(await api.listTemplates())));
  app.get('/contacts', { schema: { querystring: page } }, (req) =>
    read(req, (api) => api.listContacts(pageOf(req.query as Q))),
  );
  app.get(
    '/contacts/search',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 200 },
            limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$' },
          },
        },
      },
    },
    (req) => {
      const q = req.query as Q;
      return read(req, async (api) => ({
        items: await api.searchContacts(String(q.q ?? ''), Number(q.limit ?? 8)),
      }));
    },
  );
  app.post('/contacts', { schema: { body: contact, headers: keyHeader } }, async (req, r) =>
    reply(
      r,
      await write(req, 201, (api) => api.createContact(req.body as ContactInput), keyOf(req)),
    ),
  );
  app.patch('/contacts/:id', { schema: { body: contact, params: idParam } }, async (req, r) => {
    const { id } = req.params as { id: string };
    return reply(
      r,
      await write(req, 200, (api) => api.updateContact(id, req.body as ContactInput)),
    );
  });
  app.get('/recipients/:id', { schema: { params: idParam } }, (req) =>
    read(req, (api) => api.getRecipient((req.params as { id: string }).id)),
  );
  app.get(
    '/conversations',
    {
      schema: {
        querystring: {
          ...page,
          properties: {
            ...page.properties,
            teamMember: id,
            view: { type: 'string', maxLength: 300 },
            q: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    (req) => {
      const q = req.query as Q;
      const scope = q.teamMember ? { scope: { teamMember: String(q.teamMember) } } : {};
      // The engine checks the view and the search (invalid_input).
      const view =
        q.view !== undefined ? { view: viewOfParam(String(q.view)) as unknown as ViewKey } : {};
      const search = q.q !== undefined ? { search: String(q.q) } : {};
      return read(req, (api) =>
        api.listConversations({ ...pageOf(q), ...scope, ...view, ...search }),
      );
    },
  );
  // Issue 11: each view's size and unread rows (`?view=mine&view=sender:<id>…`, in that order).
  app.get(
    '/conversations/counts',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            // One `view` comes as a string, several as an array (types are not coerced).
            view: {
              anyOf: [
                { type: 'string', maxLength: 300 },
                { type: 'array', items: { type: 'string', maxLength: 300 }, maxItems: 500 },
              ],
            },
          },
        },
      },
    },
    async (req) => {
      const { view = [] } = req.query as { view?: string | string[] };
      const views = (typeof view === 'string' ? [view] : view).map(
        (one) => viewOfParam(one) as unknown as ViewKey,
      );
      return { items: await read(req, (api) => api.countViews!(views)) };
    },
  );
  app.get(
    '/conversations/:id/messages',
    { schema: { params: idParam, querystring: page } },
    (req) =>
      read(req, (api) =>
        api.listMessages((req.params as { id: string }).id, pageOf(req.query as Q)),
      ),
  );
  app.post(
    '/conversations/read',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            conversationIds: ids,
            read: { type: 'boolean' },
            mode: { enum: ['owner', 'admin'] },
          },
          required: ['conversationIds', 'read'],
        },
      },
    },
    async (req, r) => {
      const body = req.body as {
        conversationIds: string[];
        read: boolean;
        mode?: 'owner' | 'admin';
      };
      return reply(
        r,
        await write(req, 200, async (api) => ({
          items: await api.markRead(body.conversationIds, body.read, body.mode ?? 'owner'),
        })),
      );
    },
  );
  app.post(
    '/conversations/assign',
    {
      schema: {
        body: {
          type: 'object',
          properties: { conversationIds: ids, assigneeId: id },
          required: ['conversationIds', 'assigneeId'],
        },
      },
    },
    async (req, r) => {
      const body = req.body as { conversationIds: string[]; assigneeId: string };
      return reply(
        r,
        await write(req, 200, async (api) => ({
          items: await api.assign(body.conversationIds, body.assigneeId),
        })),
      );
    },
  );
  app.post('/messages', { schema: { body: sendBody, headers: requiredKey } }, async (req, r) => {
    const key = keyOf(req)!;
    const body = req.body as Omit<SendRequest, 'idempotencyKey'>;
    return reply(
      r,
      await write(req, 201, (api) => api.send({ ...body, idempotencyKey: key }), key),
    );
  });
  app.post(
    '/messages/:id/retry',
    { schema: { params: idParam, headers: requiredKey } },
    async (req, r) => {
      const key = keyOf(req)!;
      const { id } = req.params as { id: string };
      return reply(r, await write(req, 200, (api) => api.retry(id, key), key));
    },
  );
  app.get('/events', (req, r) => ctx.openStream(req, r));
}
