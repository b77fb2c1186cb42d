import { define } from '../shared/define.js';
import {
  CdAssignDialog,
  type AssignCloseDetail,
  type AssignDetail,
  type AssignedDetail,
} from './assign-dialog.component.js';

export { CdAssignDialog };
export type { AssignCloseDetail, AssignDetail, AssignedDetail };

define('cd-assign-dialog', CdAssignDialog);

declare global {
  interface HTMLElementTagNameMap {
    'cd-assign-dialog': CdAssignDialog;
  }
  interface GlobalEventHandlersEventMap {
    'cd-assign': CustomEvent<AssignDetail>;
    'cd-assigned': CustomEvent<AssignedDetail>;
    'cd-close': CustomEvent<AssignCloseDetail>;
  }
}
