/**
 * SN2: the templates offered in the compose box (type `conversation`, channel of the sender ID),
 * searchable by name and text, and their merge fields (`{{contact.firstName}}`) filled from the
 * contact. Also the check that a text is an unedited fill of a template, which SN3 relies on.
 */
import { DeskError } from '../errors.js';
import type { Channel, Contact, Template } from '../types.js';
import { foldText } from './text.js';

/** A merge field; spaces inside the braces are tolerated: `{{ contact.firstName }}`. */
const FIELD = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

export interface MergeContext {
  contact?: Pick<Contact, 'firstName' | 'lastName' | 'phone' | 'email'> | null;
  /** The conversation's number, used for `contact.phone` when there is no contact. */
  phone?: string;
}

const CHANNEL_NAMES: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

const fold = foldText;

function assertString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new DeskError('invalid_input', `The ${what} must be text.`);
}

/** SN2: the templates the compose box offers for a channel. */
export function conversationTemplates(
  templates: readonly Template[],
  channel: Channel,
): Template[] {
  return templates.filter((t) => t.type === 'conversation' && t.channel === channel);
}

/** SN2: templates whose name or body contains the query, ignoring case and accents. */
export function searchTemplates(templates: readonly Template[], query: string): Template[] {
  assertString(query, 'search query');
  const q = fold(query.trim());
  if (!q) return [...templates];
  return templates.filter((t) => fold(t.name).includes(q) || fold(t.body).includes(q));
}

/** SN2: the distinct merge field names of a body, in order of first appearance. */
export function mergeFields(body: string): string[] {
  assertString(body, 'template body');
  return [...new Set(Array.from(body.matchAll(FIELD), (m) => m[1]!))];
}

function fieldValue(field: string, context: MergeContext): string | undefined {
  const c = context.contact ?? undefined;
  switch (field) {
    case 'contact.firstName':
      return c?.firstName;
    case 'contact.lastName':
      return c?.lastName;
    case 'contact.name':
      return c && `${c.firstName ?? ''} ${c.lastName ?? ''}`;
    case 'contact.phone':
      return c?.phone || context.phone;
    case 'contact.email':
      return c?.email;
    default:
      return undefined; // unknown fields are reported, never guessed
  }
}

/**
 * SN2: the body with its merge fields filled. A field without a value, or an unknown one, stays
 * as written and is listed in `missing`, so the UI can ask before sending.
 */
export function fillTemplate(
  body: string,
  context: MergeContext,
): { text: string; missing: string[] } {
  assertString(body, 'template body');
  const missing = new Set<string>();
  // One pass: a value that itself looks like `{{…}}` is inserted literally, never expanded.
  const text = body.replace(FIELD, (whole, field: string) => {
    const value = fieldValue(field, context)?.trim();
    if (value) return value;
    missing.add(field);
    return whole;
  });
  return { text, missing: [...missing] };
}

/** SN2: only `conversation` templates of the conversation's channel are sent from the desk. */
export function checkTemplate(template: Template, channel: Channel): void {
  const details = { templateId: template.id, templateChannel: template.channel, channel };
  if (template.channel !== channel) {
    throw new DeskError(
      'template_channel_mismatch',
      `The template "${template.name}" is for ${CHANNEL_NAMES[template.channel] ?? template.channel}, not ${CHANNEL_NAMES[channel] ?? channel}.`,
      { details },
    );
  }
  if (template.type !== 'conversation') {
    throw new DeskError(
      'template_not_conversation',
      `The template "${template.name}" is a ${template.type} template; only conversation templates can be sent from the desk.`,
      { details: { ...details, type: template.type } },
    );
  }
}

/**
 * SN2, SN3: true when `text` is the template body with its merge fields filled in, and nothing
 * else edited (surrounding white space and line-ending style aside). Literal pieces are matched in
 * order with indexOf, not with a generated regex, so a long text cannot cause backtracking.
 */
export function matchesTemplate(body: string, text: string): boolean {
  const norm = (s: string) => s.replace(/\r\n?/g, '\n').trim();
  const t = norm(text);
  const pieces = norm(body).split(/\{\{\s*[A-Za-z_][\w.]*\s*\}\}/);
  if (pieces.length === 1) return t === pieces[0];
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const end = t.length - last.length;
  if (end < first.length || !t.startsWith(first) || !t.endsWith(last)) return false;
  let pos = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const i = t.indexOf(piece, pos);
    if (i < 0 || i + piece.length > end) return false;
    pos = i + piece.length;
  }
  return true;
}

/**
 * SN2, SN3: the value of each merge field, in order of first appearance: what a carrier's
 * registered template receives as `{{1}}`, `{{2}}`… A missing value stays as written, as in
 * `fillTemplate` (the send guard refuses such a template before it reaches a carrier).
 */
export function templateValues(body: string, context: MergeContext): string[] {
  return mergeFields(body).map((field) => fillTemplate(`{{${field}}}`, context).text);
}
