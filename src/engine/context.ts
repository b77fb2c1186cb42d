/** What every command shares: the repository, the clock, ids, the provider, and the event sink. */
import type { Clock } from '../clock.js';
import { DeskError } from '../errors.js';
import { canSee } from '../rules/permissions.js';
import { previewOf } from '../rules/routing.js';
import type {
  Conversation,
  Message,
  RecipientPolicy,
  SenderId,
  Template,
  User,
  UserId,
} from '../types.js';
import type { AddressedEvent, Audience } from './audience.js';
import { conversationNotFound, type SendLookups } from './prepare.js';
import type { DeskRepository, DeskStore, IncomingFacts } from './repository.js';
import type { ServerEvent } from '../adapter.js';

/** The messaging provider (Twilio, Meta…, or the simulation): the engine hands messages to it. */
export interface DeskProvider {
  /**
   * Called after the command's commit, with the time the message was handed over; status
   * updates come back through `applyStatus`.
   */
  dispatch(message: Message, conversation: Conversation, at: number): void;
}

export interface EngineOptions {
  repository: DeskRepository;
  clock: Clock;
  createId?: () => string;
  provider?: DeskProvider;
  /** Receives every event after its command committed, with who must receive it. */
  publish?: (event: AddressedEvent) => void;
}

export interface EngineContext {
  repository: DeskRepository;
  clock: Clock;
  createId: () => string;
  provider?: DeskProvider;
  publish: (event: AddressedEvent) => void;
  /** Commands begun and not yet published: a command that skips `transaction` waits for none. */
  running: number;
}

/** One command's work: its store, and what it does once committed. */
export interface Unit {
  store: DeskStore;
  now: number;
  emit(event: ServerEvent, audience: Audience): void;
  /** An event already addressed (its audience may be worked out when read). */
  add(event: AddressedEvent): void;
  /** Hand a message to the provider after the commit. */
  handOff(message: Message, conversation: Conversation): void;
}

/** A unit's events and hand-offs, kept until the commit (a class: no closures per command). */
class CommandUnit implements Unit {
  readonly events: AddressedEvent[] = [];
  readonly handOffs: Array<[Message, Conversation]> = [];

  constructor(
    readonly store: DeskStore,
    readonly now: number,
  ) {}

  emit(event: ServerEvent, audience: Audience): void {
    this.events.push({ event, audience });
  }

  add(event: AddressedEvent): void {
    this.events.push(event);
  }

  handOff(message: Message, conversation: Conversation): void {
    this.handOffs.push([message, conversation]);
  }
}

/** Runs a command as one transaction; events and hand-offs happen only if it commits. */
export async function command<T>(
  ctx: EngineContext,
  work: (unit: Unit) => Promise<T>,
  at?: number,
): Promise<T> {
  let unit: CommandUnit | undefined;
  ctx.running++;
  try {
    const result = await ctx.repository.transaction((store) =>
      work((unit = new CommandUnit(store, at ?? ctx.clock.now()))),
    );
    const { events, handOffs, now } = unit!;
    for (const event of events) ctx.publish(event);
    for (const [message, conversation] of handOffs)
      ctx.provider?.dispatch(message, conversation, now);
    return result;
  } finally {
    ctx.running--;
  }
}

export async function requireUser(store: DeskStore, id: UserId): Promise<User> {
  const user = await store.getUser(id);
  if (!user) throw new DeskError('not_found', `Unknown user ${id}.`, { details: { id } });
  return user;
}

export async function requireSender(store: DeskStore, id: string): Promise<SenderId> {
  return knownSender(await store.getSender(id), id);
}

export function knownSender(sender: SenderId | undefined, id: string): SenderId {
  if (!sender) throw new DeskError('not_found', `Unknown sender ID ${id}.`, { details: { id } });
  return sender;
}

/** A conversation the user may see; one it may not see is `not_found`, like an unknown one. */
export async function visibleConversation(
  store: DeskStore,
  user: User,
  id: string,
): Promise<Conversation> {
  const conversation = await store.getConversation(id);
  if (!conversation || !canSee(user, conversation)) throw conversationNotFound(id);
  return conversation;
}

export async function recipientOf(store: DeskStore, phone: string): Promise<RecipientPolicy> {
  return (await store.getRecipient(phone)) ?? { phone, whatsappConsent: false, optedOut: [] };
}

/** RT1–RT5, C3: what routing reads, in one call when the store offers it. */
export function incomingFacts(
  store: DeskStore,
  senderId: string,
  customer: string,
): Promise<IncomingFacts> {
  return store.incomingFacts
    ? store.incomingFacts(senderId, customer)
    : readIncomingFacts(store, senderId, customer);
}

async function readIncomingFacts(
  store: DeskStore,
  senderId: string,
  customer: string,
): Promise<IncomingFacts> {
  const conversation = await store.findConversation(senderId, customer);
  return {
    sender: await store.getSender(senderId),
    conversation,
    lastMessageAt: conversation && (await store.lastMessage(conversation.id))?.createdAt,
    campaigns: await store.listPendingCampaigns(senderId, customer),
    settings: await store.getSettings(),
  };
}

/** Stores a new version of a conversation: its revision increases (see `Conversation.revision`). */
export async function saveConversation(
  store: DeskStore,
  conversation: Conversation,
): Promise<Conversation> {
  const previous = await store.getConversation(conversation.id);
  const saved = { ...conversation, revision: (previous?.revision ?? conversation.revision) + 1 };
  await store.putConversation(saved);
  return saved;
}

/** Times are unique and increasing within a thread, so its order survives a reload. */
export async function nextTime(store: DeskStore, conversationId: string, now: number) {
  const last = await store.lastMessage(conversationId);
  return Math.max(now, last ? last.createdAt + 1 : 0);
}

export function newConversation(
  id: string,
  sender: SenderId,
  customer: string,
  ownerId: UserId,
  now: number,
): Conversation {
  return {
    id,
    senderId: sender.id,
    channel: sender.channel, // C1
    customer,
    ownerId,
    unread: false,
    hasIncoming: false,
    lastActivityAt: now,
    outgoingBy: [],
    createdAt: now,
    revision: 0,
  };
}

export function withPreview(conversation: Conversation, message: Message): Conversation {
  return conversation.lastMessage?.messageId === message.id
    ? { ...conversation, lastMessage: previewOf(message) }
    : conversation;
}

/** The send lookups of prepare.ts over a store. */
export function storeLookups(store: DeskStore): SendLookups {
  return {
    conversation: (id) => store.getConversation(id),
    findConversation: (senderId, customer) => store.findConversation(senderId, customer),
    sender: (id) => store.getSender(id),
    template: (id) => store.getTemplate(id),
    contact: (phone) => store.getContactByPhone(phone),
    recipient: (phone) => recipientOf(store, phone),
    settings: () => store.getSettings(),
  };
}

export async function templateOf(
  store: DeskStore,
  message: Message,
): Promise<Template | undefined> {
  return message.template && (await store.getTemplate(message.template.id));
}
