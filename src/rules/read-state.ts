/** RD1–RD4: read state is the owner's; who may change it, and when opening changes it. */
import { DeskError } from '../errors.js';
import type { Conversation, User } from '../types.js';
import { assertAdmin, isAdmin } from './permissions.js';

/** RD1, RD3: opening marks read only for the owner; an admin's peek changes nothing. */
export function readOnOpen(conversation: Conversation, viewer: User): boolean {
  return conversation.ownerId === viewer.id && conversation.unread;
}

export type MarkMode = 'owner' | 'admin';

/**
 * How `viewer` may mark a conversation read or unread: as its owner (RD2), as an admin on behalf
 * of the owner, after a confirmation (RD4), or not at all (null). A conversation without an
 * incoming message is in no inbox, so it has no read state to change (V1, V2).
 */
export function markMode(conversation: Conversation, viewer: User): MarkMode | null {
  if (!conversation.hasIncoming) return null;
  if (conversation.ownerId === viewer.id) return 'owner';
  return isAdmin(viewer) ? 'admin' : null;
}

/** RD4: an admin's mark of another user's conversation needs the user's confirmation first. */
export function needsConfirmation(conversation: Conversation, viewer: User): boolean {
  return markMode(conversation, viewer) === 'admin';
}

/**
 * RD2: a user marks read or unread the conversations it owns (from My Inbox or Sent Messages).
 * Decision: a Sent Messages row now owned by someone else cannot be marked by a standard user,
 * because read state is the owner's (RD1). RD4: an admin may mark any conversation, explicitly.
 */
export function assertCanMark(
  conversations: readonly Conversation[],
  viewer: User,
  mode: MarkMode,
): void {
  if (mode === 'admin') {
    assertAdmin(viewer, "change another user's read state");
    return;
  }
  const foreign = conversations.filter((c) => c.ownerId !== viewer.id);
  if (foreign.length > 0) {
    throw new DeskError('forbidden', 'Only the owner can mark a conversation read or unread.', {
      details: { conversationIds: foreign.map((c) => c.id) },
    });
  }
}

export function applyRead(conversation: Conversation, read: boolean): Conversation {
  return conversation.unread === !read ? conversation : { ...conversation, unread: !read };
}
