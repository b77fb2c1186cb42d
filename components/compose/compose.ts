import { define } from '../shared/define.js';
import { CdCompose, DEFAULT_EMOJI_DATA_SOURCE } from './compose.component.js';
import type {
  ComposeSendDetail,
  ComposeSentDetail,
  NewConversationTarget,
} from './compose.types.js';

export { CdCompose, DEFAULT_EMOJI_DATA_SOURCE };
export type { ComposeSendDetail, ComposeSentDetail, NewConversationTarget };

define('cd-compose', CdCompose);

declare global {
  interface HTMLElementTagNameMap {
    'cd-compose': CdCompose;
  }
  interface GlobalEventHandlersEventMap {
    'cd-send': CustomEvent<ComposeSendDetail>;
    'cd-sent': CustomEvent<ComposeSentDetail>;
  }
}
