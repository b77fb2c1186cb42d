/**
 * The in-memory repository: for tests, the reference server, a CRM's prototype, and (with a
 * write-behind hook) the embedded backend's IndexedDB store. Commands run one at a time, in the
 * order they were called; one that finds the repository idle starts at once (no promise hop).
 * Indexes: by pair (C1), by phone, threads kept in time order, contacts by id, and conversations
 * by activity (see `ActivityIndex`): no command sorts, and no cost grows with the account.
 */
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
import type {
  ConversationPageQuery,
  DeskRepository,
  DeskStore,
  IdempotencyRecord,
  MessagePageQuery,
  PendingCampaign,
} from './repository.js';
import { foldText } from '../rules/text.js';
import { ActivityIndex } from './activity-index.js';

/** The records of a repository, by kind; what the IndexedDB store loads and saves. */
export interface RepositorySnapshot {
  settings?: AccountSettings;
  users: User[];
  senders: SenderId[];
  contacts: Contact[];
  templates: Template[];
  recipients: RecipientPolicy[];
  conversations: Conversation[];
  messages: Message[];
  campaigns: PendingCampaign[];
  idempotency: IdempotencyRecord[];
}

export type RecordKind = Exclude<keyof RepositorySnapshot, 'settings'> | 'settings';

/** Called after each write, for write-behind persistence. `record` null means deleted. */
export type WriteHook = (kind: RecordKind, key: string, record: object | null) => void;

export interface MemoryRepositoryOptions {
  initial?: Partial<RepositorySnapshot>;
  onWrite?: WriteHook;
}

const pair = (senderId: string, customer: string) => `${senderId}|${customer}`;
const idemKey = (userId: string, key: string) => `${userId}\u0000${key}`;
const isInFlight = (m: Message) =>
  m.direction === 'out' &&
  !m.campaign &&
  (m.status === 'sent' || m.status === 'delivered' || (m.status === 'queued' && !m.queueReason));

/** Index of the first element of a (createdAt, id)-sorted thread that is not before `at, id`. */
function lowerBound(thread: readonly Message[], at: number, id: string): number {
  let lo = 0;
  let hi = thread.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = thread[mid]!;
    if (m.createdAt < at || (m.createdAt === at && m.id < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs `work` now; a synchronous throw becomes a rejection, as it would after a hop. */
function start<T>(work: (s: DeskStore) => Promise<T>, store: DeskStore): Promise<T> {
  try {
    return work(store);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Index of the first contact of an id-sorted list whose id is not below `id`. */
function idBound(list: readonly Contact[], id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createMemoryRepository(options: MemoryRepositoryOptions = {}): DeskRepository {
  const write: WriteHook = options.onWrite ?? (() => undefined);
  let settings: AccountSettings | undefined = options.initial?.settings;
  const users = new Map<string, User>();
  const senders = new Map<string, SenderId>();
  const templates = new Map<string, Template>();
  const contacts = new Map<string, Contact>();
  const contactByPhone = new Map<string, Contact>();
  /** Contacts by id, for `listContacts` pages (new ids inserted in place). */
  const contactOrder: Contact[] = [];
  const recipients = new Map<string, RecipientPolicy>();
  const conversations = new Map<string, Conversation>();
  /** C1 by sender ID, then number: no key string built per lookup. */
  const byPair = new Map<string, Map<string, Conversation>>();
  const order = new ActivityIndex((id) => conversations.get(id));
  const messages = new Map<string, Message>();
  const threads = new Map<string, Message[]>();
  const queued = new Set<string>();
  const inFlight = new Set<string>();
  const campaigns = new Map<string, PendingCampaign[]>();
  const idempotency = new Map<string, IdempotencyRecord>();

  const putMessageIndexes = (message: Message) => {
    const previous = messages.get(message.id);
    messages.set(message.id, message);
    if (message.status === 'queued' && message.queueReason === 'business_hours')
      queued.add(message.id);
    else queued.delete(message.id);
    if (isInFlight(message)) inFlight.add(message.id);
    else inFlight.delete(message.id);
    let thread = threads.get(message.conversationId);
    if (!thread) threads.set(message.conversationId, (thread = []));
    if (previous && previous.conversationId === message.conversationId) {
      const at = lowerBound(thread, previous.createdAt, previous.id);
      if (thread[at]?.id === previous.id) {
        thread[at] = message;
        return;
      }
    }
    const last = thread[thread.length - 1];
    if (!last || last.createdAt < message.createdAt) thread.push(message);
    else thread.splice(lowerBound(thread, message.createdAt, message.id), 0, message);
  };
  const setConversation = (c: Conversation) => {
    conversations.set(c.id, c);
    let numbers = byPair.get(c.senderId);
    if (!numbers) byPair.set(c.senderId, (numbers = new Map()));
    numbers.set(c.customer, c);
  };
  const putConversationIndexes = (c: Conversation) => {
    const previous = conversations.get(c.id);
    setConversation(c);
    order.put(c, previous);
  };
  const putContactIndexes = (c: Contact, previousPhone?: string) => {
    if (previousPhone && previousPhone !== c.phone) contactByPhone.delete(previousPhone);
    const at = idBound(contactOrder, c.id);
    if (contactOrder[at]?.id === c.id) contactOrder[at] = c;
    else contactOrder.splice(at, 0, c);
    contacts.set(c.id, c);
    contactByPhone.set(c.phone, c);
  };

  const initial = options.initial;
  for (const u of initial?.users ?? []) users.set(u.id, u);
  for (const s of initial?.senders ?? []) senders.set(s.id, s);
  for (const t of initial?.templates ?? []) templates.set(t.id, t);
  for (const c of initial?.contacts ?? []) {
    contacts.set(c.id, c);
    contactByPhone.set(c.phone, c);
  }
  contactOrder.push(...contacts.values());
  contactOrder.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const r of initial?.recipients ?? []) recipients.set(r.phone, r);
  for (const c of initial?.conversations ?? []) setConversation(c);
  order.load(conversations.values());
  const loaded = [...(initial?.messages ?? [])].sort(
    (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
  );
  for (const m of loaded) putMessageIndexes(m);
  for (const p of initial?.campaigns ?? []) {
    const key = pair(p.senderId, p.customer);
    campaigns.set(key, [...(campaigns.get(key) ?? []), p]);
  }
  for (const r of initial?.idempotency ?? []) idempotency.set(idemKey(r.userId, r.key), r);

  const store: DeskStore = {
    async incomingFacts(senderId, customer) {
      const conversation = byPair.get(senderId)?.get(customer);
      return {
        sender: senders.get(senderId),
        conversation,
        lastMessageAt: conversation && threads.get(conversation.id)?.at(-1)?.createdAt,
        campaigns: (campaigns.size > 0 && campaigns.get(pair(senderId, customer))) || [],
        settings,
      };
    },
    getSettings: async () => settings,
    async putSettings(next) {
      settings = next;
      write('settings', 'settings', next);
    },
    getUser: async (id) => users.get(id),
    listUsers: async () => [...users.values()],
    async putUser(user) {
      users.set(user.id, user);
      write('users', user.id, user);
    },
    getSender: async (id) => senders.get(id),
    listSenders: async () => [...senders.values()],
    async putSender(sender) {
      senders.set(sender.id, sender);
      write('senders', sender.id, sender);
    },
    getTemplate: async (id) => templates.get(id),
    listTemplates: async () => [...templates.values()],
    async putTemplate(template) {
      templates.set(template.id, template);
      write('templates', template.id, template);
    },
    getContact: async (id) => contacts.get(id),
    getContactByPhone: async (phone) => contactByPhone.get(phone),
    async listContacts({ after, limit }) {
      let start = 0;
      if (after !== undefined) {
        start = idBound(contactOrder, after);
        if (contactOrder[start]?.id === after) start++;
      }
      return contactOrder.slice(start, start + limit);
    },
    async searchContacts({ text, digits, limit }) {
      const found: Contact[] = [];
      for (const c of contacts.values()) {
        const byName = text && foldText(`${c.firstName} ${c.lastName}`).includes(text);
        const byDigits = digits && c.phone.replace(/\D/g, '').includes(digits);
        if (byName || byDigits) found.push(c);
        if (found.length >= limit) break;
      }
      return found;
    },
    async putContact(contact, previousPhone) {
      putContactIndexes(contact, previousPhone);
      write('contacts', contact.id, contact);
    },
    getRecipient: async (phone) => recipients.get(phone),
    async putRecipient(policy) {
      recipients.set(policy.phone, policy);
      write('recipients', policy.phone, policy);
    },
    getConversation: async (id) => conversations.get(id),
    findConversation: async (senderId, customer) => byPair.get(senderId)?.get(customer),
    async listConversations({ filter, after, limit }: ConversationPageQuery) {
      const keep = (c: Conversation) =>
        filter.kind === 'all' ||
        (filter.kind === 'inbox'
          ? c.hasIncoming && c.ownerId === filter.userId
          : c.ownerId === filter.userId || c.outgoingBy.includes(filter.userId));
      return order.page(limit, keep, after);
    },
    async putConversation(conversation) {
      putConversationIndexes(conversation);
      write('conversations', conversation.id, conversation);
    },
    getMessage: async (id) => messages.get(id),
    lastMessage: async (conversationId) => threads.get(conversationId)?.at(-1),
    async listMessages({ conversationId, before, limit }: MessagePageQuery) {
      const thread = threads.get(conversationId) ?? [];
      const end = before ? lowerBound(thread, before.at, before.id) : thread.length;
      return thread.slice(Math.max(0, end - limit), end);
    },
    async putMessage(message) {
      putMessageIndexes(message);
      write('messages', message.id, message);
    },
    async listQueuedMessages(limit) {
      return [...queued].slice(0, limit).map((id) => messages.get(id)!);
    },
    async listInFlightMessages(limit) {
      return [...inFlight].slice(0, limit).map((id) => messages.get(id)!);
    },
    listPendingCampaigns: async (senderId, customer) =>
      (campaigns.size > 0 && campaigns.get(pair(senderId, customer))) || [],
    async addPendingCampaign(campaign) {
      const key = pair(campaign.senderId, campaign.customer);
      campaigns.set(key, [...(campaigns.get(key) ?? []), campaign]);
      write('campaigns', campaign.message.id, campaign);
    },
    async deletePendingCampaigns(senderId, customer) {
      const key = pair(senderId, customer);
      for (const c of campaigns.get(key) ?? []) write('campaigns', c.message.id, null);
      campaigns.delete(key);
    },
    getIdempotency: async (userId, key) => idempotency.get(idemKey(userId, key)),
    async putIdempotency(record) {
      const key = idemKey(record.userId, record.key);
      idempotency.set(key, record);
      write('idempotency', key, record);
    },
    async deleteIdempotencyBefore(before) {
      for (const [key, record] of idempotency) {
        if (record.createdAt < before) {
          idempotency.delete(key);
          write('idempotency', key, null);
        }
      }
    },
  };

  // One command at a time, in call order: a command's reads and writes never interleave another's.
  // With none running or waiting, the command starts now instead of a promise hop later.
  let pending = 0;
  let tail: Promise<unknown> = Promise.resolve();
  const release = () => {
    pending--;
  };
  return {
    transaction<T>(work: (s: DeskStore) => Promise<T>): Promise<T> {
      const run = pending++ === 0 ? start(work, store) : tail.then(() => work(store));
      tail = run.then(release, release);
      return run;
    },
  };
}
