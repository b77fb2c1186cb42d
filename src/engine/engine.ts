/**
 * The desk engine: every command of the desk, over a repository and a clock. Backends (the
 * embedded one, the reference server, a CRM's own server) differ only in where they store, how
 * they reach the messaging provider, and how they fan events out.
 */
import type { SendResult } from '../adapter.js';
import type { AccountSettings, Channel, Conversation, Message, UserId } from '../types.js';
import type { AddressedEvent } from './audience.js';
import type { EngineContext, EngineOptions } from './context.js';
import * as conversations from './commands/conversations.js';
import * as delivery from './commands/delivery.js';
import * as directory from './commands/directory.js';
import * as incoming from './commands/incoming.js';
import * as sending from './commands/sending.js';
import { shareNumberFields } from './number-fields.js';

export type DeskEngine = ReturnType<typeof createDeskEngine>;

/**
 * Ids unique across engines and restarts: a random prefix (96 bits, 16 URL-safe characters, once
 * per engine) and a counter. A UUID per id cost more than routing the message it names; a short
 * id is hashed, stored and sent for every message.
 */
export function idGenerator(): () => string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const prefix = btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_');
  // The counter in base 36: its last two digits from a table, the rest redone every 1296 ids
  // (`toString(36)` per id was a runtime call costing as much as a hash lookup).
  let n = 0;
  let high = 0;
  let base = prefix;
  return () => {
    const k = n++;
    if (k < 1296) return `${prefix}${k.toString(36)}`;
    const h = Math.floor(k / 1296);
    if (h !== high) base = `${prefix}${(high = h).toString(36)}`;
    return base + TWO_DIGITS[k - h * 1296]!;
  };
}

/** '00' to 'zz': two base-36 digits. */
const TWO_DIGITS = Array.from({ length: 1296 }, (_, i) => i.toString(36).padStart(2, '0'));

export function createDeskEngine(options: EngineOptions) {
  shareNumberFields(); // one box per routed message's time, not six (V8)
  // An array replaced on (un)subscribe: publishing, once per event, walks it with no iterator.
  let listeners: Array<(event: AddressedEvent) => void> = [];
  const ctx: EngineContext = {
    repository: options.repository,
    clock: options.clock,
    createId: options.createId ?? idGenerator(),
    provider: options.provider,
    running: 0,
    publish(event) {
      options.publish?.(event);
      const current = listeners;
      for (let i = 0; i < current.length; i++) current[i]!(event);
    },
  };
  return {
    clock: options.clock,
    repository: options.repository,
    /** Every event after its command committed, with its audience. Returns an unsubscribe. */
    onEvent(listener: (event: AddressedEvent) => void): () => void {
      if (!listeners.includes(listener)) listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },

    // account (set-up and admin tools; not reachable through the adapter contract)
    seed: (data: directory.SeedData) => directory.seed(ctx, data),
    setBusinessHours: (hours: AccountSettings['businessHours']) =>
      directory.setBusinessHours(ctx, hours),
    setConsent: (phone: string, consent: boolean) => directory.setConsent(ctx, phone, consent),
    setOptOut: (phone: string, channel: Channel, optedOut: boolean) =>
      directory.optOut(ctx, phone, channel, optedOut),
    listUsers: () => ctx.repository.transaction((s) => s.listUsers()),

    // the adapter contract, as one user
    session: (userId: UserId) => directory.session(ctx, userId),
    listSenderIds: () => ctx.repository.transaction((s) => s.listSenders()),
    listTemplates: () => ctx.repository.transaction((s) => s.listTemplates()),
    listContacts: (query?: unknown) => directory.listContacts(ctx, query),
    searchContacts: (text: unknown, limit?: unknown) => directory.searchContacts(ctx, text, limit),
    getRecipient: (phone: unknown) => directory.getRecipient(ctx, phone),
    createContact: (input: unknown) => directory.createContact(ctx, input),
    updateContact: (id: unknown, patch: unknown) => directory.updateContact(ctx, id, patch),
    listConversations: (userId: UserId, query?: unknown) =>
      conversations.listConversations(ctx, userId, query),
    countViews: (userId: UserId, views: unknown) => conversations.countViews(ctx, userId, views),
    listMessages: (userId: UserId, conversationId: unknown, query?: unknown) =>
      conversations.listMessages(ctx, userId, conversationId, query),
    markRead: (userId: UserId, ids: unknown, read: unknown, mode: unknown) =>
      conversations.markRead(ctx, userId, ids, read, mode),
    assign: (userId: UserId, ids: unknown, assigneeId: unknown) =>
      conversations.assign(ctx, userId, ids, assigneeId),
    send: (userId: UserId, request: unknown): Promise<SendResult> =>
      sending.send(ctx, userId, request),
    retry: (userId: UserId, messageId: unknown, idempotencyKey: unknown) =>
      sending.retry(ctx, userId, messageId, idempotencyKey),

    // the provider's side
    receive: (input: unknown) => incoming.receive(ctx, input),
    sendCampaign: (input: unknown) => sending.campaign(ctx, input),
    applyStatus: (messageId: unknown, update: unknown) =>
      delivery.applyProviderStatus(ctx, messageId, update),
    /**
     * SN6: sends what business hours allow at `at` (now by default: a timer may pass the time
     * it was due); resolves to the next opening while messages still wait, or null.
     */
    releaseDue: (at?: number) => delivery.releaseDue(ctx, at),
    /** Messages handed to the provider and not finished (to hand over again after a restart). */
    inFlight: (): Promise<Array<[Message, Conversation]>> => delivery.inFlight(ctx),
    /** Forgets idempotency keys older than 7 days. */
    purgeIdempotency: () =>
      ctx.repository.transaction((s) =>
        s.deleteIdempotencyBefore(ctx.clock.now() - sending.IDEMPOTENCY_TTL_MS),
      ),
  };
}
