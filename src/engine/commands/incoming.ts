/**
 * A customer's message arrives: where it goes and why (RT1–RT5), C3 campaigns joining first, SN5
 * keywords. The decision is one synchronous function over what the store read (`routeIncoming`
 * below); it runs either inside a transaction, or, when the store answers from memory and is idle,
 * at once without a single await (the embedded backend's path: routing is its hottest command).
 */
import { DeskError } from '../../errors.js';
import { knownE164, toE164 } from '../../phone.js';
import { applyOptOut, optOutChange, type OptOutChange } from '../../rules/opt-out.js';
import { applyIncoming, applyOutgoing, routeIncoming } from '../../rules/routing.js';
import type {
  Conversation,
  Media,
  Message,
  RecipientPolicy,
  RoutingExplanation,
} from '../../types.js';
import {
  ConversationEvent,
  EVERYONE,
  UserEvent,
  viewFields,
  type AddressedEvent,
} from '../audience.js';
import {
  command,
  incomingFacts,
  knownSender,
  newConversation,
  requireSender,
  type EngineContext,
} from '../context.js';
import type { DeskStore, DeskStoreNow, IncomingChange, IncomingFacts } from '../repository.js';
import { parseIncoming, type Incoming } from '../schemas.js';

export interface Received {
  conversation: Conversation;
  message: Message;
  routing: RoutingExplanation;
}

/** Shared by the messages without media (messages are never changed in place). */
const NO_MEDIA = Object.freeze([]) as unknown as Media[];
/** Shared by the messages that no campaign message joins (only `join` adds, when there are some). */
const NONE_JOINED = Object.freeze([]) as unknown as Message[];

/**
 * What routing decided: the writes (it is the store's `IncomingChange`), the events, built when
 * published, and the answer. One object per message, not one per part.
 */
class Routed implements IncomingChange {
  recipient?: RecipientPolicy;

  constructor(
    readonly joined: Message[],
    readonly message: Message,
    /** The conversation after the message (a new version). */
    readonly conversation: Conversation,
    readonly campaignsDone: boolean,
    /** The version read in this command, if there was one. */
    readonly existing: Conversation | undefined,
    readonly routing: RoutingExplanation,
    readonly now: number,
  ) {}

  /** The events, after the commit, in order. */
  publish(sink: (event: AddressedEvent) => void): void {
    const { message, conversation: after } = this;
    const created = {
      type: 'message.created',
      message,
      conversation: after,
      previous: viewFields(this.existing),
    } as const;
    sink(new ConversationEvent(created, this.existing, after));
    // RT5, N1: the owner is notified.
    const notification = {
      type: 'notification',
      kind: 'incoming',
      userId: after.ownerId,
      conversationId: after.id,
      at: this.now,
    } as const;
    sink(new UserEvent(notification, after.ownerId));
    const { recipient } = this;
    if (recipient) sink({ event: { type: 'recipient.updated', recipient }, audience: EVERYONE });
  }

  get received(): Received {
    return { conversation: this.conversation, message: this.message, routing: this.routing };
  }
}

/** A customer's message arrives (RT1–RT5, C3, SN5). */
export function receive(ctx: EngineContext, input: unknown): Promise<Received> {
  let data: Incoming;
  try {
    data = parseIncoming(input);
  } catch (error) {
    return Promise.reject(error);
  }
  // Nothing else running (so events stay in commit order), a store that answers now, a number
  // parsed before: decided, stored and published in this turn.
  const store = ctx.running === 0 ? ctx.repository.now?.() : undefined;
  const facts = store && knownFacts(store, data.senderId, data.from);
  if (facts) {
    try {
      // A conversation was found under the number as received, or else under its E.164 form.
      const from = facts.conversation?.customer ?? knownE164(data.from)!;
      const change = optOutChange(data.text, data.optOut);
      const recipient = change ? store.getRecipient(from) : undefined;
      const routed = decide(ctx, ctx.clock.now(), data, from, facts, recipient, change);
      store.putIncoming(routed);
      routed.publish(ctx.publish);
      return Promise.resolve(routed.received);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return command(ctx, async (unit) => {
    const { store } = unit;
    let number = knownE164(data.from);
    if (number === undefined) {
      await requireSender(store, data.senderId); // an unknown sender ID before a bad number
      number = await toE164(data.from);
    }
    const facts = await incomingFacts(store, data.senderId, number);
    const change = optOutChange(data.text, data.optOut);
    const recipient = change ? await store.getRecipient(number) : undefined;
    const routed = decide(ctx, unit.now, data, number, facts, recipient, change);
    await writeIncoming(store, routed);
    routed.publish((event) => unit.add(event));
    return routed.received;
  });
}

/**
 * What routing reads, when the number's E.164 form is known without parsing. C1's index holds
 * numbers in E.164 only (each one from `toE164`, which gives an E.164 number back unchanged), so a
 * conversation found under the text as received proves it valid: one lookup for the common case,
 * a carrier sending the number in E.164. Else the phone cache; undefined when it must be parsed.
 */
function knownFacts(
  store: DeskStoreNow,
  senderId: string,
  text: string,
): IncomingFacts | undefined {
  const facts = store.incomingFacts(senderId, text);
  if (facts.conversation) return facts;
  const from = knownE164(text);
  if (from === undefined) return undefined;
  return from === text ? facts : store.incomingFacts(senderId, from);
}

/** The store's single write when it has one; else one write per record. */
async function writeIncoming(store: DeskStore, change: IncomingChange): Promise<void> {
  if (store.putIncoming) return store.putIncoming(change);
  const { conversation, message } = change;
  for (const joined of change.joined) await store.putMessage(joined);
  if (change.campaignsDone)
    await store.deletePendingCampaigns(conversation.senderId, conversation.customer);
  await store.putMessage(message);
  await store.putConversation(conversation);
  if (change.recipient) await store.putRecipient(change.recipient);
}

/**
 * RT1–RT5, C3, SN5 over what the store read: every check comes before anything is written, and
 * nothing here awaits. `recipient` is read only when the text (or the carrier) asks an opt-out
 * change.
 */
function decide(
  ctx: EngineContext,
  now: number,
  data: Incoming,
  from: string,
  facts: IncomingFacts,
  recipient: RecipientPolicy | undefined | null,
  change: OptOutChange | null,
): Routed {
  const sender = knownSender(facts.sender, data.senderId);
  const text = data.text?.trim() ?? '';
  const media = data.media ?? NO_MEDIA;
  if (!text && media.length === 0)
    throw new DeskError('invalid_input', 'An incoming message needs text or media.', {
      details: { field: 'text' },
    });
  const { conversation: existing, campaigns } = facts;
  const joined: Message[] = campaigns.length ? [] : NONE_JOINED;
  let conversation = existing && campaigns.length ? join(existing, campaigns, joined) : existing;
  const last = campaigns.at(-1)?.message;
  // Routed as before: the conversation keeps its explanation (and the time it was decided).
  const routing = routeIncoming(
    {
      sender,
      existing: conversation,
      campaign: !existing && last ? { by: last.sentBy!, at: last.createdAt } : undefined,
      defaultAdminId: facts.settings?.defaultAdminId ?? '',
      now,
    },
    conversation?.routing,
  );
  if (!conversation) {
    conversation = newConversation(ctx.createId(), sender, from, routing.ownerId, now);
    // C3: the campaign message becomes the first message of the thread.
    if (campaigns.length) conversation = join(conversation, campaigns, joined);
  }
  // Times are unique and increasing within a thread, so its order survives a reload.
  let lastAt = facts.lastMessageAt ?? -1;
  for (let i = 0; i < joined.length; i++) lastAt = Math.max(lastAt, joined[i]!.createdAt);
  // Picked, not `Math.max`: the clock's own number, when it is later, is shared (number-fields.ts).
  const at = now >= lastAt + 1 ? now : lastAt + 1;
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
  // Later than the thread's last message, so than its preview's (V5): known without reading it.
  const after = applyIncoming(conversation, routing, message, facts.lastMessageAt !== undefined);
  // `after` is a new object; `conversation` is the version read in this command (or new).
  after.revision = conversation.revision + 1;
  const campaignsDone = campaigns.length > 0;
  const routed = new Routed(joined, message, after, campaignsDone, existing, routing, now);
  // SN5: the customer's STOP opts the number out of this channel; START opts back in.
  if (change) {
    const policy = recipient ?? { phone: from, whatsappConsent: false, optedOut: [] };
    routed.recipient = applyOptOut(policy, sender.channel, change);
  }
  return routed;
}

/** C3: campaign messages join the thread at their own time; RT4 by time decides the owner. */
function join(
  conversation: Conversation,
  campaigns: IncomingFacts['campaigns'],
  joined: Message[],
): Conversation {
  for (const { message } of campaigns) {
    const m = { ...message, conversationId: conversation.id };
    joined.push(m);
    conversation = applyOutgoing(conversation, m);
  }
  return conversation;
}
