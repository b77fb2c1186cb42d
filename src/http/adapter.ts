/**
 * `createHttpAdapter`: the HTTP protocol adapter (./protocol-adapter.ts) wrapped in the offline
 * layers of `converse-desk/offline`, outermost first: the outbox (sends written down and
 * delivered in order, exactly once), the inbox cache (a reload paints from IndexedDB), and the
 * tab leader (one event stream for all tabs). Each layer can be switched off. The layers are
 * imported when the adapter is created, out of the host's first load; calls made meanwhile wait
 * for them, in order.
 */
import { DeskError } from '../errors.js';
import type { OutboxEntry } from '../offline/database.js';
import { Layer, type LayeredAdapter } from '../offline/layer.js';
import type { Outbox } from '../offline/outbox.js';
import { PendingAdapter } from '../offline/pending.js';
import type { TabLeader, TabRole } from '../offline/tab-leader.js';
import type { StreamState } from './event-stream.js';
import type { OfflineLayers } from './offline-layers.js';
import { HttpProtocol, type HttpProtocolOptions } from './protocol-adapter.js';

export interface HttpAdapterOptions extends HttpProtocolOptions {
  /**
   * The outbox's IndexedDB database; `false` sends straight to the network (a failure then
   * rejects with `network`). Default `{ databaseName: 'converse-desk-outbox' }`.
   */
  outbox?: { databaseName?: string; maxAgeMs?: number } | false;
  /**
   * The inbox cache's IndexedDB database; `false` turns the cache off. Default
   * `{ databaseName: 'converse-desk-cache' }`. With `userId` (the user the host signs in), a
   * reload paints from the cache before any answer; without it, after the session's round trip
   * (or offline). A cache found to belong to another user is wiped.
   */
  cache?: { databaseName?: string; userId?: string } | false;
  /**
   * Tab coordination (needs Web Locks and BroadcastChannel; ignored without them). `scope`
   * separates desks of different users or backends in one browser; default the base URL.
   */
  tabs?: boolean | { scope?: string };
  /** Background delivery of the outbox: first delay, doubling up to the ceiling. */
  flush?: { baseDelayMs?: number; maxDelayMs?: number };
}

export interface HttpAdapterStatus {
  /** `standalone`: no tab coordination; `leader`/`follower` among tabs; `idle`: no subscriber. */
  role: TabRole;
  stream: StreamState;
  lastEventId: string;
  /** Event stream connections opened so far by this tab. */
  connections: number;
}

export function createHttpAdapter(options: HttpAdapterOptions): HttpAdapter {
  return new HttpAdapter(options);
}

/** The composed adapter, with what a host or a test may ask of its layers. */
export class HttpAdapter extends Layer {
  readonly protocol: HttpProtocol;
  readonly #layers: Promise<OfflineLayers> | undefined;
  #tabs: TabLeader | undefined;
  #outbox: Outbox | undefined;
  #closed = false;

  constructor(options: HttpAdapterOptions) {
    const protocol = new HttpProtocol(options);
    const layered = options.tabs !== false || options.cache !== false || options.outbox !== false;
    const layers = layered
      ? import('./offline-layers.js').then(
          ({ withOfflineLayers }) => withOfflineLayers(protocol, options),
          (cause: unknown) => {
            throw new DeskError('network', 'The offline layers could not be loaded', { cause });
          },
        )
      : undefined;
    super(layers ? new PendingAdapter(layers.then((l) => l.adapter)) : protocol);
    this.protocol = protocol;
    this.#layers = layers;
    void layers?.then(
      (l) => {
        this.#tabs = l.tabs;
        this.#outbox = l.outbox;
      },
      () => undefined,
    );
    // The stream reconnected: the backend answers again, the outbox may go.
    protocol.onReachable = () => this.#outbox?.flushNow();
  }

  /** The server's files behind the token (`GET {baseUrl}/media/{id}`): see `client.mediaUrl`. */
  override ownsMedia(url: string): boolean {
    return this.protocol.ownsMedia(url);
  }

  override fetchMedia(url: string): Promise<Blob> {
    return this.protocol.fetchMedia(url);
  }

  /** Where this tab stands; for a status line and for tests. */
  get status(): HttpAdapterStatus {
    const stream = this.protocol.stream;
    const role = this.#tabs?.role ?? (stream.state === 'idle' ? 'idle' : 'standalone');
    return {
      role,
      stream: stream.state,
      lastEventId: role === 'follower' ? this.#tabs!.lastEventId : stream.lastEventId,
      connections: stream.connections,
    };
  }

  /** The outbox as stored now (waiting, or failed until retried). */
  async outboxEntries(): Promise<OutboxEntry[]> {
    const outbox = (await this.#layers)?.outbox;
    return outbox ? outbox.entries() : [];
  }

  /** Stops the stream, leaves the tab election, aborts requests in flight, closes IndexedDB. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.protocol.close(); // first: requests in flight end now, the outbox keeps their entries
    await (this.inner as LayeredAdapter).close?.();
  }
}
