import { html } from 'lit';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './desk.strings.js';

/** What a shortcut does; the desk carries it out. */
export type ShortcutAction = 'next' | 'previous' | 'search' | 'reply' | 'assign' | 'help';

/** The main flow's keys, as Chatwoot and Intercom offer them. Plain keys, never while typing. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; action: ShortcutAction }> = [
  { keys: ['j'], action: 'next' },
  { keys: ['k'], action: 'previous' },
  { keys: ['/'], action: 'search' },
  { keys: ['r'], action: 'reply' },
  { keys: ['a'], action: 'assign' },
  { keys: ['?'], action: 'help' },
];

/** True when the key went to something a person types into. */
function typing(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type)
  );
}

/** The shortcut a key press asks for, if any. */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (typing(event)) return null;
  // A dialog that is open keeps its keys.
  if (event.composedPath().some((node) => node instanceof HTMLDialogElement && node.open)) {
    return null;
  }
  return SHORTCUTS.find((s) => s.keys.includes(event.key))?.action ?? null;
}

const TERMS: Record<ShortcutAction, keyof typeof en> = {
  next: 'shortcutNext',
  previous: 'shortcutPrevious',
  search: 'shortcutSearch',
  reply: 'shortcutReply',
  assign: 'shortcutAssign',
  help: 'shortcutHelp',
};

/** The help dialog that lists the shortcuts. */
export function renderShortcutsDialog(
  t: LocalizeController<typeof en>,
  admin: boolean,
  onClose: () => void,
) {
  return html`<dialog
    part="shortcuts-dialog"
    class="shortcuts"
    aria-labelledby="shortcuts-title"
    @close=${onClose}
  >
    <h2 id="shortcuts-title">${t.term('shortcutsTitle')}</h2>
    <dl>
      ${SHORTCUTS.filter((s) => admin || s.action !== 'assign').map(
        (s) =>
          html`<div class="shortcut">
            <dt>${s.keys.map((k) => html`<kbd>${k}</kbd>`)}</dt>
            <dd>${t.term(TERMS[s.action] as 'shortcutNext')}</dd>
          </div>`,
      )}
    </dl>
    <form method="dialog">
      <button part="shortcuts-close" class="close">${t.term('close')}</button>
    </form>
  </dialog>`;
}
