import type { Message, SendContent } from '../../src/index.js';

/** The new conversation a compose box starts (SN1), instead of replying in one. */
export interface NewConversationTarget {
  senderId: string;
  /** The customer's number, E.164. */
  customer: string;
  /** SN1: the full name typed; saved as a contact when the number is not one yet. */
  name?: string;
}

export interface ComposeSendDetail {
  content: SendContent;
}

export interface ComposeSentDetail {
  message: Message;
}
