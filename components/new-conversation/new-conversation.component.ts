import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  contactName,
  countryCallingCodes,
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
import { icons } from '../shared/icons.js';
import { en } from './new-conversation.strings.js';
import { styles } from './new-conversation.styles.js';

/** Detail of `cd-conversation-started`. */
export interface ConversationStartedDetail {
  conversationId: string;
}

interface CountryOption {
  country: string;
  code: string;
  label: string;
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
 * @csspart number-input - The national number input.
 * @csspart sender-select - The sender ID list.
 * @csspart error - An inline validation error.
 * @csspart actions - The Next and Cancel buttons.
 * @csspart next-button - Validates the number and sender ID, then shows the compose box.
 * @csspart cancel-button - Fires `cd-close`.
 * @csspart compose - The embedded `<cd-compose>`.
 *
 * @cssproperty --cd-new-conversation-gap - Space between fields.
 * @cssproperty --cd-new-conversation-max-width - The form's maximum width.
 * @cssproperty --cd-new-conversation-listbox-max-height - Height of the suggestion list.
 */
export class CdNewConversation extends LitElement {
  static override styles = [tokens, styles];
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** ISO 3166 region preselected in the country code list. */
  @property({ attribute: 'default-country' }) defaultCountry = 'US';

  @state() private name = '';
  @state() private suggestions: Contact[] = [];
  @state() private expanded = false;
  @state() private active = -1;
  @state() private countries: CountryOption[] | null = null;
  @state() private country = '';
  @state() private nationalNumber = '';
  @state() private phoneError = '';
  /** The validated E.164 number; null until the number is valid. */
  @state() private customer: string | null = null;
  @state() private senderId = '';
  @state() private senderError = '';

  @query('#number') private numberInput?: HTMLInputElement;
  @query('cd-compose') private compose?: HTMLElement;

  readonly #desk = new DeskController(this, (s) => s.senders);
  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  #suggestSeq = 0;
  #validateSeq = 0;
  #countriesLoad: Promise<CountryOption[]> | null = null;
  #countriesLang = '';
  #target: NewConversationTarget | null = null;

  /** Clears the form. */
  reset(): void {
    this.name = '';
    this.suggestions = [];
    this.expanded = false;
    this.active = -1;
    this.country = this.#defaultCountry();
    this.nationalNumber = '';
    this.phoneError = '';
    this.customer = null;
    this.senderId = '';
    this.senderError = '';
    this.#suggestSeq++;
    this.#validateSeq++;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadCountries();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('defaultCountry') && this.countries && !this.nationalNumber) {
      this.country = this.#defaultCountry();
    }
    // The list shows country names in the element's language.
    if (this.countries && this.#countriesLang !== this.#t.lang) {
      this.countries = this.#label(this.countries);
    }
  }

  // ---- data ----------------------------------------------------------------------------------

  /** The senders this user may start from: their sender ID inboxes; an admin any (S1, V2). */
  get #senders(): SenderId[] {
    const client = this.#desk.client;
    if (!client) return [];
    return client.startableSenders();
  }

  #loadCountries(): Promise<CountryOption[]> {
    this.#countriesLoad ??= countryCallingCodes().then((list) => {
      this.countries = this.#label(list.map((c) => ({ ...c, label: '' })));
      if (!this.country) this.country = this.#defaultCountry();
      return this.countries;
    });
    return this.#countriesLoad;
  }

  /** Country names through Intl.DisplayNames, sorted in the element's language. */
  #label(list: CountryOption[]): CountryOption[] {
    const lang = this.#t.lang;
    this.#countriesLang = lang;
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
    } catch {
      names = undefined;
    }
    const collator = new Intl.Collator(lang);
    return list
      .map((c) => ({ ...c, label: names?.of(c.country) ?? c.country }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }

  #defaultCountry(): string {
    const wanted = this.defaultCountry.toUpperCase();
    return this.countries?.some((c) => c.country === wanted)
      ? wanted
      : (this.countries?.[0]?.country ?? '');
  }

  #code(country = this.country): string {
    return this.countries?.find((c) => c.country === country)?.code ?? '';
  }

  /** The region to show for a calling code: the current one, the default, or the first. */
  #countryFor(code: string): string {
    if (this.#code(this.country) === code) return this.country;
    const fallback = this.defaultCountry.toUpperCase();
    if (this.#code(fallback) === code) return fallback;
    return this.countries?.find((c) => c.code === code)?.country ?? this.country;
  }

  #errorText(error: unknown): string {
    if (isDeskError(error, 'invalid_phone')) {
      return errorDetails(error, 'invalid_phone')?.missing
        ? this.#t.term('missingCountry')
        : this.#t.term('invalidPhone');
    }
    return this.#errors.text(error);
  }

  // ---- name combobox (SN1) -------------------------------------------------------------------

  async #onNameInput(event: InputEvent) {
    this.name = (event.target as HTMLInputElement).value;
    const client = this.#desk.client;
    const seq = ++this.#suggestSeq;
    if (!client || !this.name.trim()) {
      this.suggestions = [];
      this.expanded = false;
      this.active = -1;
      return;
    }
    let found: Contact[] = [];
    try {
      found = await client.suggestContacts(this.name);
    } catch {
      found = [];
    }
    if (seq !== this.#suggestSeq) return; // a later keystroke won
    this.suggestions = found;
    this.expanded = found.length > 0;
    this.active = -1;
  }

  #onNameKeydown(event: KeyboardEvent) {
    const count = this.suggestions.length;
    switch (event.key) {
      case 'ArrowDown':
        if (!count) return;
        event.preventDefault();
        this.expanded = true;
        this.active = (this.active + 1) % count;
        break;
      case 'ArrowUp':
        if (!count) return;
        event.preventDefault();
        this.expanded = true;
        this.active = this.active <= 0 ? count - 1 : this.active - 1;
        break;
      case 'Enter': {
        const contact = this.expanded ? this.suggestions[this.active] : undefined;
        if (contact) {
          event.preventDefault();
          void this.#pick(contact);
        }
        break;
      }
      case 'Escape':
        if (this.expanded) {
          event.preventDefault();
          event.stopPropagation();
          this.#closeList();
        }
        break;
      case 'Tab':
        this.#closeList();
        break;
    }
  }

  #closeList() {
    this.expanded = false;
    this.active = -1;
  }

  /** SN1: picking a contact fills the name, the country code and the number. */
  async #pick(contact: Contact) {
    this.#suggestSeq++;
    this.name = contactName(contact);
    this.#closeList();
    this.suggestions = [];
    await this.#loadCountries();
    try {
      const { countryCallingCode, nationalNumber } = await splitE164(contact.phone);
      this.country = this.#countryFor(countryCallingCode);
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
    this.country = (event.target as HTMLSelectElement).value;
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
    await this.#loadCountries();
    try {
      const e164 = await toE164({
        countryCallingCode: this.#code(),
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
    const name = this.name.trim() || undefined;
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
    const t = this.#t;
    const senders = this.#senders;
    const target = this.#composeTarget;
    const activeId = this.expanded && this.active >= 0 ? `option-${this.active}` : undefined;
    return html`
      <form part="base" novalidate @submit=${this.#onNext} aria-labelledby="heading">
        <h2 id="heading" part="heading">${t.term('heading')}</h2>

        <div part="field" class="field name-field">
          <label part="label" for="name">${t.term('name')}</label>
          <div class="combobox">
            <input
              id="name"
              part="name-input"
              type="text"
              role="combobox"
              autocomplete="off"
              aria-autocomplete="list"
              aria-expanded=${this.expanded ? 'true' : 'false'}
              aria-controls="suggestions"
              aria-activedescendant=${activeId ?? nothing}
              placeholder=${t.term('namePlaceholder')}
              .value=${this.name}
              @input=${this.#onNameInput}
              @keydown=${this.#onNameKeydown}
              @blur=${this.#closeList}
            />
            <ul
              id="suggestions"
              part="listbox"
              role="listbox"
              aria-label=${t.term('suggestions')}
              ?hidden=${!this.expanded}
            >
              ${this.suggestions.map(
                (c, i) => html`
                  <li
                    id="option-${i}"
                    part="option"
                    role="option"
                    aria-selected=${i === this.active ? 'true' : 'false'}
                    @mousedown=${(e: Event) => e.preventDefault()}
                    @click=${() => this.#pick(c)}
                  >
                    <span part="option-name">${contactName(c)}</span>
                    <span part="option-phone" class="muted">${c.phone}</span>
                  </li>
                `,
              )}
            </ul>
            <span class="visually-hidden" role="status"
              >${this.expanded ? t.term('suggestionCount', this.suggestions.length) : ''}</span
            >
          </div>
        </div>

        <div class="phone">
          <div part="field" class="field">
            <label part="label" for="country">${t.term('countryCode')}</label>
            <select
              id="country"
              part="country-select"
              ?disabled=${!this.countries}
              @change=${this.#onCountryChange}
            >
              ${
                this.countries
                  ? this.countries.map(
                      (c) =>
                        html`<option value=${c.country} .selected=${c.country === this.country}>
                          ${t.term('countryOption', c.label, c.code)}
                        </option>`,
                    )
                  : html`<option value="">${t.term('countriesLoading')}</option>`
              }
            </select>
          </div>
          <div part="field" class="field">
            <label part="label" for="number">${t.term('number')}</label>
            <input
              id="number"
              part="number-input"
              type="tel"
              inputmode="tel"
              autocomplete="tel-national"
              .value=${this.nationalNumber}
              aria-invalid=${this.phoneError ? 'true' : 'false'}
              aria-describedby=${this.phoneError ? 'number-error' : nothing}
              @input=${this.#onNumberInput}
              @blur=${this.#onNumberBlur}
            />
          </div>
        </div>
        ${
          this.phoneError
            ? html`<p id="number-error" part="error" class="error" role="alert">
                ${icons.warning}<span>${this.phoneError}</span>
              </p>`
            : nothing
        }

        <div part="field" class="field">
          <label part="label" for="sender">${t.term('sender')}</label>
          <select
            id="sender"
            part="sender-select"
            aria-invalid=${this.senderError ? 'true' : 'false'}
            aria-describedby=${this.senderError ? 'sender-error' : nothing}
            @change=${this.#onSenderChange}
          >
            <option value="" .selected=${!this.senderId}>${t.term('chooseSender')}</option>
            ${senders.map(
              (s) =>
                html`<option value=${s.id} .selected=${s.id === this.senderId}>
                  ${t.term('senderOption', s.label, t.term(s.channel), s.address)}
                </option>`,
            )}
          </select>
        </div>
        ${
          this.senderError
            ? html`<p id="sender-error" part="error" class="error" role="alert">
                ${icons.warning}<span>${this.senderError}</span>
              </p>`
            : nothing
        }
        ${
          this.#desk.client && senders.length === 0
            ? html`<p part="error" class="error">${t.term('noSenders')}</p>`
            : nothing
        }

        <div part="actions" class="actions">
          ${
            target
              ? nothing
              : html`<button part="next-button" class="primary" type="submit">
                  ${t.term('next')}
                </button>`
          }
          <button part="cancel-button" type="button" @click=${this.#onCancel}>
            ${t.term('cancel')}
          </button>
        </div>
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
