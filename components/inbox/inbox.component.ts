import { LitElement, html, nothing } from 'lit';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import { property, query, state } from 'lit/decorators.js';
import {
  formatPhone,
  isSearchable,
  loadPhoneFormat,
  rowState,
  viewId,
  type ConversationRow,
  type DeskClient,
  type ViewKey,
} from '../../src/index.js';
import { InboxPaging } from './inbox-paging.js';
import { InboxRows } from './inbox-rows.js';
import { DeskController } from '../shared/desk-controller.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { afterNextPaint } from '../shared/lazy.js';
import { CheckedController } from './checked.js';
import { ListKeyboard } from './list-keyboard.js';
import { en } from './inbox.strings.js';
import { styles } from './inbox.styles.js';
import { renderRow } from './inbox-row.js';
import { VirtualList } from './virtual-list.js';
import {
  listSelector,
  type AssignRequestDetail,
  type ConversationSelectDetail,
} from './inbox.data.js';
import {
  emptyText,
  renderAlert,
  renderConfirm,
  renderSearch,
  renderStatus,
  renderToolbar,
  viewLabel,
} from './inbox.render.js';

/**
 * @tagname cd-inbox
 * @summary The conversation list of one view (My Inbox, a sender ID inbox, a Team Inbox entry or
 * Sent Messages): channel, name or number, last message, time and unread state of each
 * conversation (V5), newest first; search (V6); multi-select to mark read or unread (RD2, RD4)
 * and, for admins, to assign (A1). Virtualized, so long lists stay fast.
 *
 * The list is a multi-select listbox: the arrow keys, Home, End, PageUp and PageDown move focus,
 * Enter opens the focused conversation, Space checks it (its `aria-selected`), Ctrl+A checks all.
 * The open conversation is marked `aria-current`.
 *
 * @fires {CustomEvent<ConversationSelectDetail>} cd-conversation-select - A conversation was opened (click, Enter).
 * @fires {CustomEvent<AssignRequestDetail>} cd-assign-request - An admin asked to assign the checked conversations; open `<cd-assign-dialog>` with them.
 * @fires {CustomEvent<SelectionChangeDetail>} cd-selection-change - The checked conversations changed.
 *
 * @csspart alert - The inline error shown when the SDK refuses an action.
 * @csspart search - The search form (My Inbox and Sent Messages only).
 * @csspart search-input - The search field.
 * @csspart search-button - The search button.
 * @csspart toolbar - The bar with "Select all", the count and the actions.
 * @csspart select-all - The "Select all" label and checkbox.
 * @csspart actions - The group of action buttons.
 * @csspart action - Each action button (also `mark-read`, `mark-unread`, `assign`).
 * @csspart list - The scrolling listbox.
 * @csspart row - Each conversation (also `row-unread`, `row-current`).
 * @csspart checkbox - The check box of a row.
 * @csspart channel - The channel icon of a row.
 * @csspart title - The contact name or number.
 * @csspart time - The time of the last activity.
 * @csspart preview - The last message preview.
 * @csspart unread-dot - The unread marker.
 * @csspart empty - The text shown when the list is empty.
 * @csspart confirm - The RD4 confirmation dialog.
 * @csspart confirm-actions - The buttons of the confirmation dialog.
 * @csspart confirm-button - The Confirm button.
 * @csspart cancel-button - The Cancel button of the confirmation dialog.
 * @csspart selection-count - How many conversations are checked.
 *
 * @cssproperty --cd-inbox-height - Height of the element (default: 100% of its container).
 * @cssproperty --cd-inbox-background - Background of the list.
 * @cssproperty --cd-inbox-row-height - Minimum height of a row.
 * @cssproperty --cd-inbox-row-padding - Padding of a row.
 * @cssproperty --cd-inbox-unread-color - Colour of the unread dot.
 * @cssproperty --cd-inbox-row-current-background - Background of the open conversation's row.
 * @cssproperty --cd-inbox-row-checked-background - Background of a checked row.
 */
export class CdInbox extends LitElement {
  static override styles = styles;

  /** Which list to show. */
  @property({ attribute: false }) view: ViewKey = { kind: 'mine' };

  /** The id of the open conversation, highlighted in the list. */
  @property({ attribute: 'selected-id' }) selectedId: string | null = null;

  /**
   * `compact` shows one line per conversation (rows about 48 px); `comfortable` (the default)
   * adds the last message under the name.
   */
  @property({ reflect: true }) density: 'comfortable' | 'compact' = 'comfortable';

  @state() private query = '';
  @state() private error: string | null = null;
  @state() private busy = false;
  @state() private confirming: { ids: string[]; read: boolean } | null = null;

  @query('[part~="list"]') private list?: HTMLElement;
  @query('dialog') private dialog?: HTMLDialogElement;

  readonly #desk = new DeskController(this, listSelector());
  readonly #t = new LocalizeController(this, en);
  readonly #checked = new CheckedController(this);
  readonly #errors = new ErrorText(this);
  readonly #virtual = new VirtualList<ConversationRow>(this);
  readonly #keys = new ListKeyboard(this, {
    count: () => this.#rows.shown.length,
    list: () => this.list,
    virtual: this.#virtual,
    open: (index) => this.#open(index),
    toggle: (index) => {
      const row = this.#rows.shown.at(index);
      if (row) this.#checked.toggle(row.conversation.id);
    },
    toggleAll: () => this.#toggleAll(),
  });
  readonly #roving = this.#keys.roving;
  readonly #paging = new InboxPaging(this, () => ({
    client: this.#client(),
    view: this.view,
    count: this.#rows.shown.length,
    searching: isSearchable(this.view) && this.query.trim() !== '',
  }));
  readonly #onRange = (event: RangeChangedEvent) => {
    this.#keys.onRangeChanged(event);
    this.#paging.near(event.last);
  };

  /** The lazy chunks' load, from connect (rendered means with them, once they are asked for). */
  #chunks: Promise<void> | undefined;
  /** Numbers whose consent and opt-outs were asked for (SN5 on the rows). */
  readonly #asked = new Set<string>();
  /** The rows shown: the view, or the search results in it. */
  readonly #rows = new InboxRows();

  /** The ids of the checked conversations, in list order. */
  get selectedConversationIds(): string[] {
    // Read on every render: nothing ticked must not cost a pass over the view's rows.
    if (this.#checked.ids.size === 0) return [];
    return this.#rows.inView(this.#client(), this.view, this.#checked.ids);
  }

  /** Moves keyboard focus to the active row (the open one, or the first). */
  override focus(options?: FocusOptions): void {
    if (this.#rows.shown.length > 0) void this.#roving.focus(this.#roving.activeIndex);
    else super.focus(options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Issue 11: the lazy chunks (the virtualizer; the phone metadata, numbers show formatted once
    // it is here) load once the first rows have painted: their load, evaluation and the
    // re-render they bring stay out of that frame, whenever they arrive.
    const chunks = (this.#chunks ??= afterNextPaint().then(async () => {
      const [, loaded] = await Promise.all([
        loadPhoneFormat().then(
          () => this.requestUpdate(),
          () => undefined,
        ),
        this.#virtual.load(),
      ]);
      // Offline: the next connect asks again.
      if (!loaded && this.#chunks === chunks) this.#chunks = undefined;
    }));
  }

  protected override getUpdateComplete(): Promise<boolean> {
    return this.#virtual.settled(async () => {
      let done = await super.getUpdateComplete();
      const chunks = this.#chunks;
      if (chunks) {
        await chunks;
        if (this.#chunks === chunks) done = await super.getUpdateComplete();
      }
      return done;
    });
  }

  /** Moves focus to the search field (My Inbox and Sent Messages). */
  focusSearch(): void {
    this.renderRoot.querySelector<HTMLInputElement>('[part~="search-input"]')?.focus();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    const previousView = changed.get('view') as ViewKey | undefined;
    if (changed.has('view') && previousView && viewId(previousView) !== viewId(this.view)) {
      this.query = '';
      this.error = null;
      this.#keys.reset();
      if (this.#checked.ids.size > 0) this.#checked.set(new Set());
    }
    // Focus follows the conversation, not the position, when the order changes (V5).
    const activeId = this.#rows.shown.at(this.#roving.activeIndex)?.conversation.id;
    const rows = this.#rows.update(this.#client(), this.view, this.query);
    if (activeId && rows.at(this.#roving.activeIndex)?.conversation.id !== activeId) {
      const index = rows.indexOf(activeId);
      if (index >= 0) this.#roving.setActive(index);
    }
    this.#checked.keepOnly((ids) => this.#rows.inView(this.#client(), this.view, ids));
    if (changed.has('selectedId') && this.selectedId) {
      const index = rows.indexOf(this.selectedId);
      if (index >= 0) this.#roving.setActive(index);
    }
  }

  #client(): DeskClient | undefined {
    return this.#desk.value ? this.#desk.client : undefined;
  }

  #toggleAll(): void {
    this.#checked.toggleAll(this.#rows.shown.ids());
  }

  #open(index: number): void {
    const row = this.#rows.shown.at(index);
    if (!row) return;
    this.#roving.setActive(index);
    this.selectedId = row.conversation.id;
    this.dispatchEvent(
      new CustomEvent<ConversationSelectDetail>('cd-conversation-select', {
        detail: { conversationId: row.conversation.id },
        bubbles: true,
        composed: true,
      }),
    );
  }

  // ---- actions -------------------------------------------------------------------------------

  #onSearchInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
  }

  #onSearchSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    this.query = input.value;
  }

  /**
   * RD2: the owner marks its conversations. RD4: in a Team Inbox (or when an admin marks
   * conversations that someone else owns) the admin confirms first.
   */
  async #mark(read: boolean): Promise<void> {
    const client = this.#client();
    const ids = this.selectedConversationIds;
    if (!client || ids.length === 0) return;
    // RD4: an admin marking another user's conversations confirms first.
    if (ids.some((id) => client.needsConfirmation(id))) {
      this.confirming = { ids, read };
      await this.updateComplete;
      this.dialog?.showModal();
      return;
    }
    await this.#run(() => client.markRead(ids, read));
  }

  async #confirm(): Promise<void> {
    const pending = this.confirming;
    const client = this.#client();
    this.dialog?.close();
    if (!pending || !client) return;
    await this.#run(() => client.markReadAsAdmin(pending.ids, pending.read, { confirmed: true }));
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await action();
    } catch (error) {
      // A refusal changes nothing (the SDK puts optimistic changes back); say why.
      this.error = this.#errors.text(error);
    } finally {
      this.busy = false;
    }
  }

  #requestAssign(): void {
    const conversationIds = this.selectedConversationIds;
    if (conversationIds.length === 0) return;
    this.dispatchEvent(
      new CustomEvent<AssignRequestDetail>('cd-assign-request', {
        detail: { conversationIds },
        bubbles: true,
        composed: true,
      }),
    );
  }

  // ---- rendering -----------------------------------------------------------------------------

  #renderRow(row: ConversationRow | undefined, index: number) {
    // The virtualizer may ask for an index the list no longer has while it catches up.
    if (!row) return html``;
    const state = this.#client()?.getState();
    const c = row.conversation;
    const recipient = state?.recipients.get(c.customer);
    if (!recipient) this.#askRecipient(c.customer);
    return renderRow(this.#t, {
      row,
      index,
      title: row.contact ? row.title : formatPhone(c.customer),
      checked: this.#checked.has(c.id),
      current: c.id === this.selectedId,
      state: rowState(c, recipient),
      now: this.#client()?.clock.now() ?? Date.now(),
      tabIndex: this.#roving.tabIndexFor(index),
      onOpen: () => this.#open(index),
      onCheck: () => {
        this.#roving.setActive(index);
        this.#checked.toggle(c.id);
      },
    });
  }

  /** SN5: rows show an opt-out; a number's policy is asked once, when its row is first shown. */
  #askRecipient(phone: string): void {
    const client = this.#client();
    if (!client || this.#asked.has(phone)) return;
    this.#asked.add(phone);
    client.recipient(phone).catch(() => this.#asked.delete(phone));
  }

  #renderList() {
    const rows = this.#rows.shown;
    if (rows.length === 0) {
      const text = isSearchable(this.view) ? this.query.trim() : '';
      return html`<p part="empty">${emptyText(this.#t, this.view, text)}</p>`;
    }
    return html`<div
      part="list"
      role="listbox"
      aria-multiselectable="true"
      aria-label=${viewLabel(this.#t, this.#client(), this.view)}
      tabindex=${this.#keys.activeRendered() ? -1 : 0}
      @keydown=${this.#keys.onKeydown}
      @focusin=${this.#keys.onFocusIn}
      @rangeChanged=${this.#onRange}
    >
      ${this.#virtual.render(
        rows,
        (row) => row?.conversation.id,
        (row, index) => this.#renderRow(row, index),
      )}
    </div>`;
  }

  protected override render() {
    const t = this.#t;
    const client = this.#desk.client;
    if (client?.getState().status !== 'ready') return renderStatus(t, this.#errors, client);
    const rows = this.#rows.shown;
    // Each ticked row is looked up: a render per event stays O(log n + window).
    let checkedShown = 0;
    for (const id of this.#checked.ids) if (rows.indexOf(id) >= 0) checkedShown++;
    return html`${this.error ? renderAlert(t, this.error, () => (this.error = null)) : nothing}
    ${
      isSearchable(this.view)
        ? renderSearch(
            t,
            this.query,
            (e) => this.#onSearchInput(e),
            (e) => this.#onSearchSubmit(e),
          )
        : nothing
    }
    ${renderToolbar(t, {
      shown: rows.length,
      checkedShown,
      selected: this.selectedConversationIds.length,
      isAdmin: this.#client()?.isAdmin() ?? false,
      busy: this.busy,
      onToggleAll: () => this.#toggleAll(),
      onMark: (read) => void this.#mark(read),
      onAssign: () => this.#requestAssign(),
    })}
    ${this.#renderList()}
    ${renderConfirm(t, {
      pending: this.confirming,
      client: this.#client(),
      view: this.view,
      onClose: () => (this.confirming = null),
      onCancel: () => this.dialog?.close(),
      onConfirm: () => void this.#confirm(),
    })}`;
  }
}
