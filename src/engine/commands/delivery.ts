/**
 * What comes from the provider: incoming messages (RT1–RT5, C3, SN5 keywords), status updates
 * (SN7), and the business-hours queue going out (SN6).
 */
import { DeskError } from '../../errors.js';
import { knownE164, toE164 } from '../../phone.js';
import { nextOpening } from '../../rules/business-hours.js';
import { applyOptOut, optOutChange } from '../../rules/opt-out.js';
import { applyIncoming, applyOutgoing, routeIncoming } from '../../rules/routing.js';
import { guardSend } from '../../rules/send-guard.js';
import { applyStatus, type StatusUpdate } from '../../rules/status.js';
import type {
  Channel,
  Conversation,
  Message,
  RecipientPolicy,
  RoutingExplanation,
} from '../../types.js';
import { conversationAudience, EVERYONE, onlyUser } from '../audience.js';
import {
  command,
  incomingFacts,
  knownSender,
  newConversation,
  nextTime,
  recipientOf,
  requireSender,
  saveConversation,
  templateOf,
  withPreview,
  type EngineContext,
  type Unit,
} from '../context.js';
import type { DeskStore } from '../repository.js';
import { IdSchema, IncomingSchema, parseInput, StatusUpdateSchema } from '../schemas.js';

export interface Received {
  conversation: Conversation;
  message: Message;
  routing: RoutingExplanation;
}

/** SN5: records that a number opted out of (or back into) a channel. */
export async function setOptOut(
  unit: Unit,
  policy: RecipientPolicy,
  channel: Channel,
  optedOut: boolean,
): Promise<void> {
  const next = applyOptOut(policy, channel, optedOut ? 'out' : 'in');
  await unit.store.putRecipient(next);
  unit.emit({ type: 'recipient.updated', recipient: next }, EVERYONE);
}

/** A customer's message arrives: where it goes and why (RT1–RT5); C3 campaigns join first. */
export function receive(ctx: EngineContext, input: unknown): Promise<Received> {
  // Checked inside the command (a refusal still comes before any write): one async layer less.
  return command(ctx, async (unit) => {
    const data = parseInput(IncomingSchema, input, 'incoming');
    const { store, now } = unit;
    let from = knownE164(data.from);
    if (from === undefined) {
      await requireSender(store, data.senderId); // an unknown sender ID before a bad number
      from = await toE164(data.from);
    }
    const facts = await incomingFacts(store, data.senderId, from);
    const sender = knownSender(facts.sender, data.senderId);
    const text = data.text?.trim() ?? '';
    const media = data.media ?? [];
    if (!text && media.length === 0)
      throw new DeskError('invalid_input', 'An incoming message needs text or media.', {
        details: { field: 'text' },
      });
    const { conversation: existing, campaigns } = facts;
    let conversation = existing;
    if (existing && campaigns.length) conversation = await joinCampaigns(unit, existing, campaigns);
    const last = campaigns.at(-1)?.message;
    const routing = routeIncoming({
      sender,
      existing: conversation,
      campaign: !existing && last ? { by: last.sentBy!, at: last.createdAt } : undefined,
      defaultAdminId: facts.settings?.defaultAdminId ?? '',
      now,
    });
    if (!conversation) {
      conversation = newConversation(ctx.createId(), sender, from, routing.ownerId, now);
      // C3: the campaign message becomes the first message of the thread.
      if (campaigns.length) conversation = await joinCampaigns(unit, conversation, campaigns);
    }
    let at: number;
    if (campaigns.length) {
      await store.deletePendingCampaigns(sender.id, from);
      at = await nextTime(store, conversation.id, now);
    } else at = Math.max(now, facts.lastMessageAt === undefined ? 0 : facts.lastMessageAt + 1);
    const message: Message = {
      id: ctx.createId(),
      conversationId: conversation.id,
      direction: 'in',
      text,
      media,
      status: 'delivered',
      statusTimes: { delivered: at },
      attempt: 1,
      createdAt: at,
    };
    await store.putMessage(message);
    const after = applyIncoming(conversation, routing, message);
    // `after` is a new object; `conversation` is the version read in this command (or new).
    after.revision = conversation.revision + 1;
    await store.putConversation(after);
    unit.emit(
      { type: 'message.created', message, conversation: after },
      conversationAudience(existing, after),
    );
    // RT5, N1: the owner is notified.
    unit.emit(
      {
        type: 'notification',
        kind: 'incoming',
        userId: after.ownerId,
        conversationId: after.id,
        at: now,
      },
      onlyUser(after.ownerId),
    );
    // SN5: the customer's STOP opts the number out of this channel; START opts back in.
    const change = optOutChange(text, data.optOut);
    if (change) {
      await setOptOut(unit, await recipientOf(store, from), sender.channel, change === 'out');
    }
    return { conversation: after, message, routing };
  });
}

/** C3: campaign messages join a thread at their own time; RT4 by time decides the owner. */
async function joinCampaigns(
  unit: Unit,
  conversation: Conversation,
  campaigns: Array<{ message: Message }>,
): Promise<Conversation> {
  let next = conversation;
  for (const { message } of campaigns) {
    const joined = { ...message, conversationId: conversation.id };
    await unit.store.putMessage(joined);
    next = applyOutgoing(next, joined);
  }
  return next;
}

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
    unit.emit({ type: 'conversation.updated', conversation: saved }, conversationAudience(saved));
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
      if (conversation) found.push([message, conversation]);
    }
    return found;
  });
}
