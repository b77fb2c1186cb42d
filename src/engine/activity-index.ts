/**
 * V5 for the memory repository: conversations by activity, newest first, without a sort per
 * query. A write only notes which conversation changed (an array push: routing stays cheap); the
 * next list brings the order up to date. A few changes are moved one by one (binary search in
 * sorted chunks of at most 2 × CHUNK, so a move shifts one short chunk); many are sorted among
 * themselves and merged with the unchanged rest in one pass. Either way a change costs O(log n)
 * amortized. `ConversationViews` keeps one such order for the account and one per user, so a
 * standard user's list or a team inbox's first page never walks the whole account.
 */
import type { Conversation, UserId } from '../types.js';
import type { ConversationFilter, TimeCursor } from './repository.js';

const CHUNK = 64;

/** Whether `c` comes before the position `at, id` in a list (newer, or as new with a lower id). */
const isBefore = (c: Conversation, at: number, id: string) =>
  c.lastActivityAt > at || (c.lastActivityAt === at && c.id < id);

const newestFirst = (a: Conversation, b: Conversation) =>
  b.lastActivityAt - a.lastActivityAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const always = () => true;

export class ActivityIndex {
  /** The list as of the last update, newest first, cut into chunks; no chunk is empty. */
  #chunks: Conversation[][] = [];
  #count = 0;
  /**
   * Changes since: a conversation's id, and the activity time of the version the chunks held
   * before (NaN if none was kept). Two pushes, no hashing, no old version kept alive (a number,
   * in an array of doubles); the update takes the first note of each id.
   */
  #changed: string[] = [];
  #heldAt: number[] = [];
  /** Counts the updates: a mark equal to it says a conversation was noted since the last one. */
  #epoch = 1;

  /**
   * `current(id)` is the stored version of a conversation; `keep` says which conversations the
   * list holds (all by default).
   */
  constructor(
    private readonly current: (id: string) => Conversation | undefined,
    private readonly keep: (c: Conversation) => boolean = always,
  ) {}

  /** Starts from `conversations` (one sort, when the repository opens). */
  load(conversations: Iterable<Conversation>): void {
    this.#setAll([...conversations].filter(this.keep).sort(newestFirst));
  }

  /** Notes that `next` is stored in place of `previous` (the version it replaces, if any). */
  put(next: Conversation, previous: Conversation | undefined): void {
    this.#changed.push(next.id);
    this.#heldAt.push(previous && this.keep(previous) ? previous.lastActivityAt : NaN);
    // Bounded: a backend that routes for hours without a list still holds one change per conversation.
    if (this.#changed.length > 2 * this.#count + 2048) this.#update();
  }

  /**
   * `put`, unless this index noted the conversation since its last update (`mark` is what this
   * returned then, 0 at first): only the first note after an update says where the order holds
   * it, later ones add nothing. Routing many messages to a conversation between two lists notes
   * it once, so the catch-up grows with the conversations changed, not the messages. Returns the
   * mark to keep.
   */
  putOnce(next: Conversation, previous: Conversation | undefined, mark: number): number {
    if (mark === this.#epoch) return mark;
    const epoch = this.#epoch;
    this.put(next, previous); // if this brings the order up to date, the epoch moves on
    return epoch;
  }

  /** Up to `limit` conversations passing `keep`, newest first, strictly after `after`. */
  page(
    limit: number,
    keep: (c: Conversation) => boolean,
    after: TimeCursor | undefined,
  ): Conversation[] {
    this.#update();
    const page: Conversation[] = [];
    let [ci, at] = after ? this.#locate(after.at, after.id) : [0, 0];
    for (; ci < this.#chunks.length && page.length < limit; ci++, at = 0) {
      const chunk = this.#chunks[ci]!;
      for (; at < chunk.length && page.length < limit; at++) {
        const c = chunk[at]!;
        const isCursor = after && c.lastActivityAt === after.at && c.id === after.id;
        if (!isCursor && keep(c)) page.push(c);
      }
    }
    return page;
  }

  #update(): void {
    const ids = this.#changed;
    if (ids.length === 0) return;
    const heldAt = this.#heldAt;
    this.#changed = [];
    this.#heldAt = [];
    this.#epoch++;
    if (ids.length * 16 < this.#count) {
      // Few: each id's first note knows where the chunks hold it (later notes find nothing there).
      for (let i = 0; i < ids.length; i++)
        if (!Number.isNaN(heldAt[i])) this.#remove(ids[i]!, heldAt[i]!);
      for (const id of ids) {
        const c = this.current(id);
        if (c && this.keep(c) && !this.#holds(c)) this.#insert(c);
      }
      return;
    }
    // Many: the current versions of the noted ids, sorted (an id noted twice gives the same
    // object twice, side by side), merged with the held ones that are still current. No hashing.
    const moved: Conversation[] = [];
    for (const id of ids) {
      const c = this.current(id);
      if (c && this.keep(c)) moved.push(c);
    }
    moved.sort(newestFirst);
    const merged: Conversation[] = [];
    let m = 0;
    const take = (c: Conversation) => {
      if (merged[merged.length - 1] !== c) merged.push(c);
    };
    for (const chunk of this.#chunks) {
      for (const c of chunk) {
        if (this.current(c.id) !== c) continue;
        while (m < moved.length && newestFirst(moved[m]!, c) < 0) take(moved[m++]!);
        take(c);
        while (m < moved.length && moved[m] === c) m++;
      }
    }
    while (m < moved.length) take(moved[m++]!);
    this.#setAll(merged);
  }

  /** Whether the chunks hold `c` itself at its place. */
  #holds(c: Conversation): boolean {
    const [ci, at] = this.#locate(c.lastActivityAt, c.id);
    return this.#chunks[ci]?.[at] === c;
  }

  #setAll(all: Conversation[]): void {
    this.#chunks = [];
    for (let i = 0; i < all.length; i += CHUNK) this.#chunks.push(all.slice(i, i + CHUNK));
    this.#count = all.length;
  }

  /** Removes the conversation `id` held at activity time `time` (each id is held once). */
  #remove(id: string, time: number): void {
    const [ci, at] = this.#locate(time, id);
    const chunk = this.#chunks[ci];
    if (chunk?.[at]?.id !== id) return;
    chunk.splice(at, 1);
    if (chunk.length === 0) this.#chunks.splice(ci, 1);
    this.#count--;
  }

  #insert(c: Conversation): void {
    const chunks = this.#chunks;
    let [ci, at] = this.#locate(c.lastActivityAt, c.id);
    if (ci === chunks.length) {
      if (ci === 0) chunks.push([]);
      ci = chunks.length - 1;
      at = chunks[ci]!.length;
    }
    const chunk = chunks[ci]!;
    chunk.splice(at, 0, c);
    if (chunk.length > 2 * CHUNK) chunks.splice(ci + 1, 0, chunk.splice(CHUNK));
    this.#count++;
  }

  /** The chunk and offset of the first item not before `at, id` (past the end: chunk count). */
  #locate(at: number, id: string): [number, number] {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (isBefore(chunk[chunk.length - 1]!, at, id)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return [lo, 0];
    const chunk = chunks[lo]!;
    let start = 0;
    let end = chunk.length;
    while (start < end) {
      const mid = (start + end) >>> 1;
      if (isBefore(chunk[mid]!, at, id)) start = mid + 1;
      else end = mid;
    }
    return [lo, start];
  }
}

/**
 * Which lists noted a conversation since their last update (see `ActivityIndex.putOnce`): the
 * account's, and its owner's in routing's case. Kept with the conversation by the repository.
 */
export interface ViewMarks {
  allMark: number;
  markedUser: UserId | undefined;
  userList: ActivityIndex | undefined;
  userMark: number;
}

const involves = (userId: UserId) => (c: Conversation) =>
  c.ownerId === userId || c.outgoingBy.includes(userId);

/**
 * The lists of `ConversationFilter`: the account's (`all`), and per user the conversations it
 * owns or wrote in (`involving`; `inbox` reads the same list, keeping owned ones with incoming).
 */
export class ConversationViews {
  readonly #all: ActivityIndex;
  readonly #byUser = new Map<UserId, ActivityIndex>();

  constructor(private readonly current: (id: string) => Conversation | undefined) {
    this.#all = new ActivityIndex(current);
  }

  load(conversations: Iterable<Conversation>): void {
    const list = [...conversations];
    this.#all.load(list);
    const users = new Set<UserId>();
    for (const c of list) for (const u of usersOf(c)) users.add(u);
    for (const u of users) this.#user(u).load(list);
  }

  /**
   * Notes that `next` is stored in place of `previous`, in every list either version is in.
   * `marks` (kept with the conversation) say which lists noted it since their last update.
   */
  put(next: Conversation, previous: Conversation | undefined, marks: ViewMarks): void {
    marks.allMark = this.#all.putOnce(next, previous, marks.allMark);
    // Routing's case: the same single owner before and after (its list kept with the marks).
    if (!next.outgoingBy.length && (!previous || isOnlyOwner(previous, next.ownerId))) {
      const ownerId = next.ownerId;
      let list = marks.userList;
      if (!list || marks.markedUser !== ownerId) {
        marks.userList = list = this.#user(ownerId);
        marks.markedUser = ownerId;
        marks.userMark = 0;
      }
      marks.userMark = list.putOnce(next, previous, marks.userMark);
      return;
    }
    const users = usersOf(next);
    if (previous) for (const u of usersOf(previous)) if (!users.includes(u)) users.push(u);
    for (const u of users) this.#user(u).put(next, previous);
  }

  /**
   * A page of `filter`'s list that also passes `also` (a search). V2 and V4 walk the user's list
   * (an admin's V2: the account's) keeping their rows: a list per sender ID is not kept.
   */
  page(
    filter: ConversationFilter,
    limit: number,
    after: TimeCursor | undefined,
    also: (c: Conversation) => boolean = always,
  ): Conversation[] {
    const keep = keeps(filter);
    const both = also === always ? keep : (c: Conversation) => keep(c) && also(c);
    const userId = filter.kind === 'all' ? undefined : filter.userId;
    if (userId === undefined) return this.#all.page(limit, both, after);
    return this.#byUser.get(userId)?.page(limit, both, after) ?? [];
  }

  #user(userId: UserId): ActivityIndex {
    let list = this.#byUser.get(userId);
    if (!list) this.#byUser.set(userId, (list = new ActivityIndex(this.current, involves(userId))));
    return list;
  }
}

const isOnlyOwner = (c: Conversation, userId: UserId) =>
  c.ownerId === userId && !c.outgoingBy.length;

/** The users whose own list holds `c`: its owner and whoever wrote in it. */
function usersOf(c: Conversation): UserId[] {
  if (c.outgoingBy.length === 0) return [c.ownerId];
  const users = [c.ownerId];
  for (const u of c.outgoingBy) if (u !== c.ownerId) users.push(u);
  return users;
}

/** Which rows of its list (the account's, or the user's) a filter keeps. */
export function keeps(filter: ConversationFilter): (c: Conversation) => boolean {
  switch (filter.kind) {
    case 'all':
    case 'involving':
      return always;
    case 'inbox': // V1, V3
      return (c) => c.hasIncoming && c.ownerId === filter.userId;
    case 'sender': // V2
      return (c) =>
        c.hasIncoming &&
        c.senderId === filter.senderId &&
        (filter.userId === undefined || c.ownerId === filter.userId);
    case 'sent': // V4
      return (c) => c.outgoingBy.includes(filter.userId);
  }
}
