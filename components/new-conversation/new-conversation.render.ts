import { html, nothing } from 'lit';
import { contactName, type Contact, type SenderId } from '../../src/index.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './new-conversation.strings.js';

type T = LocalizeController<typeof en>;

export interface CountryOption {
  country: string;
  code: string;
  label: string;
}

export interface NameInput {
  name: string;
  suggestions: readonly Contact[];
  expanded: boolean;
  active: number;
  onInput(event: InputEvent): void;
  onKeydown(event: KeyboardEvent): void;
  onBlur(): void;
  onPick(contact: Contact): void;
}

/** SN1: the full name, a combobox that suggests contacts while typing. */
export function renderNameField(t: T, input: NameInput) {
  const activeId = input.expanded && input.active >= 0 ? `option-${input.active}` : undefined;
  return html`<div part="field" class="field name-field">
    <label part="label" for="name">${t.term('name')}</label>
    <div class="combobox">
      <input
        id="name"
        part="name-input"
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded=${input.expanded ? 'true' : 'false'}
        aria-controls="suggestions"
        aria-activedescendant=${activeId ?? nothing}
        placeholder=${t.term('namePlaceholder')}
        .value=${input.name}
        @input=${input.onInput}
        @keydown=${input.onKeydown}
        @blur=${input.onBlur}
      />
      <ul
        id="suggestions"
        part="listbox"
        role="listbox"
        aria-label=${t.term('suggestions')}
        ?hidden=${!input.expanded}
      >
        ${input.suggestions.map(
          (c, i) => html`
            <li
              id="option-${i}"
              part="option"
              role="option"
              aria-selected=${i === input.active ? 'true' : 'false'}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => input.onPick(c)}
            >
              <span part="option-name">${contactName(c)}</span>
              <span part="option-phone" class="muted">${c.phone}</span>
            </li>
          `,
        )}
      </ul>
      <span class="visually-hidden" role="status"
        >${input.expanded ? t.term('suggestionCount', input.suggestions.length) : ''}</span
      >
    </div>
  </div>`;
}

export interface PhoneInput {
  countries: readonly CountryOption[] | null;
  country: string;
  nationalNumber: string;
  error: string;
  onCountryChange(event: Event): void;
  onNumberInput(event: InputEvent): void;
  onNumberBlur(): void;
}

/** S2: the country code list and the national number, with why the number is not valid. */
export function renderPhoneFields(t: T, input: PhoneInput) {
  const chosen = input.countries?.find((c) => c.country === input.country);
  return html`<div class="phone">
      <div part="field" class="field country">
        <label part="label" for="country">${t.term('countryCode')}</label>
        <select
          id="country"
          part="country-select"
          class=${chosen ? 'short' : ''}
          ?disabled=${!input.countries}
          @change=${input.onCountryChange}
        >
          ${
            input.countries
              ? input.countries.map(
                  (c) =>
                    html`<option value=${c.country} .selected=${c.country === input.country}>
                      ${t.term('countryOption', c.label, c.code)}
                    </option>`,
                )
              : html`<option value="">${t.term('countriesLoading')}</option>`
          }
        </select>
        ${
          // Closed, the list shows the short "US +1" (a full name gets cut); open, the full names.
          chosen
            ? html`<span part="country-short" class="country-short" aria-hidden="true"
                >${t.term('countryShort', chosen.country, chosen.code)}</span
              >`
            : nothing
        }
      </div>
      <div part="field" class="field">
        <label part="label" for="number">${t.term('number')}</label>
        <input
          id="number"
          part="number-input"
          type="tel"
          inputmode="tel"
          autocomplete="tel-national"
          .value=${input.nationalNumber}
          aria-invalid=${input.error ? 'true' : 'false'}
          aria-describedby=${input.error ? 'number-error' : nothing}
          @input=${input.onNumberInput}
          @blur=${input.onNumberBlur}
        />
      </div>
    </div>
    ${
      input.error
        ? html`<p id="number-error" part="error" class="error" role="alert">
            ${icons.warning}<span>${input.error}</span>
          </p>`
        : nothing
    }`;
}

export interface SenderInput {
  senders: readonly SenderId[];
  senderId: string;
  error: string;
  /** A client is there but offers no sender ID to start from. */
  none: boolean;
  onChange(event: Event): void;
}

/** The sender ID the conversation starts from (S1, V2). */
export function renderSenderField(t: T, input: SenderInput) {
  return html`<div part="field" class="field">
      <label part="label" for="sender">${t.term('sender')}</label>
      <select
        id="sender"
        part="sender-select"
        aria-invalid=${input.error ? 'true' : 'false'}
        aria-describedby=${input.error ? 'sender-error' : nothing}
        @change=${input.onChange}
      >
        <option value="" .selected=${!input.senderId}>${t.term('chooseSender')}</option>
        ${input.senders.map(
          (s) =>
            html`<option value=${s.id} .selected=${s.id === input.senderId}>
              ${t.term('senderOption', s.label, t.term(s.channel), s.address)}
            </option>`,
        )}
      </select>
    </div>
    ${
      input.error
        ? html`<p id="sender-error" part="error" class="error" role="alert">
            ${icons.warning}<span>${input.error}</span>
          </p>`
        : nothing
    }
    ${input.none ? html`<p part="error" class="error">${t.term('noSenders')}</p>` : nothing}`;
}
