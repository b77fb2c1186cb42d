import { define } from '../shared/define.js';
import '../inbox/inbox.js';
import '../conversation/conversation.js';
import '../assign-dialog/assign-dialog.js';
import '../new-conversation/new-conversation.js';
import { CdDesk, type DeskNotificationDetail } from './desk.component.js';

export { CdDesk };
export type { DeskNotificationDetail };

define('cd-desk', CdDesk);

declare global {
  interface HTMLElementTagNameMap {
    'cd-desk': CdDesk;
  }
  interface GlobalEventHandlersEventMap {
    'cd-notification': CustomEvent<DeskNotificationDetail>;
  }
}
