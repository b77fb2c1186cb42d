/**
 * The engine's `DeskStore` on Postgres (PGlite or PostgreSQL), over one transaction. Each record
 * is stored as its JSON plus the columns its lookups need; every list is a page through an index
 * (migration 0003): conversations by `(last_activity_at desc, id)` per owner or with the user's
 * outgoing messages (GIN), threads by `(conversation_id, created_at desc, id desc)`, SN6's queue
 * and the provider's unfinished messages by a partial index.
 *
 * Within a transaction, what was read or written is remembered (the account lock makes the
 * transaction the only writer), so a batch of commands reads the sender ID, settings and users
 * once, and a command reads back what it just wrote without a round trip.
 */
import { sql } from 'kysely';
import type { DeskStore, IdempotencyRecord, PendingCampaign } from '../engine/repository.js';
import { foldText } from '../rules/text.js';
import type {
  AccountSettings,
  Contact,
  Conversation,
  Message,
  RecipientPolicy,
  SenderId,
  Template,
  User,
} from '../types.js';
import type { Db } from './db.js';

const parse = <T>(row: { data: string } | undefined): T | undefined =>
  row ? (JSON.parse(row.data) as T) : undefined;
const parseAll = <T>(rows: Array<{ data: string }>): T[] =>
  rows.map((r) => JSON.parse(r.data) as T);

/** Which waiting list a message is on: SN6's queue, or handed to the provider and not final. */
export function waitingOf(m: Message): 'queued' | 'in_flight' | null {
  if (m.status === 'queued' && m.queueReason === 'business_hours') return 'queued';
  const moving =
    m.status === 'sent' || m.status === 'delivered' || (m.status === 'queued' && !m.queueReason);
  return m.direction === 'out' && !m.campaign && moving ? 'in_flight' : null;
}

/** A per-transaction memory of rows by key; `null` means "known to be absent". */
class Memo<T> {
  readonly #rows = new Map<string, T | null>();
  async get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const known = this.#rows.get(key);
    if (known !== undefined) return known ?? undefined;
    const row = await load();
    this.#rows.set(key, row ?? null);
    return row;
  }
  /** The row if known (`null`: known absent), `undefined` if never read. */
  peek(key: string): T | null | undefined {
    return this.#rows.get(key);
  }
  set(key: string, row: T | null): void {
    this.#rows.set(key, row);
  }
}

export function postgresStore(tx: Db): DeskStore {
  let settings: { value: AccountSettings | undefined } | undefined;
  let allSenders: SenderId[] | undefined;
  const users = new Memo<User>();
  const senders = new Memo<SenderId>();
  const templates = new Memo<Template>();
  const conversations = new Memo<Conversation>();
  const byPair = new Memo<string>();
  const lastOfThread = new Memo<Message>();
  const pairKey = (senderId: string, customer: string) => `${senderId}\u0000${customer}`;

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

  const store: DeskStore = {
    async getSettings() {
      if (!settings) {
        const row = await tx.selectFrom('desk_account').select('settings').executeTakeFirst();
        settings = {
          value: row?.settings ? (JSON.parse(row.settings) as AccountSettings) : undefined,
        };
      }
      return settings.value;
    },
    async putSettings(next) {
      const text = JSON.stringify(next);
      await tx
        .insertInto('desk_account')
        .values({ one: true, settings: text })
        .onConflict((oc) => oc.column('one').doUpdateSet({ settings: text }))
        .execute();
      settings = { value: next };
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

    getContact: async (id) =>
      parse<Contact>(
        await tx.selectFrom('desk_contacts').select('data').where('id', '=', id).executeTakeFirst(),
      ),
    getContactByPhone: async (phone) =>
      parse<Contact>(
        await tx
          .selectFrom('desk_contacts')
          .select('data')
          .where('phone', '=', phone)
          .executeTakeFirst(),
      ),
    async listContacts({ after, limit }) {
      let query = tx.selectFrom('desk_contacts').select('data');
      if (after !== undefined) query = query.where('id', '>', after);
      return parseAll<Contact>(await query.orderBy('id').limit(limit).execute());
    },
    async searchContacts({ text, digits, limit }) {
      if (!text && !digits) return [];
      const rows = await tx
        .selectFrom('desk_contacts')
        .select('data')
        .where((eb) =>
          eb.or([
            ...(text ? [eb(sql`strpos(folded, ${text})`, '>', 0)] : []),
            ...(digits ? [eb(sql`strpos(digits, ${digits})`, '>', 0)] : []),
          ]),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
      return parseAll<Contact>(rows);
    },
    async putContact(contact) {
      const row = {
        id: contact.id,
        phone: contact.phone,
        folded: foldText(`${contact.firstName} ${contact.lastName}`),
        digits: contact.phone.replace(/\D/g, ''),
        data: JSON.stringify(contact),
      };
      const { id: _id, ...update } = row;
      await tx
        .insertInto('desk_contacts')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
    },

    getRecipient: async (phone) =>
      parse<RecipientPolicy>(
        await tx
          .selectFrom('desk_recipients')
          .select('data')
          .where('phone', '=', phone)
          .executeTakeFirst(),
      ),
    async putRecipient(policy) {
      const data = JSON.stringify(policy);
      await tx
        .insertInto('desk_recipients')
        .values({ phone: policy.phone, data })
        .onConflict((oc) => oc.column('phone').doUpdateSet({ data }))
        .execute();
    },

    getConversation: (id) =>
      conversations.get(id, async () =>
        parse<Conversation>(
          await tx
            .selectFrom('desk_conversations')
            .select('data')
            .where('id', '=', id)
            .executeTakeFirst(),
        ),
      ),
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
    async listConversations({ filter, after, limit }) {
      let query = tx.selectFrom('desk_conversations').select('data');
      if (filter.kind === 'inbox') {
        query = query.where('owner_id', '=', filter.userId).where('has_incoming', '=', true);
      } else if (filter.kind === 'involving') {
        const userId = filter.userId;
        query = query.where((eb) =>
          eb.or([
            eb('owner_id', '=', userId),
            eb('outgoing_by', '@>', sql<string[]>`array[${userId}]::text[]`),
          ]),
        );
      }
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('last_activity_at', '<', after.at),
            eb.and([eb('last_activity_at', '=', after.at), eb('id', '>', after.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('last_activity_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return parseAll<Conversation>(rows);
    },
    async putConversation(c) {
      const row = {
        id: c.id,
        sender_id: c.senderId,
        customer: c.customer,
        owner_id: c.ownerId,
        has_incoming: c.hasIncoming,
        outgoing_by: c.outgoingBy,
        last_activity_at: c.lastActivityAt,
        data: JSON.stringify(c),
      };
      const { id: _id, ...update } = row;
      await tx
        .insertInto('desk_conversations')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
      conversations.set(c.id, c);
      byPair.set(pairKey(c.senderId, c.customer), c.id);
    },

    getMessage: async (id) =>
      parse<Message>(
        await tx.selectFrom('desk_messages').select('data').where('id', '=', id).executeTakeFirst(),
      ),
    lastMessage: (conversationId) =>
      lastOfThread.get(conversationId, async () =>
        parse<Message>(
          await tx
            .selectFrom('desk_messages')
            .select('data')
            .where('conversation_id', '=', conversationId)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst(),
        ),
      ),
    async listMessages({ conversationId, before, limit }) {
      let query = tx
        .selectFrom('desk_messages')
        .select('data')
        .where('conversation_id', '=', conversationId);
      if (before) {
        query = query.where((eb) =>
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
      const row = {
        id: m.id,
        conversation_id: m.conversationId,
        created_at: m.createdAt,
        waiting: waitingOf(m),
        data: JSON.stringify(m),
      };
      const { id: _id, ...update } = row;
      await tx
        .insertInto('desk_messages')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
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

    async listPendingCampaigns(senderId, customer) {
      const rows = await tx
        .selectFrom('desk_pending_campaigns')
        .select('data')
        .where('sender_id', '=', senderId)
        .where('customer', '=', customer)
        .orderBy('seq')
        .execute();
      return parseAll<PendingCampaign>(rows);
    },
    async addPendingCampaign(campaign) {
      await tx
        .insertInto('desk_pending_campaigns')
        .values({
          sender_id: campaign.senderId,
          customer: campaign.customer,
          data: JSON.stringify(campaign),
        })
        .execute();
    },
    async deletePendingCampaigns(senderId, customer) {
      await tx
        .deleteFrom('desk_pending_campaigns')
        .where('sender_id', '=', senderId)
        .where('customer', '=', customer)
        .execute();
    },

    async getIdempotency(userId, key) {
      const row = await tx
        .selectFrom('desk_keys')
        .select(['message_id', 'created_at'])
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && { userId, key, messageId: row.message_id, createdAt: Number(row.created_at) };
    },
    async putIdempotency(record: IdempotencyRecord) {
      const values = {
        user_id: record.userId,
        key: record.key,
        message_id: record.messageId,
        created_at: record.createdAt,
      };
      await tx
        .insertInto('desk_keys')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'key'])
            .doUpdateSet({ message_id: values.message_id, created_at: values.created_at }),
        )
        .execute();
    },
    async deleteIdempotencyBefore(before) {
      await tx.deleteFrom('desk_keys').where('created_at', '<', before).execute();
    },
  };
  return store;

  async function waiting(list: 'queued' | 'in_flight', limit: number): Promise<Message[]> {
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
