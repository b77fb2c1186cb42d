/** The reference server's options, statistics and handle. */
import type { EmbeddedBackend, SeedData } from '../../src/embedded/index.js';
import type { UserId } from '../../src/types.js';

export interface ServerOptions {
  /** 0 picks a free port. Default 8787. */
  port?: number;
  host?: string;
  /** A backend to serve; by default a fresh in-memory one seeded with `seed`. */
  backend?: EmbeddedBackend;
  /** Default: the demo shop of `npm start`, with a little history. */
  seed?: SeedData;
  /** Token → user id. Default: every user's id is its own token. */
  tokens?: Record<string, UserId>;
  /** Events kept per user for `Last-Event-ID` resume. Default 1000. */
  ringSize?: number;
  /** Interval of the `: ping` comments on the event stream. Default 15 s. */
  heartbeatMs?: number;
  /** Base delay of the simulated provider's statuses (sent, delivered, read). Default 400 ms. */
  statusDelayMs?: number;
  /** The `retry:` the event stream announces (the client's base reconnection delay). Default 1 s. */
  reconnectMs?: number;
  /** The `/simulate/*` endpoints (demos and tests). Default true. */
  simulate?: boolean;
}

export interface ServerStats {
  /** Event streams open now, per user. */
  openStreams: Record<UserId, number>;
  /** Event stream connections accepted so far. */
  connections: number;
  /** Of those, the ones that resumed from a `Last-Event-ID` by replaying the missed events. */
  resumed: number;
  /** Of those, the ones whose `Last-Event-ID` was too old (answered with a `reset` event). */
  resets: number;
  /** `POST /messages` requests that reached the server, per idempotency key. */
  sendAttempts: Record<string, number>;
}

export interface RunningServer {
  url: string;
  port: number;
  backend: EmbeddedBackend;
  stats(): ServerStats;
  /** Cuts every open event stream; with `holdMs`, refuses new ones (503) for that long. */
  dropStreams(holdMs?: number): void;
  close(): Promise<void>;
}
