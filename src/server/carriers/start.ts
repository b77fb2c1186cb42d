/**
 * The server's carriers, from its configuration: the configured providers (`carriersFromEnv`), and
 * in demo mode a simulated carrier whose webhooks enter through the server's own webhook route
 * (`inject`), signed and verified like any carrier's. The demo's phone simulator writes through it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyBaseLogger } from 'fastify';
import type { IncomingInput } from '../../embedded/index.js';
import { DeskError } from '../../errors.js';
import type { ServerConfig } from '../config.js';
import type { Db } from '../db.js';
import type { DeskDomain, Incoming } from '../domain.js';
import { webhookUrl } from './config.js';
import { mountCarriers } from './mount.js';
import type { Outbound } from './outbound.js';
import type { RawRoute } from './raw-route.js';
import { createSimulatedCarrier, SIM_IN, type SignedWebhook } from './simulator.js';

export interface ServerCarriers {
  /** Demo: a customer writes in through the simulated carrier; resolves with the routing. */
  customerWrites(input: IncomingInput): Promise<Incoming>;
  close(): void;
}

export async function startCarriers(
  app: FastifyInstance,
  config: ServerConfig,
  context: {
    db: Db;
    domain: DeskDomain;
    log: FastifyBaseLogger;
    /** The engine's carrier dispatcher, when real carriers send (`createOutbound`). */
    outbound?: Outbound;
    /** Takes the webhook route that runs ahead of Fastify (raw-route.ts). */
    rawRoute?(route: RawRoute | undefined): void;
  },
): Promise<ServerCarriers> {
  const publicUrl = (config.publicUrl ?? `http://localhost:${config.port ?? 8787}`).replace(
    /\/$/,
    '',
  );
  const providers = [...(config.carriers?.providers ?? [])];
  const inject = async (webhook: SignedWebhook) => {
    const response = await app.inject({
      method: 'POST',
      url: webhook.url.slice(publicUrl.length),
      headers: webhook.headers,
      payload: webhook.body,
    });
    if (response.statusCode !== 200) {
      throw new DeskError('server', `The webhook was answered ${response.statusCode}.`);
    }
  };
  let simulator = config.carriers?.simulator;
  if (config.demo && !simulator) {
    simulator = createSimulatedCarrier({
      secret: randomBytes(32).toString('base64url'),
      webhookUrl: webhookUrl(publicUrl, 'simulator'),
      deliver: inject,
    });
    providers.push(simulator);
  }
  const outcomes = new Map<string, { result: Incoming } | { error: unknown }>();
  const pipeline = providers.length
    ? await mountCarriers(app, {
        db: context.db,
        domain: context.domain,
        senders: config.seed?.senders ?? [],
        providers,
        publicUrl,
        ...(context.outbound && { statuses: context.outbound.dispatcher }),
        onError: (error) => context.log.warn({ err: error }, 'carrier event'),
        onServerError: (error) => context.log.error({ err: error }, 'webhook failed'),
        ...(context.rawRoute && { rawRoute: context.rawRoute }),
        // Only the phone simulator's own messages are waited for (and so taken out again).
        ...(config.demo && {
          onReceived: (id, outcome) => id.startsWith(SIM_IN) && outcomes.set(id, outcome),
        }),
      })
    : undefined;

  return {
    async customerWrites(input) {
      const sender = config.seed?.senders.find((s) => s.id === input.senderId);
      if (!sender) throw new DeskError('not_found', `No sender ID ${input.senderId}.`);
      if (!simulator || !pipeline) throw new DeskError('not_found', 'No simulated carrier.');
      const id = await simulator.incoming({
        channel: sender.channel,
        from: input.from,
        to: sender.address,
        text: input.text ?? '',
        media: input.media ?? [],
      });
      await pipeline.idle();
      const outcome = outcomes.get(id);
      outcomes.delete(id);
      if (!outcome) throw new DeskError('server', 'The message was stored but not processed yet.');
      if ('error' in outcome) throw outcome.error;
      return outcome.result;
    },
    close() {
      context.rawRoute?.(undefined); // Fastify answers 503 while the server closes
      pipeline?.close();
      simulator?.close();
    },
  };
}
