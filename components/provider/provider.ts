import { define } from '../shared/define.js';
import { CdDeskProvider } from './provider.component.js';

export { CdDeskProvider };
define('cd-desk-provider', CdDeskProvider);

declare global {
  interface HTMLElementTagNameMap {
    'cd-desk-provider': CdDeskProvider;
  }
}
