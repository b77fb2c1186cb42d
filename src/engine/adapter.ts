/** A `BackendAdapter` for one signed-in user over an engine in the same process. */
import type { BackendAdapter, ServerEvent } from '../adapter.js';
import type { User } from '../types.js';
import { eventFor, reaches } from './audience.js';
import type { DeskEngine } from './engine.js';

export function engineAdapter(engine: DeskEngine, user: User): BackendAdapter {
  const id = user.id;
  return {
    session: () => engine.session(id),
    listUsers: () => engine.listUsers(),
    listSenderIds: () => engine.listSenderIds(),
    listTemplates: () => engine.listTemplates(),
    listContacts: (query) => engine.listContacts(query),
    searchContacts: (text, limit) => engine.searchContacts(text, limit),
    getRecipient: (phone) => engine.getRecipient(phone),
    listConversations: (query) => engine.listConversations(id, query),
    countViews: (views) => engine.countViews(id, views),
    listMessages: (conversationId, query) => engine.listMessages(id, conversationId, query),
    send: (request) => engine.send(id, request),
    retry: (messageId, key) => engine.retry(id, messageId, key),
    markRead: (ids, read, mode) => engine.markRead(id, ids, read, mode),
    assign: (ids, assigneeId) => engine.assign(id, ids, assigneeId),
    createContact: (input) => engine.createContact(input),
    updateContact: (contactId, patch) => engine.updateContact(contactId, patch),
    subscribe(listener: (event: ServerEvent) => void) {
      return engine.onEvent(({ event, audience }) => {
        if (reaches(audience, user)) listener(eventFor(event, id));
      });
    },
  };
}
