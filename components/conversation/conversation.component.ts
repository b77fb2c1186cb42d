import { LitElement, html, nothing, type PropertyValues, type ReactiveElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { loadPhoneFormat, type DeskClient, type DeskState } from '../../src/index.js';
import { DeskController } from '../shared/desk-controller.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { LazyPart } from '../shared/lazy.js';
import { LogScroll } from './log-scroll.js';
import { ConversationOpener } from './opener.js';
import { ThreadWindow } from './thread-window.js';
import type { VirtualLog } from './virtual-log.js';
import type { Announcer } from './announcer.js';
import { select, type Selection } from './selection.js';
import { ClockTimer } from '../shared/clock-timer.js';
import { ContactPanelState } from './contact-panel-state.js';
import { mediaUrls } from '../shared/media-urls.js';
import { en } from './conversation.strings.js';
import { hostStyles } from './conversation.host.js';

const MINUTE = 60_000;

/**
 * @tagname cd-conversation
 * @summary The conversation window: messages in order with date separators, direction, media and
 * status ticks (SN7), the WhatsApp care-window countdown (SN3), why the conversation is routed
 * here, the contact form (CT1), read marks (RD1–RD4), and the compose box.
 *
 * Opening marks the conversation read for its owner (RD1); an admin looking at another user's
 * conversation only peeks (RD3) and confirms before marking it read or unread (RD4).
 *
 * @fires cd-send - From the embedded compose box (cancelable).
 * @fires cd-sent - From the embedded compose box.
 *
 * @csspart base - The wrapper.
 * @csspart header - The header: channel, name or number, sender ID.
 * @csspart channel - The channel icon.
 * @csspart title - The contact name, or the number.
 * @csspart sender - The sender ID label.
 * @csspart owner - The owner's name.
 * @csspart unread-badge - "Unread for …", shown to an admin peeking (RD3).
 * @csspart mark-button - Mark read / Mark unread (not shown before the customer has written).
 * @csspart routing - The "why routed here" disclosure.
 * @csspart media-reveal - The button that loads a remote image the customer sent.
 * @csspart contact - The contact form disclosure (CT1).
 * @csspart care-window - The WhatsApp care-window countdown while it is open (SN3); once closed, the compose box says so.
 * @csspart load-older - The "Load older messages" button.
 * @csspart log - The message list (`role="log"`, not live: new messages are announced by a
 * visually hidden live region, not the rows the virtual list draws while the reader scrolls).
 * @csspart skeleton - Message-shaped placeholders while the thread loads.
 * @csspart load-error - Why the thread could not be loaded, with `retry-load` (its Retry button).
 * @csspart empty-thread - A thread with no message yet: says to write the first one.
 * @csspart date-separator - A day heading between messages.
 * @csspart message - A message bubble; also `message-in` or `message-out`.
 * @csspart text - A message's text.
 * @csspart media - A message's attachment.
 * @csspart status - A status tick; also `status-queued|sent|delivered|read|failed`.
 * @csspart status-reason - Why a message failed or is queued.
 * @csspart retry-button - Sends a failed message again.
 * @csspart compose - The embedded `<cd-compose>`.
 * @csspart confirm-dialog - The admin's confirmation dialog (RD4).
 *
 * @cssproperty --cd-conversation-bubble-max-width - The widest a bubble gets.
 * @cssproperty --cd-conversation-incoming - Incoming bubble background.
 * @cssproperty --cd-conversation-outgoing - Outgoing bubble background.
 * @cssproperty --cd-conversation-log-min-height - The message list's smallest height (half the
 * element, at least 8rem); the
 * compose box's panels shrink before the list does.
 */
export class CdConversation extends LitElement {
  static override styles = hostStyles;

  /** The conversation to show; setting it opens it (RD1, RD3). */
  @property({ attribute: 'conversation-id' }) conversationId?: string;

  /**
   * Customer images the user chose to show, as `conversation id + URL`: revealed in that
   * conversation only (a remote URL can be a tracking pixel, a data: SVG can carry anything).
   */
  @state() private revealed: ReadonlySet<string> = new Set();
  @state() private actionError: string | null = null;
  @state() private retrying = new Set<string>();
  @state() private confirming: boolean | null = null;

  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  #last: Selection | undefined;
  readonly #desk = new DeskController<Selection>(this, (s) => this.#select(s));
  readonly #opener = new ConversationOpener(this, {
    client: () => this.#client,
    conversationId: () => this.conversationId,
    conversation: () => this.#last?.[0],
    me: () => this.#last?.[3],
    items: () => this.#window.items(this.#last?.[1]),
    errorText: (error) => this.#errors.text(error),
  });
  readonly #contact = new ContactPanelState(this, {
    client: () => this.#client,
    shown: () => [this.#last?.[0], this.#last?.[2]],
    errorText: (error) => this.#errors.text(error),
  });
  readonly #tick = new ClockTimer(this);
  readonly #scroll = new LogScroll(this, '.log');
  readonly #media = mediaUrls(this);
  /** The templates and styles, loaded when the first conversation opens (not on the desk's first paint). */
  readonly #view = new LazyPart(this, () => import('./conversation.view.js'));
  /** The message list's virtualizer, made with the view (it comes in the view's chunk). */
  #virtual: VirtualLog | undefined;
  #announcer: Announcer | undefined;
  readonly #window = new ThreadWindow(
    this,
    {
      client: () => this.#client,
      conversationId: () => this.conversationId,
      thread: () => this.#last?.[1],
      onError: (error) => (this.actionError = this.#errors.text(error)),
    },
    this.#scroll,
  );

  #select(s: DeskState): Selection {
    return (this.#last = select(s, this.conversationId, this.#last));
  }

  get #client(): DeskClient | undefined {
    const client = this.#desk.client;
    return client && client.getState().status === 'ready' ? client : undefined;
  }

  /** Moves focus to the reply box (or the compose box's first control when free text is off). */
  focusReply(): void {
    this.renderRoot.querySelector<HTMLElement>('cd-compose')?.focus();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Numbers show formatted once the phone metadata has loaded (lazily, off the first load).
    void loadPhoneFormat().then(() => this.requestUpdate());
    void this.#view.load().catch(() => undefined);
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await this.#view.settled(() => super.getUpdateComplete());
    // The compose box inside loads its own view: rendered means with it.
    await this.renderRoot.querySelector<ReactiveElement>('cd-compose')?.updateComplete;
    return done;
  }

  // ---- opening (RD1, RD3) --------------------------------------------------------------------
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      this.#opener.error = null;
      this.actionError = null;
      this.#contact.reset();
      this.confirming = null;
      this.#scroll.reset();
      this.#window.reset();
      this.#virtual?.reset();
    }
  }

  protected override updated(): void {
    const client = this.#client;
    this.#scheduleTick(client);
    const thread = this.#last?.[1];
    this.#scroll.update(this.#window.items(thread).at(-1), !!thread, this.#window.loading);
  }

  // ---- care window countdown (SN3) -----------------------------------------------------------
  /** SN3: re-renders when the shown minute changes, on the desk's clock. */
  #scheduleTick(client: DeskClient | undefined): void {
    const conversation = this.#last?.[0];
    let at: number | null = null;
    if (client && conversation?.channel === 'whatsapp') {
      const window = client.careWindow(conversation.id);
      if (window.open) at = client.clock.now() + (window.remainingMs % MINUTE || MINUTE);
    }
    this.#tick.schedule(client, at);
  }

  // ---- actions -------------------------------------------------------------------------------
  async #retry(messageId: string): Promise<void> {
    const client = this.#client;
    if (!client || this.retrying.has(messageId)) return;
    this.retrying = new Set(this.retrying).add(messageId);
    this.actionError = null;
    try {
      await client.retry(messageId); // SN7: a new attempt; never sent twice
    } catch (error) {
      this.actionError = this.#errors.text(error);
    } finally {
      const next = new Set(this.retrying);
      next.delete(messageId);
      this.retrying = next;
    }
  }

  /** RD2 for the owner; RD4 for an admin, after the confirmation dialog. */
  async #mark(read: boolean, asAdmin: boolean): Promise<void> {
    const client = this.#client;
    const id = this.conversationId;
    if (!client || !id) return;
    this.actionError = null;
    try {
      if (asAdmin) await client.markReadAsAdmin([id], read, { confirmed: true });
      else await client.markRead([id], read);
    } catch (error) {
      this.actionError = this.#errors.text(error);
    }
  }

  #askConfirmation(read: boolean): void {
    this.confirming = read;
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector('dialog');
      if (dialog && !dialog.open) dialog.showModal();
    });
  }

  #closeDialog(confirmed: boolean): void {
    const read = this.confirming;
    this.renderRoot.querySelector('dialog')?.close();
    this.confirming = null;
    if (confirmed && read !== null) void this.#mark(read, true);
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>('[part~="mark-button"]')?.focus(),
    );
  }

  // ---- rendering -----------------------------------------------------------------------------
  readonly #reopen = () => this.#opener.retry();

  protected override render() {
    const view = this.#view.value;
    if (!view) return nothing;
    const { renderCareWindow, renderConfirmDialog, renderContactPanel, renderHeader } = view;
    const { renderLoadOlder, renderMessages, renderThreadState, titleOf } = view;
    this.#virtual ??= new view.VirtualLog(
      this,
      () => this.renderRoot.querySelector<HTMLElement>('.log'),
      () => this.#scroll.followEnd(),
    );
    this.#announcer ??= new view.Announcer();
    const t = this.#t;
    const client = this.#client;
    const [conversation, thread, contact, , senders, users] = this.#last ?? [];
    if (!this.conversationId) {
      return html`<div part="base" class="conversation empty"><p>${t.term('empty')}</p></div>`;
    }
    if (!client || !conversation) {
      // While the client connects, or when the conversation could not be opened.
      const state = { loaded: false, count: 0, error: this.#opener.error, onRetry: this.#reopen };
      return html`<div part="base" class="conversation">${renderThreadState(t, state)}</div>`;
    }
    const title = titleOf(conversation, contact);
    const sender = senders?.get(conversation.senderId);
    const ownerName = users?.get(conversation.ownerId)?.name ?? conversation.ownerId;
    const items = this.#window.items(thread);
    const loadingOlder = this.#window.loading;
    const routing = conversation.routing;

    return html`<section part="base" class="conversation" aria-labelledby="title">
      ${renderHeader(t, {
        conversation,
        contact,
        me: this.#last?.[3],
        senderLabel: sender?.label,
        ownerName,
        panelOpen: this.#contact.open,
        onTogglePanel: () => this.#contact.toggle(),
        onMark: (read) => void this.#mark(read, false),
        onAskConfirmation: (read) => this.#askConfirmation(read),
        onAssign: () =>
          this.dispatchEvent(
            new CustomEvent('cd-assign-request', {
              detail: { conversationIds: [conversation.id] },
              bubbles: true,
              composed: true,
            }),
          ),
      })}
      <div class="details">
        ${
          routing
            ? html`<details part="routing" class="routing">
                <summary>${t.term('routingTitle')}</summary>
                <p title=${t.term('ruleTooltip', routing.rule)}>
                  ${t.term(routing.rule, users?.get(routing.ownerId)?.name ?? routing.ownerId)}
                </p>
              </details>`
            : nothing
        }
      </div>
      ${
        this.#contact.open
          ? renderContactPanel(t, {
              conversation,
              contact,
              recipient: this.#last?.[7],
              senderLabel: sender?.label ?? conversation.senderId,
              ownerName,
              window: client.careWindow(conversation.id),
              saving: this.#contact.saving,
              error: this.#contact.error,
              saved: this.#contact.saved,
              onSave: (event) => void this.#contact.save(event),
              onClose: () => this.#contact.toggle(false),
            })
          : nothing
      }
      ${renderCareWindow(t, conversation, client.careWindow(conversation.id))}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      ${
        this.#opener.error && thread?.loaded
          ? html`<p class="error" role="alert">${this.#opener.error}</p>`
          : nothing
      }
      ${
        this.#window.hasOlder(thread)
          ? renderLoadOlder(t, loadingOlder, () => void this.#window.older())
          : nothing
      }
      <div
        part="log"
        class="log"
        role="log"
        aria-live="off"
        aria-label=${t.term('messages')}
        aria-busy=${this.#opener.opening || loadingOlder ? 'true' : 'false'}
        tabindex="0"
        @scroll=${this.#window.onScroll}
      >
        ${
          renderThreadState(t, {
            loaded: !!thread?.loaded,
            count: items.length,
            error: this.#opener.error,
            onRetry: () => this.#opener.retry(),
          }) ??
          renderMessages(
            t,
            {
              items,
              customerName: title,
              me: this.#last?.[3],
              users,
              conversationId: conversation.id,
              revealed: this.revealed,
              onReveal: (key) => (this.revealed = new Set(this.revealed).add(key)),
              retrying: this.retrying,
              onRetry: (id) => void this.#retry(id),
              mediaSrc: (url) => this.#media(this.#client, url),
            },
            this.#virtual,
          )
        }
      </div>
      ${this.#announcer.render(t, {
        conversationId: conversation.id,
        thread,
        customerName: title,
        me: this.#last?.[3],
        users,
      })}
      <cd-compose part="compose" .conversationId=${conversation.id}></cd-compose>
      ${renderConfirmDialog(t, this.confirming, ownerName, (ok) => this.#closeDialog(ok))}
    </section>`;
  }
}
