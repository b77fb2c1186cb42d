/** RD1–RD4: read state is the owner's; who may change it, and when opening changes it. */
import { DeskError } from '../errors.js';
import type { Conversation, User } from '../types.js';
import { assertAdmin } from './permissions.js';

/** RD1, RD3: opening marks read only for the owner; an admin's peek changes nothing. */
export function readOnOpen(conversation: Conversation, viewer: User): boolean {
  return conversation.ownerId === viewer.id && conversation.unread;
}

export type MarkMode = 'owner' | 'admin';

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
