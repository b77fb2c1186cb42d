/**
 * Demo mode only (`demo: true`, `npm start`): a token issuer, so the demo page can sign in as
 * any seeded user, and the simulated carrier's endpoints. `/simulate/*` needs a token like
 * every other route; outside demo mode none of these routes exist.
 */
import type { FastifyInstance } from 'fastify';
import type { IncomingInput } from '../embedded/index.js';
import { DeskError } from '../errors.js';
import { signToken } from './auth.js';
import type { DeskDomain, Incoming } from './domain.js';
import type { StreamStats } from './streams.js';

export interface DemoContext {
  secret: string;
  domain: DeskDomain;
  receive(input: IncomingInput): Promise<Incoming>;
  endStreams(): void;
  stats(): StreamStats;
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
  app.post('/simulate/drop-streams', async () => {
    ctx.endStreams();
    return { ok: true };
  });
  app.get('/simulate/stats', async () => ctx.stats());
}
