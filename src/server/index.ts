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
// The carriers: Twilio, the WhatsApp Cloud API, the simulator, the webhook pipeline (README "Carriers").
export * from './carriers/index.js';
