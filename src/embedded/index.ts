/** `converse-desk/embedded`: the backend that runs the rules itself, for demos, tests and offline use. */
export { EmbeddedBackend } from './backend.js';
export type {
  CampaignInput,
  EmbeddedBackendOptions,
  IncomingInput,
  ProviderSimulation,
  SeedData,
} from './backend.js';
