import { define } from '../shared/define.js';
import { warmStyles } from '../shared/lazy.js';
import { CdInbox } from './inbox.component.js';
import type {
  AssignRequestDetail,
  ConversationSelectDetail,
  SelectionChangeDetail,
} from './inbox.data.js';

export { CdInbox };
export type { AssignRequestDetail, ConversationSelectDetail, SelectionChangeDetail };
export { RovingFocusController } from './roving-focus.js';
export type { RovingFocusOptions } from './roving-focus.js';

define('cd-inbox', CdInbox);
warmStyles(CdInbox);

declare global {
  interface HTMLElementTagNameMap {
    'cd-inbox': CdInbox;
  }
  interface GlobalEventHandlersEventMap {
    'cd-conversation-select': CustomEvent<ConversationSelectDetail>;
    'cd-assign-request': CustomEvent<AssignRequestDetail>;
    'cd-selection-change': CustomEvent<SelectionChangeDetail>;
  }
}
