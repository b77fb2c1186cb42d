// The conversation window embeds the compose box.
import '../compose/compose.js';
import { registerTranslation } from '../shared/localize.js';
import { define } from '../shared/define.js';
import { CdConversation } from './conversation.component.js';
import { en, fr } from './conversation.strings.js';

export { CdConversation };

registerTranslation(en, 'fr', fr);
define('cd-conversation', CdConversation);

declare global {
  interface HTMLElementTagNameMap {
    'cd-conversation': CdConversation;
  }
}
