import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  contactName,
  isAdmin,
  markMode,
  readOnOpen,
  formatPhone,
  loadPhoneFormat,
  type Contact,
  type Conversation,
  type DeskClient,
  type DeskState,
  type Media,
  type RecipientPolicy,
  type Message,
  type Thread,
} from '../../src/index.js';
import { DeskController } from '../shared/desk-controller.js';
import { icons } from '../shared/icons.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { linkify, safeHref, safeMediaSrc } from '../shared/safe.js';
import { styles } from './conversation.styles.js';
import { careText, renderContactPanel } from './contact-panel.js';
import { en } from './conversation.strings.js';

type Selection = readonly [
  Conversation | undefined,
  Thread | undefined,
  Contact | undefined,
  DeskState['me'],
  DeskState['senders'],
  DeskState['users'],
  DeskState['status'],
  RecipientPolicy | undefined,
];

const MINUTE = 60_000;
const dayKey = (at: number) => {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
};

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
 * @csspart care-window - The WhatsApp care-window banner (SN3).
 * @csspart load-older - The "Load older messages" button.
 * @csspart log - The message list (`role="log"`).
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
  static override styles = styles;

  /** The conversation to show; setting it opens it (RD1, RD3). */
  @property({ attribute: 'conversation-id' }) conversationId?: string;

  @state() private opening = false;
  @state() private openError: string | null = null;
  @state() private loadingOlder = false;
  /**
   * Customer images the user chose to show, as `conversation id + URL`: revealed in that
   * conversation only (a remote URL can be a tracking pixel, a data: SVG can carry anything).
   */
  @state() private revealed: ReadonlySet<string> = new Set();
  @state() private actionError: string | null = null;
  @state() private retrying = new Set<string>();
  @state() private savingContact = false;
  @state() private contactError: string | null = null;
  @state() private contactSaved = false;
  @state() private confirming: boolean | null = null;
  /** The contact side panel is open. */
  @state() private panelOpen = false;

  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  #last: Selection | undefined;
  readonly #desk = new DeskController<Selection>(this, (s) => this.#select(s));
  #openedId: string | null = null;
  #openedClient: DeskClient | null = null;
  #lastIncomingSeen: string | undefined;
  #tickTimer: unknown = null;
  #tickAt: number | null = null;
  #tickClient: DeskClient | null = null;
  #lastMessageId: string | undefined;
  #keepScrollFromBottom: number | null = null;
  /** Whether the list was scrolled to its end at the last scroll (or open). */
  #atBottom = true;
  #observedLog: HTMLElement | null = null;
  /** The list's height when the ResizeObserver last reported it. */
  #logHeight: number | null = null;
  /** The list keeps to its end when its height changes (a compose panel opens, the pane shows). */
  readonly #resize = new ResizeObserver(() => this.#onLogResize());

  #select(s: DeskState): Selection {
    const id = this.conversationId;
    const conversation = id ? s.conversations.get(id) : undefined;
    const thread = id ? s.threads.get(id) : undefined;
    const contact = conversation ? s.contacts.get(conversation.customer) : undefined;
    const recipient = conversation ? s.recipients.get(conversation.customer) : undefined;
    const next = [
      conversation,
      thread,
      contact,
      s.me,
      s.senders,
      s.users,
      s.status,
      recipient,
    ] as const;
    if (this.#last && next.every((v, i) => v === this.#last![i])) return this.#last;
    return (this.#last = next);
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
    if (this.hasUpdated) this.#observeLog();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
    this.#observedLog = null;
    this.#logHeight = null;
    this.#clearTick();
    const client = this.#openedClient;
    if (client && client.getState().openConversationId === this.#openedId) client.close();
    this.#openedId = null;
    this.#openedClient = null;
  }

  // ---- opening (RD1, RD3) --------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      this.openError = null;
      this.actionError = null;
      this.contactError = null;
      this.contactSaved = false;
      this.confirming = null;
      this.#lastMessageId = undefined;
      this.#atBottom = true;
    }
    const client = this.#client;
    const id = this.conversationId;
    if (client && id && (this.#openedId !== id || this.#openedClient !== client)) {
      void this.#open(client, id);
    } else if (client && !id && this.#openedId) {
      if (client.getState().openConversationId === this.#openedId) client.close();
      this.#openedId = null;
    }
  }

  protected override updated(): void {
    const client = this.#client;
    this.#markNewIncomingRead(client);
    this.#scheduleTick(client);
    this.#observeLog();
    this.#scroll();
  }

  async #open(client: DeskClient, id: string): Promise<void> {
    this.#openedId = id;
    this.#openedClient = client;
    this.opening = true;
    this.openError = null;
    try {
      // RD1: marks read for the owner; RD3: an admin peeking changes nothing (the SDK decides).
      await client.open(id);
      if (this.conversationId === id) {
        const items = client.getState().threads.get(id)?.items ?? [];
        this.#lastIncomingSeen = items.findLast((m) => m.direction === 'in')?.id;
      }
    } catch (error) {
      if (this.conversationId === id) this.openError = this.#message(error);
    } finally {
      if (this.conversationId === id) this.opening = false;
    }
  }

  /** The newest incoming message of the thread, so a new one can be told from a re-render. */
  #lastIncomingId(): string | undefined {
    return this.#last?.[1]?.items.findLast((m) => m.direction === 'in')?.id;
  }

  /** RD1: while the owner has the conversation open, a new incoming message is read at once. */
  #markNewIncomingRead(client: DeskClient | undefined): void {
    const [conversation, , , me] = this.#last ?? [];
    if (!client || !conversation || !me || this.opening) return;
    if (this.#openedId !== conversation.id) return;
    const lastIncoming = this.#lastIncomingId();
    if (lastIncoming === this.#lastIncomingSeen) return;
    this.#lastIncomingSeen = lastIncoming;
    // RD3: only the owner's own view marks read; an admin's peek never does.
    if (!readOnOpen(conversation, me)) return;
    if (document.visibilityState !== 'visible') return;
    // After this update, not inside it.
    queueMicrotask(() => void client.markRead([conversation.id], true).catch(() => {}));
  }

  async #loadOlder(): Promise<void> {
    const client = this.#client;
    const id = this.conversationId;
    if (!client || !id || this.loadingOlder) return;
    const log = this.renderRoot.querySelector<HTMLElement>('.log');
    this.#keepScrollFromBottom = log ? log.scrollHeight - log.scrollTop : null;
    this.loadingOlder = true;
    try {
      await client.loadOlder(id);
    } catch (error) {
      this.actionError = this.#message(error);
    } finally {
      this.loadingOlder = false;
    }
  }

  /** New messages at the end scroll into view; older ones loaded above keep the position. */
  #scroll(): void {
    const log = this.renderRoot.querySelector<HTMLElement>('.log');
    const items = this.#last?.[1]?.items;
    if (!log || !items) return;
    if (this.#keepScrollFromBottom !== null && !this.loadingOlder) {
      log.scrollTop = log.scrollHeight - this.#keepScrollFromBottom;
      this.#keepScrollFromBottom = null;
    }
    const lastId = items[items.length - 1]?.id;
    if (lastId !== this.#lastMessageId) {
      this.#lastMessageId = lastId;
      log.scrollTop = log.scrollHeight;
      this.#atBottom = true;
    }
  }

  #observeLog(): void {
    const log = this.renderRoot.querySelector<HTMLElement>('.log');
    if (log === this.#observedLog) return;
    if (this.#observedLog) this.#resize.unobserve(this.#observedLog);
    this.#observedLog = log;
    this.#logHeight = null;
    if (log) this.#resize.observe(log);
  }

  #onLogScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    // A resize the observer has not reported yet moves the end: the observer decides then.
    if (this.#logHeight !== null && log.clientHeight !== this.#logHeight) return;
    this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= 8;
  }

  /** A list that was at its end stays there when it gets shorter or taller. */
  #onLogResize(): void {
    const log = this.#observedLog;
    if (!log) return;
    this.#logHeight = log.clientHeight;
    if (this.#atBottom) log.scrollTop = log.scrollHeight;
  }

  // ---- care window countdown (SN3) -----------------------------------------------------------

  /** Re-renders when the shown minute changes, on the desk's clock (a manual clock in tests). */
  #scheduleTick(client: DeskClient | undefined): void {
    const conversation = this.#last?.[0];
    let at: number | null = null;
    if (client && conversation?.channel === 'whatsapp') {
      const window = client.careWindow(conversation.id);
      if (window.open) at = client.clock.now() + (window.remainingMs % MINUTE || MINUTE);
    }
    if (at === this.#tickAt) return;
    this.#clearTick();
    if (at === null || !client) return;
    this.#tickAt = at;
    this.#tickClient = client;
    this.#tickTimer = client.clock.setTimeout(() => {
      this.#tickTimer = null;
      this.#tickAt = null;
      this.requestUpdate();
    }, at - client.clock.now());
  }

  #clearTick(): void {
    if (this.#tickTimer !== null) this.#tickClient?.clock.clearTimeout(this.#tickTimer);
    this.#tickTimer = null;
    this.#tickClient = null;
    this.#tickAt = null;
  }

  // ---- actions -------------------------------------------------------------------------------

  #message(error: unknown): string {
    return this.#errors.text(error);
  }

  async #retry(messageId: string): Promise<void> {
    const client = this.#client;
    if (!client || this.retrying.has(messageId)) return;
    this.retrying = new Set(this.retrying).add(messageId);
    this.actionError = null;
    try {
      await client.retry(messageId); // SN7: a new attempt; never sent twice
    } catch (error) {
      this.actionError = this.#message(error);
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
      this.actionError = this.#message(error);
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

  /** CT1: save the number as a contact, or edit the contact. */
  async #saveContact(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.#client;
    const [conversation, , contact] = this.#last ?? [];
    if (!client || !conversation || this.savingContact) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const firstName = String(data.get('firstName') ?? '');
    const lastName = String(data.get('lastName') ?? '');
    this.savingContact = true;
    this.contactError = null;
    this.contactSaved = false;
    try {
      if (contact) await client.updateContact(contact.id, { firstName, lastName });
      else await client.saveContact({ phone: conversation.customer, firstName, lastName });
      this.contactSaved = true;
    } catch (error) {
      this.contactError = this.#message(error);
    } finally {
      this.savingContact = false;
    }
  }

  // ---- rendering -----------------------------------------------------------------------------

  #statusLabel(message: Message): string {
    const t = this.#t;
    switch (message.status) {
      case 'queued':
        if (message.queueReason === 'business_hours' && message.queuedUntil !== undefined) {
          return t.term(
            'queuedUntil',
            t.date(message.queuedUntil, { dateStyle: 'medium', timeStyle: 'short' }),
          );
        }
        if (message.queueReason === 'offline') return t.term('queuedOffline');
        if (message.queueReason === 'network') return t.term('queuedNetwork');
        return t.term('statusQueued');
      case 'sent':
        return t.term('statusSent');
      case 'delivered':
        return t.term('statusDelivered');
      case 'read':
        return t.term('statusRead');
      case 'failed': {
        const reason = message.failureReason;
        return t.term(
          'failedBecause',
          reason === 'network'
            ? t.term('networkFailure')
            : reason && reason !== 'unknown'
              ? reason
              : t.term('unknownFailure'),
        );
      }
    }
  }

  /** SN7: clock, single tick, double tick, blue double tick, red triangle; each with a label. */
  #renderStatus(message: Message) {
    const icon = {
      queued: icons.clock,
      sent: icons.tick,
      delivered: icons.doubleTick,
      read: icons.doubleTick,
      failed: icons.warning,
    }[message.status];
    const label = this.#statusLabel(message);
    const showReason =
      message.status === 'failed' ||
      (message.status === 'queued' && message.queueReason === 'business_hours');
    return html`<span
        part="status status-${message.status}"
        class="status ${message.status}"
        role="img"
        aria-label=${label}
        title=${label}
        >${icon}</span
      >${
        showReason
          ? html`<span
              part="status-reason"
              class="status-reason ${message.status}"
              aria-hidden="true"
              >${label}</span
            >`
          : nothing
      }`;
  }

  #renderMedia(media: Media, fromCustomer: boolean) {
    if (media.mimeType.startsWith('image/')) {
      const src = safeMediaSrc(media.url);
      // Our own attachments are data: URLs we made; a customer's image waits for a click.
      const held = src && (fromCustomer || !src.startsWith('data:'));
      const key = `${this.conversationId} ${src}`;
      if (src && held && !this.revealed.has(key)) {
        const from = src.startsWith('data:') ? null : new URL(src).host;
        return html`<button
          type="button"
          part="media media-reveal"
          class="media-file"
          @click=${() => (this.revealed = new Set(this.revealed).add(key))}
        >
          ${icons.paperclip}
          ${
            from
              ? this.#t.term('showImage', media.fileName, from)
              : this.#t.term('showAttachedImage', media.fileName)
          }
        </button>`;
      }
      if (src) {
        return html`<img part="media" class="media-image" src=${src} alt=${media.fileName} />`;
      }
    }
    const href = safeHref(media.url);
    return href
      ? html`<a
          part="media"
          class="media-file"
          href=${href}
          target="_blank"
          rel="noopener noreferrer"
          >${icons.paperclip} ${media.fileName}</a
        >`
      : html`<span part="media" class="media-file">${icons.paperclip} ${media.fileName}</span>`;
  }

  #renderText(text: string) {
    return linkify(text).map((part) =>
      part.href
        ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>`
        : part.text,
    );
  }

  #renderMessage(message: Message, customerName: string) {
    const t = this.#t;
    const [, , , me, , users] = this.#last ?? [];
    const out = message.direction === 'out';
    const author = out
      ? message.sentBy && message.sentBy !== me?.id
        ? (users?.get(message.sentBy)?.name ?? message.sentBy)
        : t.term('you')
      : customerName;
    const time = t.date(message.createdAt, { hour: 'numeric', minute: '2-digit' });
    return html`<div
      part="message message-${message.direction}"
      class="message ${message.direction} ${message.status}"
      data-message-id=${message.id}
      data-status=${message.status}
    >
      <span class="visually-hidden">${t.term('wrote', author)}</span>
      ${message.campaign ? html`<span class="badge">${t.term('campaign')}</span>` : nothing}
      ${
        message.template
          ? html`<span class="badge"
              >${icons.template} ${t.term('template', message.template.name)}</span
            >`
          : nothing
      }
      ${message.text ? html`<p part="text" class="text">${this.#renderText(message.text)}</p>` : nothing}
      ${
        message.media.length
          ? html`<div class="media">
              ${message.media.map((m) => this.#renderMedia(m, message.direction === 'in'))}
            </div>`
          : nothing
      }
      <div class="meta">
        ${
          out && message.sentBy && message.sentBy !== me?.id
            ? html`<span class="by">${t.term('sentBy', author)}</span>`
            : nothing
        }
        <time datetime=${new Date(message.createdAt).toISOString()}>${time}</time>
        ${out ? this.#renderStatus(message) : nothing}
      </div>
      ${
        out && message.status === 'failed'
          ? html`<button
              type="button"
              part="retry-button"
              class="retry"
              ?disabled=${this.retrying.has(message.id)}
              @click=${() => this.#retry(message.id)}
            >
              ${this.retrying.has(message.id) ? t.term('retrying') : t.term('retry')}
            </button>`
          : nothing
      }
    </div>`;
  }

  #renderMessages(items: readonly Message[], customerName: string) {
    const rows: Array<{ key: string; day?: number; message?: Message }> = [];
    let day = '';
    for (const message of items) {
      const key = dayKey(message.createdAt);
      if (key !== day) {
        day = key;
        rows.push({ key: `day:${key}`, day: message.createdAt });
      }
      rows.push({ key: message.id, message });
    }
    return repeat(
      rows,
      (row) => row.key,
      (row) =>
        row.message
          ? this.#renderMessage(row.message, customerName)
          : html`<h3 part="date-separator" class="date">
              <span>${this.#t.date(row.day!, { dateStyle: 'full' })}</span>
            </h3>`,
    );
  }

  #renderCareWindow(client: DeskClient, conversation: Conversation) {
    if (conversation.channel !== 'whatsapp') return nothing;
    const window = client.careWindow(conversation.id);
    return html`<p part="care-window" class="care ${window.open ? 'open' : 'closed'}">
      ${icons.clock} <span>${careText(this.#t, window)}</span>
    </p>`;
  }

  /** The header's actions: the contact panel, and for an admin, assign (A1) without a list. */
  #renderHeaderActions(conversation: Conversation) {
    const t = this.#t;
    const me = this.#last?.[3];
    const admin = !!me && isAdmin(me);
    return html`<button
        type="button"
        part="contact-button"
        class="secondary"
        aria-expanded=${this.panelOpen ? 'true' : 'false'}
        aria-controls="contact-panel"
        @click=${() => this.#togglePanel()}
      >
        ${t.term('contact')}
      </button>
      ${
        admin
          ? html`<button
              type="button"
              part="assign-button"
              class="secondary"
              title=${t.term('assignTo')}
              @click=${() =>
                this.dispatchEvent(
                  new CustomEvent('cd-assign-request', {
                    detail: { conversationIds: [conversation.id] },
                    bubbles: true,
                    composed: true,
                  }),
                )}
            >
              ${t.term('assign')}
            </button>`
          : nothing
      }`;
  }

  #togglePanel(open = !this.panelOpen): void {
    this.panelOpen = open;
    if (open) {
      const phone = this.#last?.[0]?.customer;
      // SN4, SN5: consent and opt-outs for the panel (cached and kept current by the SDK).
      if (phone) this.#client?.recipient(phone).catch(() => undefined);
    }
    void this.updateComplete.then(() =>
      this.renderRoot
        .querySelector<HTMLElement>(
          open ? '[part~="contact-panel"] input' : '[part~="contact-button"]',
        )
        ?.focus(),
    );
  }

  #renderReadActions(conversation: Conversation, ownerName: string) {
    const t = this.#t;
    const me = this.#last?.[3];
    if (!me) return nothing;
    const mode = markMode(conversation, me); // RD2, RD4
    if (!mode) return nothing;
    const isOwner = mode === 'owner';
    const read = conversation.unread;
    return html`${
        !isOwner && conversation.unread
          ? html`<span part="unread-badge" class="badge unread"
              >${t.term('unreadFor', ownerName)}</span
            >`
          : nothing
      }
      <button
        type="button"
        part="mark-button"
        class="secondary"
        @click=${() => (isOwner ? this.#mark(read, false) : this.#askConfirmation(read))}
      >
        ${read ? t.term('markRead') : t.term('markUnread')}
      </button>`;
  }

  #renderDialog(ownerName: string) {
    const t = this.#t;
    const read = this.confirming;
    return html`<dialog
      part="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      @cancel=${(e: Event) => {
        e.preventDefault();
        this.#closeDialog(false);
      }}
    >
      ${
        read === null
          ? nothing
          : html`<h2 id="confirm-title">
                ${read ? t.term('confirmReadTitle') : t.term('confirmUnreadTitle')}
              </h2>
              <p id="confirm-text">
                ${read ? t.term('confirmRead', ownerName) : t.term('confirmUnread', ownerName)}
              </p>
              <div class="dialog-actions">
                <button type="button" class="secondary" @click=${() => this.#closeDialog(false)}>
                  ${t.term('cancel')}
                </button>
                <button type="button" class="primary" @click=${() => this.#closeDialog(true)}>
                  ${t.term('confirm')}
                </button>
              </div>`
      }
    </dialog>`;
  }

  protected override render() {
    const t = this.#t;
    const client = this.#client;
    const [conversation, thread, contact, , senders, users] = this.#last ?? [];
    if (!this.conversationId) {
      return html`<div part="base" class="conversation empty"><p>${t.term('empty')}</p></div>`;
    }
    if (!client || !conversation) {
      return html`<div part="base" class="conversation empty">
        ${
          this.openError
            ? html`<p class="error" role="alert">${this.openError}</p>`
            : html`<p>${t.term('loading')}</p>`
        }
      </div>`;
    }
    const name = contactName(contact);
    const title = name || formatPhone(conversation.customer);
    const sender = senders?.get(conversation.senderId);
    const ownerName = users?.get(conversation.ownerId)?.name ?? conversation.ownerId;
    const items = thread?.items ?? [];
    const routing = conversation.routing;

    return html`<section part="base" class="conversation" aria-labelledby="title">
      <header part="header" class="header">
        <span
          part="channel"
          class="channel ${conversation.channel}"
          role="img"
          aria-label=${t.term(conversation.channel)}
          >${conversation.channel === 'whatsapp' ? icons.whatsapp : icons.sms}</span
        >
        <div class="who">
          <h2 id="title" part="title" title=${title}>${title}</h2>
          <p class="sub">
            ${name ? html`<span class="number">${formatPhone(conversation.customer)}</span>` : nothing}
            ${
              sender
                ? html`<span part="sender" class="sender">${t.term('via', sender.label)}</span>`
                : nothing
            }
            <span part="owner" class="owner">${t.term('owner', ownerName)}</span>
          </p>
        </div>
        <div class="actions">
          ${this.#renderReadActions(conversation, ownerName)}
          ${this.#renderHeaderActions(conversation)}
        </div>
      </header>
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
        this.panelOpen
          ? renderContactPanel(t, {
              conversation,
              contact,
              recipient: this.#last?.[7],
              senderLabel: sender?.label ?? conversation.senderId,
              ownerName,
              window: client.careWindow(conversation.id),
              saving: this.savingContact,
              error: this.contactError,
              saved: this.contactSaved,
              onSave: (event) => void this.#saveContact(event),
              onClose: () => this.#togglePanel(false),
            })
          : nothing
      }
      ${this.#renderCareWindow(client, conversation)}
      ${this.actionError ? html`<p class="error" role="alert">${this.actionError}</p>` : nothing}
      ${this.openError ? html`<p class="error" role="alert">${this.openError}</p>` : nothing}
      ${
        thread?.nextCursor
          ? html`<button
              type="button"
              part="load-older"
              class="load-older secondary"
              ?disabled=${this.loadingOlder}
              @click=${this.#loadOlder}
            >
              ${this.loadingOlder ? t.term('loading') : t.term('loadOlder')}
            </button>`
          : nothing
      }
      <div
        part="log"
        class="log"
        role="log"
        aria-live="polite"
        aria-label=${t.term('messages')}
        aria-busy=${this.opening || this.loadingOlder ? 'true' : 'false'}
        tabindex="0"
        @scroll=${this.#onLogScroll}
      >
        ${this.#renderMessages(items, title)}
      </div>
      <cd-compose part="compose" .conversationId=${conversation.id}></cd-compose>
      ${this.#renderDialog(ownerName)}
    </section>`;
  }
}
