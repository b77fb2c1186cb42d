/** SN1–SN7 and C3: send, retry and campaigns, idempotent per user. */
import type { SendResult } from '../../adapter.js';
import { DeskError } from '../../errors.js';
import { toE164 } from '../../phone.js';
import { assertCanSend } from '../../rules/permissions.js';
import { applyOutgoing } from '../../rules/routing.js';
import { guardSend } from '../../rules/send-guard.js';
import { assertSendable } from '../../rules/verdict.js';
import { retryMessage } from '../../rules/status.js';
import type { Conversation, Message, User, UserId } from '../../types.js';
import { conversationAudience, messageFor, viewFields } from '../audience.js';
import {
  command,
  newConversation,
  nextTime,
  recipientOf,
  requireSender,
  requireUser,
  saveConversation,
  storeLookups,
  templateOf,
  visibleConversation,
  withPreview,
  type EngineContext,
  type Unit,
} from '../context.js';
import { prepareSend, resolveTarget } from '../prepare.js';
import type { DeskStore } from '../repository.js';
import {
  CampaignSchema,
  parseInput,
  RetrySchema,
  SendRequestSchema,
  type SendTargetSchema,
} from '../schemas.js';
import type { InferOutput } from 'valibot';

/** How long an accepted idempotency key is remembered (docs/protocol.md section 3). */
export const IDEMPOTENCY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The first result for this user's key, if the key is known and fresh. Checked after permissions. */
async function replayed(
  store: DeskStore,
  user: User,
  key: string,
  now: number,
): Promise<SendResult | undefined> {
  const record = await store.getIdempotency(user.id, key);
  if (!record || record.createdAt < now - IDEMPOTENCY_TTL_MS) return undefined;
  const message = await store.getMessage(record.messageId);
  const conversation = message && (await store.getConversation(message.conversationId));
  if (!message || !conversation) return undefined;
  return { message: messageFor(message, user.id), conversation };
}

/** Either goes to the provider now, or waits in `queued` for business hours (SN6). */
export async function dispatchOrQueue(unit: Unit, message: Message, conversation: Conversation) {
  if (message.status === 'queued' && message.queueReason === 'business_hours') return;
  unit.handOff(message, conversation);
}

export async function send(
  ctx: EngineContext,
  userId: UserId,
  request: unknown,
): Promise<SendResult> {
  const input = parseInput(SendRequestSchema, request, 'request');
  return command(ctx, async (unit) => {
    const { store, now } = unit;
    const user = await requireUser(store, userId);
    const lookups = storeLookups(store);
    const target = input.target as InferOutput<typeof SendTargetSchema>;
    const where = await resolveTarget(user, target, lookups); // permission first
    // C1's index holds valid E.164 numbers only (routing relies on it): a new conversation's
    // number is checked by libphonenumber, not only by its form.
    if (!where.conversation && (await toE164(where.customer)) !== where.customer)
      throw new DeskError('invalid_phone', 'The number is not in E.164 form.');
    const replay = await replayed(store, user, input.idempotencyKey, now);
    if (replay) return replay;
    const { content, verdict } = await prepareSend(
      user,
      target,
      input.content,
      lookups,
      now,
      where,
    );
    assertSendable(verdict);

    const before = where.conversation;
    const conversation =
      before ?? newConversation(ctx.createId(), where.sender, where.customer, user.id, now);
    const at = await nextTime(store, conversation.id, now);
    const message: Message = {
      id: ctx.createId(),
      conversationId: conversation.id,
      direction: 'out',
      text: content.text,
      media: content.media,
      ...(content.templateRef && { template: content.templateRef }),
      sentBy: user.id,
      status: 'queued',
      statusTimes: { queued: at },
      attempt: 1,
      idempotencyKey: input.idempotencyKey,
      createdAt: at,
      ...(verdict.outcome === 'queued' && {
        queueReason: 'business_hours' as const,
        queuedUntil: verdict.until,
      }),
    };
    await store.putMessage(message);
    await store.putIdempotency({
      userId: user.id,
      key: input.idempotencyKey,
      messageId: message.id,
      createdAt: now,
    });
    const after = await saveConversation(store, applyOutgoing(conversation, message));
    unit.emit(
      { type: 'message.created', message, conversation: after, previous: viewFields(before) },
      conversationAudience(before, after),
    );
    await dispatchOrQueue(unit, message, after);
    return { message, conversation: after };
  });
}

export async function retry(
  ctx: EngineContext,
  userId: UserId,
  messageId: unknown,
  idempotencyKey: unknown,
): Promise<SendResult> {
  const input = parseInput(RetrySchema, { messageId, idempotencyKey });
  return command(ctx, async (unit) => {
    const { store, now } = unit;
    const user = await requireUser(store, userId);
    const message = await store.getMessage(input.messageId);
    if (!message)
      throw new DeskError('not_found', `Unknown message ${input.messageId}.`, {
        details: { messageId },
      });
    const conversation = await visibleConversation(store, user, message.conversationId);
    assertCanSend(user, await requireSender(store, conversation.senderId), conversation);
    const replay = await replayed(store, user, input.idempotencyKey, now);
    if (replay) return replay;
    const retried = retryMessage(message, now); // SN7: only a failed message
    const verdict = guardSend({
      channel: conversation.channel,
      lastIncomingAt: conversation.lastIncomingAt,
      recipient: await recipientOf(store, conversation.customer),
      content: {
        text: message.text,
        media: message.media,
        template: await templateOf(store, message),
      },
      hours: (await store.getSettings())?.businessHours,
      now,
    });
    assertSendable(verdict);
    const next: Message = {
      ...retried,
      ...(verdict.outcome === 'queued' && {
        queueReason: 'business_hours' as const,
        queuedUntil: verdict.until,
      }),
    };
    await store.putMessage(next);
    await store.putIdempotency({
      userId: user.id,
      key: input.idempotencyKey,
      messageId: next.id,
      createdAt: now,
    });
    const after = await saveConversation(store, withPreview(conversation, next));
    const audience = conversationAudience(after);
    unit.emit(
      {
        type: 'message.status',
        conversationId: next.conversationId,
        messageId: next.id,
        attempt: next.attempt,
        status: 'queued',
        at: now,
      },
      audience,
    );
    unit.emit(
      { type: 'conversation.updated', conversation: after, previous: viewFields(conversation) },
      audience,
    );
    await dispatchOrQueue(unit, next, after);
    return { message: messageFor(next, user.id), conversation: after };
  });
}

export interface CampaignResult {
  sent: string[];
  skipped: Array<{ phone: string; code: string }>;
}

/**
 * C3: a bulk send. To a number without a conversation on that sender ID it waits for the reply;
 * to one with a conversation it joins the thread now, in time order (RT4 by time).
 */
export async function campaign(ctx: EngineContext, input: unknown): Promise<CampaignResult> {
  const data = parseInput(CampaignSchema, input, 'campaign');
  return command(ctx, async (unit) => {
    const { store, now } = unit;
    const sender = await requireSender(store, data.senderId);
    const user = await requireUser(store, data.userId);
    assertCanSend(user, sender);
    if (!data.text.trim())
      throw new DeskError('invalid_input', 'A campaign needs text.', {
        details: { field: 'text' },
      });
    const phones = await Promise.all(data.to.map((raw) => toE164(raw)));
    const result: CampaignResult = { sent: [], skipped: [] };
    for (const phone of phones) {
      if ((await recipientOf(store, phone)).optedOut.includes(sender.channel)) {
        result.skipped.push({ phone, code: 'opted_out' }); // SN5
        continue;
      }
      const existing = await store.findConversation(sender.id, phone);
      const at = existing ? await nextTime(store, existing.id, now) : now;
      const message: Message = {
        id: ctx.createId(),
        conversationId: existing?.id ?? '',
        direction: 'out',
        text: data.text,
        media: [],
        sentBy: user.id,
        campaign: true,
        status: 'delivered',
        statusTimes: { queued: at, sent: at, delivered: at },
        attempt: 1,
        createdAt: at,
      };
      if (existing) {
        await store.putMessage(message);
        const after = await saveConversation(store, applyOutgoing(existing, message));
        unit.emit(
          { type: 'message.created', message, conversation: after, previous: viewFields(existing) },
          conversationAudience(existing, after),
        );
      } else {
        await store.addPendingCampaign({ senderId: sender.id, customer: phone, message });
      }
      result.sent.push(phone);
    }
    return result;
  });
}
