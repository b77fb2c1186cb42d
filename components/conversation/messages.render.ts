import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { repeat } from 'lit/directives/repeat.js';
import type { DeskState, Media, Message } from '../../src/index.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import { linkify, safeHref, safeMediaSrc } from '../shared/safe.js';
import type { en } from './conversation.strings.js';
import type { VirtualLog } from './virtual-log.js';

type T = LocalizeController<typeof en>;

export interface MessagesInput {
  items: readonly Message[];
  /** Who "the customer" is in the list: the contact's name, or the number. */
  customerName: string;
  me: DeskState['me'] | undefined;
  users: DeskState['users'] | undefined;
  conversationId: string;
  /** Customer images the user chose to show, as `conversation id + URL`. */
  revealed: ReadonlySet<string>;
  onReveal(key: string): void;
  retrying: ReadonlySet<string>;
  onRetry(messageId: string): void;
  /** An attachment's URL as `src`/`href` can load it (`MediaUrls`: `client.mediaUrl`). */
  mediaSrc(url: string): string | typeof nothing;
}

const dayKey = (at: number) => {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
};

function statusLabel(t: T, message: Message): string {
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
    case 'failed':
      return t.term('failedBecause', failureText(t, message));
  }
}

/** Why a message failed, in the user's language when it is one of ours. */
export function failureText(t: T, message: Message): string {
  const reason = message.failureReason;
  return reason === 'network'
    ? t.term('networkFailure')
    : reason && reason !== 'unknown'
      ? reason
      : t.term('unknownFailure');
}

/** SN7: clock, single tick, double tick, blue double tick, red triangle; each with a label. */
function renderStatus(t: T, message: Message) {
  const icon = {
    queued: icons.clock,
    sent: icons.tick,
    delivered: icons.doubleTick,
    read: icons.doubleTick,
    failed: icons.warning,
  }[message.status];
  const label = statusLabel(t, message);
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
        ? html`<span part="status-reason" class="status-reason ${message.status}" aria-hidden="true"
            >${label}</span
          >`
        : nothing
    }`;
}

/** Attachments: only safe URLs; a customer's image waits for a click (it can track the reader). */
function renderMedia(t: T, input: MessagesInput, media: Media, fromCustomer: boolean) {
  if (media.mimeType.startsWith('image/')) {
    const src = safeMediaSrc(media.url);
    // Our own attachments are data: URLs we made; a customer's image waits for a click.
    const held = src && (fromCustomer || !src.startsWith('data:'));
    const key = `${input.conversationId} ${src}`;
    if (src && held && !input.revealed.has(key)) {
      const from = src.startsWith('data:') ? null : new URL(src).host;
      return html`<button
        type="button"
        part="media media-reveal"
        class="media-file"
        @click=${() => input.onReveal(key)}
      >
        ${icons.paperclip}
        ${
          from
            ? t.term('showImage', media.fileName, from)
            : t.term('showAttachedImage', media.fileName)
        }
      </button>`;
    }
    if (src) {
      return html`<img
        part="media"
        class="media-image"
        src=${input.mediaSrc(src)}
        alt=${media.fileName}
      />`;
    }
  }
  const href = safeHref(media.url);
  return href
    ? html`<a
        part="media"
        class="media-file"
        href=${input.mediaSrc(href)}
        target="_blank"
        rel="noopener noreferrer"
        >${icons.paperclip} ${media.fileName}</a
      >`
    : html`<span part="media" class="media-file">${icons.paperclip} ${media.fileName}</span>`;
}

/** Customer text as text; only http(s) links become links. */
function renderText(text: string) {
  return linkify(text).map((part) =>
    part.href
      ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer">${part.text}</a>`
      : part.text,
  );
}

/** Where a row sits in the virtual list: its index, and the measuring callback. */
interface Place {
  index: number;
  measure: (element?: Element) => void;
}

export function renderMessage(t: T, input: MessagesInput, message: Message, at?: Place) {
  const { me, users } = input;
  const out = message.direction === 'out';
  const author = out
    ? message.sentBy && message.sentBy !== me?.id
      ? (users?.get(message.sentBy)?.name ?? message.sentBy)
      : t.term('you')
    : input.customerName;
  const time = t.date(message.createdAt, { hour: 'numeric', minute: '2-digit' });
  const retrying = input.retrying.has(message.id);
  return html`<div
    part="message message-${message.direction}"
    class="message ${message.direction} ${message.status}"
    data-message-id=${message.id}
    data-status=${message.status}
    data-index=${at?.index ?? nothing}
    ${ref(at?.measure)}
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
    ${message.text ? html`<p part="text" class="text">${renderText(message.text)}</p>` : nothing}
    ${
      message.media.length
        ? html`<div class="media">
            ${message.media.map((m) => renderMedia(t, input, m, message.direction === 'in'))}
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
      ${out ? renderStatus(t, message) : nothing}
    </div>
    ${
      out && message.status === 'failed'
        ? html`<button
            type="button"
            part="retry-button"
            class="retry"
            ?disabled=${retrying}
            @click=${() => input.onRetry(message.id)}
          >
            ${retrying ? t.term('retrying') : t.term('retry')}
          </button>`
        : nothing
    }
  </div>`;
}

interface Row {
  key: string;
  day?: number;
  message?: Message;
}

/** Rows per window of messages: worked out once per window, not per render. */
const rowsOf = new WeakMap<readonly Message[], Row[]>();

/** The messages in order with a heading for each day, as rows of the virtual list. */
function rows(items: readonly Message[]): Row[] {
  let rows = rowsOf.get(items);
  if (rows) return rows;
  rows = [];
  let day = '';
  for (const message of items) {
    const key = dayKey(message.createdAt);
    if (key !== day) {
      day = key;
      rows.push({ key: `day:${key}`, day: message.createdAt });
    }
    rows.push({ key: message.id, message });
  }
  rowsOf.set(items, rows);
  return rows;
}

/**
 * The messages in order, with a heading for each day: only the rows in view are drawn (issue 11),
 * the space of the others kept above and below them.
 */
export function renderMessages(t: T, input: MessagesInput, log: VirtualLog) {
  const all = rows(input.items);
  const { items, before, after } = log.window({ count: all.length, key: (i) => all[i]!.key });
  const measure = log.measure;
  return html`<div class="rows" style=${`padding-top: ${before}px; padding-bottom: ${after}px`}>
    ${repeat(
      items,
      (item) => item.key,
      ({ index }) => {
        const row = all[index]!;
        return row.message
          ? renderMessage(t, input, row.message, { index, measure })
          : html`<h3 part="date-separator" class="date" data-index=${index} ${ref(measure)}>
              <span>${t.date(row.day!, { dateStyle: 'full' })}</span>
            </h3>`;
      },
    )}
  </div>`;
}
