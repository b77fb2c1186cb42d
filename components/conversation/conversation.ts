// The conversation window embeds the compose box.
import '../compose/compose.js';
import { define } from '../shared/define.js';
import { CdConversation } from './conversation.component.js';

export { CdConversation };

define('cd-conversation', CdConversation);

declare global {
  interface HTMLElementTagNameMap {
    'cd-conversation': CdConversation;
  }
}
