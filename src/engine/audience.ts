/**
 * Who must receive an event. The engine addresses every event it publishes; whoever fans events
 * out (the embedded backend's subscribers, a server's streams) delivers each to its audience, as
 * that user sees it (`eventFor`).
 */
import type { ServerEvent, ViewFields } from '../adapter.js';
import { isAdmin } from '../rules/permissions.js';
import type { Conversation, Message, User, UserId } from '../types.js';

export type Audience =
  | { everyone: true }
  | {
      everyone?: false;
      userIds: UserId[];
      /** Admins see every conversation (U2), so they receive its events too. */
      admins: boolean;
    };

export interface AddressedEvent {
  event: ServerEvent;
  audience: Audience;
}

export const EVERYONE: Audience = { everyone: true };

export const onlyUser = (userId: UserId): Audience => ({ userIds: [userId], admins: false });

/**
 * What the views hold of a conversation's version before an event (issue 11: a client moves its
 * view counts by it); null for a new conversation.
 */
export function viewFields(c: Conversation | undefined): ViewFields | null {
  return c
    ? { ownerId: c.ownerId, hasIncoming: c.hasIncoming, unread: c.unread, outgoingBy: c.outgoingBy }
    : null;
}

/** Anyone who could see one of the versions of a conversation: owner, senders, admins. */
export function conversationAudience(
  conversation: Conversation | undefined,
  other?: Conversation,
): Audience {
  // Called for every event: no closure, no array but the answer; a handful of ids, so no Set.
  const first = conversation ?? other!;
  const userIds: UserId[] = [first.ownerId];
  for (const id of first.outgoingBy) if (!userIds.includes(id)) userIds.push(id);
  if (other && other !== first) {
    if (!userIds.includes(other.ownerId)) userIds.push(other.ownerId);
    for (const id of other.outgoingBy) if (!userIds.includes(id)) userIds.push(id);
  }
  return { userIds, admins: true };
}

/**
 * An event for whoever could see either version of a conversation, its audience worked out when
 * first read: routing publishes an event per message, which nobody may be connected to receive.
 */
export class ConversationEvent implements AddressedEvent {
  #audience: Audience | undefined;
  readonly #before: Conversation | undefined;
  readonly #after: Conversation;

  constructor(
    readonly event: ServerEvent,
    before: Conversation | undefined,
    after: Conversation,
  ) {
    this.#before = before;
    this.#after = after;
  }

  get audience(): Audience {
    return (this.#audience ??= conversationAudience(this.#before, this.#after));
  }
}

/** An event for one user (and nobody else), its audience made when first read. */
export class UserEvent implements AddressedEvent {
  #audience: Audience | undefined;
  readonly #userId: UserId;

  constructor(
    readonly event: ServerEvent,
    userId: UserId,
  ) {
    this.#userId = userId;
  }

  get audience(): Audience {
    return (this.#audience ??= onlyUser(this.#userId));
  }
}

export function reaches(audience: Audience, user: User): boolean {
  if (audience.everyone) return true;
  return (audience.admins && isAdmin(user)) || audience.userIds.includes(user.id);
}

/** A message as `userId` may see it: an idempotency key is shown to its sender only. */
export function messageFor(message: Message, userId: UserId): Message {
  if (message.idempotencyKey === undefined || message.sentBy === userId) return message;
  const { idempotencyKey: _key, ...rest } = message;
  return rest;
}

/** An event as `userId` receives it. */
export function eventFor(event: ServerEvent, userId: UserId): ServerEvent {
  return event.type === 'message.created'
    ? { ...event, message: messageFor(event.message, userId) }
    : event;
}
