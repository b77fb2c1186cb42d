import { css, html } from 'lit';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './desk.strings.js';
import { SHORTCUTS, type ShortcutAction } from './shortcuts.js';

/** The help dialog: loaded by the desk the first time it opens (`?`), out of the first load. */
export const styles = css`
  .shortcuts {
    max-width: min(26rem, calc(100vw - var(--_cd-space) * 4));
    padding: calc(var(--_cd-space) * 2);
    border: 1px solid var(--_cd-border);
    border-radius: var(--_cd-radius);
    color: var(--_cd-text);
    background: var(--_cd-surface);
  }
  .shortcuts::backdrop {
    background: color-mix(in srgb, var(--_cd-text) 40%, transparent);
  }
  .shortcuts h2 {
    margin: 0 0 var(--_cd-space);
    font-size: 1.15em;
  }
  .shortcuts dl {
    display: grid;
    gap: calc(var(--_cd-space) / 2);
    margin: 0;
  }
  .shortcut {
    display: grid;
    grid-template-columns: 4em 1fr;
    align-items: center;
  }
  .shortcut dd {
    margin: 0;
  }
  .shortcuts form {
    display: flex;
    justify-content: end;
    margin-top: calc(var(--_cd-space) * 2);
  }
`;

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
