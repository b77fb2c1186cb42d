/**
 * What a command reads before the account has loaded (issue 11: the first rows do not wait for
 * it), straight from IndexedDB's indexes: the session's records, the views' first pages, the
 * first contacts, one conversation. Anything else waits for the load. Nothing is written before
 * it, so these reads agree with what the loaded account will say.
 */
import type { IDBPDatabase, IDBPIndex } from 'idb';
import type {
  ConversationFilter,
  ConversationPageQuery,
  DeskStore,
  TimeCursor,
} from '../engine/repository.js';
import type { AccountSettings, Contact, Conversation, SenderId, Template, User } from '../types.js';
import { ACTIVITY_INDEX } from './idb-schema.js';

/** The small records read at open. */
export interface OpeningRecords {
  settings: AccountSettings | undefined;
  users: User[];
  senders: SenderId[];
  templates: Template[];
}

/** Records read per request while walking the activity index. */
const CHUNK = 512;
/** A list that needs more than this many records walked waits for the loaded account. */
const MAX_WALK = 8 * CHUNK;

type Index = IDBPIndex<unknown, ['conversations'], 'conversations', string, 'readonly'>;

const keeps = (filter: ConversationFilter): ((c: Conversation) => boolean) => {
  if (filter.kind === 'all') return () => true;
  const { userId } = filter;
  if (filter.kind === 'involving')
    return (c) => c.ownerId === userId || c.outgoingBy.includes(userId);
  return (c) => c.hasIncoming && c.ownerId === userId; // V1, V3
};

/**
 * V5 from the `(lastActivityAt, id)` index: newest first, and among equal times the lower id
 * first (as the memory repository orders them). Undefined when the page needs a longer walk.
 */
export async function conversationPage(
  db: IDBPDatabase,
  { filter, after, limit }: ConversationPageQuery,
  chunk = CHUNK,
): Promise<Conversation[] | undefined> {
  const keep = keeps(filter);
  const page: Conversation[] = [];
  let group: Conversation[] = []; // one activity time, read with the higher ids first
  const take = () => {
    for (let i = group.length - 1; i >= 0; i--) {
      const c = group[i]!;
      if (after && c.lastActivityAt === after.at && c.id <= after.id) continue;
      if (keep(c)) page.push(c);
    }
    group = [];
  };
  let walked = 0;
  const index = db.transaction('conversations', 'readonly').store.index(ACTIVITY_INDEX) as Index;
  for await (const records of newestChunks(index, after, chunk)) {
    for (const c of records) {
      if (group.length && group[0]!.lastActivityAt !== c.lastActivityAt) {
        take();
        if (page.length >= limit) return page.slice(0, limit);
      }
      group.push(c);
    }
    walked += records.length;
    if (walked > MAX_WALK) return undefined;
  }
  take();
  return page.slice(0, limit);
}

/** The index's records from `after`'s time down, newest first, a chunk per two requests. */
async function* newestChunks(index: Index, after: TimeCursor | undefined, size: number) {
  // Every record of `after`'s time is read (the caller drops those up to it).
  let range: IDBKeyRange | null = after ? IDBKeyRange.upperBound([after.at, []]) : null;
  for (;;) {
    const top = await index.openKeyCursor(range, 'prev');
    if (!top) return;
    const upper = top.key as IDBValidKey;
    const bottom = size > 1 ? await top.advance(size - 1) : top;
    const lower = bottom?.key as IDBValidKey | undefined;
    const bounds =
      lower === undefined ? IDBKeyRange.upperBound(upper) : IDBKeyRange.bound(lower, upper);
    const chunk = (await index.getAll(bounds)) as Conversation[];
    yield chunk.reverse();
    if (lower === undefined) return;
    range = IDBKeyRange.upperBound(lower, true);
  }
}

/**
 * A store for commands that run before the account has loaded: `full()` waits for the loaded
 * store (or gives it at once when it is there), `answer` holds what is read from IndexedDB
 * meanwhile.
 */
export function firstScreenStore(
  db: IDBPDatabase,
  opening: OpeningRecords,
  loaded: () => DeskStore | undefined,
  full: () => Promise<DeskStore>,
  always: Partial<DeskStore>,
): DeskStore {
  const early: Partial<DeskStore> = {
    getSettings: async () => opening.settings,
    getUser: async (id) => opening.users.find((u) => u.id === id),
    listUsers: async () => [...opening.users],
    getSender: async (id) => opening.senders.find((s) => s.id === id),
    listSenders: async () => [...opening.senders],
    getTemplate: async (id) => opening.templates.find((t) => t.id === id),
    listTemplates: async () => [...opening.templates],
    getConversation: async (id) => (await db.get('conversations', id)) as Conversation | undefined,
    getRecipient: async (phone) => await db.get('recipients', phone),
    getContact: async (id) => (await db.get('contacts', id)) as Contact | undefined,
    async listContacts({ after, limit }) {
      const range = after !== undefined ? IDBKeyRange.lowerBound(after, true) : null;
      return (await db.getAll('contacts', range, limit)) as Contact[];
    },
    async listConversations(query) {
      return (await conversationPage(db, query)) ?? (await full()).listConversations(query);
    },
  };
  return new Proxy({} as DeskStore, {
    get(_, key) {
      if (typeof key !== 'string' || key === 'then') return undefined; // not a thenable
      const name = key as keyof DeskStore;
      const now = always[name] ?? loaded()?.[name];
      if (now) return now;
      const read = early[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      return async (...args: unknown[]) => {
        const store = loaded();
        if (store) return (store[name] as (...a: unknown[]) => Promise<unknown>)(...args);
        if (read) return read(...args);
        return ((await full())[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      };
    },
  });
}
