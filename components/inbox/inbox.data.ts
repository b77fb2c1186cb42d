import type { DeskState } from '../../src/index.js';

export interface ConversationSelectDetail {
  conversationId: string;
}
export interface AssignRequestDetail {
  conversationIds: string[];
}
export interface SelectionChangeDetail {
  conversationIds: string[];
}

/** The parts of the state the list depends on, as one value that changes only when they do. */
export function listSelector() {
  type Slice = 'conversations' | 'contacts' | 'me' | 'users' | 'senders' | 'recipients' | 'status';
  let last: Pick<DeskState, Slice> | null = null;
  return (s: DeskState) => {
    if (
      last &&
      last.recipients === s.recipients &&
      last.status === s.status &&
      last.conversations === s.conversations &&
      last.contacts === s.contacts &&
      last.me === s.me &&
      last.users === s.users &&
      last.senders === s.senders
    ) {
      return last;
    }
    return (last = {
      conversations: s.conversations,
      contacts: s.contacts,
      me: s.me,
      users: s.users,
      senders: s.senders,
      recipients: s.recipients,
      status: s.status,
    });
  };
}
