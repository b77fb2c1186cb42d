import type { Conversation } from '../types.js';

/**
 * Whether two versions of a conversation sit in the same views with the same unread state
 * (V1–V4, RD1): the fields `inView` and the counts read. A change that keeps them moves no count.
 */
export function sameViews(a: Conversation, b: Conversation): boolean {
  return (
    a.unread === b.unread &&
    a.hasIncoming === b.hasIncoming &&
    a.ownerId === b.ownerId &&
    a.senderId === b.senderId &&
    (a.outgoingBy === b.outgoingBy ||
      (a.outgoingBy.length === b.outgoingBy.length &&
        a.outgoingBy.every((u, i) => b.outgoingBy[i] === u)))
  );
}
