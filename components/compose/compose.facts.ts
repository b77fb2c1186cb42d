import {
  careWindow,
  type CareWindow,
  type Channel,
  type Contact,
  type Conversation,
  type DeskState,
  type RecipientPolicy,
  type DeskClient,
  type SendTarget,
  type Template,
} from '../../src/index.js';
import type { NewConversationTarget } from './compose.types.js';
import type { DraftFields } from './draft.js';

/** The facts a compose box re-renders on. */
export type Selection = readonly [
  Conversation | undefined,
  DeskState['senders'],
  DeskState['templates'],
  Contact | undefined,
  DeskState['status'],
  // SN4–SN6 facts that change without a new message: a new verdict is asked when they do.
  RecipientPolicy | undefined,
  DeskState['settings'],
  // RT4: whether sending here makes me the owner.
  DeskState['me'],
];

export function selectFacts(
  s: DeskState,
  conversationId: string | undefined,
  newConversation: NewConversationTarget | undefined,
): Selection {
  const conversation = conversationId ? s.conversations.get(conversationId) : undefined;
  const customer = conversation?.customer ?? newConversation?.customer;
  const contact = customer ? s.contacts.get(customer) : undefined;
  const recipient = customer ? s.recipients.get(customer) : undefined;
  return [
    conversation,
    s.senders,
    s.templates,
    contact,
    s.status,
    recipient,
    s.settings,
    s.me,
  ] as const;
}

/** Everything the send guard's verdict depends on, as a string: a new key asks again. */
export function verdictKey(
  last: Selection | undefined,
  where: { conversationId: string | undefined; newConversation: NewConversationTarget | undefined },
  draft: DraftFields,
  windowOpen: boolean | null,
): string {
  const [conversation, , templates, contact, , recipient, settings] = last ?? [];
  return JSON.stringify([
    where.conversationId ?? null,
    where.conversationId ? null : (where.newConversation ?? null),
    draft.text,
    draft.templateId,
    draft.fieldValues,
    draft.media.map((m) => [m.fileName, m.mimeType, m.size]),
    conversation?.revision ?? null,
    contact?.updatedAt ?? null,
    templates?.length ?? 0,
    windowOpen,
    recipient ?? null,
    settings?.businessHours ?? null,
  ]);
}

/** Where a compose box sends: a conversation, or the new one it starts (SN1). */
export interface ComposeWhere {
  client: DeskClient | undefined;
  conversationId: string | undefined;
  newConversation: NewConversationTarget | undefined;
}

/**
 * What the compose box reads from the desk about where it sends; the rules themselves stay in
 * the SDK (careWindow, previewTemplate).
 */
export class ComposeFacts {
  readonly #where: () => ComposeWhere;

  constructor(where: () => ComposeWhere) {
    this.#where = where;
  }

  get conversation(): Conversation | undefined {
    const { client, conversationId } = this.#where();
    return conversationId ? client?.getState().conversations.get(conversationId) : undefined;
  }

  /** The new conversation being started, when not replying in one. */
  get #new(): NewConversationTarget | undefined {
    const { conversationId, newConversation } = this.#where();
    return conversationId ? undefined : newConversation;
  }

  target(): SendTarget | undefined {
    const { conversationId } = this.#where();
    if (conversationId) return { conversationId };
    const n = this.#new;
    if (!n?.senderId || !n.customer) return undefined;
    // SN1: the name typed fills merge fields until the contact is saved.
    return { senderId: n.senderId, customer: n.customer, ...(n.name && { name: n.name }) };
  }

  channel(): Channel | undefined {
    const conversation = this.conversation;
    if (conversation) return conversation.channel;
    const senderId = this.#new?.senderId;
    return senderId ? this.#where().client?.getState().senders.get(senderId)?.channel : undefined;
  }

  /** SN3: the care window of the conversation, or of the one a new message would join. */
  careWindow(): CareWindow | undefined {
    const { client } = this.#where();
    const channel = this.channel();
    if (!client || !channel) return undefined;
    let conversation = this.conversation;
    const n = this.#new;
    if (!conversation && n) conversation = client.findConversation(n.senderId, n.customer);
    return careWindow(channel, conversation?.lastIncomingAt, client.clock.now());
  }

  /** RT4: an outgoing message makes its sender the owner; true when that would change it. */
  notOwner(): boolean {
    const conversation = this.conversation;
    const me = this.#where().client?.getState().me;
    return !!conversation && !!me && conversation.ownerId !== me.id;
  }

  template(id: string | null): Template | undefined {
    return id
      ? this.#where()
          .client?.getState()
          .templates.find((t) => t.id === id)
      : undefined;
  }

  /** SN2: the template filled for this customer, and the merge fields still missing. */
  preview(
    templateId: string,
    values?: Readonly<Record<string, string>>,
  ): { text: string; missing: string[] } | undefined {
    const { client } = this.#where();
    const customer = this.conversation?.customer ?? this.#where().newConversation?.customer;
    if (!client || !customer) return undefined;
    const name = this.#new?.name;
    try {
      return client.previewTemplate(templateId, customer, {
        ...(name && { name }),
        ...(values && { values }),
      });
    } catch {
      return undefined;
    }
  }
}
