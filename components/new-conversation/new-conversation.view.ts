/**
 * What `<cd-new-conversation>` loads when it first connects (the desk shows it on "New
 * conversation", not on its first paint): its field templates and styles.
 */
export { styles } from './new-conversation.styles.js';
export {
  renderNameField,
  renderPhoneFields,
  renderSenderField,
} from './new-conversation.render.js';
// The compose box it shows next loads its own view; fetch it alongside rather than after.
import '../compose/compose.view.js';
