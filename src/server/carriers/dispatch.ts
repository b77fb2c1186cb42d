/**
 * From the desk to a carrier and back: hands a message the desk sent to the carrier of its
 * channel, remembers the carrier's id for that message and attempt (the ledger), and turns the
 * carrier's statuses back into the desk's SN7 updates. Its `dispatch` has the shape of the desk
 * engine's provider (`dispatch(message, conversation, at)`); its `desk` completes a `CarrierDesk`.
 *
 * Never sent twice: each (message, attempt) is claimed in a journal before it goes, so a second
 * hand-off (a restart re-handing the messages in flight, another instance) finds it taken. A
 * failure is tried again only when the carrier said it did not take the message (429, 5xx) or the
 * connection never opened, as a durable job on the server; a timeout is ambiguous (the carrier may
 * have taken it) and fails the message, which the user may retry as a new attempt (SN7).
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

/** One (message, attempt) to send, as a retry job carries it. */
export interface SendJob {
  message: Message;
  conversation: Conversation;
  /** The try this job is (1 for the first). */
  tries: number;
}

/**
 * The state of each (message, attempt) on its way to the carrier. The server keeps it in Postgres
 * (`postgresJournal`), where `retryLater` schedules a job in the same transaction.
 */
export interface SendJournal {
  /**
   * Claims the first try. `taken` when another hand-off has it or finished it; `stale` when a try
   * was under way and never finished (the instance died mid-request): ambiguous, so it fails.
   */
  begin(messageId: string, attempt: number, now: number): Promise<'go' | 'taken' | 'stale'>;
  /** Claims a retry that `retryLater` planned; false when it already ran. */
  resume(messageId: string, attempt: number, tries: number, now: number): Promise<boolean>;
  sent(messageId: string, attempt: number, now: number): Promise<void>;
  /** Plans the next try at `at` (durably on the server). */
  retryLater(job: SendJob, at: number): Promise<void>;
  failed(messageId: string, attempt: number, now: number): Promise<void>;
}

export interface DispatcherOptions {
  /** The carrier that sends a channel (`Carriers.forChannel`). */
  carrierFor(channel: Channel): Provider;
  lookups: DispatchLookups;
  ledger: CarrierLedger;
  /** Default: in memory, retries on the clock's timers (tests, a single process). */
  journal?: SendJournal;
  /** The desk's SN7 command (`engine.applyStatus`). */
  applyStatus(messageId: string, update: StatusUpdate): Promise<unknown>;
  /**
   * SN5: the carrier refused a message because its recipient opted out (Twilio 21610, Meta
   * 131050): the recipient of that message is opted out of its channel, as a STOP would.
   */
  optedOut?(messageId: string): Promise<unknown>;
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

type State = { state: 'sending' | 'retry' | 'sent' | 'failed'; tries: number };

/** A journal in memory: its retries are timers, so they do not survive the process. */
export function memoryJournal(clock: Clock, resume: (job: SendJob) => Promise<void>): SendJournal {
  const states = new Map<string, State>();
  const key = (id: string, attempt: number) => `${id}|${attempt}`;
  return {
    async begin(id, attempt) {
      if (states.has(key(id, attempt))) return 'taken';
      states.set(key(id, attempt), { state: 'sending', tries: 1 });
      return 'go';
    },
    async resume(id, attempt, tries) {
      const entry = states.get(key(id, attempt));
      if (entry?.state !== 'retry' || entry.tries !== tries - 1) return false;
      states.set(key(id, attempt), { state: 'sending', tries });
      return true;
    },
    async sent(id, attempt) {
      states.set(key(id, attempt), { state: 'sent', tries: 0 });
    },
    async retryLater(job, at) {
      const { id, attempt } = job.message;
      states.set(key(id, attempt), { state: 'retry', tries: job.tries - 1 });
      clock.setTimeout(() => void resume(job), Math.max(0, at - clock.now()));
    },
    async failed(id, attempt) {
      states.set(key(id, attempt), { state: 'failed', tries: 0 });
    },
  };
}

export type CarrierDispatcher = ReturnType<typeof createCarrierDispatcher>;

export function createCarrierDispatcher(options: DispatcherOptions) {
  const { clock, lookups } = options;
  const maxTries = options.maxTries ?? 4;
  const retryAfterMs = options.retryAfterMs ?? 2000;
  const onError = options.onError ?? (() => undefined);
  const journal = options.journal ?? memoryJournal(clock, (job) => resume(job));

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

  const fail = async (message: Message, reason: string) => {
    await journal.failed(message.id, message.attempt, clock.now());
    await options.applyStatus(message.id, {
      status: 'failed',
      at: clock.now(),
      attempt: message.attempt,
      reason,
    });
  };

  /** One try of a claimed (message, attempt). */
  async function attempt({ message, conversation, tries }: SendJob): Promise<void> {
    const provider = options.carrierFor(conversation.channel);
    let carrierMessageId: string;
    try {
      ({ carrierMessageId } = await provider.send(await outgoing(message, conversation)));
    } catch (error) {
      onError(error, message);
      const retryable = isDeskError(error) && error.details.retryable === true;
      if (retryable && tries < maxTries) {
        const at = clock.now() + retryAfterMs * 2 ** (tries - 1);
        await journal.retryLater({ message, conversation, tries: tries + 1 }, at);
        return;
      }
      await fail(message, error instanceof Error ? error.message : String(error));
      if (isDeskError(error) && error.code === 'opted_out') await options.optedOut?.(message.id);
      return;
    }
    await options.ledger.record(provider.name, carrierMessageId, message.id, message.attempt);
    await journal.sent(message.id, message.attempt, clock.now());
  }

  /** A planned retry (the server's job handler calls it); one that already ran is skipped. */
  async function resume(job: SendJob): Promise<void> {
    const { message } = job;
    if (await journal.resume(message.id, message.attempt, job.tries, clock.now())) {
      await attempt(job);
    }
  }

  async function first(message: Message, conversation: Conversation): Promise<void> {
    const claim = await journal.begin(message.id, message.attempt, clock.now());
    if (claim === 'go') await attempt({ message, conversation, tries: 1 });
    else if (claim === 'stale') {
      await fail(message, 'The carrier did not answer before the server stopped; try again.');
    }
  }

  return {
    /** The engine's provider hook: hands the message over, after the command's commit. */
    dispatch(message: Message, conversation: Conversation, _at: number): void {
      void first(message, conversation).catch((error: unknown) => onError(error, message));
    },
    resume,
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
      if (update.status === 'failed' && update.code === 'opted_out') {
        await options.optedOut?.(known.messageId);
      }
      return true;
    },
  };
}
