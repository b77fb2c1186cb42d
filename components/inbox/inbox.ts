import { define } from '../shared/define.js';
import { registerTranslation } from '../shared/localize.js';
import {
  CdInbox,
  type AssignRequestDetail,
  type ConversationSelectDetail,
  type SelectionChangeDetail,
} from './inbox.component.js';
import { en, fr } from './inbox.strings.js';

export { CdInbox };
export type { AssignRequestDetail, ConversationSelectDetail, SelectionChangeDetail };
export { RovingFocusController } from './roving-focus.js';
export type { RovingFocusOptions } from './roving-focus.js';

registerTranslation(en, 'fr', fr);
define('cd-inbox', CdInbox);

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
