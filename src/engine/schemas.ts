/**
 * The engine's inputs are untrusted (a server feeds them JSON): each one is checked against a
 * valibot schema before any rule runs. valibot because it is small and tree-shakable, so the
 * browser bundle pays only for the schemas it uses. A server reuses these schemas for its bodies.
 * A bad input is `DeskError('invalid_input')` naming the field; nothing has changed yet.
 */
import * as v from 'valibot';
import { IdSchema, isId, MediaSchema, parseInput, SendContentSchema, Text } from './input.js';

export { IdSchema, MediaSchema, parseInput, SendContentSchema } from './input.js';

export const IdListSchema = v.pipe(
  v.array(IdSchema, 'must be a list of ids'),
  v.minLength(1, 'must name at least one id'),
  v.maxLength(1000, 'names too many ids'),
);
export const PhoneTextSchema = v.pipe(Text(40), v.minLength(1, 'must not be empty'));
export const IdempotencyKeySchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(255, 'is longer than 255 characters'),
);
const Limit = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
);

export const PageQuerySchema = v.object({
  cursor: v.optional(v.nullable(Text(512))),
  limit: v.optional(Limit),
});
/** V1–V4: a view's key, as `assertViewKey` checks it on the client. */
export const ViewKeySchema = v.variant(
  'kind',
  [
    v.object({ kind: v.literal('mine') }),
    v.object({ kind: v.literal('sent') }),
    v.object({ kind: v.literal('sender'), senderId: IdSchema }),
    v.object({ kind: v.literal('team'), userId: IdSchema }),
  ],
  'must be a view: mine, sent, sender or team',
);
/** Issue 11: the views of one `countViews` call (a navigation's worth). */
export const ViewKeysSchema = v.pipe(
  v.array(ViewKeySchema),
  v.maxLength(500, 'must hold at most 500 views'),
);
export const ConversationQuerySchema = v.object({
  ...PageQuerySchema.entries,
  scope: v.optional(v.object({ teamMember: IdSchema })),
  view: v.optional(ViewKeySchema),
  search: v.optional(Text(200)),
});

export const SendTargetSchema = v.union(
  [
    v.object({ conversationId: IdSchema }),
    v.object({ senderId: IdSchema, customer: PhoneTextSchema }),
  ],
  'must be { conversationId } or { senderId, customer }',
);
export const SendRequestSchema = v.object({
  idempotencyKey: IdempotencyKeySchema,
  target: SendTargetSchema,
  content: v.object(SendContentSchema.entries, 'must be an object'),
});
export const RetrySchema = v.object({ messageId: IdSchema, idempotencyKey: IdempotencyKeySchema });
export const MarkReadSchema = v.object({
  conversationIds: IdListSchema,
  read: v.boolean('must be true or false'),
  mode: v.picklist(['owner', 'admin'], 'must be owner or admin'),
});
export const AssignSchema = v.object({ conversationIds: IdListSchema, assigneeId: IdSchema });

const contactFields = {
  lastName: v.optional(Text(200)),
  phone: v.optional(Text(40)),
  countryCallingCode: v.optional(Text(8)),
  nationalNumber: v.optional(Text(40)),
  email: v.optional(Text(320)),
};
export const ContactInputSchema = v.object({
  firstName: v.pipe(
    Text(200),
    v.check((s) => s.trim() !== '', 'must not be empty'),
  ),
  ...contactFields,
});
export const ContactPatchSchema = v.object({
  firstName: v.optional(
    v.pipe(
      Text(200),
      v.check((s) => s.trim() !== '', 'must not be empty'),
    ),
  ),
  ...contactFields,
});
export const SearchContactsSchema = v.object({
  text: Text(200),
  limit: v.optional(v.pipe(Limit, v.maxValue(100, 'must be at most 100'))),
});
export const IncomingSchema = v.object({
  senderId: IdSchema,
  from: PhoneTextSchema,
  text: v.optional(Text(100_000)),
  media: v.optional(v.array(MediaSchema, 'must be a list of files')),
  /** SN5: the carrier's own opt-out verdict (Twilio's `OptOutType`), which wins over the text. */
  optOut: v.optional(v.picklist(['out', 'in'], 'must be "out" or "in"')),
});
export type Incoming = v.InferOutput<typeof IncomingSchema>;

/**
 * `IncomingSchema` for routing's common input, without valibot's generic walk (a sixth of
 * routing's cost): an object whose `senderId`, `from` and optional `text` are strings that the
 * schema accepts, and no `media` or `optOut` key. Anything else goes through the schema, which
 * stays the definition and names the bad field; test/incoming-input.test.ts checks that
 * both give the same answer.
 */
export function parseIncoming(input: unknown): Incoming {
  if (input && typeof input === 'object' && !('media' in input) && !('optOut' in input)) {
    const o = input as { senderId?: unknown; from?: unknown; text?: unknown };
    const { senderId, from } = o;
    const hasText = 'text' in o;
    const text = o.text;
    if (
      isId(senderId) &&
      typeof from === 'string' &&
      from.length >= 1 &&
      from.length <= 40 &&
      (!hasText || (typeof text === 'string' && text.length <= 100_000))
    )
      return hasText ? { senderId, from, text: text as string } : { senderId, from };
  }
  return parseInput(IncomingSchema, input, 'incoming');
}
export const CampaignSchema = v.object({
  senderId: IdSchema,
  userId: IdSchema,
  to: v.pipe(v.array(PhoneTextSchema, 'must be a list of numbers'), v.maxLength(100_000)),
  text: Text(100_000),
});
export const StatusUpdateSchema = v.object({
  status: v.picklist(['queued', 'sent', 'delivered', 'read', 'failed'], 'is not a status'),
  at: v.pipe(v.number('must be a number'), v.finite('must be a time')),
  attempt: v.pipe(v.number('must be a number'), v.integer('must be a whole number')),
  reason: v.optional(Text(1000)),
});
