import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  careWindow,
  countSegments,
  DeskError,
  isDeskError,
  MEDIA_LIMITS,
  searchTemplates,
  validateMedia,
  WHATSAPP_MAX_CHARACTERS,
  type CareWindow,
  type Channel,
  type Contact,
  type Conversation,
  type DeskClient,
  type DeskState,
  type GuardVerdict,
  type Media,
  type Message,
  type RecipientPolicy,
  type SendContent,
  type SendTarget,
  type Template,
} from '../../src/index.js';
import { DeskController } from '../shared/desk-controller.js';
import { icons } from '../shared/icons.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { safeMediaSrc } from '../shared/safe.js';
import { styles } from './compose.styles.js';
import { en } from './compose.strings.js';

/** The new conversation a compose box starts (SN1), instead of replying in one. */
export interface NewConversationTarget {
  senderId: string;
  /** The customer's number, E.164. */
  customer: string;
  /** SN1: the full name typed; saved as a contact when the number is not one yet. */
  name?: string;
}

export interface ComposeSendDetail {
  content: SendContent;
}

export interface ComposeSentDetail {
  message: Message;
}

/**
 * Where `<cd-compose>` loads the emoji data from by default: the JSON of
 * `emoji-picker-element-data`, served from `node_modules` (as @web/test-runner and
 * @web/dev-server do). No CDN is reachable, so a host that serves its files elsewhere sets
 * `emoji-data-source` to its own copy of `emoji-picker-element-data/en/emojibase/data.json`.
 */
export const DEFAULT_EMOJI_DATA_SOURCE =
  '/node_modules/emoji-picker-element-data/en/emojibase/data.json';

/** How long typing must pause before the send guard is asked again. */
const CHECK_DELAY_MS = 150;
/** Refusals about the customer or the channel, not about the draft: shown even before typing. */
const RECIPIENT_CODES = new Set(['opted_out', 'no_consent', 'window_closed', 'forbidden']);
const MB = 1024 * 1024;
/** The draft key of a new conversation (whatever number is being typed). */
const NEW_DRAFT = '\u0000new';

type Selection = readonly [
  Conversation | undefined,
  DeskState['senders'],
  DeskState['templates'],
  Contact | undefined,
  DeskState['status'],
  // SN4–SN6 facts that change without a new message: a new verdict is asked when they do.
  RecipientPolicy | undefined,
  DeskState['settings'],
  // RT4: whether sending here makes me the owner.
  DeskState['me'],
];

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/**
 * @tagname cd-compose
 * @summary The compose box: text with the SMS character and part counter (SN8), templates
 * filtered to the channel with a filled preview (SN2), emoji, media attachments, and the send
 * guard's answer before Send (SN3–SN6).
 *
 * @fires cd-send - Cancelable; before a message is sent. `detail: { content }`. Call
 * `preventDefault()` to stop the send.
 * @fires cd-sent - After the backend accepted the message. `detail: { message }`.
 *
 * @csspart base - The wrapper.
 * @csspart textarea - The message text box.
 * @csspart toolbar - The row of buttons under the text box.
 * @csspart attach-button - Opens the file chooser.
 * @csspart emoji-button - Opens the emoji picker.
 * @csspart template-button - Opens the template picker.
 * @csspart send-button - Sends.
 * @csspart counter - The character and part counter.
 * @csspart ucs2 - The characters that force UCS-2 (SMS).
 * @csspart verdict - The send guard's answer (refused, queued, or a hint).
 * @csspart notice - The "templates only" notice when the WhatsApp care window is closed (or has
 * never opened).
 * @csspart owner-note - "Sending makes you the owner", when someone else owns the conversation (RT4).
 * @csspart clear-draft - Clears a free-text draft that the closed care window keeps from being sent.
 * @csspart templates - The template picker panel.
 * @csspart template-search - The template search field.
 * @csspart template-option - One template in the picker.
 * @csspart template-chip - The chosen template, with its clear button.
 * @csspart fields - The merge fields this customer lacks, to fill in before sending (SN2).
 * @csspart field-input - One of those fields.
 * @csspart emoji-panel - The emoji picker panel.
 * @csspart attachments - The list of attached files.
 * @csspart attachment - One attached file.
 * @csspart media-error - Why a file was not attached.
 * @csspart error - Why the last send failed.
 *
 * @cssproperty --cd-compose-max-height - The text box's largest height before it scrolls.
 * @cssproperty --cd-compose-panel-max-height - The template and emoji panels' largest height; they
 * never take more than 40% of the viewport height, and shrink further when the compose box sits in
 * a flex column with too little room (as in `<cd-conversation>`).
 */
export class CdCompose extends LitElement {
  static override styles = styles;

  /** Reply in this conversation. */
  @property({ attribute: 'conversation-id' }) conversationId?: string;

  /** Start a new conversation instead (SN1); ignored when `conversationId` is set. */
  @property({ attribute: false }) newConversation?: NewConversationTarget;

  /**
   * URL of the emoji data (`emoji-picker-element-data/en/emojibase/data.json`), loaded when the
   * picker first opens. Defaults to `/node_modules/emoji-picker-element-data/…`; see
   * `DEFAULT_EMOJI_DATA_SOURCE`.
   */
  @property({ attribute: 'emoji-data-source' }) emojiDataSource = DEFAULT_EMOJI_DATA_SOURCE;

  @state() private text = '';
  @state() private templateId: string | null = null;
  /** SN2: values typed inline for the merge fields this customer lacks, by field name. */
  @state() private fieldValues: Readonly<Record<string, string>> = {};
  @state() private media: Media[] = [];
  @state() private mediaProblems: string[] = [];
  @state() private verdict: { key: string; verdict: GuardVerdict } | null = null;
  @state() private checkProblem: string | null = null;
  @state() private sending = false;
  @state() private sendError: string | null = null;
  @state() private templatesOpen = false;
  @state() private templateQuery = '';
  @state() private emojiOpen = false;
  @state() private emojiPicker: HTMLElementTagNameMap['emoji-picker'] | null = null;

  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  #last: Selection | undefined;
  readonly #desk = new DeskController<Selection>(this, (s) => this.#select(s));
  #sendingNow = false;
  readonly #drafts = new Map<string, { text: string; templateId: string | null; media: Media[] }>();
  #checkTimer: ReturnType<typeof setTimeout> | undefined;
  #checkSeq = 0;
  #scheduledKey: string | null = null;
  #windowTimer: unknown = null;
  #windowTimerAt: number | null = null;
  #windowTimerClient: DeskClient | null = null;

  #select(s: DeskState): Selection {
    const conversation = this.conversationId ? s.conversations.get(this.conversationId) : undefined;
    const customer = conversation?.customer ?? this.newConversation?.customer;
    const contact = customer ? s.contacts.get(customer) : undefined;
    const recipient = customer ? s.recipients.get(customer) : undefined;
    const next = [
      conversation,
      s.senders,
      s.templates,
      contact,
      s.status,
      recipient,
      s.settings,
      s.me,
    ] as const;
    if (this.#last && next.every((v, i) => v === this.#last![i])) return this.#last;
    return (this.#last = next);
  }

  /** Focuses the text box (or, when free text is off, the first control that works). */
  override focus(options?: FocusOptions): void {
    const box = this.#textarea();
    if (box && !box.disabled) box.focus(options);
    else
      this.renderRoot
        .querySelector<HTMLElement>('input:not([hidden]), button:not([disabled])')
        ?.focus(options);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#checkTimer);
    this.#scheduledKey = null;
    this.#clearWindowTimer();
  }

  // ---- derived facts -------------------------------------------------------------------------

  get #client(): DeskClient | undefined {
    const client = this.#desk.client;
    return client && client.getState().status === 'ready' ? client : undefined;
  }

  get #conversation(): Conversation | undefined {
    return this.conversationId
      ? this.#client?.getState().conversations.get(this.conversationId)
      : undefined;
  }

  #target(): SendTarget | undefined {
    if (this.conversationId) return { conversationId: this.conversationId };
    const n = this.newConversation;
    if (!n?.senderId || !n.customer) return undefined;
    // SN1: the name typed fills merge fields until the contact is saved.
    return { senderId: n.senderId, customer: n.customer, ...(n.name && { name: n.name }) };
  }

  #channel(): Channel | undefined {
    const conversation = this.#conversation;
    if (conversation) return conversation.channel;
    const senderId = this.conversationId ? undefined : this.newConversation?.senderId;
    return senderId ? this.#client?.getState().senders.get(senderId)?.channel : undefined;
  }

  #customer(): string | undefined {
    return this.#conversation?.customer ?? this.newConversation?.customer;
  }

  /** SN3: the care window of the conversation, or of the one a new message would join. */
  #careWindow(): CareWindow | undefined {
    const client = this.#client;
    const channel = this.#channel();
    if (!client || !channel) return undefined;
    let conversation = this.#conversation;
    if (!conversation && !this.conversationId && this.newConversation) {
      conversation = client.findConversation(
        this.newConversation.senderId,
        this.newConversation.customer,
      );
    }
    return careWindow(channel, conversation?.lastIncomingAt, client.clock.now());
  }

  /** RT4: an outgoing message makes its sender the owner; true when that would change it. */
  #notOwner(): boolean {
    const conversation = this.#conversation;
    const me = this.#client?.getState().me;
    return !!conversation && !!me && conversation.ownerId !== me.id;
  }

  #templatesOnly(window = this.#careWindow()): boolean {
    return !!window?.applies && !window.open;
  }

  #template(): Template | undefined {
    return this.templateId
      ? this.#client?.getState().templates.find((t) => t.id === this.templateId)
      : undefined;
  }

  #preview(
    templateId: string,
    values?: Readonly<Record<string, string>>,
  ): { text: string; missing: string[] } | undefined {
    const client = this.#client;
    const customer = this.#customer();
    if (!client || !customer) return undefined;
    const name = this.conversationId ? undefined : this.newConversation?.name;
    try {
      return client.previewTemplate(templateId, customer, {
        ...(name && { name }),
        ...(values && { values }),
      });
    } catch {
      return undefined;
    }
  }

  #hasContent(): boolean {
    return !!this.templateId || this.media.length > 0 || this.text.trim() !== '';
  }

  #content(): SendContent {
    const media = this.media.length ? { media: [...this.media] } : {};
    if (this.templateId) {
      // SN2: with fields typed inline, the filled text goes along (it still matches the template).
      const typed = Object.values(this.fieldValues).some((v) => v.trim());
      const filled = typed ? this.#preview(this.templateId, this.#typedValues()) : undefined;
      return { templateId: this.templateId, ...(filled && { text: filled.text }), ...media };
    }
    return { text: this.text, ...media };
  }

  #typedValues(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.fieldValues)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v),
    );
  }

  #checkKey(window: CareWindow | undefined): string {
    const [conversation, , templates, contact, , recipient, settings] = this.#last ?? [];
    return JSON.stringify([
      this.conversationId ?? null,
      this.conversationId ? null : (this.newConversation ?? null),
      this.text,
      this.templateId,
      this.fieldValues,
      this.media.map((m) => [m.fileName, m.mimeType, m.size]),
      conversation?.revision ?? null,
      contact?.updatedAt ?? null,
      templates?.length ?? 0,
      window?.open ?? null,
      recipient ?? null,
      settings?.businessHours ?? null,
    ]);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      const before = (changed.get('conversationId') as string | undefined) ?? NEW_DRAFT;
      const after = this.conversationId ?? NEW_DRAFT;
      if (before !== after) this.#switchDraft(before, after);
    }
    // A template is for one channel: another sender ID's channel drops it.
    const template = this.#template();
    const channel = this.#channel();
    if (template && channel && template.channel !== channel) this.templateId = null;
    if (changed.has('emojiDataSource') && this.emojiPicker) {
      this.emojiPicker.dataSource = this.emojiDataSource;
    }
    // SN3: the template picker never opens by itself; the notice says templates only, once.
  }

  protected override updated(): void {
    const window = this.#careWindow();
    this.#scheduleWindowTimer(window);
    if (!this.#client || !this.#target()) return;
    const key = this.#checkKey(window);
    if (key === this.#scheduledKey) return;
    this.#scheduledKey = key;
    clearTimeout(this.#checkTimer);
    this.#checkTimer = setTimeout(() => void this.#check(key), CHECK_DELAY_MS);
  }

  /** SN3: re-render exactly when the care window closes, on the desk's clock. */
  #scheduleWindowTimer(window: CareWindow | undefined): void {
    const client = this.#client;
    const at = client && window?.open && window.expiresAt !== null ? window.expiresAt : null;
    if (at === this.#windowTimerAt) return;
    this.#clearWindowTimer();
    if (at === null || !client) return;
    this.#windowTimerAt = at;
    this.#windowTimerClient = client;
    this.#windowTimer = client.clock.setTimeout(() => {
      this.#windowTimer = null;
      this.#windowTimerAt = null;
      this.requestUpdate();
    }, at - client.clock.now());
  }

  #clearWindowTimer(): void {
    if (this.#windowTimer !== null) this.#windowTimerClient?.clock.clearTimeout(this.#windowTimer);
    this.#windowTimer = null;
    this.#windowTimerClient = null;
    this.#windowTimerAt = null;
  }

  /** SN2–SN6: asks the send guard about the draft (or, with no draft, about the customer). */
  async #check(key: string): Promise<void> {
    const client = this.#client;
    const target = this.#target();
    if (!client || !target) return;
    const seq = ++this.#checkSeq;
    const probe = !this.#hasContent();
    const draft = JSON.stringify(this.#content());
    try {
      const verdict = await client.checkSend(target, probe ? { text: '.' } : this.#content());
      if (seq !== this.#checkSeq) return;
      if (draft === JSON.stringify(this.#content())) {
        // Asking may have loaded the customer's consent and opt-outs into the state; the answer
        // already took them into account, so it stands for the key as it is now.
        key = this.#checkKey(this.#careWindow());
        this.#scheduledKey = key;
      }
      this.checkProblem = null;
      if (probe && verdict.outcome === 'refused' && !RECIPIENT_CODES.has(verdict.code)) {
        this.verdict = null;
      } else {
        this.verdict = { key, verdict };
      }
    } catch (error) {
      if (seq !== this.#checkSeq) return;
      this.verdict = null;
      this.checkProblem = isDeskError(error) ? this.#errors.text(error) : null;
    }
  }

  /** Each conversation keeps its own draft while the element shows another one. */
  #switchDraft(from: string, to: string): void {
    const draft = { text: this.text, templateId: this.templateId, media: this.media };
    if (draft.text || draft.templateId || draft.media.length) this.#drafts.set(from, draft);
    else this.#drafts.delete(from);
    const next = this.#drafts.get(to);
    this.#drafts.delete(to);
    this.text = next?.text ?? '';
    this.templateId = next?.templateId ?? null;
    this.fieldValues = {};
    this.media = next?.media ?? [];
    this.mediaProblems = [];
    this.sendError = null;
    this.verdict = null;
    this.checkProblem = null;
    this.templatesOpen = false;
    this.templateQuery = '';
    this.emojiOpen = false;
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Sends the draft; never twice at once (a double click sends one message). */
  async send(): Promise<void> {
    const client = this.#client;
    if (this.#sendingNow || !client || !this.#canSend()) return;
    this.#sendingNow = true;
    this.sending = true;
    const content = this.#content();
    const draftKey = this.conversationId ?? NEW_DRAFT;
    try {
      const allowed = this.dispatchEvent(
        new CustomEvent<ComposeSendDetail>('cd-send', {
          detail: { content },
          bubbles: true,
          composed: true,
          cancelable: true,
        }),
      );
      if (!allowed) return;
      this.sendError = null;
      let message: Message;
      if (this.conversationId) {
        message = await client.send(this.conversationId, content);
      } else {
        const n = this.newConversation!;
        ({ message } = await client.startConversation({
          phone: n.customer,
          ...(n.name && { name: n.name }),
          senderId: n.senderId,
          content,
        }));
      }
      if ((this.conversationId ?? NEW_DRAFT) === draftKey) {
        this.text = '';
        this.templateId = null;
        this.fieldValues = {};
        this.media = [];
        this.mediaProblems = [];
        this.templatesOpen = false;
      } else {
        this.#drafts.delete(draftKey); // sent while the user moved to another conversation
      }
      this.dispatchEvent(
        new CustomEvent<ComposeSentDetail>('cd-sent', {
          detail: { message },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      // The draft stays as it was: nothing is lost.
      this.sendError = isDeskError(error) ? this.#errors.text(error) : this.#t.term('sendFailed');
    } finally {
      this.#sendingNow = false;
      this.sending = false;
    }
    await this.updateComplete;
    this.#textarea()?.focus();
  }

  #canSend(): boolean {
    if (!this.#client || !this.#target() || !this.#hasContent()) return false;
    // SN3: with the window closed, only a template goes out.
    if (this.#templatesOnly() && !this.templateId) return false;
    const verdict = this.verdict?.verdict;
    if (verdict?.outcome !== 'refused') return true;
    // A refusal of the current draft, or one about the customer whatever the draft.
    return !(
      this.verdict!.key === this.#scheduledKey ||
      (RECIPIENT_CODES.has(verdict.code) && verdict.code !== 'window_closed')
    );
  }

  #textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  #onInput(event: Event): void {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.sendError = null;
  }

  #onKeydown(event: KeyboardEvent): void {
    // Escape in the text box (after picking an emoji, say) closes the open panel; focus stays.
    if (event.key === 'Escape' && (this.emojiOpen || this.templatesOpen)) {
      event.preventDefault();
      event.stopPropagation();
      this.emojiOpen = false;
      this.templatesOpen = false;
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  #chooseTemplate(template: Template): void {
    this.templateId = template.id;
    this.fieldValues = {};
    this.templatesOpen = false;
    this.sendError = null;
    void this.updateComplete.then(() => this.#textarea()?.focus());
  }

  #clearTemplate(): void {
    this.templateId = null;
    this.fieldValues = {};
    void this.updateComplete.then(() => this.#focusTextOr('#templates-button'));
  }

  /** SN3: a free-text draft the closed window keeps from being sent can be cleared. */
  #clearDraft(): void {
    this.text = '';
    this.media = [];
    this.mediaProblems = [];
    this.sendError = null;
    void this.updateComplete.then(() => this.#focusTextOr('#templates-button'));
  }

  /** Focuses the text box, or `fallback` when the text box is disabled. */
  #focusTextOr(fallback: string): void {
    const box = this.#textarea();
    if (box && !box.disabled) box.focus();
    else this.renderRoot.querySelector<HTMLElement>(fallback)?.focus();
  }

  #toggleTemplates(): void {
    this.templatesOpen = !this.templatesOpen;
    if (this.templatesOpen) this.emojiOpen = false;
    if (this.templatesOpen) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLInputElement>('#template-search')?.focus(),
      );
    }
  }

  async #toggleEmoji(): Promise<void> {
    this.emojiOpen = !this.emojiOpen;
    if (!this.emojiOpen) return;
    this.templatesOpen = false;
    if (!this.emojiPicker) {
      // Loaded on first use only; the data comes from a local URL, never a CDN.
      await import('emoji-picker-element');
      const picker = document.createElement('emoji-picker');
      picker.dataSource = this.emojiDataSource;
      picker.setAttribute('part', 'emoji-picker');
      picker.addEventListener('emoji-click', (event) => {
        const unicode = event.detail.unicode;
        if (unicode) this.#insertAtCaret(unicode);
      });
      this.emojiPicker = picker;
    }
    await this.updateComplete;
    this.#focusPicker();
  }

  /** Moves focus into the emoji picker (its search field), as the template panel does. */
  #focusPicker(tries = 10): void {
    if (!this.emojiOpen) return;
    const search = this.emojiPicker?.shadowRoot?.querySelector<HTMLElement>('input#search');
    if (search) search.focus();
    else if (tries > 0) requestAnimationFrame(() => this.#focusPicker(tries - 1));
  }

  #insertAtCaret(insert: string): void {
    if (this.templateId || this.#templatesOnly()) return;
    const textarea = this.#textarea();
    const start = textarea?.selectionStart ?? this.text.length;
    const end = textarea?.selectionEnd ?? start;
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    const caret = start + insert.length;
    void this.updateComplete.then(() => {
      const t = this.#textarea();
      t?.focus();
      t?.setSelectionRange(caret, caret);
    });
  }

  #onPanelKeydown(event: KeyboardEvent, panel: 'templates' | 'emoji'): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (panel === 'templates') this.templatesOpen = false;
    else this.emojiOpen = false;
    void this.updateComplete.then(() =>
      this.renderRoot
        .querySelector<HTMLButtonElement>(
          panel === 'templates' ? '#templates-button' : '#emoji-button',
        )
        ?.focus(),
    );
  }

  #openFiles(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  /** Media: type, size and count are checked before a file is read; a rejected file stays out. */
  async #onFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const channel = this.#channel();
    if (!channel || files.length === 0) return;
    const channelName = this.#t.term(channel);
    const problems: string[] = [];
    const accepted: Media[] = [];
    for (const file of files) {
      const type = file.type.split(';')[0]!.trim().toLowerCase();
      const candidate: Media = { url: '', mimeType: type, fileName: file.name, size: file.size };
      try {
        validateMedia(channel, [...this.media, ...accepted, candidate]); // the SDK's rule
      } catch (error) {
        if (!isDeskError(error)) throw error;
        problems.push(this.#mediaProblem(error.details, file.name, channelName));
        if ('maxFiles' in error.details) break;
        continue;
      }
      try {
        // data: URLs, not object URLs, so a queued message still has its file after a reload.
        accepted.push({ ...candidate, url: await readAsDataUrl(file) });
      } catch {
        problems.push(this.#t.term('mediaUnreadable', file.name));
      }
    }
    this.media = [...this.media, ...accepted];
    this.mediaProblems = problems;
  }

  /** A translated reason for a `media_rejected` refusal, from its details. */
  #mediaProblem(details: Record<string, unknown>, fileName: string, channelName: string): string {
    const t = this.#t;
    if (typeof details['maxFiles'] === 'number') return t.term('mediaCount', details['maxFiles']);
    if (typeof details['maxSize'] === 'number') {
      return t.term(
        'mediaSize',
        fileName,
        t.term('megabytes', Math.round((details['maxSize'] / MB) * 10) / 10),
      );
    }
    if ('size' in details) return t.term('mediaEmpty', fileName);
    return t.term('mediaType', fileName, channelName);
  }

  #removeMedia(index: number): void {
    this.media = this.media.filter((_, i) => i !== index);
    this.mediaProblems = [];
  }

  // ---- rendering -----------------------------------------------------------------------------

  /** The refusal in the user's language, from its code and details (never the SDK's English). */
  #reason(verdict: Extract<GuardVerdict, { outcome: 'refused' }>): string {
    return this.#errors.text(
      new DeskError(verdict.code, verdict.reason, { details: verdict.details }),
    );
  }

  #renderVerdict(window: CareWindow | undefined) {
    const t = this.#t;
    const verdict = this.verdict?.verdict;
    let body: unknown = nothing;
    let kind = '';
    if (this.checkProblem && this.#hasContent()) {
      body = this.checkProblem;
      kind = 'refused';
    } else if (
      verdict?.outcome === 'refused' &&
      // SN3: with no draft the notice says it already; the refusal shows once there is a draft.
      !(verdict.code === 'window_closed' && !this.#hasContent())
    ) {
      body = this.#reason(verdict);
      kind = 'refused';
    } else if (verdict?.outcome === 'queued') {
      body = t.term('queued', t.date(verdict.until, { dateStyle: 'medium', timeStyle: 'short' }));
      kind = 'queued';
    } else if (window?.applies && window.open && window.remainingMs < 60 * 60 * 1000) {
      body = t.term('windowClosing', Math.max(1, Math.ceil(window.remainingMs / 60000)));
      kind = 'hint';
    }
    return html`<p id="verdict" part="verdict" class="verdict ${kind}" aria-live="polite">
      ${
        kind === 'refused' || kind === 'queued'
          ? html`<span class="verdict-icon"
              >${kind === 'refused' ? icons.warning : icons.clock}</span
            >`
          : nothing
      }${body}
    </p>`;
  }

  #renderCounter(channel: Channel | undefined, text: string) {
    const t = this.#t;
    if (channel === 'whatsapp') {
      const characters = [...text].length;
      return html`<span id="counter" part="counter" class="counter">
        ${t.term('whatsappCounter', characters, WHATSAPP_MAX_CHARACTERS)}
      </span>`;
    }
    // SN8: counted as the carrier does.
    const info = countSegments(text);
    return html`<span id="counter" part="counter" class="counter">
      ${t.term('smsCounter', info.characters, info.parts, info.encoding)}
      ${
        info.ucs2Characters.length
          ? html`<span part="ucs2" class="ucs2"
              >${t.term('ucs2Characters')}
              ${info.ucs2Characters.map(
                (c) =>
                  html`<code
                    title=${`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`}
                    >${c}</code
                  > `,
              )}</span
            >`
          : nothing
      }
    </span>`;
  }

  #renderTemplates(channel: Channel | undefined, templatesOnly: boolean) {
    const client = this.#client;
    if (!this.templatesOpen || !client || !channel) return nothing;
    const t = this.#t;
    const all = client.templatesFor(channel); // SN2: conversation templates of this channel
    const found = searchTemplates(all, this.templateQuery);
    return html`<div
      id="templates"
      part="templates"
      class="panel templates"
      role="group"
      aria-label=${t.term('templates')}
      @keydown=${(e: KeyboardEvent) => this.#onPanelKeydown(e, 'templates')}
    >
      <input
        id="template-search"
        part="template-search"
        type="search"
        aria-label=${t.term('searchTemplates')}
        placeholder=${t.term('searchTemplates')}
        .value=${live(this.templateQuery)}
        @input=${(e: Event) => (this.templateQuery = (e.target as HTMLInputElement).value)}
      />
      ${
        found.length === 0
          ? html`<p class="empty">${t.term('noTemplates')}</p>`
          : html`<ul class="template-list">
              ${found.map((template) => {
                const preview = this.#preview(template.id);
                const blocked = templatesOnly && !template.registered;
                return html`<li>
                  <button
                    type="button"
                    part="template-option"
                    class="template-option"
                    aria-pressed=${this.templateId === template.id ? 'true' : 'false'}
                    ?disabled=${blocked}
                    @click=${() => this.#chooseTemplate(template)}
                  >
                    <span class="template-name">${template.name}</span>
                    ${
                      channel === 'whatsapp' && template.registered
                        ? html`<span class="badge">${t.term('registered')}</span>`
                        : nothing
                    }
                    <span class="template-preview">${preview?.text ?? template.body}</span>
                    ${
                      preview?.missing.length
                        ? html`<span class="missing"
                            >${t.term('missingFields', this.#errors.fields(preview.missing))}</span
                          >`
                        : nothing
                    }
                    ${
                      blocked
                        ? html`<span class="missing">${t.term('notRegisteredClosed')}</span>`
                        : nothing
                    }
                  </button>
                </li>`;
              })}
            </ul>`
      }
    </div>`;
  }

  /** SN2: the merge fields this customer lacks, to fill in before sending. */
  #renderFields(fields: string[]) {
    const t = this.#t;
    return html`<fieldset part="fields" class="fields">
      <legend>${t.term('fillFields')}</legend>
      ${fields.map(
        (field, i) =>
          html`<label class="field">
            <span>${this.#errors.field(field)}</span>
            <input
              id=${`field-${i}`}
              part="field-input"
              type="text"
              autocomplete="off"
              .value=${live(this.fieldValues[field] ?? '')}
              @input=${(e: Event) => {
                this.fieldValues = {
                  ...this.fieldValues,
                  [field]: (e.target as HTMLInputElement).value,
                };
                this.sendError = null;
              }}
            />
          </label>`,
      )}
    </fieldset>`;
  }

  #renderMedia() {
    const t = this.#t;
    return html`${
      this.media.length
        ? html`<ul part="attachments" class="attachments" aria-label=${t.term('attachments')}>
            ${this.media.map((m, i) => {
              const src = m.mimeType.startsWith('image/') ? safeMediaSrc(m.url) : undefined;
              return html`<li part="attachment" class="attachment">
                ${src ? html`<img src=${src} alt="" />` : icons.paperclip}
                <span class="file-name">${m.fileName}</span>
                <button
                  type="button"
                  class="icon-button"
                  aria-label=${t.term('removeFile', m.fileName)}
                  @click=${() => this.#removeMedia(i)}
                >
                  ${icons.close}
                </button>
              </li>`;
            })}
          </ul>`
        : nothing
    }
    ${
      this.mediaProblems.length
        ? html`<ul part="media-error" class="media-error" role="alert">
            ${this.mediaProblems.map((p) => html`<li>${p}</li>`)}
          </ul>`
        : nothing
    }`;
  }

  protected override render() {
    const t = this.#t;
    const channel = this.#channel();
    const window = this.#careWindow();
    const templatesOnly = this.#templatesOnly(window);
    const template = this.#template();
    const preview = template ? this.#preview(template.id, this.#typedValues()) : undefined;
    const lacking = template ? (this.#preview(template.id)?.missing ?? []) : [];
    const shownText = template ? (preview?.text ?? template.body) : this.text;
    const ready = !!this.#client && !!this.#target();
    const freeTextOff = templatesOnly && !template;
    // SN3: a draft typed before the window closed stays readable (and can be cleared), not stuck.
    const keptDraft = freeTextOff && (this.text !== '' || this.media.length > 0);
    const notOwner = this.#notOwner();
    const accept = channel ? Object.keys(MEDIA_LIMITS[channel].types).join(',') : '';
    const canSend = this.#canSend() && !this.sending;

    return html`<div part="base" class="compose">
      ${
        templatesOnly
          ? html`<p part="notice" class="notice">
              ${icons.template}
              ${
                window?.expiresAt === null
                  ? t.term('templatesOnlyNew') // SN3: never opened: a new conversation
                  : t.term('templatesOnly')
              }
            </p>`
          : nothing
      }
      ${this.#renderTemplates(channel, templatesOnly)}
      <div
        id="emoji"
        part="emoji-panel"
        class="panel emoji"
        role="group"
        aria-label=${t.term('emojiPanel')}
        ?hidden=${!this.emojiOpen}
        @keydown=${(e: KeyboardEvent) => this.#onPanelKeydown(e, 'emoji')}
      >
        ${this.emojiPicker ?? nothing}
      </div>
      ${
        template
          ? html`<div part="template-chip" class="chip">
              ${icons.template}
              <span>${t.term('templateChosen', template.name)}</span>
              <button
                type="button"
                class="icon-button"
                aria-label=${t.term('clearTemplate')}
                @click=${this.#clearTemplate}
              >
                ${icons.close}
              </button>
            </div>`
          : nothing
      }
      ${lacking.length ? this.#renderFields(lacking) : nothing}
      <textarea
        part="textarea"
        rows="3"
        aria-label=${t.term('label')}
        aria-describedby="counter verdict"
        placeholder=${freeTextOff ? t.term('placeholderTemplatesOnly') : t.term('placeholder')}
        ?readonly=${!!template || keptDraft}
        ?disabled=${(freeTextOff && !keptDraft) || !ready}
        .value=${live(shownText)}
        @input=${this.#onInput}
        @keydown=${this.#onKeydown}
      ></textarea>
      ${this.#renderMedia()} ${this.#renderVerdict(window)}
      ${
        notOwner
          ? html`<p part="owner-note" class="owner-note">${t.term('ownerNote')}</p>`
          : nothing
      }
      ${
        this.sendError
          ? html`<p part="error" class="error" role="alert">${this.sendError}</p>`
          : nothing
      }
      <div part="toolbar" class="toolbar">
        <input
          type="file"
          multiple
          hidden
          accept=${accept}
          tabindex="-1"
          aria-hidden="true"
          @change=${this.#onFiles}
        />
        <button
          type="button"
          part="attach-button"
          class="icon-button"
          aria-label=${t.term('attach')}
          title=${t.term('attach')}
          ?disabled=${!ready || templatesOnly}
          @click=${this.#openFiles}
        >
          ${icons.paperclip}
        </button>
        <button
          id="emoji-button"
          type="button"
          part="emoji-button"
          class="icon-button"
          aria-label=${t.term('emoji')}
          title=${t.term('emoji')}
          aria-expanded=${this.emojiOpen ? 'true' : 'false'}
          aria-controls="emoji"
          ?disabled=${!ready || !!template || templatesOnly}
          @click=${this.#toggleEmoji}
        >
          ${icons.smile}
        </button>
        <button
          id="templates-button"
          type="button"
          part="template-button"
          class="icon-button"
          aria-label=${t.term('templates')}
          title=${t.term('templates')}
          aria-expanded=${this.templatesOpen ? 'true' : 'false'}
          aria-controls=${this.templatesOpen ? 'templates' : nothing}
          ?disabled=${!ready}
          @click=${this.#toggleTemplates}
        >
          ${icons.template}
        </button>
        ${
          keptDraft
            ? html`<button
                type="button"
                part="clear-draft"
                class="text-button"
                @click=${this.#clearDraft}
              >
                ${t.term('clearDraft')}
              </button>`
            : nothing
        }
        ${this.#renderCounter(channel, shownText)}
        <button
          type="button"
          part="send-button"
          class="send"
          ?disabled=${!canSend}
          aria-busy=${this.sending ? 'true' : 'false'}
          @click=${() => void this.send()}
        >
          ${icons.send} <span>${this.sending ? t.term('sending') : t.term('send')}</span>
        </button>
      </div>
    </div>`;
  }
}
