/** V1–V6: the views kept row by row as conversations change, and search over them. */
import { DeskError } from '../errors.js';
import { assertAdmin, canSee } from '../rules/permissions.js';
import {
  assertViewKey,
  contactName,
  inView,
  isSearchable,
  parseSearch,
  viewId,
  type ViewKey,
} from '../rules/views.js';
import { MapVersion } from '../versioned-map.js';
import {
  entryOf,
  movedRow,
  rowOf,
  rowOrder,
  ViewIndex,
  type ConversationRow,
} from '../view-index.js';
import type { Contact, Conversation } from '../types.js';
import { stateOf, type Core, type ViewSnapshot } from './state.js';

/**
 * A view's rows, newest activity first, with its unread count; memoized per state. An unknown
 * view is `invalid_input`; the Team Inbox of a standard user is `forbidden` (U2).
 */
export function view(core: Core, key: ViewKey): ViewSnapshot {
  assertViewKey(key);
  const state = stateOf(core);
  if (key.kind === 'team' && state.me) assertAdmin(state.me, 'open the Team Inbox'); // U2
  const id = viewId(key);
  let entry = core.views.get(id);
  if (!entry) {
    const me = state.me;
    const rows: ConversationRow[] = [];
    if (me) {
      for (const conversation of core.conversations.values()) {
        if (!inView(key, conversation, me)) continue;
        rows.push(rowOf(conversation, state.contacts, position(core, conversation.customer)));
      }
    }
    entry = { key, index: ViewIndex.from(rows) };
    // Before connect there is no user: such an empty view is not kept.
    if (me) core.views.set(id, entry);
  }
  return entry.index.snapshot(entry.key);
}

/** V5: moves one conversation's row in every view read so far. */
function moveRow(core: Core, before: Conversation | undefined, after: Conversation | undefined) {
  const me = stateOf(core).me;
  if (!me) return;
  for (const { key, index } of core.views.values()) {
    const removed = before && inView(key, before, me) ? index.remove(before) : undefined;
    if (after && inView(key, after, me)) {
      // A moving row keeps its name and search entry unless its number or the names changed.
      const same =
        removed && !core.contactsDraft && removed.conversation.customer === after.customer;
      index.insert(
        same
          ? movedRow(removed, after)
          : rowOf(
              after,
              contacts(core),
              removed ? entryOf(removed) : position(core, after.customer),
            ),
      );
    }
  }
}

/** CT1: contacts changed; the rows of these numbers show the new names. */
export function renameRows(
  core: Core,
  names: ReadonlyMap<string, Contact>,
  phones: ReadonlySet<string> | readonly string[],
): void {
  core.search?.setNames((phone) => contactName(names.get(phone)), phones);
  core.contactsDraft = names;
  for (const phone of phones) {
    for (const id of core.byCustomer.get(phone) ?? []) {
      const c = core.conversations.get(id);
      if (c) moveRow(core, c, c);
    }
  }
  core.contactsDraft = null;
}

function position(core: Core, phone: string): number {
  return core.search?.position(phone) ?? -1;
}

function contacts(core: Core): ReadonlyMap<string, Contact> {
  return core.contactsDraft ?? stateOf(core).contacts;
}

/** V6: search My Inbox or Sent Messages by contact name or any part of the number. */
export function search(core: Core, key: ViewKey, query: string): readonly ConversationRow[] {
  if (!isSearchable(key)) {
    throw new DeskError('invalid_input', 'Only My Inbox and Sent Messages can be searched.');
  }
  const snapshot = view(core, key);
  const parsed = parseSearch(query);
  if (!parsed) return snapshot.rows;
  const index = core.search;
  if (!index) return []; // not connected yet: no rows
  const hits = index.find(parsed);
  const found: ConversationRow[] = [];
  if (hits.length * 8 < snapshot.count) {
    // Few numbers match: their conversations in this view, in its order (V5).
    const me = stateOf(core).me;
    for (const entry of hits) {
      for (const id of core.byCustomer.get(index.phone(entry)) ?? []) {
        const c = core.conversations.get(id);
        if (me && c && inView(key, c, me)) found.push(rowOf(c, contacts(core), entry));
      }
    }
    return found.sort(rowOrder);
  }
  // Many match: one pass over the view's rows, each knowing its entry in the index.
  const flags = new Uint8Array(index.size);
  for (const entry of hits) flags[entry] = 1;
  snapshot.forEach((row) => {
    if (flags[entryOf(row)]) found.push(row);
  });
  return found;
}

export function indexCustomer(core: Core, conversation: Conversation): void {
  const ids = core.byCustomer.get(conversation.customer);
  if (!ids) {
    core.byCustomer.set(conversation.customer, [conversation.id]);
    core.search?.add(conversation.customer);
  } else if (!ids.includes(conversation.id)) ids.push(conversation.id);
}

/** The conversation on a sender ID with a number (C1: at most one), if this user sees it. */
export function findConversation(
  core: Core,
  senderId: string,
  customer: string,
): Conversation | undefined {
  const { conversations } = stateOf(core);
  for (const id of core.byCustomer.get(customer) ?? []) {
    const c = conversations.get(id);
    if (c?.senderId === senderId) return c;
  }
  return undefined;
}

export function patchConversations(core: Core, updated: Conversation[], force = false): void {
  let changed = false;
  for (const c of updated) changed = putConversation(core, c, force) || changed;
  if (changed)
    core.store.setState((s) => ({ ...s, conversations: new MapVersion(core.conversations) }));
}

/**
 * Keeps the newest revision; an equal revision from the backend replaces an optimistic copy.
 * Moves the conversation's row in each view (V5). Returns whether anything changed.
 */
export function putConversation(core: Core, next: Conversation, force = false): boolean {
  const map = core.conversations;
  const current = map.get(next.id);
  if (!force && current && current.revision > next.revision) return false;
  if (current === next) return false;
  const me = stateOf(core).me;
  if (me && !canSee(me, next)) {
    if (!current) return false;
    map.delete(next.id);
    moveRow(core, current, undefined);
    return true;
  }
  map.set(next.id, next);
  if (!current) indexCustomer(core, next);
  moveRow(core, current, next);
  return true;
}
