/**
 * The carriers on the desk server: `GET|POST /webhooks/{carrier}` on Fastify (raw bodies, no bearer
 * token: carriers authenticate by signature), the inbox in Postgres, and the desk behind it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, LogLevel } from 'fastify';
import type { IncomingInput } from '../../embedded/index.js';
import { DeskError } from '../../errors.js';
import type { SenderId } from '../../types.js';
import type { Db } from '../db.js';
import type { DeskDomain, Incoming } from '../domain.js';
import { appendEvents, type AddressedEvent } from '../event-log.js';
import { intakeInbox } from '../intake.js';
import type { CarrierDispatcher } from './dispatch.js';
import { linkCarrierMedia, registerMediaRoute, resolveCarrierMedia } from './media.js';
import { postgresInbox } from './pg-inbox.js';
import { rawWebhookRoute, type RawRoute, type RawWebhookOptions } from './raw-route.js';
import type { InboundMessage, MediaLimits, Provider } from './provider.js';
import { createWebhookPipeline, type CarrierDesk, type WebhookPipeline } from './webhooks.js';

export const WEBHOOK_PREFIX = '/webhooks/';

export interface MountOptions {
  db: Db;
  domain: DeskDomain;
  senders: readonly SenderId[];
  providers: Provider[];
  /** The public base URL the carriers call (they sign it); also the base of `/media/{id}`. */
  publicUrl: string;
  /** Statuses of messages the desk sent: the dispatcher knows which message each carrier id is. */
  statuses?: Pick<CarrierDispatcher, 'status'>;
  /** Limits on customers' attachments fetched from a carrier. */
  mediaLimits?: MediaLimits;
  /** Bytes per webhook body. Default 1 MiB. */
  bodyLimit?: number;
  onError(error: unknown): void;
  /** A webhook the server failed to answer (500); default `onError`. */
  onServerError?(error: unknown): void;
  /** Takes the route that serves webhooks ahead of Fastify (raw-route.ts), when the server has one. */
  rawRoute?(route: RawRoute): void;
  /** Each customer message's outcome, by carrier id (the demo answers with its routing). */
  onReceived?(carrierMessageId: string, outcome: { result: Incoming } | { error: unknown }): void;
}

/**
 * The desk as the carriers see it. Customer messages (their carrier-held attachments fetched and
 * stored first) go to the domain's `receive` with the carrier's SN5 opt-out verdict, in one
 * transaction with their events; statuses go to the dispatcher's ledger and the SN7 command.
 */
export function domainCarrierDesk(
  options: Pick<
    MountOptions,
    | 'db'
    | 'domain'
    | 'senders'
    | 'onReceived'
    | 'statuses'
    | 'providers'
    | 'publicUrl'
    | 'mediaLimits'
  >,
): CarrierDesk {
  const { db, domain } = options;
  const report = options.onReceived ?? (() => undefined);
  return {
    async receive(carrier, message) {
      try {
        const senderId = senderOf(options.senders, message);
        const { text, media, stored } = await resolveCarrierMedia(
          db,
          options.providers.find((p) => p.name === carrier),
          message,
          {
            publicUrl: options.publicUrl,
            ...(options.mediaLimits && { limits: options.mediaLimits }),
          },
        );
        const input = incomingInput(senderId, message, { text, media });
        // Grouped with the messages arriving at the same time, when the domain can.
        const result = domain.receiveNow
          ? await domain.receiveNow(input)
          : await db.transaction().execute(async (tx) => {
              const outcome = await domain.receive(tx, input);
              await appendEvents(tx, outcome.events as AddressedEvent[], Date.now());
              return outcome.result;
            });
        await linkCarrierMedia(db, stored, result.conversation.id);
        report(message.carrierMessageId, { result });
      } catch (error) {
        report(message.carrierMessageId, { error });
        throw error;
      }
    },
    async status(carrier, update) {
      return options.statuses ? options.statuses.status(carrier, update) : false;
    },
  };
}

function senderOf(senders: readonly SenderId[], message: InboundMessage): string {
  const sender = senders.find((s) => s.channel === message.channel && s.address === message.to);
  if (!sender) {
    throw new DeskError('not_found', `No sender ID for ${message.channel} ${message.to}.`);
  }
  return sender.id;
}

function incomingInput(
  senderId: string,
  message: InboundMessage,
  { text, media }: Pick<InboundMessage, 'text' | 'media'>,
): IncomingInput {
  return {
    senderId,
    from: message.from,
    text,
    media,
    ...(message.optOut && { optOut: message.optOut }),
  };
}

/**
 * The input of a message the desk can route as it is stored (group commit, intake.ts): one whose
 * attachments need no fetching, to a known sender ID. Any other is routed after, as before.
 */
export function inlineInput(
  senders: readonly SenderId[],
  message: InboundMessage,
): IncomingInput | undefined {
  if (message.carrierMedia?.length) return undefined;
  const sender = senders.find((s) => s.channel === message.channel && s.address === message.to);
  return sender && incomingInput(sender.id, message, message);
}

export async function mountCarriers(
  app: FastifyInstance,
  options: MountOptions,
): Promise<WebhookPipeline> {
  const pipeline = createWebhookPipeline({
    providers: options.providers,
    inbox: options.domain.intake
      ? intakeInbox({
          db: options.db,
          intake: options.domain.intake,
          inputOf: (message) => inlineInput(options.senders, message),
          onRouted: (message, result) => options.onReceived?.(message.carrierMessageId, { result }),
        })
      : postgresInbox(options.db),
    desk: domainCarrierDesk(options),
    onError: options.onError,
  });
  const base = options.publicUrl.replace(/\/$/, '');
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const answerWebhook: RawWebhookOptions['answer'] = (carrier, request, body) =>
    pipeline.handle(carrier, {
      method: request.method,
      url: `${base}${request.url}`,
      headers: request.headers,
      body,
      receivedAt: Date.now(),
    });
  options.rawRoute?.(
    rawWebhookRoute({
      prefix: WEBHOOK_PREFIX,
      bodyLimit,
      answer: answerWebhook,
      onError: options.onServerError ?? options.onError,
    }),
  );

  await app.register(async (scope) => {
    // The signature covers the bytes as sent: keep every body as the raw string.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const { carrier } = request.params as { carrier: string };
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const answer = await answerWebhook(
        carrier,
        { method: request.method, url: request.url, headers },
        typeof request.body === 'string' ? request.body : '',
      );
      return reply.code(answer.status).type(answer.contentType).send(answer.body);
    };
    scope.route({
      method: ['GET', 'POST'],
      url: `${WEBHOOK_PREFIX}:carrier`,
      // Carriers send bursts from few addresses; a forged request costs one HMAC.
      config: { rateLimit: false },
      // Fastify's two lines per request at `info` would cost about what routing the webhook
      // costs: here they need `debug`; failures are still logged (error).
      logLevel: (app.log.level === 'info' ? 'warn' : app.log.level) as LogLevel,
      handler,
    });
  });
  // The engine's own visibility rule decides who sees the conversation (and so its files).
  registerMediaRoute(app, options.db, (userId, conversationId) =>
    options.domain.run(options.db, userId, (api) => api.listMessages(conversationId, { limit: 1 })),
  );
  // Events stored before a restart (or by an instance that died) are processed now.
  void pipeline.drain();
  return pipeline;
}
