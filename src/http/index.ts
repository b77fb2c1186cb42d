/**
 * `converse-desk/http`: the backend adapter for a CRM backend that implements the REST and
 * server-sent-events protocol of docs/protocol.md, wrapped by default in the offline layers of
 * `converse-desk/offline` (outbox, inbox cache, tab leader).
 */
export { createHttpAdapter, HttpAdapter } from './adapter.js';
export type { HttpAdapterOptions, HttpAdapterStatus } from './adapter.js';
export { createHttpProtocol, HttpProtocol } from './protocol-adapter.js';
export type { HttpProtocolOptions } from './protocol-adapter.js';
export type { OutboxEntry } from '../offline/database.js';
export type { RetryOptions, TokenProvider } from './transport.js';
export { EventStreamParser } from './event-stream.js';
export type { StreamMessage, StreamState } from './event-stream.js';
export {
  codeOfStatus,
  errorBody,
  errorFromBody,
  HEADERS,
  parseRetryAfter,
  RESET_EVENT,
  STATUS_OF_CODE,
} from './protocol.js';
export type { ErrorBody } from './protocol.js';
