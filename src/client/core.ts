/**
 * A new client's `Core`: its empty state and the private parts its modules share, built in one
 * place so the client class stays its public face.
 */
import mitt from 'mitt';
import { systemClock } from '../clock.js';
import { EMPTY_OUTBOX } from '../client-offline.js';
import { Store } from '../store.js';
import { MapVersion } from '../versioned-map.js';
import type { Core, DeskClientOptions, DeskState } from './state.js';

export function createCore(options: DeskClientOptions): Core {
  const store = new Store<DeskState>({
    status: 'idle',
    error: null,
    me: null,
    settings: null,
    users: new Map(),
    senders: new Map(),
    templates: [],
    contacts: new Map(),
    conversations: new MapVersion(new Map()),
    threads: new Map(),
    openConversationId: null,
    unseenNotifications: 0,
    recipients: new Map(),
    outbox: EMPTY_OUTBOX,
    loadingMore: false,
    viewCounts: 0,
  });
  return {
    store,
    adapter: options.adapter,
    emitter: mitt(),
    clock: options.clock ?? systemClock,
    createKey: options.createKey ?? (() => globalThis.crypto.randomUUID()),
    byCustomer: new Map(),
    conversations: new Map(),
    views: new Map(),
    search: null,
    contactsDraft: null,
    queue: [],
    flushing: null,
    paging: null,
    counter: null,
    connects: 0,
    unsubscribe: null,
    unwatch: null,
    held: [],
    pendingRequests: new Map(),
    loading: new Map(),
    messages: new Map(),
  };
}
