/**
 * `converse-desk/engine`: the desk's rules as commands over a repository, for any backend. A CRM's
 * Node server implements `DeskRepository` over its store (or uses `createMemoryRepository`), runs
 * `createDeskEngine`, and fans the addressed events out to its users.
 */
export { createDeskEngine } from './engine.js';
export type { DeskEngine } from './engine.js';
export type { DeskProvider, EngineOptions } from './context.js';
export type {
  ConversationFilter,
  IncomingFacts,
  ConversationPageQuery,
  DeskRepository,
  DeskStore,
  DeskStoreNow,
  IdempotencyRecord,
  IncomingChange,
  MessagePageQuery,
  PendingCampaign,
  TimeCursor,
} from './repository.js';
export { createMemoryRepository } from './memory-repository.js';
export type {
  MemoryRepositoryOptions,
  RecordKind,
  RepositorySnapshot,
  WriteHook,
} from './memory-repository.js';
export { conversationAudience, eventFor, EVERYONE, messageFor, reaches } from './audience.js';
export type { AddressedEvent, Audience } from './audience.js';
export { engineAdapter } from './adapter.js';
export { prepareContent, prepareSend, resolveTarget } from './prepare.js';
export type { PreparedContent, PreparedSend, ResolvedTarget, SendLookups } from './prepare.js';
export { IDEMPOTENCY_TTL_MS } from './commands/sending.js';
export type { CampaignResult } from './commands/sending.js';
export type { Received } from './commands/incoming.js';
export type { SeedData } from './commands/directory.js';
export * as schemas from './schemas.js';
export { parseInput } from './schemas.js';
