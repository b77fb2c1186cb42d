import { define } from '../shared/define.js';
import '../compose/compose.js';
import type { AssignCloseDetail } from '../assign-dialog/assign-dialog.js';
import { CdNewConversation, type ConversationStartedDetail } from './new-conversation.component.js';

export { CdNewConversation };
export type { ConversationStartedDetail };

define('cd-new-conversation', CdNewConversation);

declare global {
  interface HTMLElementTagNameMap {
    'cd-new-conversation': CdNewConversation;
  }
  interface GlobalEventHandlersEventMap {
    'cd-conversation-started': CustomEvent<ConversationStartedDetail>;
    /** Shared with `<cd-assign-dialog>`; the form's Cancel sends `{ reason: 'cancel' }`. */
    'cd-close': CustomEvent<AssignCloseDetail>;
  }
}
