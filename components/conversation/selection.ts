import type { Contact, Conversation, DeskState, RecipientPolicy, Thread } from '../../src/index.js';

/** What `<cd-conversation>` reads from the desk state: it re-renders only when one of these changes. */
export type Selection = readonly [
  Conversation | undefined,
  Thread | undefined,
  Contact | undefined,
  DeskState['me'],
  DeskState['senders'],
  DeskState['users'],
  DeskState['status'],
  RecipientPolicy | undefined,
];

/** The selection of conversation `id`; `last` again when nothing in it changed. */
export function select(s: DeskState, id: string | undefined, last?: Selection): Selection {
  const conversation = id ? s.conversations.get(id) : undefined;
  const thread = id ? s.threads.get(id) : undefined;
  const contact = conversation ? s.contacts.get(conversation.customer) : undefined;
  const recipient = conversation ? s.recipients.get(conversation.customer) : undefined;
  const next = [
    conversation,
    thread,
    contact,
    s.me,
    s.senders,
    s.users,
    s.status,
    recipient,
  ] as const;
  if (last && next.every((v, i) => v === last[i])) return last;
  return next;
}
