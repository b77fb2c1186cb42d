/**
 * The in-memory repository: for tests, the reference server, a CRM's prototype, and (with a
 * write-behind hook) the embedded backend's IndexedDB store. Commands run one at a time, in the
 * order they were called; one that finds the repository idle starts at once (no promise hop).
 * Indexes: conversations by id and pair (C1) with their threads in time order, and by activity
 * for the account and each user (see `ConversationTable`), contacts by id and phone: no command
 * sorts, and no cost grows with the account. Routing also runs synchronously here (`now`).
 */
import type {
  AccountSettings,
  Channel,
  Contact,
  Conversation,
  Message,
  RecipientPolicy,
  SenderId,
  Template,
  User,
} from '../types.js';
import type {
  DeskRepository,
  DeskStore,
  DeskStoreNow,
  IdempotencyRecord,
  IncomingChange,
  IncomingFacts,
  MessagePageQuery,
  PendingCampaign,
} from './repository.js';
import { foldText } from '../rules/text.js';
import { contactName } from '../rules/views.js';
import { ConversationTable } from './memory-conversations.js';

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

/**
 * Where messages live when they are not all kept in memory (the embedded backend's IndexedDB):
 * the repository hands every message write to it and asks it for threads and messages.
 */
export interface MessageSource {
  /** The creation time of a thread's newest message, at once (routing reads it without awaiting). */
  lastAt(conversationId: string): number | undefined;
  last(conversationId: string): Promise<Message | undefined>;
  get(id: string): Promise<Message | undefined>;
  page(query: MessagePageQuery): Promise<Message[]>;
  /**
   * Notes a new or changed message (before the write hook is called with it), with its
   * conversation's channel (SN7: what is in flight depends on it), when it is outgoing.
   */
  put(message: Message, channel: Channel | undefined): void;
  queued(limit: number): Message[];
  /** SN7: `channelOf` gives a conversation's channel (undefined: unknown). */
  inFlight(limit: number, channelOf: (conversationId: string) => Channel | undefined): Message[];
}

export interface MemoryRepositoryOptions {
  initial?: Partial<RepositorySnapshot>;
  onWrite?: WriteHook;
  /** Messages kept elsewhere; `initial.messages` is then ignored. */
  messages?: MessageSource;
}

/** Routing's answer when no campaign waits (most of the time): read only, shared. */
const NO_CAMPAIGNS = Object.freeze([]) as unknown as PendingCampaign[];

const pair = (senderId: string, customer: string) => `${senderId}|${customer}`;
const idemKey = (userId: string, key: string) => `${userId}\u0000${key}`;

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
  const campaigns = new Map<string, PendingCampaign[]>();
  const idempotency = new Map<string, IdempotencyRecord>();

  /** V6: contacts' folded names by number, folded on a search's first read of them. */
  const folded = new Map<string, string>();
  const foldedName = (phone: string) => {
    let name = folded.get(phone);
    if (name === undefined)
      folded.set(phone, (name = foldText(contactName(contactByPhone.get(phone)))));
    return name;
  };
  const putContactIndexes = (c: Contact, previousPhone?: string) => {
    folded.delete(c.phone);
    if (previousPhone) folded.delete(previousPhone);
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
  const source = options.messages;
  const conversations = new ConversationTable(
    initial?.conversations ?? [],
    source ? [] : (initial?.messages ?? []),
  );
  for (const p of initial?.campaigns ?? []) {
    const key = pair(p.senderId, p.customer);
    campaigns.set(key, [...(campaigns.get(key) ?? []), p]);
  }
  for (const r of initial?.idempotency ?? []) idempotency.set(idemKey(r.userId, r.key), r);

  /** Fills `facts` (a new object, or for `now`'s callers, who read it at once, the same one). */
  const readFacts = (facts: IncomingFacts, senderId: string, customer: string): IncomingFacts => {
    const conversation = conversations.find(senderId, customer);
    facts.sender = senders.get(senderId);
    facts.conversation = conversation;
    facts.lastMessageAt =
      conversation &&
      (source ? source.lastAt(conversation.id) : conversations.lastMessageAt(conversation.id));
    facts.campaigns =
      (campaigns.size > 0 && campaigns.get(pair(senderId, customer))) || NO_CAMPAIGNS;
    facts.settings = settings;
    return facts;
  };
  const noFacts = (): IncomingFacts => ({
    sender: undefined,
    conversation: undefined,
    lastMessageAt: undefined,
    campaigns: NO_CAMPAIGNS,
    settings: undefined,
  });
  const nowFacts = noFacts();
  const channelOf = (conversationId: string) => conversations.get(conversationId)?.channel;
  const putMessage = (message: Message, isNew?: boolean) => {
    // SN7: only an outgoing message can be in flight, and only then does its channel matter.
    if (source)
      source.put(
        message,
        message.direction === 'out'
          ? conversations.get(message.conversationId)?.channel
          : undefined,
      );
    else conversations.putMessage(message, isNew);
    write('messages', message.id, message);
  };
  const putConversation = (conversation: Conversation) => {
    conversations.put(conversation);
    write('conversations', conversation.id, conversation);
  };
  const putRecipient = (policy: RecipientPolicy) => {
    recipients.set(policy.phone, policy);
    write('recipients', policy.phone, policy);
  };
  const deletePendingCampaigns = (senderId: string, customer: string) => {
    const key = pair(senderId, customer);
    for (const c of campaigns.get(key) ?? []) write('campaigns', c.message.id, null);
    campaigns.delete(key);
  };
  const putIncoming = (change: IncomingChange) => {
    const { conversation } = change;
    const { joined } = change;
    for (let i = 0; i < joined.length; i++) putMessage(joined[i]!);
    if (change.campaignsDone) deletePendingCampaigns(conversation.senderId, conversation.customer);
    putMessage(change.message, true);
    putConversation(conversation);
    if (change.recipient) putRecipient(change.recipient);
  };
  const now: DeskStoreNow = {
    incomingFacts: (senderId, customer) => readFacts(nowFacts, senderId, customer),
    getRecipient: (phone) => recipients.get(phone),
    putIncoming,
  };

  const store: DeskStore = {
    incomingFacts: async (senderId, customer) => readFacts(noFacts(), senderId, customer),
    putIncoming: async (change) => putIncoming(change),
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
    putRecipient: async (policy) => putRecipient(policy),
    getConversation: async (id) => conversations.get(id),
    findConversation: async (senderId, customer) => conversations.find(senderId, customer),
    // V6 (as `matchesSearch`): a walk of the view's list testing each row's number (E.164: `+`
    // and digits, so the digits are a substring of it) or its contact's name, folded once.
    listConversations: async (query) => {
      const { match } = query;
      const test = match?.digits
        ? (c: Conversation) => c.customer.includes(match.digits)
        : match && ((c: Conversation) => foldedName(c.customer).includes(match.text));
      return conversations.page(query, test);
    },
    countConversations: async (filters) => filters.map((f) => conversations.count(f)),
    putConversation: async (conversation) => putConversation(conversation),
    getMessage: async (id) => (source ? source.get(id) : conversations.message(id)),
    lastMessage: async (conversationId) =>
      source ? source.last(conversationId) : conversations.lastMessage(conversationId),
    listMessages: async (query) =>
      source ? source.page(query) : conversations.listMessages(query),
    putMessage: async (message) => putMessage(message),
    listQueuedMessages: async (limit) =>
      source ? source.queued(limit) : conversations.queued(limit),
    listInFlightMessages: async (limit) =>
      source ? source.inFlight(limit, channelOf) : conversations.inFlight(limit),
    listPendingCampaigns: async (senderId, customer) =>
      (campaigns.size > 0 && campaigns.get(pair(senderId, customer))) || [],
    async addPendingCampaign(campaign) {
      const key = pair(campaign.senderId, campaign.customer);
      campaigns.set(key, [...(campaigns.get(key) ?? []), campaign]);
      write('campaigns', campaign.message.id, campaign);
    },
    deletePendingCampaigns: async (senderId, customer) =>
      deletePendingCampaigns(senderId, customer),
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
    now: () => (pending === 0 ? now : undefined),
  };
}
