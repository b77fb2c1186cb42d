import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  DeskError,
  isDeskError,
  MEDIA_LIMITS,
  searchTemplates,
  type DeskClient,
  type DeskState,
  type SendContent,
  type Template,
} from '../../src/index.js';
import { DeskController } from '../shared/desk-controller.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { en } from './compose.strings.js';
import { DEFAULT_EMOJI_DATA_SOURCE, hostStyles } from './compose.host.js';
import { LazyPart } from '../shared/lazy.js';
import { ComposePanels } from './panels.js';
import { ComposeFacts, selectFacts, verdictKey, type Selection } from './compose.facts.js';
import type {
  ComposeSendDetail,
  ComposeSentDetail,
  NewConversationTarget,
} from './compose.types.js';
import { Draft } from './draft.js';
import { SendGuard } from './send-guard.js';
import { ComposeSend } from './compose.send.js';

export type { ComposeSendDetail, ComposeSentDetail, NewConversationTarget };
export { DEFAULT_EMOJI_DATA_SOURCE };

/** The draft key of a new conversation (whatever number is being typed). */
const NEW_DRAFT = '\u0000new';

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
 * @csspart connection - While the desk connects, or cannot reach the server: why the box is disabled.
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
  static override styles = hostStyles;

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

  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  #last: Selection | undefined;
  readonly #desk = new DeskController<Selection>(this, (s) => this.#select(s));
  readonly #facts = new ComposeFacts(() => ({ client: this.#client(), ...this.#where() }));
  readonly #guard = new SendGuard(this, {
    client: () => this.#client(),
    target: () => this.#facts.target(),
    content: () => this.#content(),
    hasContent: () => this.#draft.hasContent(),
    key: () =>
      verdictKey(this.#last, this.#where(), this.#draft, this.#facts.careWindow()?.open ?? null),
    window: () => this.#facts.careWindow(),
    errorText: (error) => this.#errors.text(error),
  });
  readonly #panels = new ComposePanels(this, this.emojiDataSource, (u) => this.#insertAtCaret(u));
  readonly #draft = new Draft(this);
  /** The templates and styles, loaded when the element first connects (not on first paint). */
  readonly #view = new LazyPart(this, () => import('./compose.view.js'));
  readonly #send = new ComposeSend(this, {
    client: () => this.#client(),
    where: () => this.#where(),
    ready: () =>
      // Enter pressed before the guard answered: ask now, then send if it allows.
      !this.#guard.settled() && this.#draft.hasContent()
        ? this.#guard.settle().then(() => this.#canSend())
        : this.#canSend(),
    content: () => this.#content(),
    draftKey: () => this.conversationId ?? NEW_DRAFT,
    sent: (key) => {
      if ((this.conversationId ?? NEW_DRAFT) === key) {
        this.#draft.clear();
        this.#panels.close();
      } else this.#draft.forget(key); // sent while the user moved to another conversation
    },
    errorText: (error) =>
      isDeskError(error) ? this.#errors.text(error) : this.#t.term('sendFailed'),
    done: () => void this.updateComplete.then(() => this.#textarea()?.focus()),
  });

  #select(s: DeskState): Selection {
    const next = selectFacts(s, this.conversationId, this.newConversation);
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

  #where() {
    return { conversationId: this.conversationId, newConversation: this.newConversation };
  }

  #client(): DeskClient | undefined {
    const client = this.#desk.client;
    return client && client.getState().status === 'ready' ? client : undefined;
  }

  #content(): SendContent {
    return this.#draft.content(
      (values) => this.#facts.preview(this.#draft.templateId!, values)?.text,
    );
  }

  #templatesOnly(window = this.#facts.careWindow()): boolean {
    return !!window?.applies && !window.open;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#view.load().catch(() => undefined);
  }

  protected override getUpdateComplete(): Promise<boolean> {
    return this.#view.settled(() => super.getUpdateComplete());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId')) {
      const before = (changed.get('conversationId') as string | undefined) ?? NEW_DRAFT;
      const after = this.conversationId ?? NEW_DRAFT;
      if (before !== after) {
        this.#draft.switch(before, after);
        this.#send.clearError();
        this.#guard.reset();
        this.#panels.close(true);
      }
    }
    // A template is for one channel: another sender ID's channel drops it.
    const template = this.#facts.template(this.#draft.templateId);
    const channel = this.#facts.channel();
    if (template && channel && template.channel !== channel) this.#draft.set({ templateId: null });
    if (changed.has('emojiDataSource')) this.#panels.emoji.dataSource = this.emojiDataSource;
    // SN3: the template picker never opens by itself; the notice says templates only, once.
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Sends the draft; never twice at once (a double click sends one message). */
  send(): Promise<void> {
    return this.#send.send();
  }

  #canSend(): boolean {
    if (!this.#client() || !this.#facts.target() || !this.#draft.hasContent()) return false;
    // SN3: with the window closed, only a template goes out.
    if (this.#templatesOnly() && !this.#draft.templateId) return false;
    // Send waits for the guard's answer about this very draft.
    return this.#guard.settled() && !this.#guard.refuses();
  }

  #textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  #onInput(event: Event): void {
    this.#draft.set({ text: (event.target as HTMLTextAreaElement).value });
    this.#send.clearError();
  }

  #onKeydown(event: KeyboardEvent): void {
    // Escape in the text box (after picking an emoji, say) closes the open panel; focus stays.
    if (event.key === 'Escape' && this.#panels.anyOpen) {
      event.preventDefault();
      event.stopPropagation();
      this.#panels.close();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  #chooseTemplate(template: Template): void {
    this.#draft.set({ templateId: template.id, fieldValues: {} });
    this.#panels.close();
    this.#send.clearError();
    void this.updateComplete.then(() => this.#textarea()?.focus());
  }

  #clearTemplate(): void {
    this.#draft.set({ templateId: null, fieldValues: {} });
    void this.updateComplete.then(() => this.#focusTextOr('#templates-button'));
  }

  /** SN3: a free-text draft the closed window keeps from being sent can be cleared. */
  #clearDraft(): void {
    this.#draft.set({ text: '', media: [], mediaProblems: [] });
    this.#send.clearError();
    void this.updateComplete.then(() => this.#focusTextOr('#templates-button'));
  }

  /** Focuses the text box, or `fallback` when the text box is disabled. */
  #focusTextOr(fallback: string): void {
    const box = this.#textarea();
    if (box && !box.disabled) box.focus();
    else this.renderRoot.querySelector<HTMLElement>(fallback)?.focus();
  }

  #insertAtCaret(insert: string): void {
    if (this.#draft.templateId || this.#templatesOnly()) return;
    const textarea = this.#textarea();
    const start = textarea?.selectionStart ?? this.#draft.text.length;
    const end = textarea?.selectionEnd ?? start;
    this.#draft.set({
      text: this.#draft.text.slice(0, start) + insert + this.#draft.text.slice(end),
    });
    const caret = start + insert.length;
    void this.updateComplete.then(() => {
      const t = this.#textarea();
      t?.focus();
      t?.setSelectionRange(caret, caret);
    });
  }

  async #onFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    const channel = this.#facts.channel();
    if (!channel || files.length === 0) return;
    const { readFiles } = await this.#view.load();
    const { accepted, problems } = await readFiles(this.#t, channel, this.#draft.media, files);
    this.#draft.set({ media: [...this.#draft.media, ...accepted], mediaProblems: problems });
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render() {
    const view = this.#view.value;
    if (!view) return nothing;
    const { renderChip, renderConnection, renderCounter, renderFields, renderMedia } = view;
    const { renderNotice, renderTemplates, renderToolbar, renderVerdict } = view;
    const t = this.#t;
    const client = this.#client();
    const channel = this.#facts.channel();
    const window = this.#facts.careWindow();
    const templatesOnly = this.#templatesOnly(window);
    const template = this.#facts.template(this.#draft.templateId);
    const preview = template
      ? this.#facts.preview(template.id, this.#draft.typedValues())
      : undefined;
    const lacking = template ? (this.#facts.preview(template.id)?.missing ?? []) : [];
    const shownText = template ? (preview?.text ?? template.body) : this.#draft.text;
    const ready = !!client && !!this.#facts.target();
    const freeTextOff = templatesOnly && !template;
    // SN3: a draft typed before the window closed stays readable (and can be cleared), not stuck.
    const keptDraft = freeTextOff && (this.#draft.text !== '' || this.#draft.media.length > 0);

    return html`<div part="base" class="compose">
      ${renderConnection(t, this.#errors, this.#desk.client)}
      ${templatesOnly ? renderNotice(t, window) : nothing}
      ${
        this.#panels.templatesOpen && client && channel
          ? renderTemplates(t, this.#errors, {
              channel,
              // SN2: conversation templates of this channel
              found: searchTemplates(client.templatesFor(channel), this.#panels.templateQuery),
              query: this.#panels.templateQuery,
              chosenId: this.#draft.templateId,
              templatesOnly,
              preview: (id) => this.#facts.preview(id),
              onQuery: (query) => this.#panels.setQuery(query),
              onChoose: (chosen) => this.#chooseTemplate(chosen),
              onKeydown: (e) => this.#panels.onKeydown(e, 'templates'),
            })
          : nothing
      }
      ${this.#panels.renderEmoji(t.term('emojiPanel'))}
      ${template ? renderChip(t, template, () => this.#clearTemplate()) : nothing}
      ${
        lacking.length
          ? renderFields(t, this.#errors, lacking, this.#draft.fieldValues, (field, value) => {
              this.#draft.set({ fieldValues: { ...this.#draft.fieldValues, [field]: value } });
              this.#send.clearError();
            })
          : nothing
      }
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
      ${renderMedia(t, this.#draft.media, this.#draft.mediaProblems, (i) => {
        this.#draft.set({ media: this.#draft.media.filter((_, j) => j !== i), mediaProblems: [] });
      })}
      ${renderVerdict(t, {
        problem: this.#guard.problem,
        hasContent: this.#draft.hasContent(),
        notice: templatesOnly,
        sendFailed: this.#send.error !== null,
        verdict: this.#guard.verdict?.verdict,
        window,
        reason: (v) => this.#errors.text(new DeskError(v.code, v.reason, { details: v.details })),
      })}
      ${
        this.#facts.notOwner()
          ? html`<p part="owner-note" class="owner-note">${t.term('ownerNote')}</p>`
          : nothing
      }
      ${
        this.#send.error
          ? html`<p part="error" class="error" role="alert">${this.#send.error}</p>`
          : nothing
      }
      ${renderToolbar(t, {
        accept: channel ? Object.keys(MEDIA_LIMITS[channel].types).join(',') : '',
        ready,
        templateChosen: !!template,
        templatesOnly,
        emojiOpen: this.#panels.emoji.open,
        templatesOpen: this.#panels.templatesOpen,
        keptDraft,
        canSend: this.#canSend() && !this.#send.sending,
        sending: this.#send.sending,
        counter: renderCounter(t, channel, shownText),
        onFiles: (e) => void this.#onFiles(e),
        onAttach: () =>
          this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click(),
        onEmoji: () => void this.#panels.toggleEmoji(),
        onTemplates: () => this.#panels.toggleTemplates(),
        onClearDraft: () => this.#clearDraft(),
        onSend: () => void this.send(),
      })}
    </div>`;
  }
}
