/**
 * `converse-desk/offline`: decorators over any `BackendAdapter` (the HTTP one, the embedded one, a
 * CRM's own). Compose them outermost first: `withOutbox(withCache(withTabLeader(adapter, …)))`.
 */
export { withOutbox, Outbox } from './outbox.js';
export { KEY_RETENTION_MS } from './outbox-entries.js';
export type { OutboxOptions } from './outbox.js';
export { withCache, Cache } from './cache.js';
export type { CacheOptions } from './cache.js';
export { withTabLeader, TabLeader } from './tab-leader.js';
export type { TabLeaderOptions, TabRole } from './tab-leader.js';
export { Layer } from './layer.js';
export type { Lifecycle, LayeredAdapter } from './layer.js';
export type { OutboxEntry } from './database.js';
