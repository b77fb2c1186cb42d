/**
 * The inputs the client checks itself (a send's content), apart from the engine's full schema set
 * (./schemas.ts): the client loads this module on its first send, so valibot stays out of a
 * browser's first load and brings only the few schemas it uses.
 */
import * as v from 'valibot';
import { DeskError } from '../errors.js';

/** Names that mean something to plain objects: never accepted as ids. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f]/;

/**
 * Ids `isId` accepted (at most 256): routing checks the same few sender IDs for every message,
 * and a set lookup costs less than the reserved-name lookup and the regex together.
 */
const accepted = new Set<string>();

/** What `IdSchema` accepts, as a predicate (for a hand-written fast path that must agree). */
export function isId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  if (id.length < 1 || id.length > 256) return false;
  if (accepted.has(id)) return true; // a pure test of the text: the answer does not change
  if (RESERVED.has(id) || CONTROL.test(id)) return false;
  if (accepted.size < 256) accepted.add(id);
  return true;
}

export const IdSchema = v.pipe(
  v.string('must be text'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(256, 'is too long'),
  v.check((id) => !RESERVED.has(id) && !CONTROL.test(id), 'is not a valid id'),
);
export const Text = (max: number) =>
  v.pipe(v.string('must be text'), v.maxLength(max, 'is too long'));

export const MediaSchema = v.object({
  url: Text(10_000_000),
  mimeType: Text(255),
  fileName: Text(1024),
  size: v.number('must be a number'),
});
export const SendContentSchema = v.object({
  text: v.optional(Text(100_000)),
  templateId: v.optional(IdSchema),
  media: v.optional(v.pipe(v.array(MediaSchema, 'must be a list of files'), v.maxLength(50))),
});
/**
 * Checks `value` against `schema`; returns the parsed value or throws `invalid_input` naming the
 * first bad field (`content.text`, `conversationIds.1`).
 */
export function parseInput<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  name = 'input',
): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const field = path ?? name;
  throw new DeskError('invalid_input', `\`${field}\` ${issue.message}.`, {
    details: { field, received: issue.received },
  });
}
