/**
 * `converse-desk/server`: the team-grade desk server (Node only). See the README's "Server"
 * section for deployment and configuration.
 */
export { startServer, type RunningServer } from './server.js';
export { configFromEnv, type ServerConfig } from './config.js';
export { signToken, createVerifier, type AuthConfig, type Identity } from './auth.js';
export { main } from './cli.js';
export type { DeskDomain, Outcome } from './domain.js';
export type { AddressedEvent } from './event-log.js';
