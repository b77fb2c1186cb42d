/**
 * French for every element. Opt in: `import 'converse-desk/components/translations/fr';` adds it,
 * so pages that show English only never download it.
 */
import { registerTranslation } from '../shared/localize.js';
import { en as assignDialog } from '../assign-dialog/assign-dialog.strings.js';
import { en as compose } from '../compose/compose.strings.js';
import { en as conversation } from '../conversation/conversation.strings.js';
import { en as desk } from '../desk/desk.strings.js';
import { en as errors } from '../shared/errors.strings.js';
import { en as inbox } from '../inbox/inbox.strings.js';
import { en as newConversation } from '../new-conversation/new-conversation.strings.js';
import { fr as assignDialogFr } from './fr/assign-dialog.js';
import { fr as composeFr } from './fr/compose.js';
import { fr as conversationFr } from './fr/conversation.js';
import { fr as deskFr } from './fr/desk.js';
import { fr as errorsFr } from './fr/errors.js';
import { fr as inboxFr } from './fr/inbox.js';
import { fr as newConversationFr } from './fr/new-conversation.js';

registerTranslation(assignDialog, 'fr', assignDialogFr);
registerTranslation(compose, 'fr', composeFr);
registerTranslation(conversation, 'fr', conversationFr);
registerTranslation(desk, 'fr', deskFr);
registerTranslation(errors, 'fr', errorsFr);
registerTranslation(inbox, 'fr', inboxFr);
registerTranslation(newConversation, 'fr', newConversationFr);
