/**
 * Demo mode only (`demo: true`, `npm start`): a token issuer, so the demo page can sign in as
 * any seeded user, a reset of the demo data, and the simulated carrier's endpoints. `/simulate/*`
 * and `/demo/reset` need a token like every other route; outside demo mode none of these exist.
 */
import type { FastifyInstance } from 'fastify';
import type { IncomingInput } from '../embedded/index.js';
import { DeskError } from '../errors.js';
import { signToken } from './auth.js';
import type { DeskDomain, Incoming, Simulation } from './domain.js';
import type { StreamStats } from './streams.js';

export interface DemoContext {
  secret: string;
  domain: DeskDomain;
  receive(input: IncomingInput): Promise<Incoming>;
  simulate(simulation: Simulation): Promise<unknown>;
  endStreams(): void;
  stats(): StreamStats;
  /** The demo data as on the first start, for every desk (demo-reset.ts). */
  reset(): Promise<void>;
}

export function registerDemoRoutes(app: FastifyInstance, ctx: DemoContext): void {
  app.post(
    '/demo/token',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            userId: { type: 'string', minLength: 1, maxLength: 200 },
            ttlSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
          },
          required: ['userId'],
        },
      },
    },
    async (request) => {
      const { userId, ttlSeconds } = request.body as { userId: string; ttlSeconds?: number };
      if (!(await ctx.domain.hasUser(userId))) {
        throw new DeskError('not_found', `No user ${userId}.`);
      }
      return { token: await signToken(ctx.secret, userId, { ttlSeconds: ttlSeconds ?? 3600 }) };
    },
  );
  app.post(
    '/simulate/incoming',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            senderId: { type: 'string', minLength: 1, maxLength: 200 },
            from: { type: 'string', minLength: 1, maxLength: 40 },
            text: { type: 'string', maxLength: 10_000 },
          },
          required: ['senderId', 'from'],
        },
      },
    },
    async (request, reply) => {
      const result = await ctx.receive(request.body as IncomingInput);
      return reply.code(201).send(result);
    },
  );
  const phone = { type: 'string', minLength: 1, maxLength: 40 } as const;
  const actions: Record<Simulation['action'], object> = {
    campaign: {
      properties: {
        input: {
          type: 'object',
          properties: {
            senderId: { type: 'string' },
            userId: { type: 'string' },
            to: { type: 'array', items: phone, maxItems: 1000 },
            text: { type: 'string', maxLength: 10_000 },
          },
          required: ['senderId', 'userId', 'to', 'text'],
        },
      },
      required: ['input'],
    },
    consent: {
      properties: { phone, consent: { type: 'boolean' } },
      required: ['phone', 'consent'],
    },
    'fail-next': { properties: { phone, reason: { type: 'string' } }, required: ['phone'] },
    'business-hours': { properties: { hours: { type: 'object' } } },
  };
  for (const [action, schema] of Object.entries(actions)) {
    app.post(
      `/simulate/${action}`,
      { schema: { body: { type: 'object', ...schema } } },
      async (request) => {
        const body = request.body as Record<string, unknown>;
        return (await ctx.simulate({ ...body, action } as Simulation)) ?? { ok: true };
      },
    );
  }
  // Any signed-in user of the demo may start it again (the Reset button of the demo page).
  app.post('/demo/reset', async () => {
    await ctx.reset();
    return { ok: true };
  });
  app.post('/simulate/drop-streams', async () => {
    ctx.endStreams();
    return { ok: true };
  });
  app.get('/simulate/stats', async () => ctx.stats());
}
