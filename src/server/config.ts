/**
 * The server's configuration: a documented object, and the environment variables that fill it
 * (`configFromEnv`). Everything has a default that is safe for one instance on PGlite.
 */
import type { Clock } from '../clock.js';
import type { IncomingInput, SeedData } from '../embedded/index.js';
import type { AuthConfig } from './auth.js';
import { carriersFromEnv, type Carriers } from './carriers/config.js';
import type { Database } from './db.js';
import type { PostgresDomainOptions } from './pg-domain.js';

/** 600 requests a minute per user (or address). */
export const DEFAULT_RATE_LIMIT = { max: 600, windowMs: 60_000 };

export interface ServerConfig {
  /** `PORT`; 0 picks a free one. Default 8787. */
  port?: number;
  /** `HOST`. Default 127.0.0.1 (use 0.0.0.0 behind a load balancer). */
  host?: string;
  /** `DATABASE_URL`: `postgres://…` for PostgreSQL; without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** `DESK_DATA_DIR`: PGlite's folder. Default `.desk-data`; `memory://` keeps nothing. */
  dataDir?: string;
  /** `DATABASE_POOL_SIZE`: connections per instance (PostgreSQL). Default 10. */
  poolSize?: number;
  /** An open database to use instead (not closed by the server); tests share one this way. */
  database?: Database;
  /** `DESK_JWT_SECRET`, `DESK_JWKS_URL`, `DESK_JWT_ISSUER`, `DESK_JWT_AUDIENCE`. */
  auth?: AuthConfig;
  /**
   * `DESK_DEMO=1`: the demo shop, a token issuer (`POST /demo/token`) and the `/simulate/*`
   * endpoints (authenticated). Never in production.
   */
  demo?: boolean;
  /**
   * `DESK_SEED`: a JSON file with the account (users, sender IDs, settings, …), stored on the
   * first start; needed only while the store is empty (later starts keep the stored account).
   */
  seed?: SeedData;
  /** Incoming messages replayed once after seeding (a demo's history). */
  history?: IncomingInput[];
  /** `DESK_CORS_ORIGINS`: comma-separated origins allowed to call from a browser. */
  corsOrigins?: string[];
  /** `DESK_BODY_LIMIT`: bytes per request body. Default 8 MiB (data: URLs of demo media). */
  bodyLimit?: number;
  /** `DESK_BODY_TIMEOUT_MS`: a request whose body has not fully arrived by then is cut. Default 30 s. */
  bodyTimeoutMs?: number;
  /** `DESK_RATE_LIMIT` requests per `DESK_RATE_WINDOW_MS` per user (or address). Default 600/min. */
  rateLimit?: { max: number; windowMs: number };
  streams?: {
    /** `DESK_STREAMS_PER_USER`: open event streams per user and instance. Default 8. */
    perUser?: number;
    /** `: ping` interval. Default 15 s. */
    heartbeatMs?: number;
    /** The `retry:` announced to clients. Default 1 s. */
    reconnectMs?: number;
    /** A reader with more than this many bytes unsent is cut (it resumes). Default 1 MiB. */
    maxBufferedBytes?: number;
    /** More missed events than this and a resume gets `reset`. Default 10 000. */
    maxReplay?: number;
    /**
     * `DESK_STREAM_COALESCE_MS`: under load, events are written to the streams at most this
     * often (the first after a quiet spell at once), so that a write to each stream carries more
     * events, at the cost of latency. Up to twice that at high rates (above about 1 000 events/s
     * with 10 ms). Default 0: each group commit goes out as it commits (it carries many events
     * under load already); worth a few ms with many streams per instance.
     */
    coalesceMs?: number;
  };
  /** `DESK_POLL_MS`: how often an instance reads the log without a NOTIFY (a safety net). Default 2 s. */
  pollMs?: number;
  /** `DESK_EVENT_RETENTION_HOURS`: events kept for resume. Default 72 h. */
  eventRetentionMs?: number;
  /** `LOG_LEVEL`: fatal, error, warn, info, debug, trace or silent. Default info. */
  logLevel?: string;
  /** The time source of the domain, the jobs and the records' ages (tests move it). */
  clock?: Clock;
  /** Demo only: the simulated provider's status delay (ms). Default 400. */
  statusDelayMs?: number;
  /**
   * `DESK_PUBLIC_URL`: the base URL carriers call for webhooks (`{publicUrl}/webhooks/{carrier}`).
   * Default `http://localhost:{port}`.
   */
  publicUrl?: string;
  /**
   * The engine's messaging provider, made from the desk it reports statuses to (see
   * `ProviderDesk`). Default: the simulated provider (statuses after `statusDelayMs`).
   */
  provider?: PostgresDomainOptions['provider'];
  /** Twilio, the WhatsApp Cloud API, the simulator: `carriersFromEnv` (README "Carriers"). */
  carriers?: Carriers;
  /** `DESK_CARRIER_RETRY_MS`: first delay before a send refused with 429/5xx is tried again (doubled each try, 4 tries). Default 2 s. */
  carrierRetryMs?: number;
}

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env = process.env): ServerConfig {
  const number = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number, not "${value}".`);
    return parsed;
  };
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const rateMax = number('DESK_RATE_LIMIT');
  const rateWindow = number('DESK_RATE_WINDOW_MS');
  const retentionHours = number('DESK_EVENT_RETENTION_HOURS');
  return defined({
    port: number('PORT'),
    host: env.HOST,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DESK_DATA_DIR,
    poolSize: number('DATABASE_POOL_SIZE'),
    auth: defined({
      jwtSecret: env.DESK_JWT_SECRET,
      jwksUrl: env.DESK_JWKS_URL,
      issuer: env.DESK_JWT_ISSUER,
      audience: env.DESK_JWT_AUDIENCE,
    }),
    demo: env.DESK_DEMO === '1' || env.DESK_DEMO === 'true' ? true : undefined,
    corsOrigins: env.DESK_CORS_ORIGINS?.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimit: number('DESK_BODY_LIMIT'),
    bodyTimeoutMs: number('DESK_BODY_TIMEOUT_MS'),
    // Either variable alone sets the limit; the other keeps its default.
    rateLimit:
      rateMax === undefined && rateWindow === undefined
        ? undefined
        : {
            max: rateMax ?? DEFAULT_RATE_LIMIT.max,
            windowMs: rateWindow ?? DEFAULT_RATE_LIMIT.windowMs,
          },
    streams: defined({
      perUser: number('DESK_STREAMS_PER_USER'),
      coalesceMs: number('DESK_STREAM_COALESCE_MS'),
    }),
    eventRetentionMs: retentionHours === undefined ? undefined : retentionHours * 3600_000,
    pollMs: number('DESK_POLL_MS'),
    logLevel: env.LOG_LEVEL,
    statusDelayMs: number('DESK_STATUS_DELAY_MS'),
    publicUrl: env.DESK_PUBLIC_URL || undefined,
    carriers: carriersFromEnv(env),
    carrierRetryMs: number('DESK_CARRIER_RETRY_MS'),
  });
}
