/**
 * From the desk to a carrier and back: hands a message the desk sent to the carrier of its
 * channel, remembers the carrier's id for that message and attempt (the ledger), and turns the
 * carrier's statuses back into the desk's SN7 updates. Its `dispatch` has the shape of the desk
 * engine's provider (`dispatch(message, conversation, at)`); its `desk` completes a `CarrierDesk`.
 *
 * Never sent twice: a failure is tried again only when the carrier said it did not take the
 * message (429, 5xx) or the connection never opened; a timeout is ambiguous (the carrier may have
 * taken it) and fails the message, which the user may retry (SN7).
 */
import type { Clock } from '../../clock.js';
import { isDeskError } from '../../errors.js';
import type { StatusUpdate } from '../../rules/status.js';
import { templateValues } from '../../rules/templates.js';
import type { Channel, Contact, Conversation, Message, SenderId, Template } from '../../types.js';
import type { CarrierStatus, OutgoingMessage, Provider } from './provider.js';

export interface DispatchLookups {
  sender(id: string): Promise<SenderId | undefined>;
  template(id: string): Promise<Template | undefined>;
  contact(phone: string): Promise<Contact | undefined>;
}

/** Which desk message (and attempt) a carrier id stands for. The server keeps it in Postgres. */
export interface CarrierLedger {
  record(
    carrier: string,
    carrierMessageId: string,
    messageId: string,
    attempt: number,
  ): Promise<void>;
  find(
    carrier: string,
    carrierMessageId: string,
  ): Promise<{ messageId: string; attempt: number } | undefined>;
}

export interface DispatcherOptions {
  /** The carrier that sends a channel (`Carriers.forChannel`). */
  carrierFor(channel: Channel): Provider;
  lookups: DispatchLookups;
  ledger: CarrierLedger;
  /** The desk's SN7 command (`engine.applyStatus`). */
  applyStatus(messageId: string, update: StatusUpdate): Promise<unknown>;
  clock: Clock;
  /** Tries per message. Default 4. */
  maxTries?: number;
  /** First delay between tries, doubled each time. Default 2 s. */
  retryAfterMs?: number;
  onError?: (error: unknown, message: Message) => void;
}

export function memoryLedger(): CarrierLedger {
  const entries = new Map<string, { messageId: string; attempt: number }>();
  return {
    async record(carrier, id, messageId, attempt) {
      entries.set(`${carrier}|${id}`, { messageId, attempt });
    },
    async find(carrier, id) {
      return entries.get(`${carrier}|${id}`);
    },
  };
}

export function createCarrierDispatcher(options: DispatcherOptions) {
  const { clock, lookups } = options;
  const maxTries = options.maxTries ?? 4;
  const retryAfterMs = options.retryAfterMs ?? 2000;
  const onError = options.onError ?? (() => undefined);

  async function outgoing(message: Message, conversation: Conversation): Promise<OutgoingMessage> {
    const sender = await lookups.sender(conversation.senderId);
    if (!sender) throw new Error(`Unknown sender ID ${conversation.senderId}.`);
    const template = message.template && (await lookups.template(message.template.id));
    return {
      channel: conversation.channel,
      from: sender.address,
      to: conversation.customer,
      text: message.text,
      media: message.media,
      ...(template && {
        template: {
          name: template.name,
          values: templateValues(template.body, {
            contact: (await lookups.contact(conversation.customer)) ?? null,
            phone: conversation.customer,
          }),
        },
      }),
    };
  }

  async function attempt(message: Message, conversation: Conversation, tries: number) {
    const provider = options.carrierFor(conversation.channel);
    try {
      const receipt = await provider.send(await outgoing(message, conversation));
      await options.ledger.record(
        provider.name,
        receipt.carrierMessageId,
        message.id,
        message.attempt,
      );
    } catch (error) {
      onError(error, message);
      const retryable = isDeskError(error) && error.details.retryable === true;
      if (retryable && tries < maxTries) {
        clock.setTimeout(
          () => void attempt(message, conversation, tries + 1),
          retryAfterMs * 2 ** (tries - 1),
        );
        return;
      }
      await options.applyStatus(message.id, {
        status: 'failed',
        at: clock.now(),
        attempt: message.attempt,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  return {
    /** The engine's provider hook: hands the message over, after the command's commit. */
    dispatch(message: Message, conversation: Conversation, _at: number): void {
      void attempt(message, conversation, 1).catch((error: unknown) => onError(error, message));
    },
    /** The status half of a `CarrierDesk`: false while the carrier id is unknown (yet). */
    async status(carrier: string, update: CarrierStatus): Promise<boolean> {
      const known = await options.ledger.find(carrier, update.carrierMessageId);
      if (!known) return false;
      await options.applyStatus(known.messageId, {
        status: update.status,
        at: update.at,
        attempt: known.attempt,
        ...(update.reason ? { reason: update.reason } : {}),
      });
      return true;
    },
  };
}
