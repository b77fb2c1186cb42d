/** U1, U2, S1: who may do what. Checked in the client and again in every backend adapter. */
import { DeskError } from '../errors.js';
import type { Conversation, SenderId, User, UserId } from '../types.js';

export const isAdmin = (user: User): boolean => user.role === 'admin';

/** U2: only admins see the Team Inbox, assign, and mark on behalf of an owner. */
export function assertAdmin(user: User, action: string): void {
  if (!isAdmin(user)) {
    throw new DeskError('forbidden', `Only an admin may ${action}.`, {
      details: { userId: user.id, action },
    });
  }
}

/** S1: the users who own or share a sender ID. */
export function senderUsers(sender: SenderId): UserId[] {
  return sender.access.type === 'owned' ? [sender.access.userId] : sender.access.userIds;
}

/** S1: a sender ID is owned by exactly one user, or shared among standard users. */
export function validateSenderId(sender: SenderId, users: ReadonlyMap<UserId, User>): void {
  const ids = senderUsers(sender);
  const bad = (reason: string) =>
    new DeskError('invalid_input', `Sender ID ${sender.id}: ${reason}`, {
      details: { senderId: sender.id },
    });
  if (ids.length === 0) throw bad('it has no user.');
  for (const id of ids) {
    const user = users.get(id);
    if (!user) throw bad(`unknown user ${id}.`);
    if (sender.access.type === 'shared' && user.role !== 'standard') {
      throw bad('a shared sender ID is shared among standard users only.');
    }
  }
}

/** V2: the sender IDs a user owns or shares. */
export function hasSenderAccess(user: User, sender: SenderId): boolean {
  return senderUsers(sender).includes(user.id);
}

/** What a user may see: a standard user its own and those it sent in (V1, V4); an admin all. */
export function canSee(user: User, conversation: Conversation): boolean {
  return (
    isAdmin(user) || conversation.ownerId === user.id || conversation.outgoingBy.includes(user.id)
  );
}

/** The sender IDs a user may start a conversation from: its own and shared ones; an admin any. */
export function canStartFrom(user: User, sender: SenderId): boolean {
  return isAdmin(user) || hasSenderAccess(user, sender);
}

/** S1, V2: the sender IDs a user may start a conversation from. */
export function startableSenders(user: User, senders: Iterable<SenderId>): SenderId[] {
  return [...senders].filter((sender) => canStartFrom(user, sender));
}

/**
 * Replying needs sight of the conversation (an assignee may reply from a sender ID it does not
 * own, A2). Anyone who owns or shares the sender ID may send to a number on it, whoever owns the
 * conversation now (RT2 Decision); an admin may send from any.
 */
export function assertCanSend(user: User, sender: SenderId, conversation?: Conversation): void {
  const allowed =
    canStartFrom(user, sender) || (conversation !== undefined && canSee(user, conversation));
  if (!allowed) {
    throw new DeskError('forbidden', `You may not send from ${sender.label}.`, {
      details: { senderId: sender.id, userId: user.id },
    });
  }
}
