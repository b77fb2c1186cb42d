/**
 * What comes from the provider besides incoming messages (./incoming.ts): status updates (SN7),
 * and the business-hours queue going out (SN6).
 */
import { nextOpening } from '../../rules/business-hours.js';
import { guardSend } from '../../rules/send-guard.js';
import { applyStatus, type StatusUpdate } from '../../rules/status.js';
import type { Conversation, Message } from '../../types.js';
import { conversationAudience, viewFields } from '../audience.js';
import {
  command,
  recipientOf,
  saveConversation,
  templateOf,
  withPreview,
  type EngineContext,
  type Unit,
} from '../context.js';
import { isInFlight } from '../memory-conversations.js';
import type { DeskStore } from '../repository.js';
import { IdSchema, parseInput, StatusUpdateSchema } from '../schemas.js';

/** Stores a status move and tells whoever sees the conversation. */
async function storeStatus(unit: Unit, message: Message, update: StatusUpdate): Promise<void> {
  const { store } = unit;
  const conversation = await store.getConversation(message.conversationId);
  if (!conversation) return;
  const next = applyStatus(message, update, conversation.channel); // SN7
  if (next === message) return;
  await store.putMessage(next);
  const audience = conversationAudience(conversation);
  unit.emit(
    {
      type: 'message.status',
      conversationId: next.conversationId,
      messageId: next.id,
      attempt: next.attempt,
      status: next.status,
      at: update.at,
      ...(next.failureReason && { reason: next.failureReason }),
    },
    audience,
  );
  if (conversation.lastMessage?.messageId === next.id) {
    const saved = await saveConversation(store, withPreview(conversation, next));
    unit.emit(
      { type: 'conversation.updated', conversation: saved, previous: viewFields(conversation) },
      conversationAudience(saved),
    );
  }
}

/** SN7: a provider's status report; stale, repeated or backwards updates change nothing. */
export async function applyProviderStatus(
  ctx: EngineContext,
  messageId: unknown,
  update: unknown,
): Promise<void> {
  const id = parseInput(IdSchema, messageId, 'messageId');
  const data = parseInput(StatusUpdateSchema, update, 'update');
  return command(ctx, async (unit) => {
    const message = await unit.store.getMessage(id);
    if (message) await storeStatus(unit, message, data);
  });
}

/**
 * SN6: hands the queued messages whose business hours are open to the provider, after the send
 * guard again (a closed care window or an opt-out since then fails them with the reason).
 * Returns when the next opening is, or null when nothing waits.
 */
export async function releaseDue(ctx: EngineContext, at?: number): Promise<number | null> {
  return command(
    ctx,
    async (unit) => {
      const { store, now } = unit;
      const hours = (await store.getSettings())?.businessHours;
      let waiting = false;
      for (const message of await store.listQueuedMessages(10_000)) {
        const outcome = await release(unit, store, message, hours, now);
        waiting ||= outcome === 'queued';
      }
      return waiting ? nextOpening(hours, now) : null;
    },
    at,
  );
}

async function release(
  unit: Unit,
  store: DeskStore,
  message: Message,
  hours: Parameters<typeof nextOpening>[0],
  now: number,
): Promise<'queued' | 'done'> {
  const conversation = await store.getConversation(message.conversationId);
  if (!conversation) return 'done';
  const verdict = guardSend({
    channel: conversation.channel,
    lastIncomingAt: conversation.lastIncomingAt,
    recipient: await recipientOf(store, conversation.customer),
    content: {
      text: message.text,
      media: message.media,
      template: await templateOf(store, message),
    },
    hours,
    now,
  });
  if (verdict.outcome === 'queued') return 'queued'; // still closed; the next opening releases it
  if (verdict.outcome === 'refused') {
    await storeStatus(unit, message, {
      status: 'failed',
      attempt: message.attempt,
      at: now,
      reason: verdict.reason,
    });
    return 'done';
  }
  // Handed to the provider: no longer waiting, so the queue facts go.
  const { queueReason: _reason, queuedUntil: _until, ...released } = message;
  await store.putMessage(released);
  unit.handOff(released, conversation);
  return 'done';
}

/** Messages the provider had but had not finished with (after a restart), to hand over again. */
export async function inFlight(ctx: EngineContext): Promise<Array<[Message, Conversation]>> {
  return command(ctx, async ({ store }) => {
    const found: Array<[Message, Conversation]> = [];
    for (const message of await store.listInFlightMessages(10_000)) {
      const conversation = await store.getConversation(message.conversationId);
      // SN7: a store that did not know the channel may list a delivered SMS; it is final.
      if (conversation && isInFlight(message, conversation.channel))
        found.push([message, conversation]);
    }
    return found;
  });
}
