/**
 * RT1–RT5: where an incoming message goes, and how outgoing messages move ownership. Pure
 * functions: the backend calls them and stores the result; the explanation travels with the
 * conversation so the UI can say why it was routed there.
 */
import type {
  Conversation,
  Message,
  MessagePreview,
  RoutingExplanation,
  SenderId,
  UserId,
} from '../types.js';

export interface RoutingInput {
  sender: SenderId;
  /** The conversation for this sender ID and number (C1: at most one), if any. */
  existing?: Conversation;
  /** C3: a campaign message sent to this number from this sender ID, not yet a conversation. */
  campaign?: { by: UserId; at: number };
  /** RT3 Decision: the account's first admin, configurable. */
  defaultAdminId: UserId;
  now: number;
}

/**
 * RT1–RT5: the decision for an incoming message. With `previous` (the conversation's current
 * explanation), the same decision for the same facts returns `previous` itself (its time kept):
 * a conversation's versions share one explanation per decision, and routing, which runs this
 * for every incoming message, allocates nothing when nothing changed.
 */
export function routeIncoming(
  input: RoutingInput,
  previous?: RoutingExplanation,
): RoutingExplanation {
  const { sender, existing, campaign, defaultAdminId, now } = input;
  const access = sender.access;
  let rule: RoutingExplanation['rule'];
  let ownerId: UserId;
  let reason: string;
  let outBy: UserId | undefined;
  let outAt: number | undefined;
  let assignedTo: UserId | undefined;
  let assignedAt: number | undefined;
  let fromCampaign: true | undefined;
  if (!existing) {
    if (campaign) fromCampaign = true;
    if (access.type === 'owned') {
      rule = 'RT1';
      ownerId = access.userId;
      reason = 'The sender ID is owned by one user, so the conversation is theirs.';
    } else if (campaign) {
      outBy = campaign.by;
      outAt = campaign.at;
      rule = 'RT2';
      ownerId = campaign.by;
      reason = 'Reply to a campaign message sent from this shared sender ID; its sender owns it.';
    } else {
      rule = 'RT3';
      ownerId = defaultAdminId;
      reason = 'First message from a number never messaged from this shared sender ID.';
    }
  } else {
    const out = existing.lastOutgoing;
    const assigned = existing.lastAssignment;
    outBy = out?.by;
    outAt = out?.at;
    assignedTo = assigned?.to;
    assignedAt = assigned?.at;
    if (assigned && (!out || assigned.at >= out.at)) {
      // RT4: whoever most recently sent or was assigned owns it.
      rule = 'RT4';
      ownerId = assigned.to;
      reason = 'The conversation was assigned after the last outgoing message.';
    } else if (out) {
      ownerId = out.by;
      if (access.type === 'owned' && out.by === access.userId) {
        rule = 'RT1';
        reason = 'The sender ID is owned by one user, who sent the last outgoing message.';
      } else if (access.type === 'shared') {
        rule = 'RT2';
        reason =
          'Shared sender ID: the message joins the conversation of the last outgoing message to this number; its sender owns it.';
      } else {
        rule = 'RT4';
        reason = 'The last outgoing message in this conversation was sent by this user.';
      }
    } else if (access.type === 'owned') {
      // No outgoing and no assignment yet: it stays where it was created.
      rule = 'RT1';
      ownerId = access.userId;
      reason = 'The sender ID is owned by one user, so the conversation is theirs.';
    } else {
      rule = 'RT3';
      ownerId = existing.ownerId;
      reason = 'First contact on a shared sender ID, not yet answered.';
    }
  }
  const f = previous?.facts;
  if (
    f &&
    previous.rule === rule &&
    previous.ownerId === ownerId &&
    previous.reason === reason &&
    f.senderAccess === access.type &&
    f.created === !existing &&
    f.lastOutgoingBy === outBy &&
    f.lastOutgoingAt === outAt &&
    f.assignedTo === assignedTo &&
    f.assignedAt === assignedAt &&
    f.campaign === fromCampaign
  )
    return previous;
  // Only the facts that apply, as before (an explanation read back from storage has the same keys).
  // A decision that depends on nothing but the sender ID's access shares its facts (read only).
  if (outBy === undefined && assignedTo === undefined) {
    const facts =
      PLAIN_FACTS[
        (access.type === 'shared' ? 4 : 0) + (existing ? 0 : 2) + (fromCampaign ? 1 : 0)
      ]!;
    return { rule, ownerId, reason, facts, at: now };
  }
  const facts: RoutingExplanation['facts'] = { senderAccess: access.type, created: !existing };
  if (fromCampaign) facts.campaign = true;
  if (outBy !== undefined) {
    facts.lastOutgoingBy = outBy;
    facts.lastOutgoingAt = outAt;
  }
  if (assignedTo !== undefined) {
    facts.assignedTo = assignedTo;
    facts.assignedAt = assignedAt;
  }
  return { rule, ownerId, reason, facts, at: now };
}

/**
 * The facts of the decisions that depend on nothing but the sender ID's access (owned or shared,
 * a new conversation or not, a campaign's reply or not), frozen and shared by every explanation
 * that has them: at 100k conversations a new explanation per conversation was 40 bytes more to
 * keep, and comparing against a shared one reads memory that is already in the cache.
 */
const PLAIN_FACTS: ReadonlyArray<RoutingExplanation['facts']> = ['owned', 'shared'].flatMap(
  (senderAccess) =>
    [false, true].flatMap((created) =>
      [false, true].map((campaign) =>
        Object.freeze({
          senderAccess: senderAccess as 'owned' | 'shared',
          created,
          ...(campaign && { campaign: true as const }),
        }),
      ),
    ),
);

export function previewOf(message: Message): MessagePreview {
  return {
    messageId: message.id,
    direction: message.direction,
    text: (message.text || message.media[0]?.fileName || '').slice(0, 140),
    at: message.createdAt,
    status: message.status,
    hasMedia: message.media.length > 0,
  };
}

/**
 * Every field of a conversation, optional ones included (as undefined): a literal of this type
 * cannot forget a field, and gives every version one shape.
 */
type AllFields<T> = { [K in keyof Required<T>]: T[K] };

/**
 * RT5: the incoming message makes the conversation unread for its owner. `newest`: the caller
 * knows the message is later than every message of the thread (V5; else it is checked here).
 */
export function applyIncoming(
  conversation: Conversation,
  routing: RoutingExplanation,
  message: Message,
  newest = false,
): Conversation {
  // One literal with every field, not a spread: routing runs this for every incoming message,
  // and a fixed shape keeps the new version one object (no property store beside it).
  const c = conversation;
  // `newest` spares a read of the current preview (a cache miss per message at 100k conversations).
  const latest = newest || isLatest(c, message);
  const at = message.createdAt;
  const lastIncoming = c.lastIncomingAt ?? 0;
  const next: AllFields<Conversation> = {
    id: c.id,
    senderId: c.senderId,
    channel: c.channel,
    customer: c.customer,
    ownerId: routing.ownerId,
    unread: true,
    hasIncoming: true,
    // Picked, not `Math.max`: a new number would be one more object (see number-fields.ts).
    lastActivityAt: latest && at > c.lastActivityAt ? at : c.lastActivityAt,
    lastMessage: latest ? previewOf(message) : c.lastMessage,
    lastIncomingAt: lastIncoming > at ? lastIncoming : at,
    outgoingBy: c.outgoingBy,
    lastOutgoing: c.lastOutgoing,
    lastAssignment: c.lastAssignment,
    routing,
    createdAt: c.createdAt,
    revision: c.revision,
  };
  return next;
}

/**
 * RT4: an outgoing message makes its sender the owner, who has read the thread by replying.
 * C3 Decision: ownership follows time, so a message older than the last outgoing message or
 * assignment (a campaign joining the thread late) only joins the thread (V4), it never takes
 * ownership back.
 */
export function applyOutgoing(conversation: Conversation, message: Message): Conversation {
  const by = message.sentBy!;
  const outgoingBy = conversation.outgoingBy.includes(by)
    ? conversation.outgoingBy
    : [...conversation.outgoingBy, by];
  const claims = [conversation.lastOutgoing?.at, conversation.lastAssignment?.at];
  const latestClaim = Math.max(...claims.map((at) => at ?? -Infinity));
  if (message.createdAt < latestClaim) {
    return { ...conversation, outgoingBy, ...latest(conversation, message) };
  }
  const changesOwner = conversation.ownerId !== by;
  return {
    ...conversation,
    ownerId: by,
    unread: false,
    outgoingBy,
    lastOutgoing: { by, at: message.createdAt },
    ...(changesOwner && {
      routing: {
        rule: 'RT4',
        ownerId: by,
        reason: 'An outgoing message makes its sender the owner.',
        facts: {
          senderAccess: conversation.routing?.facts.senderAccess ?? 'owned',
          created: false,
          lastOutgoingBy: by,
          lastOutgoingAt: message.createdAt,
        },
        at: message.createdAt,
      } satisfies RoutingExplanation,
    }),
    ...latest(conversation, message),
  };
}

/** V5: the last message and activity time never go backwards when messages arrive late. */
const isLatest = (conversation: Conversation, message: Message) =>
  !conversation.lastMessage || conversation.lastMessage.at <= message.createdAt;

function latest(conversation: Conversation, message: Message) {
  if (!isLatest(conversation, message)) return {};
  return {
    lastMessage: previewOf(message),
    lastActivityAt: Math.max(conversation.lastActivityAt, message.createdAt),
  };
}
