import { html, nothing } from 'lit';
import {
  formatPhone,
  timeLeft,
  type CareWindow,
  type Contact,
  type Conversation,
  type RecipientPolicy,
} from '../../src/index.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './conversation.strings.js';

export interface ContactPanelInput {
  conversation: Conversation;
  contact: Contact | undefined;
  recipient: RecipientPolicy | undefined;
  senderLabel: string;
  ownerName: string;
  window: CareWindow;
  saving: boolean;
  error: string | null;
  saved: boolean;
  onSave(event: SubmitEvent): void;
  onClose(): void;
}

/** SN3: the open care window in words, with the time left. */
export function careText(t: LocalizeController<typeof en>, window: CareWindow): string {
  const { hours, minutes } = timeLeft(window.remainingMs);
  return t.term('careOpen', hours, minutes);
}

function careShort(t: LocalizeController<typeof en>, window: CareWindow): string {
  if (!window.open) return t.term('careShortClosed');
  const { hours, minutes } = timeLeft(window.remainingMs);
  return t.term('careLeft', hours, minutes);
}

/**
 * The contact side panel (CT1, SN3–SN5): who the customer is and what may be sent to them, with
 * the form that saves or edits the contact.
 */
export function renderContactPanel(t: LocalizeController<typeof en>, input: ContactPanelInput) {
  const { conversation: c, contact, recipient } = input;
  const yesNo = (value: boolean | undefined) =>
    value === undefined ? t.term('unknown') : value ? t.term('yes') : t.term('no');
  const optedOut = recipient?.optedOut.length
    ? recipient.optedOut.map((channel) => t.term(channel)).join(', ')
    : recipient
      ? t.term('no')
      : t.term('unknown');
  return html`<aside
    id="contact-panel"
    part="contact-panel"
    class="contact-panel"
    aria-labelledby="contact-panel-title"
  >
    <div class="panel-head">
      <h3 id="contact-panel-title">${t.term('contactPanel')}</h3>
      <button
        type="button"
        class="icon-button"
        part="contact-panel-close"
        aria-label=${t.term('closePanel')}
        @click=${input.onClose}
      >
        ${icons.close}
      </button>
    </div>
    <dl part="contact-facts">
      <dt>${t.term('factNumber')}</dt>
      <dd>${formatPhone(c.customer)}</dd>
      <dt>${t.term('factChannel')}</dt>
      <dd>${t.term(c.channel)}</dd>
      <dt>${t.term('factSender')}</dt>
      <dd>${input.senderLabel}</dd>
      <dt>${t.term('factOwner')}</dt>
      <dd>${input.ownerName}</dd>
      ${
        c.channel === 'whatsapp'
          ? html`<dt>${t.term('factConsent')}</dt>
              <dd>${yesNo(recipient?.whatsappConsent)}</dd>`
          : nothing
      }
      <dt>${t.term('factOptedOut')}</dt>
      <dd>${optedOut}</dd>
      ${
        c.channel === 'whatsapp'
          ? html`<dt>${t.term('factCare')}</dt>
              <dd>${careShort(t, input.window)}</dd>`
          : nothing
      }
    </dl>
    <form part="contact" class="contact" @submit=${input.onSave}>
      <h4>${contact ? t.term('editContact') : t.term('saveContact')}</h4>
      <label>
        <span>${t.term('firstName')}</span>
        <input name="firstName" autocomplete="off" .value=${contact?.firstName ?? ''} />
      </label>
      <label>
        <span>${t.term('lastName')}</span>
        <input name="lastName" autocomplete="off" .value=${contact?.lastName ?? ''} />
      </label>
      <button type="submit" class="primary" ?disabled=${input.saving}>
        ${input.saving ? t.term('saving') : t.term('save')}
      </button>
      ${input.error ? html`<p class="error" role="alert">${input.error}</p>` : nothing}
      ${input.saved ? html`<p class="saved" role="status">${t.term('contactSaved')}</p>` : nothing}
    </form>
  </aside>`;
}
