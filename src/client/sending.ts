/** Sending's state (SN1–SN8): recipients, template previews, the offline outbox's held sends, messages. */
import type { HeldSend } from '../adapter.js';
import { DeskError } from '../errors.js';
import { fillTemplate } from '../rules/templates.js';
import { localCopy, sameSummary, summarize } from '../client-offline.js';
import type { Message, RecipientPolicy, Template } from '../types.js';
import { conversation, setThread, typedContact, type Core, stateOf } from './state.js';
import { mergeMessages, withMessages } from './thread.js';

/** SN4/SN5 facts for a number, cached and kept current by server events. */
export async function recipient(core: Core, phone: string): Promise<RecipientPolicy> {
  const cached = stateOf(core).recipients.get(phone);
  if (cached) return cached;
  const policy = await core.adapter.getRecipient(phone);
  core.store.setState((s) => {
    if (s.recipients.has(phone)) return s; // an event was faster
    const recipients = new Map(s.recipients);
    recipients.set(phone, policy);
    return { ...s, recipients };
  });
  return stateOf(core).recipients.get(phone)!;
}

/** SN2: a template filled from the contact of a number or the name typed, then the values typed. */
export function previewTemplate(
  core: Core,
  templateId: string,
  customer: string,
  typed: { name?: string; values?: Readonly<Record<string, string>> } = {},
): { text: string; missing: string[] } {
  const template = findTemplate(core, templateId);
  const contact =
    stateOf(core).contacts.get(customer) ??
    typedContact({ senderId: '', customer, ...typed }, customer);
  return fillTemplate(template.body, {
    contact,
    phone: customer,
    ...(typed.values && { values: typed.values }),
  });
}

function findTemplate(core: Core, id: string): Template {
  const template = stateOf(core).templates.find((t) => t.id === id);
  if (!template) throw new DeskError('not_found', `Unknown template ${id}.`, { details: { id } });
  return template;
}

export function onHeld(core: Core, held: readonly HeldSend[]): void {
  core.held = held;
  const summary = summarize(held);
  if (!sameSummary(summary, stateOf(core).outbox)) {
    core.store.setState((s) => ({ ...s, outbox: summary }));
    core.emitter.emit('outbox', { type: 'outbox', ...summary });
  }
  const ids = new Set<string>();
  for (const h of held)
    if ('conversationId' in h.request.target) ids.add(h.request.target.conversationId);
  for (const id of ids) showHeld(core, id);
}

/** The local copies of the held sends of a loaded thread (after a reload, from another tab). */
export function showHeld(core: Core, conversationId: string): void {
  const thread = stateOf(core).threads.get(conversationId);
  if (!thread) return;
  let items = thread.items;
  for (const h of core.held) {
    if (
      !('conversationId' in h.request.target) ||
      h.request.target.conversationId !== conversationId
    )
      continue;
    const id = `local:${h.key}`;
    const confirmed = items.some((m) => m.idempotencyKey === h.key && m.id !== id);
    if (confirmed) continue;
    const current = items.find((m) => m.id === id);
    const text = h.request.content.templateId
      ? previewTemplate(
          core,
          h.request.content.templateId,
          conversation(core, conversationId).customer,
        ).text
      : (h.request.content.text ?? '');
    const copy = localCopy(h, conversationId, stateOf(core).me?.id, text);
    if (current?.status === copy.status && current.queueReason === copy.queueReason) continue;
    items = mergeMessages(
      items.filter((m) => m.id !== id),
      [current ? { ...copy, createdAt: current.createdAt } : copy],
    );
  }
  if (items !== thread.items) setThread(core, conversationId, (t) => withMessages(t, items));
}

/** A message's latest copy, its thread open or not. */
export function message(core: Core, messageId: string): Message | undefined {
  const known = core.messages.get(messageId);
  const thread = known && stateOf(core).threads.get(known.conversationId);
  return thread?.get(messageId) ?? known ?? findMessage(core, messageId);
}

export function findMessage(core: Core, messageId: string): Message | undefined {
  for (const thread of stateOf(core).threads.values()) {
    const found = thread.get(messageId);
    if (found) return found;
  }
  return undefined;
}
