/**
 * converse-desk: the headless SDK. Every export is named on purpose; internals stay internal.
 * The embedded backend lives at `converse-desk/embedded`.
 */
export { createDeskClient, DeskClient } from './client.js';
export type {
  ConversationRow,
  DeskClientOptions,
  DeskState,
  MediaHandle,
  SendTarget,
  StartConversationInput,
  StartedConversation,
  Thread,
  ViewSnapshot,
} from './client.js';
export type {
  BackendAdapter,
  ConversationQuery,
  EventListener,
  EventMeta,
  HeldSend,
  SubscribeOptions,
  PageQuery,
  SendContent,
  SendRequest,
  SendResult,
  ServerEvent,
  Session,
  ViewCount,
  ViewFields,
} from './adapter.js';
export { DeskError, errorDetails, isDeskError } from './errors.js';
export type { DeskErrorCode, DeskErrorDetailsByCode, DeskErrorOptions } from './errors.js';
export type { DeskEvent, DeskEventMap, DeskEventType } from './events.js';
export { createManualClock, systemClock } from './clock.js';
export type { Clock, ManualClock } from './clock.js';
export type { Listener, ReadonlyStore } from './store.js';
export type { OutboxSummary } from './client-offline.js';
export { countryCallingCodes, splitE164, toE164 } from './phone.js';
export { formatPhone, loadPhoneFormat, rowState, timeLeft } from './format.js';
export type { RowState } from './format.js';
export { countSegments, isGsm7 } from './rules/segments.js';
export type { SegmentInfo } from './rules/segments.js';
export { careWindow, CARE_WINDOW_MS } from './rules/care-window.js';
export type { CareWindow } from './rules/care-window.js';
export { guardSend } from './rules/send-guard.js';
export {
  MEDIA_LIMITS,
  validateMedia,
  WHATSAPP_MAX_CHARACTERS,
  SMS_MAX_PARTS,
} from './rules/media.js';
export type { GuardInput, GuardVerdict } from './rules/send-guard.js';
export { isOpen, nextOpening } from './rules/business-hours.js';
export { fillTemplate, mergeFields, searchTemplates } from './rules/templates.js';
export { isFinal } from './rules/status.js';
export {
  contactName,
  splitName,
  isSearchable,
  parseSearch,
  senderInboxes,
  teamMembers,
  viewId,
} from './rules/views.js';
export type { ViewKey } from './rules/views.js';
export { isSafeUrl } from './safe-url.js';
export { canSee, canStartFrom, isAdmin, startableSenders } from './rules/permissions.js';
export { markMode, needsConfirmation, readOnOpen } from './rules/read-state.js';
export type { MarkMode } from './rules/read-state.js';
export { assignableUsers } from './rules/assignment.js';
export { foldText } from './rules/text.js';
export { prepareContent } from './engine/prepare.js';
export type { PreparedContent } from './engine/prepare.js';
export { CHANNELS } from './types.js';
export type {
  AccountSettings,
  BusinessHours,
  Channel,
  Contact,
  ContactInput,
  Conversation,
  Media,
  Message,
  MessagePreview,
  MessageStatus,
  Page,
  QueueReason,
  RecipientPolicy,
  RoutingExplanation,
  RoutingRule,
  SenderId,
  Template,
  TemplateRef,
  TemplateType,
  User,
  UserId,
  Weekday,
} from './types.js';
