/**
 * README truths about configuration: `DESK_RATE_WINDOW_MS` works alone, and `DESK_SEED` is needed
 * only while the store is empty (later starts keep the stored account).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configFromEnv, DEFAULT_RATE_LIMIT } from '../../src/server/config.js';
import type { Database } from '../../src/server/db.js';
import { startServer } from '../../src/server/index.js';
import { api, openPglite, SECRET, seed } from './support.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

describe('configuration from the environment', () => {
  it('takes DESK_RATE_WINDOW_MS without DESK_RATE_LIMIT, and either alone keeps the other default', () => {
    expect(configFromEnv({ DESK_RATE_WINDOW_MS: '1000' }).rateLimit).toEqual({
      max: DEFAULT_RATE_LIMIT.max,
      windowMs: 1000,
    });
    expect(configFromEnv({ DESK_RATE_LIMIT: '5' }).rateLimit).toEqual({
      max: 5,
      windowMs: DEFAULT_RATE_LIMIT.windowMs,
    });
    expect(configFromEnv({}).rateLimit).toBeUndefined();
  });
});

describe('DESK_SEED', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite();
  }, 120_000);
  afterAll(() => database.close());
  const start = (withSeed: boolean) =>
    startServer({
      port: 0,
      database,
      logLevel: 'silent',
      auth: { jwtSecret: SECRET },
      ...(withSeed && { seed }),
    });

  it('is needed on the first start only: later starts keep the stored account', async () => {
    await expect(start(false)).rejects.toThrow(/DESK_SEED/);
    const first = await start(true);
    await first.close();
    const later = await start(false);
    try {
      const users = await api(later.url, 'ada', '/users');
      expect(users.status).toBe(200);
      expect(users.body.items.map((u: { id: string }) => u.id).sort()).toEqual(
        seed.users.map((u) => u.id).sort(),
      );
    } finally {
      await later.close();
    }
  });
});
