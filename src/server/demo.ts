/**
 * Demo mode only (`demo: true`, `npm start`): a token issuer, so the demo page can sign in as
 * any seeded user, a reset of the demo data, and the simulated carrier's endpoints. `/simulate/*`
 * and `/demo/reset` need a token like every other route; outside demo mode none of these exist.
 */
import type { FastifyInstance } from 'fastify';
import type { IncomingInput } from '../embedded/index.js';
import { DeskError } from '../errors.js';
import { signToken } from './auth.js';
import { DemoBodies, parseInput } from './route-schemas.js';
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
  // Bodies are checked with the engine's schemas, as every other route's: a refusal is
  // `invalid_input` naming the field.
  app.post('/demo/token', async (request) => {
    const { userId, ttlSeconds } = parseInput(DemoBodies.token, request.body ?? {}, 'body');
    if (!(await ctx.domain.hasUser(userId))) {
      throw new DeskError('not_found', `No user ${userId}.`);
    }
    return { token: await signToken(ctx.secret, userId, { ttlSeconds: ttlSeconds ?? 3600 }) };
  });
  app.post('/simulate/incoming', async (request, reply) => {
    const input = parseInput(DemoBodies.incoming, request.body ?? {}, 'body');
    return reply.code(201).send(await ctx.receive(input as IncomingInput));
  });
  for (const action of ['campaign', 'consent', 'fail-next', 'business-hours'] as const) {
    app.post(`/simulate/${action}`, async (request) => {
      const body = parseInput(DemoBodies[action], request.body ?? {}, 'body');
      return (await ctx.simulate({ ...body, action } as Simulation)) ?? { ok: true };
    });
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
