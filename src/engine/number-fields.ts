/**
 * One time, one number: a routed message's time is in six fields (its `createdAt` and status
 * time, its preview's `at`, the conversation's `lastActivityAt` and `lastIncomingAt`, and the
 * explanation's `at` when the decision changes; the next version's `createdAt` is the previous
 * one's), most often the clock's own number. V8 keeps a field that has only ever
 * held numbers, in objects of one shape (the same keys in the same order), as a double in a box
 * of its own per object: six boxes per message, kept as long as the records, for the collector to
 * copy. Once a field of that shape has held anything else, objects hold numbers by reference, and
 * the six fields share one box (a fifth of what routing keeps per message at 100k conversations).
 * So each record shape that routing builds is shown a text in its number fields once, when the
 * first engine is made (`shareNumberFields`, a call, so that no bundler drops it).
 * Values and behaviour are unchanged; engines that store numbers unboxed (JSC, SpiderMonkey)
 * are unaffected. The samples' keys must stay in the order of the literals they stand for:
 * test/number-fields.test.ts compares them with the records routing builds.
 */
import type { Conversation, Message, MessagePreview, RoutingExplanation } from '../types.js';

/** A record's keys, each holding a text: typed so that none is forgotten (the order is tested). */
type Sample<T> = { [K in keyof Required<T>]: string };

const samples = (X: string) => ({
  /** The incoming message (`decide` in src/engine/commands/incoming.ts). */
  message: {
    id: X,
    conversationId: X,
    direction: X,
    text: X,
    media: X,
    status: X,
    statusTimes: X,
    attempt: X,
    createdAt: X,
  } satisfies Partial<Sample<Message>>,
  /** The incoming message's status times (`{ delivered }`). */
  statusTimes: { delivered: X },
  /** `previewOf` (src/rules/routing.ts). */
  preview: {
    messageId: X,
    direction: X,
    text: X,
    at: X,
    status: X,
    hasMedia: X,
  } satisfies Sample<MessagePreview>,
  /** `routeIncoming`'s explanation (src/rules/routing.ts): its `at` is the clock's number. */
  explanation: {
    rule: X,
    ownerId: X,
    reason: X,
    facts: X,
    at: X,
  } satisfies Sample<RoutingExplanation>,
  /** `applyIncoming`'s new version (src/rules/routing.ts). */
  conversation: {
    id: X,
    senderId: X,
    channel: X,
    customer: X,
    ownerId: X,
    unread: X,
    hasIncoming: X,
    lastActivityAt: X,
    lastMessage: X,
    lastIncomingAt: X,
    outgoingBy: X,
    lastOutgoing: X,
    lastAssignment: X,
    routing: X,
    createdAt: X,
    revision: X,
  } satisfies Sample<Conversation>,
});

/**
 * Kept where no bundler may drop them (rollup removed a module variable nobody read): a shape
 * whose every object has died may be made afresh, its numbers boxed again.
 */
const KEPT = Symbol.for('converse-desk/number-fields');

/** Shows each shape a text once (see above); returns the samples, in their key order. */
export function shareNumberFields(): ReturnType<typeof samples> {
  const holder = globalThis as { [KEPT]?: ReturnType<typeof samples> };
  return (holder[KEPT] ??= samples(''));
}
