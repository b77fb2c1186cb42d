/**
 * Every Converse Desk element: importing this module defines all the tags (each registration is
 * harmless when repeated) and gives the classes and event detail types.
 */
import './provider/provider.js';
import './inbox/inbox.js';
import './assign-dialog/assign-dialog.js';
import './conversation/conversation.js';
import './compose/compose.js';
import './new-conversation/new-conversation.js';
import './desk/desk.js';

export { CdDeskProvider } from './provider/provider.js';
export { CdInbox, RovingFocusController } from './inbox/inbox.js';
export type {
  AssignRequestDetail,
  ConversationSelectDetail,
  RovingFocusOptions,
  SelectionChangeDetail,
} from './inbox/inbox.js';
export { CdAssignDialog } from './assign-dialog/assign-dialog.js';
export type {
  AssignCloseDetail,
  AssignDetail,
  AssignedDetail,
} from './assign-dialog/assign-dialog.js';
export { CdConversation } from './conversation/conversation.js';
export { CdCompose, DEFAULT_EMOJI_DATA_SOURCE } from './compose/compose.js';
export type {
  ComposeSendDetail,
  ComposeSentDetail,
  NewConversationTarget,
} from './compose/compose.js';
export { CdNewConversation } from './new-conversation/new-conversation.js';
export type { ConversationStartedDetail } from './new-conversation/new-conversation.js';
export { CdDesk } from './desk/desk.js';
export type { DeskNotificationDetail } from './desk/desk.js';

// i18n: add a language by registering a translation of each element's English table.
export { registerTranslation } from './shared/localize.js';
export type { Terms, Translation } from './shared/localize.js';
export { en as inboxStrings } from './inbox/inbox.strings.js';
export { en as assignDialogStrings } from './assign-dialog/assign-dialog.strings.js';
export { en as conversationStrings } from './conversation/conversation.strings.js';
export { en as composeStrings } from './compose/compose.strings.js';
export { en as newConversationStrings } from './new-conversation/new-conversation.strings.js';
export { en as deskStrings } from './desk/desk.strings.js';
export { en as errorStrings } from './shared/errors.strings.js';
