/**
 * The three subjects of bench/compare-stream-chat.ts, each fed the same incoming messages
 * (bench/client-scale.ts `incoming`) through the entry point its real event source uses, and each
 * with an inbox that reads its unread badge and first 50 rows once per task after the events.
 */
import { StreamChat, type ChannelAPIResponse, type Event, type UserResponse } from 'stream-chat';
import type { ServerEvent } from '../src/adapter.js';
import { createDeskClient } from '../src/index.js';
import { adapterOver, scaleConversation } from './client-scale.js';

export interface Subject {
  /** Hands over one event as the subject's event source would (adapter listener, websocket, ...). */
  deliver(event: ServerEvent): void;
  /** Waits until every delivered event is applied and read. */
  settle(): Promise<void>;
  /** Throws unless the last delivered event's conversation is the first row, unread. */
  check(last: ServerEvent): void;
  /** Rows the inbox read so far: proves the reader ran. */
  reads(): number;
  close(): void;
}

const FIRST_PAGE = 50;
const target = (event: ServerEvent) =>
  event.type === 'message.created' ? event.message.conversationId : '';

/** (a) Our DeskClient holding every conversation; the reader is what `<cd-inbox>` does. */
export async function deskSubject(conversationCount: number): Promise<Subject> {
  const conversations = Array.from({ length: conversationCount }, (_, i) =>
    scaleConversation(i, i),
  );
  const { adapter, push } = adapterOver(conversations);
  const client = createDeskClient({ adapter });
  await client.connect();
  const mine = { kind: 'mine' } as const;
  let read = 0;
  client.subscribe(() => {
    const view = client.view(mine);
    read += Math.sign(view.unread) + view.slice(0, FIRST_PAGE).length;
  });
  client.view(mine);
  return {
    deliver: push,
    settle: () => client.idle(),
    check(last) {
      const row = client.view(mine).rows[0]!.conversation;
      if (row.id !== target(last) || !row.unread) throw new Error('desk: not applied');
    },
    reads: () => read,
    close: () => client.disconnect(),
  };
}

/** Runs `read` once in the microtask after a task's events, as a UI framework renders once. */
function oncePerTask(read: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      read();
    });
  };
}

const agent: UserResponse = { id: 'admin', name: 'Admin', role: 'user' };
const customer = (conversationId: string): UserResponse => ({
  id: `k-${conversationId}`,
  name: `Customer ${conversationId}`,
  role: 'user',
});
/** A `messaging` channel type's config as the server sends it; no delivery receipts (no HTTP). */
const config = {
  name: 'messaging',
  reminders: false,
  read_events: true,
  typing_events: true,
  connect_events: true,
  delivery_events: false,
  replies: true,
  reactions: true,
  uploads: true,
  mutes: true,
  search: true,
  url_enrichment: false,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};
const iso = (ms: number) => new Date(ms).toISOString();

function messageResponse(id: string, text: string, conversationId: string, at: number) {
  const user = customer(conversationId);
  return {
    id,
    text,
    html: `<p>${text}</p>\n`,
    type: 'regular' as const,
    cid: `messaging:${conversationId}`,
    user,
    attachments: [],
    latest_reactions: [],
    own_reactions: [],
    reaction_counts: {},
    reaction_scores: {},
    reply_count: 0,
    deleted_reply_count: 0,
    mentioned_users: [],
    silent: false,
    shadowed: false,
    pinned: false,
    pinned_at: null,
    pin_expires: null,
    created_at: iso(at),
    updated_at: iso(at),
  };
}

/** One channel of a queryChannels answer (message_limit 1: the preview's last message). */
function channelResponse(i: number): ChannelAPIResponse {
  const id = `c${i}`;
  const conversation = scaleConversation(i, i);
  const at = conversation.lastActivityAt;
  const member = (user: UserResponse) => ({
    user,
    user_id: user.id,
    role: 'member',
    channel_role: 'channel_member',
    created_at: iso(0),
    updated_at: iso(0),
  });
  return {
    channel: {
      id,
      type: 'messaging',
      cid: `messaging:${id}`,
      config,
      created_at: iso(0),
      updated_at: iso(0),
      last_message_at: iso(at),
      member_count: 2,
      frozen: false,
      disabled: false,
      own_capabilities: ['read-events', 'send-message'],
    },
    members: [member(agent), member(customer(id))],
    membership: member(agent),
    messages: [messageResponse(`first-${id}`, 'Hello', id, at)],
    pinned_messages: [],
    read: [
      {
        user: agent,
        last_read: iso(conversation.unread ? at - 1 : at),
        unread_messages: conversation.unread ? 1 : 0,
      },
    ],
    watcher_count: 0,
    watchers: [],
  } as unknown as ChannelAPIResponse;
}

/** The websocket payload of `message.new` for one of our incoming messages. */
export function messageNew(event: ServerEvent, unreadChannels: number): Event {
  if (event.type !== 'message.created') throw new Error('an incoming message only');
  const { id, text, conversationId, createdAt } = event.message;
  return {
    type: 'message.new',
    cid: `messaging:${conversationId}`,
    channel_id: conversationId,
    channel_type: 'messaging',
    channel_member_count: 2,
    message_id: id,
    message: messageResponse(id, text ?? '', conversationId, createdAt),
    user: customer(conversationId),
    created_at: iso(createdAt),
    watcher_count: 0,
    total_unread_count: unreadChannels,
    unread_channels: unreadChannels,
    unread_count: unreadChannels,
  } as Event;
}

/**
 * (b) stream-chat's StreamChat client: a user set as `connectUser` sets it (no socket), then its
 * ChannelManager (the sorted list stream-chat-react's ChannelList shows) runs the real
 * `client.queryChannels` path, hydrating every channel from one HTTP answer (served in process).
 * Events go through `client.dispatchEvent`, which the websocket's `onmessage` calls.
 */
export async function streamChatSubject(channelCount: number): Promise<Subject> {
  const client = new StreamChat('bench-key', { timeout: 60_000 });
  // connectUser() without the socket: the user and token, then the socket's first message.
  client._setToken(agent, client.devToken(agent.id));
  client._setUser(agent);
  const me = {
    ...agent,
    ...{ channel_mutes: [], mutes: [], blocked_user_ids: [], devices: [] },
    ...{ total_unread_count: 0, unread_channels: 0, unread_count: 0, unread_threads: 0 },
  };
  client.wsPromise = Promise.resolve({ connection_id: 'bench', me } as never);
  client.dispatchEvent({ type: 'health.check', connection_id: 'bench', me } as Event);
  const channels = Array.from({ length: channelCount }, (_, k) =>
    channelResponse(channelCount - 1 - k),
  );
  client.axiosInstance.defaults.adapter = async (request) => ({
    data: { channels, duration: '1ms' },
    status: 200,
    statusText: 'OK',
    headers: {},
    config: request,
  });
  const manager = client.createChannelManager({});
  manager.registerSubscriptions();
  await manager.queryChannels(
    { type: 'messaging', members: { $in: [agent.id] } },
    { last_message_at: -1 },
    { limit: channelCount, message_limit: 1 },
  );
  const { channels: listed, error } = manager.state.getLatestValue();
  if (error || listed.length !== channelCount) throw new Error(`stream-chat: ${error}`);
  let unreadChannels = 0;
  let read = 0;
  // What a ChannelList with ChannelPreviews reads: the list's first page, each preview's unread
  // count and last message; the badge is the server's `unread_channels` carried by the event.
  const render = oncePerTask(() => {
    const first = manager.state.getLatestValue().channels.slice(0, FIRST_PAGE);
    read += Math.sign(unreadChannels);
    for (const channel of first) {
      const last = channel.state.latestMessages[channel.state.latestMessages.length - 1];
      if (last) read += 1 + Math.sign(channel.countUnread());
    }
  });
  client.on('message.new', (event) => {
    unreadChannels = event.unread_channels ?? unreadChannels;
    render();
  });
  let unread = channels.filter((c) => c.read?.[0]?.unread_messages).length;
  return {
    deliver: (event) => client.dispatchEvent(messageNew(event, ++unread)),
    settle: async () => undefined,
    check(last) {
      const first = manager.state.getLatestValue().channels[0]!;
      if (first.id !== target(last) || first.countUnread() === 0)
        throw new Error('stream-chat: not applied');
    },
    reads: () => read,
    close: () => {
      manager.unregisterSubscriptions();
      for (const cid of Object.keys(client.activeChannels)) delete client.activeChannels[cid];
    },
  };
}

interface Row {
  id: string;
  unread: boolean;
  text: string;
  prev: Row | null;
  next: Row | null;
}

/**
 * (c) The plain JavaScript limit, the least any client must do: a Map lookup, the row moved to the
 * front of a list ordered by activity (an incoming message is the newest, so the front is its
 * place: a linked list does it in O(1)), its preview and an unread counter, and the same reader.
 */
export function floorSubject(conversationCount: number): Subject {
  const rows = new Map<string, Row>();
  let head: Row | null = null;
  let unread = 0;
  for (let i = 0; i < conversationCount; i++) {
    const row: Row = { id: `c${i}`, unread: i % 3 === 0, text: '', prev: null, next: head };
    if (head) head.prev = row;
    head = row;
    rows.set(row.id, row);
    if (row.unread) unread++;
  }
  let read = 0;
  const render = oncePerTask(() => {
    read += Math.sign(unread);
    for (let row = head, k = 0; row && k < FIRST_PAGE; row = row.next, k++)
      read += row.unread ? 2 : 1;
  });
  return {
    deliver(event) {
      if (event.type !== 'message.created') return;
      const row = rows.get(event.message.conversationId);
      if (!row) return;
      row.text = event.message.text ?? '';
      if (!row.unread) {
        row.unread = true;
        unread++;
      }
      if (row !== head) {
        row.prev!.next = row.next;
        if (row.next) row.next.prev = row.prev;
        row.prev = null;
        row.next = head;
        head!.prev = row;
        head = row;
      }
      render();
    },
    settle: async () => undefined,
    check(last) {
      if (!head || head.id !== target(last) || !head.unread) throw new Error('floor: not applied');
    },
    reads: () => read,
    close: () => rows.clear(),
  };
}
