/**
 * The reference server's customer side: a customer's message (`POST /simulate/incoming`, the
 * demo's phone simulator) is signed by the simulated carrier and enters through
 * `POST /webhooks/simulator`, verified and processed by the same webhook pipeline as Twilio's and
 * Meta's, and only then routed by the engine (RT1–RT5, SN5 keywords such as STOP).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BackendAdapter } from '../../src/adapter.js';
import type { EmbeddedBackend, IncomingInput } from '../../src/embedded/index.js';
import type { Received } from '../../src/engine/index.js';
import { IncomingSchema, parseInput } from '../../src/engine/schemas.js';
import { DeskError } from '../../src/errors.js';
import {
  createSimulatedCarrier,
  createWebhookPipeline,
  handleWebhookRequest,
  memoryInbox,
} from '../../src/server/carriers/index.js';
import { readBody } from './support.js';

export const SIMULATOR_WEBHOOK = '/webhooks/simulator';

export function simulatedCarrier(desk: EmbeddedBackend, baseUrl: string) {
  const outcomes = new Map<string, { result: Received } | { error: unknown }>();
  const webhook = (request: Request) =>
    handleWebhookRequest(pipeline, 'simulator', request, { publicBaseUrl: baseUrl });
  const carrier = createSimulatedCarrier({
    secret: randomBytes(32).toString('base64url'),
    webhookUrl: `${baseUrl}${SIMULATOR_WEBHOOK}`,
    // Handed to the route's own handler, as if posted to it.
    async deliver({ url, headers, body }) {
      const response = await webhook(new Request(url, { method: 'POST', headers, body }));
      if (!response.ok)
        throw new DeskError('server', `The webhook was answered ${response.status}.`);
    },
  });
  const pipeline = createWebhookPipeline({
    providers: [carrier],
    inbox: memoryInbox(),
    desk: {
      async receive(_carrier, message) {
        try {
          // Every user lists every sender ID of the account.
          const senders = await desk.connect(desk.listUsers()[0]!.id).listSenderIds();
          const sender = senders.find(
            (s) => s.channel === message.channel && s.address === message.to,
          );
          if (!sender) throw new DeskError('not_found', `No sender ID for ${message.to}.`);
          const input = { senderId: sender.id, from: message.from, text: message.text };
          outcomes.set(message.carrierMessageId, { result: await desk.simulateIncoming(input) });
        } catch (error) {
          outcomes.set(message.carrierMessageId, { error });
          throw error;
        }
      },
      status: async () => false, // the engine's simulated provider reports its own statuses
    },
    onError: () => undefined, // answered to the caller of `customerWrites`
  });

  return {
    /** `POST /webhooks/simulator`, with the raw body: what the simulated carrier signed. */
    async route(req: IncomingMessage): Promise<{ status: number; body: string }> {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      const request = new Request(`${baseUrl}${SIMULATOR_WEBHOOK}`, {
        method: 'POST',
        headers,
        body: await readBody(req),
      });
      const response = await webhook(request);
      return { status: response.status, body: await response.text() };
    },

    /** A customer writes in, as the signed-in user's simulator; resolves with the routing. */
    async customerWrites(api: BackendAdapter, body: unknown): Promise<Received> {
      const input: IncomingInput = parseInput(IncomingSchema, body);
      const sender = (await api.listSenderIds()).find((s) => s.id === input.senderId);
      if (!sender) throw new DeskError('not_found', `No sender ID ${input.senderId}.`);
      const id = await carrier.incoming({
        channel: sender.channel,
        from: input.from,
        to: sender.address,
        text: input.text ?? '',
      });
      await pipeline.idle();
      const outcome = outcomes.get(id);
      outcomes.delete(id);
      if (!outcome) throw new DeskError('server', 'The message was stored but not processed yet.');
      if ('error' in outcome) throw outcome.error;
      return outcome.result;
    },

    close(): void {
      pipeline.close();
      carrier.close();
    },
  };
}
