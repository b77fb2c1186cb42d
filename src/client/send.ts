/**
 * Sending's commands (SN1–SN8): the guard before Send, the optimistic copy, retries. Loaded by the
 * client on its first send or check (with the engine's prepareSend), out of the first load.
 */
import type { SendContent, SendRequest, SendResult } from '../adapter.js';
import { DeskError } from '../errors.js';
import { toE164 } from '../phone.js';
import { assertCanSend } from '../rules/permissions.js';
import { assertSendable } from '../rules/verdict.js';
import { retryMessage } from '../rules/status.js';
import { splitName } from '../rules/views.js';
import { MapVersion } from '../versioned-map.js';
import type { Message } from '../types.js';
import { saveContact } from './people.js';
import { findMessage, recipient } from './sending.js';
import {
  conversation,
  me,
  sender,
  setThread,
  toDeskError,
  typedContact,
  type Core,
  type SendTarget,
  type StartConversationInput,
  type StartedConversation,
  stateOf,
} from './state.js';
import { withMessage, withoutMessage } from './thread.js';
import { findConversation, putConversation } from './views.js';

/** Target resolution, permission and the send guard: the engine's own function (prepare.ts). */
export async function prepare(core: Core, target: SendTarget, content: SendContent) {
  const user = me(core);
  const state = stateOf(core);
  // Loaded on the first send or check: valibot and the engine stay out of the first load.
  const [{ parseInput, SendContentSchema }, { prepareSend }] = await Promise.all([
    import('../engine/input.js'),
    import('../engine/prepare.js'),
  ]);
  return prepareSend(
    user,
    target,
    parseInput(SendContentSchema, content, 'content'),
    {
      conversation: (id) => state.conversations.get(id),
      findConversation: (senderId, customer) => findConversation(core, senderId, customer),
      sender: (id) => state.senders.get(id),
      template: (id) => state.templates.find((t) => t.id === id),
      contact: (phone) => state.contacts.get(phone) ?? typedContact(target, phone),
      recipient: (phone) => recipient(core, phone),
      settings: () => state.settings ?? undefined,
    },
    core.clock.now(),
  );
}

/** SN1: a new conversation (or the existing one on that sender ID with that number, C1). */
export async function startConversation(
  core: Core,
  input: StartConversationInput,
): Promise<StartedConversation> {
  const customer = await toE164(input);
  const from = sender(core, input.senderId);
  assertCanSend(me(core), from);
  const name = input.name?.trim();
  const { verdict } = await prepare(
    core,
    { senderId: from.id, customer, ...(name && { name }) },
    input.content,
  );
  assertSendable(verdict);
  if (name && !stateOf(core).contacts.has(customer)) {
    await saveContact(core, { phone: customer, ...splitName(name) });
  }
  const message = await send(core, { senderId: from.id, customer }, input.content);
  return { message, conversation: conversation(core, message.conversationId) };
}

export async function send(core: Core, target: SendTarget, content: SendContent): Promise<Message> {
  const {
    sender: from,
    conversation: existing,
    customer,
    verdict,
  } = await prepare(core, target, content);
  assertSendable(verdict);
  const request: SendRequest = {
    // A new conversation's first message tried again while it waits keeps its key (one message).
    idempotencyKey: (!existing && heldKey(core, from.id, customer, content)) || core.createKey(),
    target: existing ? { conversationId: existing.id } : { senderId: from.id, customer },
    content,
  };
  return deliver(core, request, existing?.id);
}

/** Shows the message at once as queued, then replaces it with the backend's copy. */
async function deliver(
  core: Core,
  request: SendRequest,
  conversationId: string | undefined,
): Promise<Message> {
  const local = conversationId ? localMessage(core, request, conversationId) : undefined;
  if (local) setThread(core, local.conversationId, (t) => withMessage(t, local));
  let result: SendResult;
  try {
    result = await core.adapter.send(request);
  } catch (cause) {
    const error = toDeskError(cause);
    if (local && error.details.queued === true) {
      // Held by the offline layer: it arrives later as `message.created`.
      const queued = { ...local, queueReason: 'offline' as const };
      setThread(core, local.conversationId, (t) =>
        withMessage(withoutMessage(t, local.id), queued),
      );
      return queued;
    }
    if (local && error.code === 'network') {
      // Kept, not dropped: retry() sends it again under the same idempotency key.
      core.pendingRequests.set(local.id, request);
      setThread(core, local.conversationId, (t) =>
        withMessage(t, {
          ...local,
          status: 'failed',
          failureReason: 'network',
          statusTimes: { ...local.statusTimes, failed: core.clock.now() },
        }),
      );
    } else if (local) {
      setThread(core, local.conversationId, (t) => withoutMessage(t, local.id));
    }
    throw error;
  }
  core.pendingRequests.delete(local?.id ?? '');
  applySendResult(core, result, local?.id);
  return result.message;
}

function localMessage(core: Core, request: SendRequest, conversationId: string): Message {
  const now = core.clock.now();
  return {
    id: `local:${request.idempotencyKey}`,
    conversationId,
    direction: 'out',
    text: request.content.text ?? '',
    media: request.content.media ?? [],
    sentBy: me(core).id,
    status: 'queued',
    queueReason: 'network',
    statusTimes: { queued: now },
    attempt: 1,
    idempotencyKey: request.idempotencyKey,
    createdAt: now,
  };
}

/** The key of a held, waiting first message to that number with that content, if any. */
function heldKey(
  core: Core,
  senderId: string,
  customer: string,
  content: SendContent,
): string | undefined {
  return core.held.find(
    (h) =>
      h.state === 'waiting' &&
      'senderId' in h.request.target &&
      h.request.target.senderId === senderId &&
      h.request.target.customer === customer &&
      JSON.stringify(h.request.content) === JSON.stringify(content),
  )?.key;
}

function applySendResult(core: Core, result: SendResult, localId?: string): void {
  core.messages.set(result.message.id, result.message);
  core.store.setState((s) => {
    const changed = putConversation(core, result.conversation);
    const conversations = changed ? new MapVersion(core.conversations) : s.conversations;
    const threads = new Map(s.threads);
    const thread = threads.get(result.message.conversationId);
    const base = localId && thread ? withoutMessage(thread, localId) : thread;
    threads.set(result.message.conversationId, withMessage(base, result.message));
    return { ...s, conversations, threads };
  });
}

/** SN7: a failed message is sent again. Never sends twice: the backend dedupes on the key. */
export async function retry(core: Core, messageId: string): Promise<Message> {
  const pending = core.pendingRequests.get(messageId);
  if (pending) {
    const conversationId = findMessage(core, messageId)?.conversationId;
    setThread(core, conversationId!, (t) => withoutMessage(t, messageId));
    return deliver(core, pending, conversationId);
  }
  const message = findMessage(core, messageId);
  if (!message)
    throw new DeskError('not_found', `Unknown message ${messageId}.`, { details: { messageId } });
  retryMessage(message, core.clock.now()); // throws not_retryable unless failed
  const c = conversation(core, message.conversationId);
  assertCanSend(me(core), sender(core, c.senderId), c);
  const result = await core.adapter.retry(messageId, core.createKey());
  applySendResult(core, result);
  return result.message;
}
