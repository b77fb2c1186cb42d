/**
 * What a command reads before the account has loaded (issue 11: the first rows do not wait for
 * it), straight from IndexedDB's indexes: the session's records, the views' first pages, the
 * first contacts, the views' counts (./idb-view-counts.ts), one conversation. Anything else waits for the load. Nothing is written before
 * it, so these reads agree with what the loaded account will say.
 */
import type { IDBPDatabase, IDBPIndex } from 'idb';
import type { ConversationPageQuery, DeskStore } from '../engine/repository.js';
import type { AccountSettings, Contact, Conversation, SenderId, Template, User } from '../types.js';
import { keeps } from '../engine/activity-index.js';
import { matchesSearch } from '../rules/views.js';
import { ACTIVITY_INDEX, fromStored, USERS_INDEX, type StoredConversation } from './idb-schema.js';
import { readViewCounts } from './idb-view-counts.js';

/** The small records read at open. */
export interface OpeningRecords {
  settings: AccountSettings | undefined;
  users: User[];
  senders: SenderId[];
  templates: Template[];
}

/**
 * Counts the first screen's reads in flight, so that the background load gives way to them
 * (IndexedDB answers requests in turn, and the load's are large); once a command needs the
 * loaded account, the load no longer waits.
 */
export class ReadGate {
  #reads = 0;
  urgent = false;

  track<T>(read: Promise<T>): Promise<T> {
    this.#reads++;
    return read.finally(() => this.#reads--);
  }

  /** Resolves once no first-screen read is in flight at the start of a task. */
  async turn(): Promise<void> {
    while (this.#reads > 0 && !this.urgent) await new Promise((r) => setTimeout(r, 0));
  }
}

/** Records read per request while walking the activity index. */
const CHUNK = 512;
/** A list that needs more than this many records walked waits for the loaded account. */
const MAX_WALK = 8 * CHUNK;

type Index = IDBPIndex<unknown, ['conversations'], 'conversations', string, 'readonly'>;

/**
 * V5 from the `(lastActivityAt, id)` index (a user's list: `(userId, lastActivityAt, id)`): newest
 * first, and among equal times the lower id first (as the memory repository orders them).
 * Undefined when the page needs a longer walk (a team inbox of few conversations with incoming).
 */
export async function conversationPage(
  db: IDBPDatabase,
  { filter, after, limit, match }: ConversationPageQuery,
  chunk = CHUNK,
): Promise<Conversation[] | undefined> {
  // V6 by name needs the contacts: that search waits for the loaded account.
  if (match?.text) return undefined;
  const view = keeps(filter);
  const keep = match ? (c: Conversation) => view(c) && matchesSearch(match, c.customer, '') : view;
  const userId = filter.kind === 'all' ? undefined : filter.userId;
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
  const store = db.transaction('conversations', 'readonly').store;
  // Keys `[at, id]`, or `[userId, at, id]`; every record of `after`'s time is read.
  const prefix = userId === undefined ? [] : [userId];
  const index = store.index(userId === undefined ? ACTIVITY_INDEX : USERS_INDEX) as Index;
  const top = after ? [...prefix, after.at, []] : [...prefix, []];
  const range = prefix.length
    ? IDBKeyRange.bound(prefix, top)
    : after
      ? IDBKeyRange.upperBound(top)
      : null;
  for await (const records of newestChunks(index, range, prefix, chunk)) {
    for (const stored of records) {
      const c = fromStored(stored);
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

/** The records of `range`, newest first, a chunk per three requests (`floor`: its lowest key). */
async function* newestChunks(
  index: Index,
  range: IDBKeyRange | null,
  floor: IDBValidKey[],
  size: number,
) {
  for (;;) {
    const top = await index.openKeyCursor(range, 'prev');
    if (!top) return;
    const upper = top.key as IDBValidKey;
    const bottom = size > 1 ? await top.advance(size - 1) : top;
    const lower = bottom?.key as IDBValidKey | undefined;
    const bounds =
      lower !== undefined
        ? IDBKeyRange.bound(lower, upper)
        : floor.length
          ? IDBKeyRange.bound(floor, upper)
          : IDBKeyRange.upperBound(upper);
    const chunk = (await index.getAll(bounds)) as StoredConversation[];
    yield chunk.reverse();
    if (lower === undefined) return;
    range = floor.length
      ? IDBKeyRange.bound(floor, lower, false, true)
      : IDBKeyRange.upperBound(lower, true);
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
  gate: ReadGate,
): DeskStore {
  const early: Partial<DeskStore> = {
    getSettings: async () => opening.settings,
    getUser: async (id) => opening.users.find((u) => u.id === id),
    listUsers: async () => [...opening.users],
    getSender: async (id) => opening.senders.find((s) => s.id === id),
    listSenders: async () => [...opening.senders],
    getTemplate: async (id) => opening.templates.find((t) => t.id === id),
    listTemplates: async () => [...opening.templates],
    async getConversation(id) {
      const stored = (await db.get('conversations', id)) as StoredConversation | undefined;
      return stored && fromStored(stored);
    },
    getRecipient: async (phone) => await db.get('recipients', phone),
    getContact: async (id) => (await db.get('contacts', id)) as Contact | undefined,
    async listContacts({ after, limit }) {
      const range = after !== undefined ? IDBKeyRange.lowerBound(after, true) : null;
      return (await db.getAll('contacts', range, limit)) as Contact[];
    },
    async countConversations(filters) {
      const counts = await readViewCounts(db, filters);
      if (counts) return counts;
      gate.urgent = true;
      return (await full()).countConversations(filters);
    },
    async listConversations(query) {
      const page = await conversationPage(db, query);
      if (page) return page;
      gate.urgent = true;
      return (await full()).listConversations(query);
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
        // The next pages (a cursor) do not hold the load back: only the first screen does.
        if (read)
          return (args[0] as { after?: unknown })?.after
            ? read(...args)
            : gate.track(read(...args));
        gate.urgent = true;
        return ((await full())[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      };
    },
  });
}
