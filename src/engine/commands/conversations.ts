/** V1–V5 lists, RD1–RD4 read state, A1–A2 assignment. */
import type { ViewCount } from '../../adapter.js';
import type { Page } from '../../types.js';
import { DeskError } from '../../errors.js';
import { applyAssignment, assertCanAssign } from '../../rules/assignment.js';
import { assertAdmin, isAdmin } from '../../rules/permissions.js';
import { applyRead, assertCanMark } from '../../rules/read-state.js';
import { assertTeamMember, parseSearch, type ViewKey } from '../../rules/views.js';
import type { Conversation, Message, User, UserId } from '../../types.js';
import { conversationAudience, messageFor, onlyUser, viewFields } from '../audience.js';
import {
  command,
  requireUser,
  saveConversation,
  visibleConversation,
  type EngineContext,
} from '../context.js';
import type { ConversationFilter, DeskStore, TimeCursor } from '../repository.js';
import {
  AssignSchema,
  ConversationQuerySchema,
  IdSchema,
  MarkReadSchema,
  PageQuerySchema,
  parseInput,
  ViewKeysSchema,
} from '../schemas.js';

const MAX_LIMIT = 1000;

export function encodeCursor(at: number, id: string): string {
  return `${at}:${id}`;
}

export function decodeCursor(cursor: string): TimeCursor {
  const i = cursor.indexOf(':');
  const at = Number(cursor.slice(0, i));
  if (i < 1 || !Number.isFinite(at))
    throw new DeskError('invalid_input', '`cursor` is not a cursor of this list.', {
      details: { field: 'cursor' },
    });
  return { at, id: cursor.slice(i + 1) };
}

/**
 * Newest activity first: a standard user's own and sent-in conversations; an admin's all. `view`
 * narrows to one view (V1–V4), `search` to the matching ones (V6); each page through an index.
 */
export async function listConversations(
  ctx: EngineContext,
  userId: UserId,
  query: unknown = {},
): Promise<Page<Conversation>> {
  const q = parseInput(ConversationQuerySchema, query ?? {}, 'query');
  const limit = Math.min(q.limit ?? 500, MAX_LIMIT);
  return command(ctx, async ({ store }) => {
    const user = await requireUser(store, userId);
    const filter = await filterOf(
      store,
      user,
      q.view ?? (q.scope && { kind: 'team', userId: q.scope.teamMember }),
    );
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const match = parseSearch(q.search ?? '') ?? undefined;
    // One more than asked tells whether there is a next page.
    const found = await store.listConversations({ filter, after, limit: limit + 1, match });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: found.length > limit && last ? encodeCursor(last.lastActivityAt, last.id) : null,
    };
  });
}

/**
 * Issue 11: each view's size and unread rows, in order; U2 refuses the whole call when one view
 * is not the user's to see (a standard user's Team Inbox).
 */
export async function countViews(
  ctx: EngineContext,
  userId: UserId,
  views: unknown,
): Promise<ViewCount[]> {
  const keys = parseInput(ViewKeysSchema, views, 'views');
  return command(ctx, async ({ store }) => {
    const user = await requireUser(store, userId);
    const filters: ConversationFilter[] = [];
    for (const view of keys) filters.push(await filterOf(store, user, view));
    return store.countConversations(filters);
  });
}

/** The list a view reads (V1–V4); without a view, what the user may see. */
async function filterOf(
  store: DeskStore,
  user: User,
  view: ViewKey | undefined,
): Promise<ConversationFilter> {
  const admin = isAdmin(user);
  switch (view?.kind) {
    case undefined:
      return admin ? { kind: 'all' } : { kind: 'involving', userId: user.id };
    case 'mine':
      return { kind: 'inbox', userId: user.id }; // V1
    case 'team':
      assertAdmin(user, 'open the Team Inbox'); // U2 first: a standard user learns nothing more
      assertTeamMember(await store.getUser(view.userId), view.userId); // V3
      return { kind: 'inbox', userId: view.userId };
    case 'sender': // V2: an admin sees every conversation on it
      return { kind: 'sender', senderId: view.senderId, ...(!admin && { userId: user.id }) };
    case 'sent':
      return { kind: 'sent', userId: user.id }; // V4
  }
}

/** A thread, newest page first, each page chronological; keys only for their sender. */
export async function listMessages(
  ctx: EngineContext,
  userId: UserId,
  conversationId: unknown,
  query: unknown = {},
): Promise<Page<Message>> {
  const id = parseInput(IdSchema, conversationId, 'conversationId');
  const q = parseInput(PageQuerySchema, query ?? {}, 'query');
  const limit = Math.min(q.limit ?? 50, MAX_LIMIT);
  return command(ctx, async ({ store }) => {
    const user = await requireUser(store, userId);
    await visibleConversation(store, user, id);
    const before = q.cursor ? decodeCursor(q.cursor) : undefined;
    const found = await store.listMessages({ conversationId: id, before, limit: limit + 1 });
    const items = found.slice(-limit).map((m) => messageFor(m, user.id));
    const first = items[0];
    return {
      items,
      nextCursor: found.length > limit && first ? encodeCursor(first.createdAt, first.id) : null,
    };
  });
}

/** RD2 (`owner`) or RD4 (`admin`, admins only). */
export async function markRead(
  ctx: EngineContext,
  userId: UserId,
  conversationIds: unknown,
  read: unknown,
  mode: unknown,
): Promise<Conversation[]> {
  const input = parseInput(MarkReadSchema, { conversationIds, read, mode });
  return command(ctx, async (unit) => {
    const { store } = unit;
    const user = await requireUser(store, userId);
    if (input.mode === 'admin') assertAdmin(user, "change another user's read state"); // RD4
    const conversations: Conversation[] = [];
    for (const id of input.conversationIds)
      conversations.push(await visibleConversation(store, user, id));
    assertCanMark(conversations, user, input.mode); // RD2, RD4
    const result: Conversation[] = [];
    for (const c of conversations) {
      const next = applyRead(c, input.read);
      if (next === c) {
        result.push(c);
        continue;
      }
      const saved = await saveConversation(store, next);
      unit.emit(
        { type: 'conversation.updated', conversation: saved, previous: viewFields(c) },
        conversationAudience(saved),
      );
      result.push(saved);
    }
    return result;
  });
}

/** A1, A2 (admins only): ownership moves, the assignee sees it unread and is notified (N1). */
export async function assign(
  ctx: EngineContext,
  userId: UserId,
  conversationIds: unknown,
  assigneeId: unknown,
): Promise<Conversation[]> {
  const input = parseInput(AssignSchema, { conversationIds, assigneeId });
  return command(ctx, async (unit) => {
    const { store, now } = unit;
    const user = await requireUser(store, userId);
    assertAdmin(user, 'assign conversations'); // U2 before anything else is revealed
    const assignee = await store.getUser(input.assigneeId);
    assertCanAssign(user, assignee, input.conversationIds.length); // A1
    const conversations: Conversation[] = [];
    for (const id of input.conversationIds)
      conversations.push(await visibleConversation(store, user, id));
    const result: Conversation[] = [];
    for (const before of conversations) {
      const after = await saveConversation(store, applyAssignment(before, assignee, user, now));
      unit.emit(
        {
          type: 'conversation.assigned',
          conversation: after,
          previous: viewFields(before),
          from: before.ownerId,
          to: assignee.id,
          by: user.id,
        },
        conversationAudience(before, after),
      );
      unit.emit(
        {
          type: 'notification',
          kind: 'assignment',
          userId: assignee.id,
          conversationId: after.id,
          at: now,
        },
        onlyUser(assignee.id),
      );
      result.push(after);
    }
    return result;
  });
}
