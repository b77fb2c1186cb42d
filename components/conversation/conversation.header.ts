import { html, nothing } from 'lit';
import {
  contactName,
  formatPhone,
  isAdmin,
  markMode,
  type CareWindow,
  type Contact,
  type Conversation,
  type DeskState,
} from '../../src/index.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import { careText } from './contact-panel.js';
import type { en } from './conversation.strings.js';

type T = LocalizeController<typeof en>;

export interface HeaderInput {
  conversation: Conversation;
  contact: Contact | undefined;
  me: DeskState['me'] | undefined;
  senderLabel: string | undefined;
  ownerName: string;
  panelOpen: boolean;
  onTogglePanel(): void;
  /** RD2 for the owner. */
  onMark(read: boolean): void;
  /** RD4: an admin confirms first. */
  onAskConfirmation(read: boolean): void;
  onAssign(): void;
}

/** The conversation's title: the contact's name, or the number. */
export const titleOf = (conversation: Conversation, contact: Contact | undefined) =>
  contactName(contact) || formatPhone(conversation.customer);

/** The header: channel, who, via which sender ID, the owner, and the actions. */
export function renderHeader(t: T, input: HeaderInput) {
  const { conversation } = input;
  const name = contactName(input.contact);
  const title = titleOf(conversation, input.contact);
  return html`<header part="header" class="header">
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
          input.senderLabel
            ? html`<span part="sender" class="sender">${t.term('via', input.senderLabel)}</span>`
            : nothing
        }
        <span part="owner" class="owner">${t.term('owner', input.ownerName)}</span>
      </p>
    </div>
    <div class="actions">${renderReadActions(t, input)} ${renderHeaderActions(t, input)}</div>
  </header>`;
}

function renderReadActions(t: T, input: HeaderInput) {
  const { conversation, me } = input;
  if (!me) return nothing;
  const mode = markMode(conversation, me); // RD2, RD4
  if (!mode) return nothing;
  const isOwner = mode === 'owner';
  const read = conversation.unread;
  return html`${
      !isOwner && conversation.unread
        ? html`<span part="unread-badge" class="badge unread"
            >${t.term('unreadFor', input.ownerName)}</span
          >`
        : nothing
    }
    <button
      type="button"
      part="mark-button"
      class="secondary"
      title=${read ? t.term('markRead') : t.term('markUnread')}
      @click=${() => (isOwner ? input.onMark(read) : input.onAskConfirmation(read))}
    >
      ${read ? icons.markRead : icons.markUnread}<span class="label"
        >${read ? t.term('markRead') : t.term('markUnread')}</span
      >
    </button>`;
}

/** The header's actions: the contact panel, and for an admin, assign (A1) without a list. */
function renderHeaderActions(t: T, input: HeaderInput) {
  const admin = !!input.me && isAdmin(input.me);
  return html`<button
      type="button"
      part="contact-button"
      class="secondary"
      aria-expanded=${input.panelOpen ? 'true' : 'false'}
      aria-controls="contact-panel"
      title=${t.term('contact')}
      @click=${input.onTogglePanel}
    >
      ${icons.contact}<span class="label">${t.term('contact')}</span>
    </button>
    ${
      admin
        ? html`<button
            type="button"
            part="assign-button"
            class="secondary"
            title=${t.term('assignTo')}
            @click=${input.onAssign}
          >
            ${icons.assign}<span class="label">${t.term('assign')}</span>
          </button>`
        : nothing
    }`;
}

/**
 * SN3: the WhatsApp care window's countdown while it is open. Once closed, the compose box's
 * notice says so: one warning, in one place.
 */
export function renderCareWindow(t: T, conversation: Conversation, window: CareWindow) {
  if (conversation.channel !== 'whatsapp' || !window.open) return nothing;
  return html`<p part="care-window" class="care open">
    ${icons.clock} <span>${careText(t, window)}</span>
  </p>`;
}

/** RD4: the admin confirms marking another user's conversation read or unread. */
export function renderConfirmDialog(
  t: T,
  read: boolean | null,
  ownerName: string,
  onClose: (confirmed: boolean) => void,
) {
  return html`<dialog
    part="confirm-dialog"
    aria-labelledby="confirm-title"
    aria-describedby="confirm-text"
    @cancel=${(e: Event) => {
      e.preventDefault();
      onClose(false);
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
              <button type="button" class="secondary" @click=${() => onClose(false)}>
                ${t.term('cancel')}
              </button>
              <button type="button" class="primary" @click=${() => onClose(true)}>
                ${t.term('confirm')}
              </button>
            </div>`
    }
  </dialog>`;
}
