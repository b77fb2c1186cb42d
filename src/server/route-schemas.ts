/**
 * The HTTP shapes of docs/protocol.md, built from the engine's own valibot schemas
 * (src/engine/schemas.ts), so the team server accepts exactly what the embedded backend accepts
 * and refuses the rest with the same `DeskError('invalid_input')` naming the same field (issue 8:
 * one set of schemas for the engine and the server). Only what HTTP changes is written here: a
 * query value is text (a limit is digits), a send's key travels in a header, `mode` has a default.
 */
import * as v from 'valibot';
import { Text } from '../engine/input.js';
import {
  AssignSchema,
  CampaignSchema,
  IdempotencyKeySchema,
  IdSchema,
  MarkReadSchema,
  IncomingSchema,
  PageQuerySchema,
  parseInput,
  PhoneTextSchema,
  SearchContactsSchema,
  SendRequestSchema,
} from '../engine/schemas.js';

export { ContactInputSchema, ContactPatchSchema, parseInput } from '../engine/schemas.js';

/** A query's number: digits only (no `1e3`, no `0x10`), then the engine's own bounds. */
const digits = v.pipe(
  v.string('must be a whole number'),
  v.regex(/^[0-9]{1,9}$/, 'must be a whole number'),
  v.transform(Number),
);
const textParam = v.string('must be text');

export const PageParams = v.object({
  cursor: PageQuerySchema.entries.cursor,
  limit: v.optional(v.pipe(digits, v.unwrap(PageQuerySchema.entries.limit))),
});
export const ConversationParams = v.object({
  ...PageParams.entries,
  teamMember: v.optional(IdSchema),
  /** `mine`, `sent`, `sender:<id>`, `team:<id>`: the engine checks the view it names. */
  view: v.optional(textParam),
  /** The search: its length is the engine's to check (it names it `search`). */
  q: v.optional(textParam),
});
export const SearchParams = v.object({
  q: v.optional(textParam, ''), // its length is the engine's to check (`text`)
  limit: v.optional(v.pipe(digits, v.unwrap(SearchContactsSchema.entries.limit))),
});
/** One `view` arrives as text, several as a list (the engine bounds how many). */
export const CountParams = v.object({
  view: v.optional(v.union([textParam, v.array(textParam)], 'must be a view or a list of views')),
});

export const MarkReadBody = v.object({
  ...MarkReadSchema.entries,
  mode: v.optional(MarkReadSchema.entries.mode, 'owner'),
});
export const AssignBody = AssignSchema;
/** A send without its key (the `Idempotency-Key` header carries it). */
export const SendBody = v.object({
  target: SendRequestSchema.entries.target,
  content: SendRequestSchema.entries.content,
});

/** The `Idempotency-Key` header, named as the engine names it (`idempotencyKey`). */
export const keyOf = (header: unknown): string =>
  parseInput(IdempotencyKeySchema, header, 'idempotencyKey');
/** An optional key (`POST /contacts`): absent is fine, a bad one is refused. */
export const optionalKeyOf = (header: unknown): string | undefined =>
  header === undefined ? undefined : keyOf(header);

/**
 * Demo mode's bodies (src/server/demo.ts), from the same schemas: `/simulate/incoming` accepts
 * what a carrier's webhook hands the engine, a campaign what the engine's C3 accepts. Business
 * hours are the engine's to check (SN6, it names the field).
 */
export const DemoBodies = {
  token: v.object({
    userId: IdSchema,
    ttlSeconds: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(86_400, 'must be at most 86400'),
      ),
    ),
  }),
  incoming: IncomingSchema,
  campaign: v.object({ input: CampaignSchema }),
  consent: v.object({ phone: PhoneTextSchema, consent: v.boolean('must be true or false') }),
  'fail-next': v.object({ phone: PhoneTextSchema, reason: v.optional(Text(1000)) }),
  'business-hours': v.object({ hours: v.optional(v.unknown()) }),
};
