import { LitElement, css, html, nothing, type PropertyValues, type ReactiveElement } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  errorDetails,
  isDeskError,
  splitE164,
  toE164,
  type Contact,
  type Message,
  type SenderId,
} from '../../src/index.js';
import type { NewConversationTarget } from '../compose/compose.js';
import { DeskController } from '../shared/desk-controller.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { tokens } from '../shared/tokens.js';
import { en } from './new-conversation.strings.js';
import { LazyPart } from '../shared/lazy.js';
import { CountryList } from './countries.js';
import { NameCombobox } from './name-combobox.js';

/** Detail of `cd-conversation-started`. */
export interface ConversationStartedDetail {
  conversationId: string;
}

/**
 * @tagname cd-new-conversation
 * @summary The new-conversation form (SN1): a full name with contact suggestions while typing,
 * the country code list plus the number (filled in when a contact is picked, validated), the
 * sender ID, then the compose box that sends the first message.
 *
 * The send guard (no WhatsApp consent, opted out, …) is shown by the embedded `<cd-compose>`.
 * Needs a desk client from `<cd-desk>` or `<cd-desk-provider>` above it.
 *
 * @fires {CustomEvent<ConversationStartedDetail>} cd-conversation-started - The first message was
 *   accepted; the form resets itself.
 * @fires {CustomEvent<{ reason: 'cancel' }>} cd-close - The user pressed Cancel.
 *
 * @csspart base - The form.
 * @csspart heading - The form's heading.
 * @csspart field - Each label-and-control block.
 * @csspart label - Each field label.
 * @csspart name-input - The full name combobox.
 * @csspart listbox - The contact suggestions.
 * @csspart option - One contact suggestion.
 * @csspart option-name - A suggestion's name.
 * @csspart option-phone - A suggestion's number.
 * @csspart country-select - The country calling code list.
 * @csspart country-short - The chosen country's ISO and calling codes, shown on the closed list.
 * @csspart number-input - The national number input.
 * @csspart sender-select - The sender ID list.
 * @csspart error - An inline validation error.
 * @csspart actions - The Next button's row (gone once the compose box shows).
 * @csspart next-button - Validates the number and sender ID, then shows the compose box.
 * @csspart cancel-button - Beside the heading; fires `cd-close`.
 * @csspart compose - The embedded `<cd-compose>`.
 *
 * @cssproperty --cd-new-conversation-gap - Space between fields.
 * @cssproperty --cd-new-conversation-max-width - The form's maximum width.
 * @cssproperty --cd-new-conversation-listbox-max-height - Height of the suggestion list.
 */
export class CdNewConversation extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        --_gap: var(--cd-new-conversation-gap, calc(var(--_cd-space) * 1.5));
      }
      [hidden] {
        display: none !important;
      }
    `,
  ];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** ISO 3166 region preselected in the country code list. */
  @property({ attribute: 'default-country' }) defaultCountry = 'US';

  @state() private nationalNumber = '';
  @state() private phoneError = '';
  /** The validated E.164 number; null until the number is valid. */
  @state() private customer: string | null = null;
  @state() private senderId = '';
  @state() private senderError = '';

  @query('#number') private numberInput?: HTMLInputElement;
  @query('cd-compose') private compose?: ReactiveElement;

  readonly #desk = new DeskController(this, (s) => s.senders);
  readonly #t = new LocalizeController(this, en);
  readonly #countries = new CountryList(
    this,
    () => this.#t.lang,
    () => this.defaultCountry,
  );
  readonly #errors = new ErrorText(this);
  readonly #name = new NameCombobox(
    this,
    () => this.#desk.client,
    (contact) => void this.#pick(contact),
  );
  /** The form's templates and styles, loaded when the element first connects. */
  readonly #view = new LazyPart(this, () => import('./new-conversation.view.js'));
  #validateSeq = 0;
  #target: NewConversationTarget | null = null;

  /** Clears the form. */
  reset(): void {
    this.#name.reset();
    this.#countries.choose(this.#countries.defaultCountry());
    this.nationalNumber = '';
    this.phoneError = '';
    this.customer = null;
    this.senderId = '';
    this.senderError = '';
    this.#validateSeq++;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#view.load().catch(() => undefined);
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await this.#view.settled(() => super.getUpdateComplete());
    // The compose box, once shown, loads its own view: rendered means with it.
    await this.compose?.updateComplete;
    return done;
  }

  /** Focus starts at the full name (Cancel comes first in the shadow root, beside the heading). */
  override focus(options?: FocusOptions): void {
    const name = this.renderRoot.querySelector<HTMLInputElement>('#name');
    if (name) name.focus(options);
    else super.focus(options);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('defaultCountry') && this.#countries.options && !this.nationalNumber) {
      this.#countries.country = this.#countries.defaultCountry();
    }
  }

  // ---- data ----------------------------------------------------------------------------------

  /** The senders this user may start from: their sender ID inboxes; an admin any (S1, V2). */
  get #senders(): SenderId[] {
    const client = this.#desk.client;
    if (!client) return [];
    return client.startableSenders();
  }

  #errorText(error: unknown): string {
    if (isDeskError(error, 'invalid_phone')) {
      return errorDetails(error, 'invalid_phone')?.missing
        ? this.#t.term('missingCountry')
        : this.#t.term('invalidPhone');
    }
    return this.#errors.text(error);
  }

  /** SN1: picking a contact fills the country code and the number. */
  async #pick(contact: Contact) {
    await this.#countries.load();
    try {
      const { countryCallingCode, nationalNumber } = await splitE164(contact.phone);
      this.#countries.choose(this.#countries.countryFor(countryCallingCode));
      this.nationalNumber = nationalNumber;
      this.customer = contact.phone;
      this.phoneError = '';
    } catch (error) {
      this.customer = null;
      this.phoneError = this.#errorText(error);
    }
    this.#validateSeq++;
  }

  // ---- number (S2) ---------------------------------------------------------------------------

  #onCountryChange(event: Event) {
    this.#countries.choose((event.target as HTMLSelectElement).value);
    this.customer = null;
    if (this.nationalNumber.trim()) void this.#validateNumber();
  }

  #onNumberInput(event: InputEvent) {
    this.nationalNumber = (event.target as HTMLInputElement).value;
    this.customer = null;
    this.#validateSeq++;
  }

  #onNumberBlur() {
    if (this.nationalNumber.trim() && !this.customer) void this.#validateNumber();
  }

  /** S2: a country code plus a national number must make a valid E.164 number. */
  async #validateNumber(): Promise<boolean> {
    const seq = ++this.#validateSeq;
    if (!this.nationalNumber.trim()) {
      this.customer = null;
      this.phoneError = this.#t.term('missingNumber');
      return false;
    }
    await this.#countries.load();
    try {
      const e164 = await toE164({
        countryCallingCode: this.#countries.code(),
        nationalNumber: this.nationalNumber,
      });
      if (seq !== this.#validateSeq) return false;
      this.customer = e164;
      this.phoneError = '';
      return true;
    } catch (error) {
      if (seq !== this.#validateSeq) return false;
      this.customer = null;
      this.phoneError = this.#errorText(error);
      return false;
    }
  }

  // ---- sender, next, compose -----------------------------------------------------------------

  #onSenderChange(event: Event) {
    this.senderId = (event.target as HTMLSelectElement).value;
    if (this.senderId) this.senderError = '';
  }

  async #onNext(event: Event) {
    event.preventDefault();
    const numberOk = this.customer !== null || (await this.#validateNumber());
    this.senderError = this.senderId ? '' : this.#t.term('missingSender');
    if (!numberOk) {
      await this.updateComplete;
      this.numberInput?.focus();
      return;
    }
    if (!this.senderId) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLSelectElement>('#sender')?.focus();
      return;
    }
    await this.updateComplete;
    this.#focusCompose();
  }

  /** After Next, the message box is the next thing to fill in. */
  #focusCompose() {
    const compose = this.compose as (HTMLElement & { updateComplete?: Promise<unknown> }) | null;
    if (!compose) return;
    void Promise.resolve(compose.updateComplete).then(() => {
      // `<cd-compose>` does not delegate focus; its text box is the field to focus.
      const box = compose.shadowRoot?.querySelector<HTMLElement>('textarea');
      (box ?? compose).focus();
    });
  }

  /** The compose box's target, with a stable identity while it does not change. */
  get #composeTarget(): NewConversationTarget | null {
    if (!this.customer || !this.senderId) return null;
    const name = this.#name.name.trim() || undefined;
    const t = this.#target;
    if (t && t.senderId === this.senderId && t.customer === this.customer && t.name === name) {
      return t;
    }
    this.#target = { senderId: this.senderId, customer: this.customer, ...(name && { name }) };
    return this.#target;
  }

  #onSent(event: CustomEvent<{ message: Message }>) {
    const conversationId = event.detail?.message?.conversationId;
    if (!conversationId) return;
    this.dispatchEvent(
      new CustomEvent<ConversationStartedDetail>('cd-conversation-started', {
        detail: { conversationId },
        bubbles: true,
        composed: true,
      }),
    );
    this.reset();
  }

  #onCancel() {
    this.dispatchEvent(
      new CustomEvent<{ reason: 'cancel' }>('cd-close', {
        detail: { reason: 'cancel' },
        bubbles: true,
        composed: true,
      }),
    );
  }

  // ---- render --------------------------------------------------------------------------------

  protected override render() {
    const view = this.#view.value;
    if (!view) return nothing;
    const { renderNameField, renderPhoneFields, renderSenderField } = view;
    const t = this.#t;
    const senders = this.#senders;
    const target = this.#composeTarget;
    return html`
      <form part="base" novalidate @submit=${this.#onNext} aria-labelledby="heading">
        <div class="heading-row">
          <h2 id="heading" part="heading">${t.term('heading')}</h2>
          <button part="cancel-button" type="button" @click=${this.#onCancel}>
            ${t.term('cancel')}
          </button>
        </div>

        ${renderNameField(t, this.#name.input())}
        ${renderPhoneFields(t, {
          countries: this.#countries.options,
          country: this.#countries.country,
          nationalNumber: this.nationalNumber,
          error: this.phoneError,
          onCountryChange: (e) => this.#onCountryChange(e),
          onNumberInput: (e) => this.#onNumberInput(e),
          onNumberBlur: () => this.#onNumberBlur(),
        })}
        ${renderSenderField(t, {
          senders,
          senderId: this.senderId,
          error: this.senderError,
          none: !!this.#desk.client && senders.length === 0,
          onChange: (e) => this.#onSenderChange(e),
        })}
        ${
          target
            ? nothing
            : html`<div part="actions" class="actions">
                <button part="next-button" class="primary" type="submit">${t.term('next')}</button>
              </div>`
        }
      </form>
      ${
        target
          ? html`<cd-compose
              part="compose"
              .newConversation=${target}
              @cd-sent=${this.#onSent}
            ></cd-compose>`
          : nothing
      }
    `;
  }
}
