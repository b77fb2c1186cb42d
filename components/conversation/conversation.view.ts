/**
 * What `<cd-conversation>` loads when it first opens a conversation: its templates and styles,
 * out of the desk's first load (the desk shows no conversation on its first paint).
 */
export { styles } from './conversation.styles.js';
export { renderContactPanel } from './contact-panel.js';
export {
  renderCareWindow,
  renderConfirmDialog,
  renderHeader,
  titleOf,
} from './conversation.header.js';
export { renderMessages } from './messages.render.js';
export { renderLoadOlder, renderThreadState } from './thread-states.js';
export { VirtualLog } from './virtual-log.js';
export { Announcer } from './announcer.js';
// The compose box it shows loads its own view; fetch it alongside rather than after.
import '../compose/compose.view.js';
