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

/** The engine's store, with what a batch of commands needs on top. */
export interface PostgresStore extends DeskStore {
  /** Reads the conversations, pending campaigns and thread ends of these pairs in 3 queries. */
  prefetch(pairs: Array<{ senderId: string; customer: string }>): Promise<void>;
  /** Writes the conversations and messages put since the last flush (one statement per table). */
  flush(): Promise<void>;
  /** A new random id: no conversation, message or thread has it yet (saves the lookups). */
  markNew(id: string): void;
}

export function postgresStore(tx: Db): PostgresStore {
  let settings: { value: AccountSettings | undefined } | undefined;
  let allSenders: SenderId[] | undefined;
  const users = new Memo<User>();
  const senders = new Memo<SenderId>();
  const templates = new Memo<Template>();
  const conversations = new Memo<Conversation>();
  const byPair = new Memo<string>();
  const lastOfThread = new Memo<Message>();
  const messages = new Memo<Message>();
  const campaigns = new Memo<PendingCampaign[]>();
  // Written at `flush` (before any query on their table, and before the commit).
  const dirtyConversations = new Map<string, Conversation>();
  const dirtyMessages = new Map<string, Message>();

  async function flush(): Promise<void> {
    if (dirtyConversations.size) {
      const rows = [...dirtyConversations.values()].map((c) => ({
        id: c.id,
        sender_id: c.senderId,
        customer: c.customer,
        owner_id: c.ownerId,
        has_incoming: c.hasIncoming,
        outgoing_by: c.outgoingBy,
        last_activity_at: c.lastActivityAt,
        data: JSON.stringify(c),
      }));
      dirtyConversations.clear();
      await tx
        .insertInto('desk_conversations')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            sender_id: eb.ref('excluded.sender_id'),
            customer: eb.ref('excluded.customer'),
            owner_id: eb.ref('excluded.owner_id'),
            has_incoming: eb.ref('excluded.has_incoming'),
            outgoing_by: eb.ref('excluded.outgoing_by'),
            last_activity_at: eb.ref('excluded.last_activity_at'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    }
    if (dirtyMessages.size) {
      const rows = [...dirtyMessages.values()].map((m) => ({
        id: m.id,
        conversation_id: m.conversationId,
        created_at: m.createdAt,
        waiting: waitingOf(m),
        data: JSON.stringify(m),
      }));
      dirtyMessages.clear();
      await tx
        .insertInto('desk_messages')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            conversation_id: eb.ref('excluded.conversation_id'),
            created_at: eb.ref('excluded.created_at'),
            waiting: eb.ref('excluded.waiting'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
    }
  }
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

  const store: PostgresStore = {
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
    async listConversations({ filter, after, limit }) {
      await flush();
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
          await flush();
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
      await flush();
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

    async incomingFacts(senderId, customer) {
      const key = pairKey(senderId, customer);
      if (byPair.peek(key) === undefined) await readIncomingFacts(senderId, customer);
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
    flush,
    markNew(id) {
      conversations.set(id, null);
      messages.set(id, null);
      lastOfThread.set(id, null);
    },
    async prefetch(pairs) {
      const todo = new Map<string, { senderId: string; customer: string }>();
      for (const p of pairs) {
        const key = pairKey(p.senderId, p.customer);
        if (byPair.peek(key) === undefined) todo.set(key, p);
      }
      if (todo.size === 0) return;
      await flush();
      const wanted = [...todo.values()];
      const found = await tx
        .selectFrom('desk_conversations')
        .select(['id', 'sender_id', 'customer', 'data'])
        .where((eb) =>
          eb(
            eb.refTuple('sender_id', 'customer'),
            'in',
            wanted.map((p) => eb.tuple(p.senderId, p.customer)),
          ),
        )
        .execute();
      for (const key of todo.keys()) byPair.set(key, null);
      for (const row of found) {
        byPair.set(pairKey(row.sender_id, row.customer), row.id);
        conversations.set(row.id, JSON.parse(row.data) as Conversation);
      }
      const waiting = await tx
        .selectFrom('desk_pending_campaigns')
        .select(['sender_id', 'customer', 'data'])
        .where((eb) =>
          eb(
            eb.refTuple('sender_id', 'customer'),
            'in',
            wanted.map((p) => eb.tuple(p.senderId, p.customer)),
          ),
        )
        .orderBy('seq')
        .execute();
      for (const key of todo.keys()) campaigns.set(key, []);
      for (const row of waiting) {
        const key = pairKey(row.sender_id, row.customer);
        campaigns.set(key, [
          ...(campaigns.peek(key) ?? []),
          JSON.parse(row.data) as PendingCampaign,
        ]);
      }
      if (found.length === 0) return;
      const ends = await tx
        .selectFrom('desk_messages')
        .distinctOn('conversation_id')
        .select(['conversation_id', 'data'])
        .where(
          'conversation_id',
          'in',
          found.map((r) => r.id),
        )
        .orderBy('conversation_id')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      for (const row of found) lastOfThread.set(row.id, null);
      for (const row of ends)
        lastOfThread.set(row.conversation_id, JSON.parse(row.data) as Message);
    },
  };
  return store;

  /** What routing reads, in one query: the sender ID, settings, conversation, its end, campaigns. */
  async function readIncomingFacts(senderId: string, customer: string): Promise<void> {
    const { rows } = await sql<{
      sender: string | null;
      settings: string | null;
      conversation: string | null;
      last: string | null;
      campaigns: string[] | null;
    }>`
      select
        (select data from desk_senders where id = ${senderId}) as sender,
        (select settings from desk_account) as settings,
        c.data as conversation,
        (select m.data from desk_messages m where m.conversation_id = c.id
          order by m.created_at desc, m.id desc limit 1) as last,
        (select array_agg(p.data order by p.seq) from desk_pending_campaigns p
          where p.sender_id = ${senderId} and p.customer = ${customer}) as campaigns
      from (select 1) as one
      left join desk_conversations c on c.sender_id = ${senderId} and c.customer = ${customer}`.execute(
      tx,
    );
    const row = rows[0]!;
    senders.set(senderId, row.sender ? (JSON.parse(row.sender) as SenderId) : null);
    settings ??= {
      value: row.settings ? (JSON.parse(row.settings) as AccountSettings) : undefined,
    };
    const conversation = row.conversation ? (JSON.parse(row.conversation) as Conversation) : null;
    byPair.set(pairKey(senderId, customer), conversation?.id ?? null);
    if (conversation) {
      conversations.set(conversation.id, conversation);
      lastOfThread.set(conversation.id, row.last ? (JSON.parse(row.last) as Message) : null);
    }
    campaigns.set(
      pairKey(senderId, customer),
      (row.campaigns ?? []).map((data) => JSON.parse(data) as PendingCampaign),
    );
  }

  async function waiting(list: 'queued' | 'in_flight', limit: number): Promise<Message[]> {
    await flush();
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
