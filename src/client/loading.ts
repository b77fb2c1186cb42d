/** Connecting, following server events, and loading a conversation's messages page by page. */
import type { ServerEvent } from '../adapter.js';
import { contactName } from '../rules/views.js';
import { readOnOpen } from '../rules/read-state.js';
import { MapVersion } from '../versioned-map.js';
import type { Contact, Message, Page } from '../types.js';
import { enqueue, scheduleFlush } from './events.js';
import { mark } from './people.js';
import { onHeld, showHeld } from './sending.js';
import {
  conversation,
  counter,
  me,
  setThread,
  toDeskError,
  type Core,
  type Thread,
  stateOf,
} from './state.js';
import { replay, withPage } from './thread.js';
import { startPaging } from './paging.js';
import { indexCustomer, renameRows } from './views.js';

/**
 * Loads the session, reference data and the first page of conversations and contacts, then
 * follows server events. Pages come newest activity first, so every view's first rows are right
 * from the first page on; a view's next pages load when asked (`loadMore`, issue 11: the first
 * screen does not wait for the whole account, and the account is never loaded whole). The other
 * contacts load in the background, for the names of the rows to come.
 */
export async function connect(core: Core): Promise<void> {
  const { store, adapter } = core;
  const status = stateOf(core).status;
  if (status === 'ready' || status === 'connecting') return;
  store.setState((s) => ({ ...s, status: 'connecting', error: null }));
  const run = ++core.connects;
  try {
    // Subscribe first and buffer, so nothing that happens while loading is missed.
    core.unsubscribe = adapter.subscribe((event) => enqueue(core, event));
    const [session, users, senders, templates, search] = await Promise.all([
      adapter.session(),
      adapter.listUsers(),
      adapter.listSenderIds(),
      adapter.listTemplates(),
      // Out of the first load: it is needed once the first page is here.
      import('../search.js'),
    ]);
    core.search ??= new search.SearchIndex(() => '');
    // After the session: a layer such as the cache decides by the session what it answers.
    const contactPage = await adapter.listContacts({ cursor: null });
    const page = await adapter.listConversations({ cursor: null });
    // Issue 11: the views' true counts, after the first pages (counting a large view competes
    // with them: IndexedDB counts keys one by one) and not waited for; the badges count the
    // rows meanwhile. Out of the first load as well.
    const counter = (core.counter = import('./view-counts.js').then(({ startCounting }) => {
      if (core.counter === counter) return startCounting(core, session.user, senders, users);
    }));
    const contacts = new Map<string, Contact>();
    for (const contact of contactPage.items) contacts.set(contact.phone, contact);
    const conversations = core.conversations;
    conversations.clear();
    core.views.clear();
    // Names first: the numbers of the page then join the search index with theirs.
    core.search.setNames((phone) => contactName(contacts.get(phone)));
    for (const c of page.items) {
      conversations.set(c.id, c);
      indexCustomer(core, c);
    }
    startPaging(core, page.nextCursor);
    const more = !!contactPage.nextCursor;
    store.setState((s) => ({
      ...s,
      status: 'ready',
      me: session.user,
      settings: session.settings,
      users: new Map(users.map((u) => [u.id, u])),
      senders: new Map(senders.map((x) => [x.id, x])),
      templates,
      contacts,
      // Events buffered while loading are applied on top by the next flush.
      conversations: new MapVersion(conversations),
      loadingMore: more,
    }));
    scheduleFlush(core);
    core.unwatch = adapter.watchOutbox?.((held) => onHeld(core, held)) ?? null;
    core.paging = more ? loadContacts(core, run, contactPage.nextCursor) : null;
    while (core.flushing) await core.flushing;
  } catch (cause) {
    core.unsubscribe?.();
    core.unsubscribe = null;
    const error = toDeskError(cause);
    store.setState((s) => ({ ...s, status: 'error', error }));
    throw error;
  }
}

/**
 * The contacts after the first page: gathered, then applied in one change (CT1), so the rows of
 * the pages to come show their names. A newer copy from an event wins (`updatedAt`).
 */
async function loadContacts(core: Core, run: number, contactCursor: string | null): Promise<void> {
  const { store, adapter } = core;
  const current = () => core.connects === run && stateOf(core).status === 'ready';
  try {
    const found: Contact[] = [];
    while (contactCursor && current()) {
      const page = await adapter.listContacts({ cursor: contactCursor });
      found.push(...page.items);
      contactCursor = page.nextCursor;
    }
    if (found.length && current()) {
      const contacts = new Map(stateOf(core).contacts);
      const phones: string[] = [];
      for (const contact of found) {
        const known = contacts.get(contact.phone);
        if (known && known.updatedAt > contact.updatedAt) continue;
        contacts.set(contact.phone, contact);
        phones.push(contact.phone);
      }
      renameRows(core, contacts, phones);
      store.setState((s) => ({ ...s, contacts }));
    }
  } catch (cause) {
    core.emitter.emit('error', { type: 'error', error: toDeskError(cause) });
  } finally {
    if (core.connects === run) {
      core.paging = null;
      store.setState((s) => (s.loadingMore ? { ...s, loadingMore: false } : s));
    }
  }
}

export function disconnect(core: Core): void {
  core.unsubscribe?.();
  core.unsubscribe = null;
  core.unwatch?.();
  core.unwatch = null;
  core.emitter.all.clear();
  core.store.setState((s) => ({ ...s, status: 'idle' }));
}

/**
 * Resolves once every server event received so far is applied, every page is loaded and the
 * views' counts are in.
 */
export async function idle(core: Core): Promise<void> {
  const counting = () => {
    const loaded = counter(core);
    return loaded ? loaded.running() : core.counter;
  };
  while (core.flushing || core.paging || counting()) {
    await core.paging;
    await core.flushing;
    await counting();
  }
}

/**
 * Opens a conversation: loads its latest messages and, for its owner, marks it read (RD1). An
 * admin looking at someone else's conversation only peeks (RD3).
 */
export async function open(core: Core, conversationId: string): Promise<Thread> {
  const user = me(core);
  const opened = conversation(core, conversationId);
  core.store.setState((s) => ({ ...s, openConversationId: conversationId }));
  let thread = stateOf(core).threads.get(conversationId);
  if (!thread?.loaded) {
    // Message events that arrive while the page loads are kept and replayed onto it.
    const buffered: ServerEvent[] = core.loading.get(conversationId) ?? [];
    core.loading.set(conversationId, buffered);
    let page: Page<Message>;
    try {
      page = await core.adapter.listMessages(conversationId, { limit: 50 });
    } finally {
      core.loading.delete(conversationId);
    }
    setThread(core, conversationId, (t) => {
      let next = withPage(t, page.items, page.nextCursor);
      for (const event of buffered) next = replay(next, event, opened.channel);
      return next;
    });
    showHeld(core, conversationId);
    thread = stateOf(core).threads.get(conversationId)!;
  }
  // RD1: a read mark the backend cannot take yet (offline) must not fail the open: the
  // conversation stays unread (the optimistic mark is put back) and is marked on a later open.
  if (readOnOpen(opened, user))
    await mark(core, [conversationId], true, 'owner').catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'network') throw error;
    });
  return thread;
}

/** Loads the previous page of a thread; resolves false at the start of the thread. */
export async function loadOlder(core: Core, conversationId: string): Promise<boolean> {
  const thread = stateOf(core).threads.get(conversationId);
  if (!thread?.loaded) {
    await open(core, conversationId);
    return true;
  }
  if (!thread.nextCursor) return false;
  const page = await core.adapter.listMessages(conversationId, {
    cursor: thread.nextCursor,
    limit: 50,
  });
  setThread(core, conversationId, (t) => withPage(t, page.items, page.nextCursor));
  return page.nextCursor !== null;
}
