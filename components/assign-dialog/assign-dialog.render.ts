import { html, nothing } from 'lit';
import type { User } from '../../src/index.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './assign-dialog.strings.js';

export { styles } from './assign-dialog.styles.js';

/** What the form shows; the element keeps the state and the actions. */
export interface AssignForm {
  count: number;
  users: User[];
  /** The user who owns every conversation being assigned, if they share one. */
  owner: string | undefined;
  assigneeId: string;
  busy: boolean;
  error: string | null;
  onSubmit(event: SubmitEvent): void;
  onChange(event: Event): void;
  onCancel(): void;
}

/** The dialog's form: loaded the first time the dialog opens, out of the desk's first load. */
export function renderForm(t: LocalizeController<typeof en>, f: AssignForm) {
  return html`<form method="dialog" @submit=${f.onSubmit} @change=${f.onChange}>
    <h2 id="title" part="title">${t.term('title', f.count)}</h2>
    <p id="description" part="description">${t.term('description', f.count)}</p>
    ${
      f.users.length === 0
        ? html`<p part="empty">${t.term('noUsers')}</p>`
        : html`<fieldset part="users">
            <legend>${t.term('assignee')}</legend>
            ${f.users.map(
              (user) =>
                html`<label part="user">
                  <input
                    type="radio"
                    name="assignee"
                    .value=${user.id}
                    .checked=${user.id === f.assigneeId}
                    ?disabled=${f.busy}
                  />
                  <span>${user.name}</span>
                  ${
                    user.id === f.owner
                      ? html`<span class="owner">${t.term('currentOwner')}</span>`
                      : nothing
                  }
                </label>`,
            )}
          </fieldset>`
    }
    ${f.error ? html`<p part="alert" role="alert">${f.error}</p>` : nothing}
    <div part="actions">
      <button type="button" part="cancel-button" @click=${f.onCancel}>${t.term('cancel')}</button>
      <button
        type="submit"
        part="assign-button"
        ?disabled=${!f.assigneeId || f.count === 0 || f.busy}
      >
        ${t.term('assign')}
      </button>
    </div>
  </form>`;
}
