/** A1, A2: an admin assigns conversations to one standard user, transferring ownership. */
import { DeskError } from '../errors.js';
import type { Conversation, User } from '../types.js';
import { assertAdmin } from './permissions.js';

/** A1: the users a conversation can be assigned to: the standard users, by name. */
export function assignableUsers(users: Iterable<User>): User[] {
  return [...users]
    .filter((u) => u.role === 'standard')
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function assertCanAssign(
  actor: User,
  assignee: User | undefined,
  count: number,
): asserts assignee is User {
  assertAdmin(actor, 'assign conversations');
  if (count === 0)
    throw new DeskError('invalid_input', 'Choose at least one conversation to assign.');
  if (!assignee) throw new DeskError('not_found', 'That user does not exist.');
  if (assignee.role !== 'standard') {
    throw new DeskError('invalid_input', 'Conversations are assigned to a standard user.', {
      details: { assigneeId: assignee.id },
    });
  }
}

/** A2: the assignee owns it, sees it unread, and (N1) is notified by the caller. */
export function applyAssignment(
  conversation: Conversation,
  assignee: User,
  actor: User,
  at: number,
): Conversation {
  return {
    ...conversation,
    ownerId: assignee.id,
    unread: true,
    lastAssignment: { to: assignee.id, by: actor.id, at },
    routing: {
      rule: 'RT4',
      ownerId: assignee.id,
      reason: `Assigned to ${assignee.name} by ${actor.name}.`,
      facts: {
        senderAccess: conversation.routing?.facts.senderAccess ?? 'owned',
        created: false,
        assignedTo: assignee.id,
        assignedAt: at,
        ...(conversation.lastOutgoing && {
          lastOutgoingBy: conversation.lastOutgoing.by,
          lastOutgoingAt: conversation.lastOutgoing.at,
        }),
      },
      at,
    },
  };
}
