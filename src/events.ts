/** The client's events: a discriminated union, typed end to end through mitt. */
import type { DeskError } from './errors.js';
import type { OutboxSummary } from './client-offline.js';
import type { Contact, Conversation, Message, UserId } from './types.js';

export interface DeskEventMap {
  /** RT5: a customer's message arrived in a conversation this user may see. */
  'message.incoming': { message: Message; conversation: Conversation };
  /** An outgoing message was accepted by the backend (from this tab or another user). */
  'message.outgoing': { message: Message; conversation: Conversation };
  /** SN7: a status moved forward. */
  'message.status': { message: Message; conversationId: string };
  /** A1, A2. */
  'conversation.assigned': { conversation: Conversation; from: UserId; to: UserId; by: UserId };
  /** N1: an incoming message or an assignment for the signed-in user. */
  notification: {
    kind: 'incoming' | 'assignment';
    conversationId: string;
    at: number;
    unseen: number;
  };
  'contact.saved': { contact: Contact };
  /** The sends an offline layer holds changed: e.g. "sign in again to send 3 messages". */
  outbox: OutboxSummary;
  /** A background operation failed (e.g. a late event could not be applied). */
  error: { error: DeskError };
}

export type DeskEventType = keyof DeskEventMap;

export type DeskEvent = {
  [K in DeskEventType]: { type: K } & DeskEventMap[K];
}[DeskEventType];

/** mitt's event record: each key carries its member of the union. */
export type DeskEmitterEvents = { [K in DeskEventType]: Extract<DeskEvent, { type: K }> };
