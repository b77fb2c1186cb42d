/** Server events: queued, applied in one state change per burst, caught up after a reset. */
import type { ServerEvent } from '../adapter.js';
import type { DeskEvent } from '../events.js';
import { applyStatus } from '../rules/status.js';
import { MapVersion } from '../versioned-map.js';
import type { AccountSettings, Contact, RecipientPolicy } from '../types.js';
import {
  all,
  copyState,
  toDeskError,
  counter,
  type Core,
  type DeskState,
  type Thread,
  stateOf,
} from './state.js';
import { withMessage } from './thread.js';
import { putConversation, renameRows } from './views.js';

/** What one flush changes besides the conversations map (which changes in place). */
interface Draft {
  prev: DeskState;
  conversations: boolean;
  threads: Map<string, Thread> | null;
  contacts: Map<string, Contact> | null;
  unseen: number;
  emits: DeskEvent[];
  /** Numbers whose contact name changed (CT1): their rows are renamed. */
  renamed: Set<string> | null;
  recipients?: Map<string, RecipientPolicy>;
  settings?: AccountSettings;
}

export function enqueue(core: Core, event: ServerEvent): void {
  core.queue.push(event);
  scheduleFlush(core);
}

/** One state change per burst of events: many events cost one copy of the maps. */
export function scheduleFlush(core: Core): void {
  // Events that arrive while connecting wait for the loaded snapshot, then apply on top of it.
  if (stateOf(core).status !== 'ready' || core.queue.length === 0) return;
  core.flushing ??= Promise.resolve().then(() => flush(core));
}

function flush(core: Core): void {
  const events = core.queue;
  core.queue = [];
  core.flushing = null;
  const prev = stateOf(core);
  if (prev.status !== 'ready') return;
  const draft: Draft = {
    prev,
    conversations: false,
    threads: null,
    contacts: null,
    unseen: prev.unseenNotifications,
    emits: [],
    // Made when an event needs them: a lone incoming message allocates as little as it can.
    renamed: null,
  };
  for (const event of events) {
    try {
      apply(core, event, draft);
    } catch (cause) {
      // One malformed event must not stop the others.
      draft.emits.push({ type: 'error', error: toDeskError(cause) });
    }
  }
  if (draft.contacts) renameRows(core, draft.contacts, draft.renamed ?? []);
  const next = copyState(prev);
  if (draft.conversations) next.conversations = new MapVersion(core.conversations);
  if (draft.threads) next.threads = draft.threads;
  if (draft.contacts) next.contacts = draft.contacts;
  next.unseenNotifications = draft.unseen;
  if (draft.recipients) next.recipients = draft.recipients;
  if (draft.settings) next.settings = draft.settings;
  core.store.setState(next);
  for (const event of draft.emits) core.emitter.emit(event.type, event as never);
}

/** Whether anyone listens to `type`: an event nobody hears is not even made. */
function heard(core: Core, type: DeskEvent['type']): boolean {
  const all = core.emitter.all;
  return !!all.get(type)?.length || !!all.get('*')?.length;
}

function thread(draft: Draft, id: string): Thread | undefined {
  return (draft.threads ?? draft.prev.threads).get(id);
}

function setThread(draft: Draft, id: string, t: Thread): void {
  (draft.threads ??= new Map(draft.prev.threads)).set(id, t);
}

function apply(core: Core, event: ServerEvent, draft: Draft): void {
  const { prev, emits } = draft;
  switch (event.type) {
    case 'message.created': {
      // Kept for SN7 statuses of threads not open: only sent messages get statuses.
      if (event.message.direction === 'out') core.messages.set(event.message.id, event.message);
      counter(core)?.event(event);
      if (putConversation(core, event.conversation)) draft.conversations = true;
      const id = event.message.conversationId;
      const t = thread(draft, id);
      if (t) setThread(draft, id, withMessage(t, event.message));
      else core.loading.get(id)?.push(event);
      const type = event.message.direction === 'in' ? 'message.incoming' : 'message.outgoing';
      if (heard(core, type))
        emits.push({ type, message: event.message, conversation: event.conversation });
      break;
    }
    case 'message.status': {
      const t = thread(draft, event.conversationId);
      const message = t?.get(event.messageId);
      const channel = core.conversations.get(event.conversationId)?.channel ?? 'sms';
      if (!message) core.loading.get(event.conversationId)?.push(event);
      // SN7 for a thread not open too: the copy outside the threads moves on.
      const known = message ?? core.messages.get(event.messageId);
      if (known) {
        const next = applyStatus(known, event, channel);
        if (next !== known) {
          if (t && message) setThread(draft, event.conversationId, withMessage(t, next));
          if (core.messages.has(next.id)) core.messages.set(next.id, next);
          emits.push({
            type: 'message.status',
            message: next,
            conversationId: event.conversationId,
          });
        }
      }
      break;
    }
    case 'conversation.updated':
    case 'conversation.assigned':
      counter(core)?.event(event);
      if (putConversation(core, event.conversation)) draft.conversations = true;
      if (event.type === 'conversation.assigned') emits.push({ ...event });
      break;
    case 'contact.saved': {
      const contacts = (draft.contacts ??= new Map(prev.contacts));
      const current = contacts.get(event.contact.phone);
      if (!current || current.updatedAt <= event.contact.updatedAt) {
        for (const [phone, c] of contacts) {
          if (c.id !== event.contact.id) continue;
          contacts.delete(phone);
          (draft.renamed ??= new Set()).add(phone);
        }
        contacts.set(event.contact.phone, event.contact);
        (draft.renamed ??= new Set()).add(event.contact.phone);
      }
      emits.push({ type: 'contact.saved', contact: event.contact });
      break;
    }
    case 'recipient.updated':
      draft.recipients ??= new Map(prev.recipients);
      draft.recipients.set(event.recipient.phone, event.recipient);
      break;
    case 'settings.updated':
      draft.settings = event.settings;
      break;
    case 'reset':
      counter(core)?.recount();
      void Promise.resolve().then(() => catchUp(core));
      break;
    case 'notification':
      if (event.userId === prev.me?.id) {
        emits.push({
          type: 'notification',
          kind: event.kind,
          conversationId: event.conversationId,
          at: event.at,
          unseen: ++draft.unseen,
        });
      }
      break;
  }
}

/** After a reset: the inbox and the loaded threads again, with what the missed events raised. */
async function catchUp(core: Core): Promise<void> {
  const me = stateOf(core).me;
  if (!me) return;
  try {
    // Loaded on the first reset only: out of the client's first load.
    const [fresh, { catchUpEvents, pagesSince, threadChanges }] = await Promise.all([
      all((cursor) => core.adapter.listConversations({ cursor })),
      import('../offline/changes.js'),
    ]);
    const events = catchUpEvents(me, stateOf(core).conversations, fresh);
    const byId = new Map(fresh.map((c) => [c.id, c]));
    for (const [id, thread] of stateOf(core).threads) {
      const conversation = byId.get(id);
      if (!thread.loaded || !conversation) continue;
      const page = await pagesSince(core.adapter, id, thread.items);
      events.push(...threadChanges(conversation, stateOf(core).threads.get(id)!.items, page.items));
    }
    for (const event of events) enqueue(core, event);
  } catch (cause) {
    core.emitter.emit('error', { type: 'error', error: toDeskError(cause) });
  }
}
