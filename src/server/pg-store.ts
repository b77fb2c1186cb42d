/**
 * The engine's `DeskStore` on Postgres (PGlite or PostgreSQL), over one transaction. Each record
 * is stored as its JSON plus the columns its lookups need; every list is a page through an index:
 * conversations by `(last_activity_at desc, id)` per list (pg-conversation-lists.ts), threads
 * by `(conversation_id, created_at desc, id desc)`, SN6's queue
 * and the provider's unfinished messages by a partial index. Contacts, recipients and idempotency
 * keys: pg-store-records.ts.
 *
 * Within a transaction, what was read or written is remembered (the account lock makes the
 * transaction the only writer), so a batch of commands reads the sender ID, settings and users
 * once, and a command reads back what it just wrote without a round trip.
 */
import { sql } from 'kysely';
import type { DeskStore, PendingCampaign } from '../engine/repository.js';
import type { AccountSettings, Conversation, Message, SenderId, Template, User } from '../types.js';
import type { Db } from './db.js';
import type { AddressedEvent, LoggedEvent } from './event-log.js';
import {
  createTxCache,
  flush,
  pairKey,
  parse,
  parseAll,
  prefetch,
  prefetchAhead,
} from './pg-store-cache.js';
import type { Ahead } from './pg-pipeline.js';
import { conversationCount, conversationPage } from './pg-conversation-lists.js';
import { recordStore } from './pg-store-records.js';

/** The engine's store, with what a batch of commands needs on top. */
export interface PostgresStore extends DeskStore {
  /** Reads what routing needs for these pairs in one query (pg-store-cache.ts). */
  prefetch(pairs: Array<{ senderId: string; customer: string }>): Promise<void>;
  /** The same read, to write behind the batch's first statement (pg-store-cache.ts). */
  prefetchAhead(
    pairs: Array<{ senderId: string; customer: string }>,
  ): { ahead: Ahead; read(): Promise<void> } | undefined;
  /**
   * Writes the conversations and messages put since the last flush, and appends `log`'s events
   * (the caller holds APPEND_LOCK), in one statement; answers the events as logged. `last`: the
   * transaction's last statement (on PostgreSQL its commit is sent right behind it: db.ts).
   */
  flush(log?: { events: AddressedEvent[]; now: number; last?: boolean }): Promise<LoggedEvent[]>;
  /** A new random id: no conversation, message or thread has it yet (saves the lookups). */
  markNew(id: string): void;
}

export function postgresStore(tx: Db): PostgresStore {
  const c = createTxCache(tx);
  const { users, senders, templates, conversations, byPair, lastOfThread, messages, campaigns } = c;
  const { dirtyConversations, dirtyMessages } = c;
  let allSenders: SenderId[] | undefined;

  const upsert = async <T extends 'desk_users' | 'desk_senders' | 'desk_templates'>(
    table: T,
    id: string,
    record: object,
  ) => {
    const data = JSON.stringify(record);
    await tx
      .insertInto(table)
      .values({ id, data } as never)
      .onConflict((oc) => oc.column('id').doUpdateSet({ data } as never))
      .execute();
  };

  const store: PostgresStore = {
    async getSettings() {
      if (!c.settings) {
        const row = await tx.selectFrom('desk_account').select('settings').executeTakeFirst();
        c.settings = {
          value: row?.settings ? (JSON.parse(row.settings) as AccountSettings) : undefined,
        };
      }
      return c.settings.value;
    },
    async putSettings(next) {
      const text = JSON.stringify(next);
      await tx
        .insertInto('desk_account')
        .values({ one: true, settings: text })
        .onConflict((oc) => oc.column('one').doUpdateSet({ settings: text }))
        .execute();
      c.settings = { value: next };
    },

    getUser: (id) =>
      users.get(id, async () =>
        parse<User>(
          await tx.selectFrom('desk_users').select('data').where('id', '=', id).executeTakeFirst(),
        ),
      ),
    listUsers: async () =>
      parseAll<User>(await tx.selectFrom('desk_users').select('data').orderBy('id').execute()),
    async putUser(user) {
      await upsert('desk_users', user.id, user);
      users.set(user.id, user);
    },

    getSender: (id) =>
      senders.get(id, async () =>
        parse<SenderId>(
          await tx
            .selectFrom('desk_senders')
            .select('data')
            .where('id', '=', id)
            .executeTakeFirst(),
        ),
      ),
    async listSenders() {
      allSenders ??= parseAll<SenderId>(
        await tx.selectFrom('desk_senders').select('data').orderBy('id').execute(),
      );
      return allSenders;
    },
    async putSender(sender) {
      await upsert('desk_senders', sender.id, sender);
      senders.set(sender.id, sender);
      allSenders = undefined;
    },

    getTemplate: (id) =>
      templates.get(id, async () =>
        parse<Template>(
          await tx
            .selectFrom('desk_templates')
            .select('data')
            .where('id', '=', id)
            .executeTakeFirst(),
        ),
      ),
    listTemplates: async () =>
      parseAll<Template>(
        await tx.selectFrom('desk_templates').select('data').orderBy('id').execute(),
      ),
    async putTemplate(template) {
      await upsert('desk_templates', template.id, template);
      templates.set(template.id, template);
    },

    ...recordStore(tx),
    getConversation: (id) =>
      // Not flushed first: a conversation put in this transaction is known by its id.
      conversations.get(id, async () => {
        return parse<Conversation>(
          await tx
            .selectFrom('desk_conversations')
            .select('data')
            .where('id', '=', id)
            .executeTakeFirst(),
        );
      }),
    async findConversation(senderId, customer) {
      const key = pairKey(senderId, customer);
      const id = await byPair.get(key, async () => {
        const row = await tx
          .selectFrom('desk_conversations')
          .select(['id', 'data'])
          .where('sender_id', '=', senderId)
          .where('customer', '=', customer)
          .executeTakeFirst();
        if (row) conversations.set(row.id, JSON.parse(row.data) as Conversation);
        return row?.id;
      });
      return id === undefined ? undefined : store.getConversation(id);
    },
    async listConversations({ filter, after, limit, match }) {
      await flush(c);
      const { rows } = await conversationPage(filter, after, limit, match).execute(tx);
      return parseAll<Conversation>(rows);
    },
    async countConversations(filters) {
      await flush(c);
      if (filters.length === 0) return [];
      // One statement: a count per list over its index (migration 0010), in the order asked.
      const parts = filters.map((filter, n) => conversationCount(filter, n));
      const { rows } = await sql<{ n: number; total: number; unread: number }>`${sql.join(
        parts,
        sql` union all `,
      )}`.execute(tx);
      const counts = filters.map(() => ({ total: 0, unread: 0 }));
      for (const row of rows) counts[row.n] = { total: row.total, unread: row.unread };
      return counts;
    },
    async putConversation(c) {
      dirtyConversations.set(c.id, c);
      conversations.set(c.id, c);
      byPair.set(pairKey(c.senderId, c.customer), c.id);
    },

    getMessage: (id) =>
      messages.get(id, async () => {
        return parse<Message>(
          await tx
            .selectFrom('desk_messages')
            .select('data')
            .where('id', '=', id)
            .executeTakeFirst(),
        );
      }),
    lastMessage: (conversationId) =>
      lastOfThread.get(conversationId, async () => {
        if ([...dirtyMessages.values()].some((m) => m.conversationId === conversationId)) {
          await flush(c);
        }
        return parse<Message>(
          await tx
            .selectFrom('desk_messages')
            .select('data')
            .where('conversation_id', '=', conversationId)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst(),
        );
      }),
    async listMessages({ conversationId, before, limit }) {
      await flush(c);
      let query = tx
        .selectFrom('desk_messages')
        .select('data')
        .where('conversation_id', '=', conversationId);
      if (before) {
        // `<=`: the index's range starts at the cursor (the `or` only drops its own instant).
        query = query
          .where('created_at', '<=', before.at)
          .where((eb) =>
            eb.or([
              eb('created_at', '<', before.at),
              eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)]),
            ]),
          );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return parseAll<Message>(rows).reverse();
    },
    async putMessage(m) {
      dirtyMessages.set(m.id, m);
      messages.set(m.id, m);
      // The thread's last message, if it is known and this one is (or replaces) it.
      const last = lastOfThread.peek(m.conversationId);
      if (last === undefined) return;
      const later =
        !last ||
        last.createdAt < m.createdAt ||
        (last.createdAt === m.createdAt && last.id <= m.id);
      if (later) lastOfThread.set(m.conversationId, m);
    },
    listQueuedMessages: (limit) => waiting('queued', limit),
    listInFlightMessages: (limit) => waiting('in_flight', limit),

    listPendingCampaigns: (senderId, customer) =>
      campaigns
        .get(pairKey(senderId, customer), async () =>
          parseAll<PendingCampaign>(
            await tx
              .selectFrom('desk_pending_campaigns')
              .select('data')
              .where('sender_id', '=', senderId)
              .where('customer', '=', customer)
              .orderBy('seq')
              .execute(),
          ),
        )
        .then((found) => found ?? []),
    async addPendingCampaign(campaign) {
      await tx
        .insertInto('desk_pending_campaigns')
        .values({
          sender_id: campaign.senderId,
          customer: campaign.customer,
          data: JSON.stringify(campaign),
        })
        .execute();
      const key = pairKey(campaign.senderId, campaign.customer);
      const known = campaigns.peek(key);
      if (known !== undefined) campaigns.set(key, [...(known ?? []), campaign]);
    },
    async deletePendingCampaigns(senderId, customer) {
      await tx
        .deleteFrom('desk_pending_campaigns')
        .where('sender_id', '=', senderId)
        .where('customer', '=', customer)
        .execute();
      campaigns.set(pairKey(senderId, customer), []);
    },

    async incomingFacts(senderId, customer) {
      const key = pairKey(senderId, customer);
      if (byPair.peek(key) === undefined) await prefetch(c, [{ senderId, customer }]);
      const sender = await store.getSender(senderId);
      const conversation = await store.findConversation(senderId, customer);
      return {
        sender,
        conversation,
        lastMessageAt: conversation && (await store.lastMessage(conversation.id))?.createdAt,
        campaigns: await store.listPendingCampaigns(senderId, customer),
        settings: await store.getSettings(),
      };
    },
    flush: (log) => flush(c, log),
    markNew(id) {
      conversations.set(id, null);
      messages.set(id, null);
      lastOfThread.set(id, null);
    },
    prefetch: (pairs) => prefetch(c, pairs),
    prefetchAhead: (pairs) => prefetchAhead(c, pairs),
  };
  return store;
  async function waiting(list: 'queued' | 'in_flight', limit: number): Promise<Message[]> {
    await flush(c);
    const rows = await tx
      .selectFrom('desk_messages')
      .select('data')
      .where('waiting', '=', list)
      .orderBy('id')
      .limit(limit)
      .execute();
    return parseAll<Message>(rows);
  }
}
