/**
 * `withTabLeader(adapter, { scope })`: the desk open in several tabs of one browser shares the
 * adapter's events over a BroadcastChannel.
 * - `mode: 'leader'` (default, for a server's event feed): one tab, elected with a Web Lock,
 *   subscribes to the adapter and relays every event; the others only listen. When the leader
 *   goes away the next tab takes over, resuming after the last event id it saw.
 * - `mode: 'share'` (for a backend that runs in each tab, like the embedded one): every tab
 *   subscribes to its own adapter and relays what happened there, so a second tab sees an
 *   assignment made in the first.
 * Events with an id reach the listeners once. Without Web Locks or BroadcastChannel (Node), the
 * layer passes everything through.
 */
import type {
  BackendAdapter,
  EventListener,
  EventMeta,
  ServerEvent,
  SubscribeOptions,
} from '../adapter.js';
import { Layer } from './layer.js';
import { Leadership, type TabMessage } from './tabs.js';

export interface TabLeaderOptions {
  /**
   * Tabs with the same scope share events. Include what separates desks in one browser: the
   * backend's address and, for `share`, the signed-in user (events are that user's).
   */
  scope: string;
  mode?: 'leader' | 'share';
}

export type TabRole = 'standalone' | 'leader' | 'follower' | 'idle';

const SEEN_IDS = 2000;

export function withTabLeader(adapter: BackendAdapter, options: TabLeaderOptions): TabLeader {
  return new TabLeader(adapter, options);
}

export class TabLeader extends Layer {
  readonly #options: TabLeaderOptions;
  readonly #listeners = new Set<EventListener>();
  readonly #seen = new Set<string>();
  #lastId = '';
  #onPosition: ((id: string) => void) | undefined;
  #leadership: Leadership<ServerEvent> | null = null;
  #channel: BroadcastChannel | null = null;
  #unsubscribe: (() => void) | null = null;
  #active = false;

  constructor(inner: BackendAdapter, options: TabLeaderOptions) {
    super(inner);
    this.#options = options;
  }

  /** `standalone`: no coordination (or `share`); `leader`/`follower`; `idle`: no subscriber. */
  get role(): TabRole {
    if (!this.#active) return 'idle';
    if (this.#leadership) return this.#leadership.leader ? 'leader' : 'follower';
    return 'standalone';
  }

  /** The last event id this tab saw, from its own feed or relayed: where a takeover resumes. */
  get lastEventId(): string {
    return this.#lastId;
  }

  override subscribe(listener: EventListener, options?: SubscribeOptions): () => void {
    this.#listeners.add(listener);
    if (!this.#active) this.#start(options);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  override async close(): Promise<void> {
    this.#stop();
    await super.close();
  }

  #start(options?: SubscribeOptions): void {
    this.#active = true;
    this.#lastId ||= options?.after ?? '';
    this.#onPosition = options?.onPosition;
    const subscribe = (relay: boolean) => {
      this.#unsubscribe = this.inner.subscribe(
        (event, meta) => {
          if (this.#deliver(event, meta) && relay)
            this.#post({ kind: 'event', event, id: meta?.id });
        },
        {
          ...(this.#lastId && { after: this.#lastId }),
          onPosition: (id) => {
            this.#position(id);
            if (relay) this.#post({ kind: 'cursor', id });
          },
        },
      );
    };
    if (!Leadership.supported) {
      subscribe(false);
    } else if (this.#options.mode === 'share') {
      this.#channel = new BroadcastChannel(`converse-desk-share:${this.#options.scope}`);
      this.#channel.onmessage = (message: MessageEvent<TabMessage<ServerEvent>>) =>
        this.#onMessage(message.data);
      subscribe(true);
    } else {
      this.#leadership = new Leadership<ServerEvent>({
        name: `converse-desk-events:${this.#options.scope}`,
        onLeader: () => subscribe(true),
        onMessage: (message) => this.#onMessage(message),
      });
      this.#leadership.start();
    }
  }

  #stop(): void {
    this.#active = false;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#leadership?.stop();
    this.#leadership = null;
    this.#channel?.close();
    this.#channel = null;
  }

  #post(message: TabMessage<ServerEvent>): void {
    if (this.#leadership) this.#leadership.post(message);
    else this.#channel?.postMessage(message);
  }

  #onMessage(message: TabMessage<ServerEvent>): void {
    if (message?.kind === 'event') this.#deliver(message.event, { id: message.id });
    else if (message?.kind === 'cursor') this.#position(message.id);
  }

  /** The resume point moved without an event: a tab taking over starts from there. */
  #position(id: string): void {
    this.#lastId = id;
    this.#onPosition?.(id);
  }

  /** To this tab's listeners, once per event id. */
  #deliver(event: ServerEvent, meta?: EventMeta): boolean {
    const id = meta?.id;
    if (id) {
      if (this.#seen.has(id)) return false;
      this.#seen.add(id);
      if (this.#seen.size > SEEN_IDS) this.#seen.delete(this.#seen.values().next().value!);
      this.#lastId = id;
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, id ? { id } : undefined);
      } catch {
        // One failing listener must not stop the others.
      }
    }
    return true;
  }
}
