import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { type DeskClient, type ViewKey } from '../../src/index.js';
import { deskContext } from '../shared/context.js';
import { icons } from '../shared/icons.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { tokens } from '../shared/tokens.js';
import { en } from './desk.strings.js';
import { styles } from './desk.styles.js';
import { shortcutFor, type ShortcutAction } from './shortcuts.js';
import { LazyPart } from '../shared/lazy.js';
import { MINE, renderNav, viewTitle } from './desk-nav.js';
import { AssignFlow } from './assign-flow.js';
import { DeskNotifications, type DeskNotificationDetail } from './notifications.js';

export type { DeskNotificationDetail };

type Pane = 'nav' | 'list' | 'main';
type Main = 'empty' | 'conversation' | 'new';

type Focusable = HTMLElement & { focusSearch?(): void; focusReply?(): void };

/**
 * @tagname cd-desk
 * @summary The whole desk: navigation between My Inbox, each Sender ID inbox, the Team Inbox
 * (admins only) and Sent Messages, each with its unread count; the list with its search; the
 * conversation window; the new-conversation form; assignment; and the unread count in the tab
 * title (N1).
 *
 * Provides its `client` to every element inside it, and connects it if it is idle. On narrow
 * widths (below 40rem of its own width) it shows one pane at a time with a Back button; up to
 * 64rem, the list and the conversation side by side, the inboxes one Back away.
 *
 * @fires {CustomEvent<DeskNotificationDetail>} cd-notification - N1: an incoming message or an
 *   assignment for the signed-in user; the detail is the SDK's `notification` event.
 *
 * @csspart base - The grid holding the three panes.
 * @csspart nav - The navigation pane.
 * @csspart new-button - The "New conversation" button.
 * @csspart nav-heading - A heading in the navigation (Sender ID inboxes, Team Inbox).
 * @csspart nav-list - A list of navigation entries.
 * @csspart nav-item - One navigation entry (a button); the current one has `aria-current="page"`.
 * @csspart nav-label - An entry's name.
 * @csspart badge - An entry's unread count.
 * @csspart list - The list pane.
 * @csspart list-heading - The name of the list shown.
 * @csspart inbox - The `<cd-inbox>` list.
 * @csspart conversation - The conversation pane.
 * @csspart conversation-window - The `<cd-conversation>` of the selected conversation.
 * @csspart new-conversation - The `<cd-new-conversation>` form.
 * @csspart empty - What the conversation pane shows when nothing is selected.
 * @csspart back-button - The Back buttons shown on narrow widths.
 * @csspart status - The loading and error states.
 * @csspart retry-button - The button that connects again after an error.
 * @csspart assign-dialog - The `<cd-assign-dialog>`.
 *
 * @cssproperty --cd-desk-height - The desk's height (default 100% of its container).
 * @cssproperty --cd-desk-nav-width - Width of the navigation pane.
 * @cssproperty --cd-desk-list-width - Width of the list pane.
 * @cssproperty --cd-desk-badge-color - Background of the unread badges.
 * @cssproperty --cd-desk-current-color - Background of the current navigation entry.
 */
export class CdDesk extends LitElement {
  static override styles = [tokens, styles];

  /** The desk client of the signed-in user; connected by the desk if it is idle. */
  @property({ attribute: false }) client?: DeskClient;

  /**
   * N1: keep the unseen count in `document.title` as `(n) title`. Set to false (or the attribute
   * `manage-title="false"`) when the host page manages its title from `cd-notification`.
   */
  @property({
    attribute: 'manage-title',
    converter: { fromAttribute: (value: string | null) => value !== 'false' },
  })
  manageTitle = true;

  @state() private view: ViewKey = MINE;
  @state() private selectedId: string | null = null;
  @state() private main: Main = 'empty';
  @state() private pane: Pane = 'list';
  @state() private helpOpen = false;

  readonly #provider = new ContextProvider(this, { context: deskContext });
  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  /** The shortcuts help dialog, loaded the first time it opens. */
  readonly #help = new LazyPart(this, () => import('./shortcuts-dialog.js'));
  readonly #assign = new AssignFlow(
    this,
    () => this.client,
    (count, name) => this.#t.term('assigned', count, name),
  );
  #attached: DeskClient | undefined;
  #unsubscribe: (() => void) | null = null;
  readonly #notifications = new DeskNotifications(this, {
    client: () => this.client,
    manageTitle: () => this.manageTitle,
    title: (count, base) => this.#t.term('titleCount', count, base),
  });
  /** Where focus goes after the next render; `narrow` targets only when panes are stacked. */
  #focusAfterUpdate: { selector: string; narrow: boolean } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.#onShortcut);
    if (this.#attached) this.#attach(this.#attached);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#onShortcut);
    this.#detach();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client')) {
      this.#provider.setValue(this.client);
      this.#attach(this.client);
      this.view = MINE;
      this.selectedId = null;
      this.main = 'empty';
    }
    if (changed.has('manageTitle')) this.#notifications.syncTitle();
  }

  protected override updated(): void {
    const focus = this.#focusAfterUpdate;
    this.#focusAfterUpdate = null;
    if (!focus || (focus.narrow && !this.#narrow())) return;
    const target = this.renderRoot.querySelector<HTMLElement>(focus.selector);
    // A child element focuses what it delegates to once it has rendered.
    void Promise.resolve(
      (target as { updateComplete?: Promise<unknown> } | null)?.updateComplete,
    ).then(() => target?.focus());
  }

  /** Whether panes are stacked (the Back buttons show): the pane that had focus is now hidden. */
  #narrow(): boolean {
    const back = this.renderRoot.querySelector<HTMLElement>('[part="back-button"]');
    return !!back && getComputedStyle(back).display !== 'none';
  }

  // ---- the client ----------------------------------------------------------------------------

  #attach(client: DeskClient | undefined): void {
    this.#detach();
    this.#attached = client;
    if (!client || !this.isConnected) return;
    this.#unsubscribe = client.subscribe((next, prev) => {
      if (
        next.status !== prev.status ||
        next.conversations !== prev.conversations ||
        next.me !== prev.me ||
        next.users !== prev.users ||
        next.senders !== prev.senders ||
        next.error !== prev.error ||
        next.viewCounts !== prev.viewCounts
      ) {
        this.requestUpdate();
      }
      if (next.status !== prev.status) this.#notifications.listen(client);
      if (next.unseenNotifications !== prev.unseenNotifications || next.status !== prev.status) {
        this.#notifications.syncTitle();
      }
    });
    this.#notifications.listen(client);
    if (client.getState().status === 'idle') this.#connect();
    this.#notifications.syncTitle();
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#notifications.stop();
  }

  #connect(): void {
    // A failure is shown from the store's `status: 'error'`.
    this.client?.connect().catch(() => undefined);
  }

  // ---- navigation ----------------------------------------------------------------------------

  #show(view: ViewKey): void {
    this.view = view;
    this.pane = 'list';
    this.#focusAfterUpdate = { selector: '#list-heading', narrow: true };
  }

  #onSelect(event: CustomEvent<{ conversationId: string }>): void {
    const id = event.detail?.conversationId;
    if (!id) return;
    this.selectedId = id;
    this.main = 'conversation';
    this.pane = 'main';
    this.#focusAfterUpdate = { selector: '.main [part="back-button"]', narrow: true };
  }

  #onAssignRequest(event: CustomEvent<{ conversationIds: string[] }>): void {
    this.#assign.open(event.detail?.conversationIds ?? []);
  }

  // ---- keyboard shortcuts ----------------------------------------------------------------------

  readonly #onShortcut = (event: KeyboardEvent): void => {
    if (this.client?.getState().status !== 'ready') return;
    const path = event.composedPath();
    if (!path.includes(this) && path[0] !== document.body) return;
    const action = shortcutFor(event);
    if (!action) return;
    event.preventDefault();
    this.#runShortcut(action);
  };

  #runShortcut(action: ShortcutAction): void {
    const inbox = this.renderRoot.querySelector<Focusable>('cd-inbox');
    switch (action) {
      case 'next':
      case 'previous': {
        const rows = this.client!.view(this.view).rows;
        const at = rows.findIndex((r) => r.conversation.id === this.selectedId);
        const next = rows[action === 'next' ? at + 1 : at < 0 ? 0 : at - 1];
        if (!next) return;
        this.selectedId = next.conversation.id;
        this.main = 'conversation';
        this.pane = 'main';
        void this.updateComplete.then(() => inbox?.focus());
        return;
      }
      case 'search':
        if (this.view.kind !== 'mine' && this.view.kind !== 'sent') this.view = MINE;
        this.pane = 'list';
        void this.updateComplete.then(() =>
          this.renderRoot.querySelector<Focusable>('cd-inbox')?.focusSearch?.(),
        );
        return;
      case 'reply':
        this.renderRoot.querySelector<Focusable>('cd-conversation')?.focusReply?.();
        return;
      case 'assign':
        if (this.client!.isAdmin() && this.selectedId) {
          this.#assign.open([this.selectedId]);
        }
        return;
      case 'help':
        this.#showHelp();
    }
  }

  #showHelp(): void {
    void this.#help.load().then(() => {
      this.helpOpen = true;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLDialogElement>('[part="shortcuts-dialog"]')?.showModal(),
      );
    });
  }

  #onNew(): void {
    this.main = 'new';
    this.pane = 'main';
    this.#focusAfterUpdate = { selector: 'cd-new-conversation', narrow: false };
  }

  #onStarted(event: CustomEvent<{ conversationId: string }>): void {
    this.selectedId = event.detail.conversationId;
    this.main = 'conversation';
  }

  #onNewClose(): void {
    this.main = this.selectedId ? 'conversation' : 'empty';
    if (!this.selectedId) this.pane = 'list';
  }

  #renderMain(): TemplateResult {
    const t = this.#t;
    if (this.main === 'new') {
      return html`<cd-new-conversation
        part="new-conversation"
        @cd-conversation-started=${this.#onStarted}
        @cd-close=${this.#onNewClose}
      ></cd-new-conversation>`;
    }
    if (this.main === 'conversation' && this.selectedId) {
      return html`<cd-conversation
        part="conversation-window"
        .conversationId=${this.selectedId}
      ></cd-conversation>`;
    }
    return html`<p part="empty" class="empty">${t.term('empty')}</p>`;
  }

  protected override render() {
    const t = this.#t;
    const state = this.client?.getState();
    if (state?.status === 'error') {
      return html`<div part="status" class="status error" role="alert">
        <p>${icons.warning} ${t.term('error')}</p>
        ${state.error ? html`<p class="detail">${this.#errors.text(state.error)}</p>` : nothing}
        <button type="button" part="retry-button" @click=${this.#connect}>
          ${t.term('retry')}
        </button>
      </div>`;
    }
    if (state?.status !== 'ready' || !state.me) {
      return html`<div part="status" class="status" role="status">${t.term('loading')}</div>`;
    }
    const listTitle = viewTitle(t, this.client, this.view);
    return html`
      <div
        part="base"
        class="desk"
        data-pane=${this.pane}
        @cd-conversation-select=${this.#onSelect}
        @cd-assign-request=${this.#onAssignRequest}
      >
        ${renderNav(t, {
          client: this.client!,
          current: this.view,
          onShow: (view) => this.#show(view),
          onNew: () => this.#onNew(),
          onHelp: () => this.#showHelp(),
        })}
        <section part="list" class="list" aria-labelledby="list-heading">
          <header class="pane-header">
            <button
              type="button"
              part="back-button"
              class="back"
              aria-label=${t.term('backToInboxes')}
              @click=${() => {
                this.pane = 'nav';
                this.#focusAfterUpdate = {
                  selector: '[part="nav-item"][aria-current="page"]',
                  narrow: true,
                };
              }}
            >
              <span aria-hidden="true">‹</span> ${t.term('back')}
            </button>
            <h2 id="list-heading" part="list-heading" tabindex="-1">${listTitle}</h2>
          </header>
          <cd-inbox part="inbox" .view=${this.view} .selectedId=${this.selectedId}></cd-inbox>
        </section>
        <section part="conversation" class="main" aria-label=${t.term('conversationPane')}>
          <header class="pane-header">
            <button
              type="button"
              part="back-button"
              class="back"
              aria-label=${t.term('backToList')}
              @click=${() => {
                this.pane = 'list';
                this.#focusAfterUpdate = { selector: '#list-heading', narrow: true };
              }}
            >
              <span aria-hidden="true">‹</span> ${t.term('back')}
            </button>
          </header>
          ${this.#renderMain()}
        </section>
      </div>
      ${this.#assign.render()}
      ${
        this.helpOpen && this.#help.value
          ? this.#help.value.renderShortcutsDialog(t, this.client!.isAdmin(), () => {
              this.helpOpen = false;
            })
          : nothing
      }
    `;
  }
}
