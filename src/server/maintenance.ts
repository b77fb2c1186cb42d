/**
 * The hourly upkeep job: forgets events past the log's retention (a resume from before them gets
 * `reset`) and idempotency records past 7 days (docs/protocol.md section 3), then plans its next
 * run. Durable like every job: a restart runs it again at once.
 */
import type { Clock } from '../clock.js';
import { IDEMPOTENCY_TTL_MS } from '../engine/commands/sending.js';
import type { Db } from './db.js';
import { pruneEvents } from './event-log.js';
import { pruneKeys } from './idempotency.js';
import { scheduleJob } from './jobs.js';

export const MAINTENANCE = 'maintenance';
const HOUR = 3600_000;

export function maintenanceJob(db: Db, clock: Clock, retentionMs: number) {
  return async () => {
    const now = clock.now();
    await pruneEvents(db, now - retentionMs);
    await pruneKeys(db, now - IDEMPOTENCY_TTL_MS);
    await scheduleJob(db, { kind: MAINTENANCE, runAt: now + HOUR, uniqueKey: MAINTENANCE }, now);
  };
}
