/** The carriers: one provider interface, Twilio, the WhatsApp Cloud API and the simulator. */
export type {
  CarrierEvent,
  CarrierMediaRef,
  FetchedMedia,
  MediaLimits,
  CarrierStatus,
  InboundMessage,
  OutgoingMessage,
  Provider,
  SendReceipt,
  WebhookOutcome,
  WebhookReply,
  WebhookRequest,
} from './provider.js';
export { eventKey } from './provider.js';
export { META_ERRORS, TWILIO_ERRORS } from './errors.js';
export { createTwilioProvider, type TwilioConfig } from './twilio.js';
export { createWhatsAppCloudProvider, type WhatsAppCloudConfig } from './whatsapp-cloud.js';
export {
  createSimulatedCarrier,
  SIMULATOR_SIGNATURE,
  type CustomerMessage,
  type SignedWebhook,
  type SimulatedCarrier,
  type SimulatorConfig,
} from './simulator.js';
export {
  createWebhookPipeline,
  memoryInbox,
  type CarrierDesk,
  type InboxEntry,
  type WebhookInbox,
  type WebhookPipeline,
  type WebhookPipelineOptions,
} from './webhooks.js';
export { handleWebhookRequest, publicUrl, type WebhookRouteOptions } from './routes.js';
export { carriersFromEnv, webhookUrl, type Carriers } from './config.js';
export {
  createCarrierDispatcher,
  memoryJournal,
  memoryLedger,
  type CarrierDispatcher,
  type CarrierLedger,
  type SendJob,
  type SendJournal,
  type DispatchLookups,
  type DispatcherOptions,
} from './dispatch.js';
export { postgresInbox, postgresLedger } from './pg-inbox.js';
export { CARRIER_SEND_JOB, postgresJournal, type PostgresJournalOptions } from './pg-journal.js';
export { createOutbound, type Outbound, type OutboundOptions } from './outbound.js';
export { DEFAULT_MEDIA_LIMITS } from './media-fetch.js';
export { MEDIA_PREFIX, registerMediaRoute, resolveCarrierMedia, safeFileName } from './media.js';
export { domainCarrierDesk, mountCarriers, WEBHOOK_PREFIX } from './mount.js';
