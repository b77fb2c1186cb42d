import { html, nothing, type SVGTemplateResult } from 'lit';
import type { DeskClient, ViewKey } from '../../src/index.js';
import type { ErrorText } from '../shared/error-text.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './inbox.strings.js';

type T = LocalizeController<typeof en>;

/** The list's accessible name: which view it shows. */
export function viewLabel(t: T, client: DeskClient | undefined, view: ViewKey): string {
  const state = client?.getState();
  switch (view.kind) {
    case 'mine':
      return t.term('viewMine');
    case 'sent':
      return t.term('viewSent');
    case 'sender':
      return t.term('viewSender', state?.senders.get(view.senderId)?.label ?? view.senderId);
    case 'team':
      return t.term('viewTeam', state?.users.get(view.userId)?.name ?? view.userId);
  }
}

/** An empty list says what fills it, and what to do. */
export function emptyText(t: T, view: ViewKey, query: string): string {
  if (query) return t.term('emptySearch', query);
  switch (view.kind) {
    case 'sent':
      return t.term('emptySent');
    case 'team':
      return t.term('emptyTeam');
    default:
      return t.term('empty');
  }
}

/** V6: the search form (My Inbox and Sent Messages). */
export function renderSearch(
  t: T,
  query: string,
  onInput: (event: Event) => void,
  onSubmit: (event: SubmitEvent) => void,
) {
  return html`<form role="search" part="search" @submit=${onSubmit}>
    <label class="visually-hidden" for="search">${t.term('searchLabel')}</label>
    <input
      id="search"
      name="q"
      type="search"
      part="search-input"
      autocomplete="off"
      placeholder=${t.term('searchPlaceholder')}
      .value=${query}
      @input=${onInput}
    />
    <button type="submit" part="search-button" class="icon-button" aria-label=${t.term('search')}>
      ${icons.search}
    </button>
  </form>`;
}

export interface ToolbarInput {
  /** How many rows are shown, and how many of those are checked. */
  shown: number;
  checkedShown: number;
  /** How many conversations of the view are checked. */
  selected: number;
  isAdmin: boolean;
  busy: boolean;
  onToggleAll(): void;
  onMark(read: boolean): void;
  onAssign(): void;
}

/** An action as an icon, named by its label and tooltip: the toolbar stays one line in French. */
function action(
  name: string,
  label: string,
  icon: SVGTemplateResult,
  disabled: boolean,
  onClick: () => void,
) {
  return html`<button
    part="action ${name}"
    aria-label=${label}
    title=${label}
    ?disabled=${disabled}
    @click=${onClick}
  >
    ${icon}
  </button>`;
}

/** Select all, the count, and the actions on the checked conversations (RD2, RD4, A1). */
export function renderToolbar(t: T, input: ToolbarInput) {
  const { shown, checkedShown, selected } = input;
  const disabled = selected === 0 || input.busy;
  return html`<div part="toolbar">
    <label part="select-all">
      <input
        type="checkbox"
        .checked=${shown > 0 && checkedShown === shown}
        .indeterminate=${checkedShown > 0 && checkedShown < shown}
        ?disabled=${shown === 0}
        @change=${input.onToggleAll}
      />
      ${t.term('selectAll')}
    </label>
    <span
      part="selection-count"
      role="status"
      title=${selected > 0 ? t.term('selectedCount', selected) : nothing}
      >${selected > 0 ? t.term('selectedCount', selected) : ''}</span
    >
    <div part="actions" role="group" aria-label=${t.term('actions')}>
      ${action('mark-read', t.term('markRead'), icons.markRead, disabled, () => input.onMark(true))}
      ${action('mark-unread', t.term('markUnread'), icons.markUnread, disabled, () =>
        input.onMark(false),
      )}
      ${
        input.isAdmin
          ? action('assign', t.term('assign'), icons.assign, disabled, input.onAssign)
          : nothing
      }
    </div>
  </div>`;
}

export interface ConfirmInput {
  pending: { ids: string[]; read: boolean } | null;
  client: DeskClient | undefined;
  view: ViewKey;
  onClose(): void;
  onCancel(): void;
  onConfirm(): void;
}

/** RD4: counts only the conversations whose read state the confirmation changes. */
function confirmText(t: T, input: ConfirmInput, owner: string): string {
  const pending = input.pending!;
  const conversations = input.client?.getState().conversations;
  const changing = pending.ids.filter(
    (id) => conversations?.get(id)?.unread === pending.read,
  ).length;
  return changing === 0
    ? t.term('confirmNothing', owner, pending.read)
    : t.term('confirmText', changing, owner, pending.read, pending.ids.length - changing);
}

/** RD4: the admin confirms marking other users' conversations. */
export function renderConfirm(t: T, input: ConfirmInput) {
  const { pending, view } = input;
  const owner =
    view.kind === 'team'
      ? (input.client?.getState().users.get(view.userId)?.name ?? view.userId)
      : t.term('theirOwners');
  return html`<dialog
    part="confirm"
    aria-labelledby="confirm-title"
    aria-describedby="confirm-text"
    @close=${input.onClose}
  >
    ${
      pending
        ? html`<h2 id="confirm-title">
              ${t.term(pending.read ? 'confirmTitleRead' : 'confirmTitleUnread')}
            </h2>
            <p id="confirm-text">${confirmText(t, input, owner)}</p>
            <div part="confirm-actions">
              <button part="action cancel-button" @click=${input.onCancel}>
                ${t.term('cancel')}
              </button>
              <button part="action confirm-button" @click=${input.onConfirm}>
                ${t.term('confirm')}
              </button>
            </div>`
        : nothing
    }
  </dialog>`;
}

/** Loading: skeleton rows; failed: the reason and a retry (the desk client is shared). */
export function renderStatus(t: T, errors: ErrorText, client: DeskClient | undefined) {
  const status = client?.getState().status;
  if (client && status === 'error') {
    const error = client.getState().error;
    return html`<div part="alert load-error" role="alert">
      ${icons.warning}<span>${t.term('loadFailed')} ${error ? errors.text(error) : ''}</span>
      <button part="action retry-button" @click=${() => client.connect().catch(() => {})}>
        ${t.term('retry')}
      </button>
    </div>`;
  }
  return html`<div part="skeleton" role="status" aria-busy="true">
    <span class="visually-hidden">${t.term('loading')}</span>
    ${[0, 1, 2, 3, 4].map(
      () =>
        html`<div class="skeleton-row" aria-hidden="true">
          <span class="bone round"></span><span class="bone title"></span
          ><span class="bone preview"></span>
        </div>`,
    )}
  </div>`;
}

/** A refusal, inline, with a button to dismiss it. */
export function renderAlert(t: T, error: string, onDismiss: () => void) {
  return html`<div part="alert" role="alert">
    ${icons.warning}<span>${error}</span>
    <button class="icon-button" aria-label=${t.term('dismiss')} @click=${onDismiss}>
      ${icons.close}
    </button>
  </div>`;
}
