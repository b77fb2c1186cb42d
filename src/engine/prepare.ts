/**
 * Target resolution and send preparation: one function for the client (before Send, over its
 * state) and the engine (over its repository), so they cannot disagree.
 *
 * `{ templateId, text }` (docs/protocol.md): `text` is the user's version of the template. Merge
 * fields left in it are filled from the contact; if the result is the template unedited, the
 * message is that template (SN3 counts it as registered); if the user edited it, it is free text
 * (SN3: refused when the WhatsApp care window is closed). `{ templateId }` alone sends the filled
 * template. A merge field still unfilled is `template_missing_fields` (SN2, in the send guard).
 */
import type { SendContent } from '../adapter.js';
import { DeskError } from '../errors.js';
import { assertCanSend, canSee } from '../rules/permissions.js';
import { guardSend, type GuardVerdict } from '../rules/send-guard.js';
import { fillTemplate, matchesTemplate } from '../rules/templates.js';
import type {
  AccountSettings,
  Contact,
  Conversation,
  Media,
  RecipientPolicy,
  SenderId,
  Template,
  TemplateRef,
  User,
} from '../types.js';

type Maybe<T> = T | undefined | Promise<T | undefined>;

/** Where the facts come from: the client's state or the engine's repository. */
export interface SendLookups {
  conversation(id: string): Maybe<Conversation>;
  findConversation(senderId: string, customer: string): Maybe<Conversation>;
  sender(id: string): Maybe<SenderId>;
  template(id: string): Maybe<Template>;
  contact(phone: string): Maybe<Contact>;
  recipient(phone: string): RecipientPolicy | Promise<RecipientPolicy>;
  settings(): Maybe<AccountSettings>;
}

export type SendTarget = { conversationId: string } | { senderId: string; customer: string };

export interface ResolvedTarget {
  sender: SenderId;
  /** The conversation of that sender ID and number (C1), if there is one. */
  conversation: Conversation | undefined;
  customer: string;
}

export interface PreparedContent {
  text: string;
  media: Media[];
  /** The chosen template, for the guard's checks (SN2, SN3). */
  template?: Template;
  /** Set when the text is the template unedited: what the message records. */
  templateRef?: TemplateRef;
  missing: string[];
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** "A conversation you may not see" is `not_found`, everywhere (docs/protocol.md section 4). */
export function conversationNotFound(id: string): DeskError {
  return new DeskError('not_found', `Unknown conversation ${id}.`, { details: { id } });
}

export async function resolveTarget(
  user: User,
  target: SendTarget,
  lookups: SendLookups,
): Promise<ResolvedTarget> {
  let resolved: ResolvedTarget;
  if ('conversationId' in target) {
    const conversation = await lookups.conversation(target.conversationId);
    if (!conversation || !canSee(user, conversation))
      throw conversationNotFound(target.conversationId);
    const sender = await lookups.sender(conversation.senderId);
    if (!sender) throw new DeskError('not_found', `Unknown sender ID ${conversation.senderId}.`);
    resolved = { sender, conversation, customer: conversation.customer };
  } else {
    const sender = await lookups.sender(target.senderId);
    if (!sender)
      throw new DeskError('not_found', `Unknown sender ID ${target.senderId}.`, {
        details: { id: target.senderId },
      });
    if (!E164.test(target.customer))
      throw new DeskError('invalid_phone', 'The number is not in E.164 form.');
    const conversation = await lookups.findConversation(sender.id, target.customer);
    resolved = { sender, conversation, customer: target.customer };
  }
  // U2, S1, RT2: sight of the conversation, or access to the sender ID.
  assertCanSend(user, resolved.sender, resolved.conversation);
  return resolved;
}

/** The text, media and template a send carries, with the merge fields it lacks (SN2). */
export function prepareContent(
  content: SendContent,
  template: Template | undefined,
  contact: Contact | undefined,
  customer: string,
): PreparedContent {
  const media = content.media ?? [];
  if (!template) return { text: content.text?.trim() ?? '', media, missing: [] };
  const source = content.text?.trim() ? content.text : template.body;
  const filled = fillTemplate(source, { contact, phone: customer });
  const text = filled.text.trim();
  const unedited = matchesTemplate(template.body, text);
  return {
    text,
    media,
    template,
    ...(unedited && {
      templateRef: { id: template.id, name: template.name, registered: template.registered },
    }),
    missing: filled.missing,
  };
}

export interface PreparedSend extends ResolvedTarget {
  content: PreparedContent;
  verdict: GuardVerdict;
}

/** Resolves, checks permission, prepares the content and runs the send guard (SN2–SN6). */
export async function prepareSend(
  user: User,
  target: SendTarget,
  content: SendContent,
  lookups: SendLookups,
  now: number,
  resolved?: ResolvedTarget,
): Promise<PreparedSend> {
  const where = resolved ?? (await resolveTarget(user, target, lookups));
  let template: Template | undefined;
  if (content.templateId) {
    template = await lookups.template(content.templateId);
    if (!template)
      throw new DeskError('not_found', `Unknown template ${content.templateId}.`, {
        details: { id: content.templateId },
      });
  }
  const prepared = prepareContent(
    content,
    template,
    await lookups.contact(where.customer),
    where.customer,
  );
  const verdict = guardSend({
    channel: where.sender.channel,
    lastIncomingAt: where.conversation?.lastIncomingAt,
    recipient: await lookups.recipient(where.customer),
    content: prepared,
    hours: (await lookups.settings())?.businessHours,
    now,
  });
  return { ...where, content: prepared, verdict };
}
