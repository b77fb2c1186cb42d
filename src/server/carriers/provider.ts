/**
 * The carrier seam: what the server needs from a messaging carrier (Twilio, the WhatsApp Cloud
 * API, the simulator, or one you add). A provider only talks to its carrier: it sends, and it
 * verifies and translates the carrier's webhooks. It decides nothing about the desk; the desk's
 * rules (routing, SN5 opt-outs, SN7 status order) run where the webhook pipeline hands its events.
 */
import type { DeskErrorCode } from '../../errors.js';
import type { Channel, Media, MessageStatus } from '../../types.js';

/** One outgoing message, ready for the carrier: the desk has already checked and filled it. */
export interface OutgoingMessage {
  channel: Channel;
  /** The sender ID's address (E.164). */
  from: string;
  /** The customer (E.164). */
  to: string;
  text: string;
  media: Media[];
  /**
   * A registered template (SN3): its name at the carrier and the values of its merge fields in
   * order of first appearance (`templateValues`), which become the carrier's `{{1}}`, `{{2}}`…
   */
  template?: { name: string; values: string[] };
}

export interface SendReceipt {
  /** The carrier's id of the message (Twilio `SM…`, Meta `wamid.…`): its statuses refer to it. */
  carrierMessageId: string;
  /** What the carrier says at once (usually `queued`; Meta accepts straight to `sent` later). */
  status: MessageStatus;
}

/** An HTTP request as the carrier made it: what verification needs, nothing framework-specific. */
export interface WebhookRequest {
  method: string;
  /** The full public URL the carrier called, query included (Twilio signs it). */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body, byte for byte (Meta signs it). */
  body: string;
  /** When the server received it (epoch ms). */
  receivedAt: number;
}

/** A customer's message, normalized. */
export interface InboundMessage {
  kind: 'message';
  /** Unique per carrier: a webhook delivered twice carries the same id. */
  carrierMessageId: string;
  channel: Channel;
  /** The customer (E.164). */
  from: string;
  /** The sender ID's address (E.164). */
  to: string;
  text: string;
  media: Media[];
  at: number;
  /** The customer's profile name, when the carrier gives one (WhatsApp). */
  profileName?: string;
  /** SN5: the carrier's own opt-out verdict, when it has one (Twilio `OptOutType`). */
  optOut?: 'out' | 'in';
  /**
   * Attachments the carrier keeps behind its API (WhatsApp Cloud media ids, Twilio MediaUrls):
   * fetched with the provider's `fetchMedia` and stored before the desk sees the message.
   */
  carrierMedia?: CarrierMediaRef[];
}

/** An attachment held by the carrier. Its file name and type are the customer's: untrusted. */
export interface CarrierMediaRef {
  id: string;
  mimeType: string;
  fileName: string;
}

/** Limits on a fetched attachment: checked on the carrier's word and again on the bytes. */
export interface MediaLimits {
  maxBytes: number;
  /** Allowed MIME types (no parameters). */
  types: ReadonlySet<string>;
}

export interface FetchedMedia {
  bytes: Uint8Array;
  mimeType: string;
}

/** A carrier status for a message the desk sent (SN7). */
export interface CarrierStatus {
  kind: 'status';
  carrierMessageId: string;
  status: MessageStatus;
  at: number;
  /** For `failed`: a reason the desk shows, the carrier's code and our code for it. */
  reason?: string;
  carrierCode?: string;
  code?: DeskErrorCode;
}

export type CarrierEvent = InboundMessage | CarrierStatus;

export interface WebhookReply {
  status: number;
  contentType: string;
  body: string;
}

/** What a verified webhook holds, and what to answer the carrier. */
export interface WebhookOutcome {
  events: CarrierEvent[];
  reply: WebhookReply;
}

export interface Provider {
  /** The carrier's name in routes and stored keys: `twilio`, `whatsapp`, `simulator`. */
  readonly name: string;
  /**
   * Sends one message. Refusals and failures reject with a `DeskError` whose `code` is ours
   * (`window_closed`, `opted_out`, …) and whose `details` hold `carrier`, `carrierCode`, `httpStatus`
   * and `retryable` (true when the same request may succeed later: network, 429, 5xx).
   */
  send(message: OutgoingMessage): Promise<SendReceipt>;
  /**
   * Verifies a webhook and translates it. A request that fails verification (missing or wrong
   * signature, tampered body or URL) rejects with `DeskError('forbidden')` before anything is
   * parsed; a verified one that is not understood rejects with `invalid_input`.
   */
  verifyWebhook(request: WebhookRequest): Promise<WebhookOutcome>;
  /**
   * Downloads an attachment the carrier holds (`InboundMessage.carrierMedia`). Refuses with
   * `media_rejected` (final) when it breaks `limits`; network and 5xx failures are retryable.
   */
  fetchMedia?(ref: CarrierMediaRef, limits: MediaLimits): Promise<FetchedMedia>;
}

/** A stable key per event, so a webhook delivered twice is stored once. */
export function eventKey(carrier: string, event: CarrierEvent): string {
  return event.kind === 'message'
    ? `${carrier}:message:${event.carrierMessageId}`
    : `${carrier}:status:${event.carrierMessageId}:${event.status}`;
}

export const EMPTY_REPLY: WebhookReply = { status: 200, contentType: 'text/plain', body: '' };
