/**
 * What `<cd-compose>` loads when it first connects: its templates, styles and file reading, out
 * of the desk's first load (the desk shows no compose box on its first paint).
 */
export { styles } from './compose.styles.js';
export { readFiles } from './compose.media.js';
export {
  renderChip,
  renderConnection,
  renderCounter,
  renderFields,
  renderMedia,
  renderNotice,
  renderTemplates,
  renderVerdict,
} from './compose.render.js';
export { renderToolbar } from './compose.toolbar.js';
