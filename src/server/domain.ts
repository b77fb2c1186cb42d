/**
 * The seam between the server and the desk's rules. The server owns transactions, the event log,
 * idempotency and fan-out; a domain decides. `run` executes one command as one user inside the
 * server's transaction and answers what it emitted, with each event's audience, so that the events
 * are logged in the same commit as the change.
 */
import type { BackendAdapter } from '../adapter.js';
import type { CampaignInput, IncomingInput } from '../embedded/index.js';
import type { BusinessHours, Conversation, Message, RoutingExplanation, UserId } from '../types.js';
import type { Db } from './db.js';
import type { AddressedEvent } from './event-log.js';
import type { IntakeEntry, IntakeOutcome } from './receive-batcher.js';

export interface Outcome<T> {
  result: T;
  events: AddressedEvent[];
}

export interface Incoming {
  conversation: Conversation;
  message: Message;
  routing: RoutingExplanation;
}

export type Simulation =
  | { action: 'campaign'; input: CampaignInput }
  | { action: 'consent'; phone: string; consent: boolean }
  | { action: 'fail-next'; phone: string; reason?: string }
  | { action: 'business-hours'; hours?: BusinessHours };

export interface DeskDomain {
  /** Whether the account has this user (a valid token for anyone else is still refused). */
  hasUser(userId: UserId): Promise<boolean>;
  /** One command as `userId`, in `tx`; a refusal throws a `DeskError` and changes nothing. */
  run<T>(tx: Db, userId: UserId, command: (api: BackendAdapter) => Promise<T>): Promise<Outcome<T>>;
  /** A customer's message arrives through a carrier's webhook (SN5: `input.optOut`). */
  receive(tx: Db, input: IncomingInput): Promise<Outcome<Incoming>>;
  /**
   * A customer's message in a transaction of the domain's own, with its events logged; messages
   * arriving at the same time share one transaction (one commit, one NOTIFY). Optional: without
   * it, callers run `receive` in their own transaction.
   */
  receiveNow?(input: IncomingInput): Promise<Incoming>;
  /**
   * A webhook's event stored in the inbox and, if it is a message, routed, in one transaction
   * shared with the others arriving at the same time (group commit). Optional, as `receiveNow`.
   */
  intake?(entry: IntakeEntry): Promise<IntakeOutcome>;
  /** Demo mode: the phone simulator's other buttons (campaign, consent, failures, hours). */
  simulate(tx: Db, action: Simulation): Promise<Outcome<unknown>>;
  /** Events that happen outside any command (the provider's timers): the server logs them. */
  onEvents(listener: (events: AddressedEvent[]) => void): void;
  close(): Promise<void>;
}
