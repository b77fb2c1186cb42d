import { html, nothing } from 'lit';
import type { ConversationRow, RowState } from '../../src/index.js';
import { icons } from '../shared/icons.js';
import { warmDateFormats, type LocalizeController } from '../shared/localize.js';
import type { en } from './inbox.strings.js';

const TODAY: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const THIS_YEAR: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
const OLDER: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
warmDateFormats([TODAY, THIS_YEAR]);

export interface RowInput {
  row: ConversationRow;
  index: number;
  /** The contact's name, or the number formatted for people. */
  title: string;
  checked: boolean;
  current: boolean;
  state: RowState;
  now: number;
  tabIndex: number;
  onOpen(): void;
  onCheck(): void;
}

/** Each instant's text by language and day: a message re-renders every row drawn (issue 11). */
const times = new Map<string, { text: string; iso: string }>();

/** Today: the time; this year: day and month; older: with the year. */
function shortTime(t: LocalizeController<typeof en>, at: number, now: number) {
  const today = new Date(now).toDateString();
  const key = `${t.lang} ${today} ${at}`;
  let time = times.get(key);
  if (!time) {
    const date = new Date(at);
    const sameYear = date.getFullYear() === new Date(now).getFullYear();
    const text =
      date.toDateString() === today ? t.date(at, TODAY) : t.date(at, sameYear ? THIS_YEAR : OLDER);
    if (times.size > 999) times.clear();
    times.set(key, (time = { text, iso: date.toISOString() }));
  }
  return time;
}

const STATE_TERMS = {
  opted_out: 'rowOptedOut',
  failed: 'rowFailed',
  queued: 'rowQueued',
} as const;

/** One conversation of the list: a listbox option (V5). */
export function renderRow(t: LocalizeController<typeof en>, input: RowInput) {
  const { row, index, checked, current, state } = input;
  const c = row.conversation;
  const time = shortTime(t, c.lastMessage?.at ?? c.lastActivityAt, input.now);
  const parts = ['row', c.unread ? 'row-unread' : '', current ? 'row-current' : '']
    .filter(Boolean)
    .join(' ');
  const preview = c.lastMessage?.text ?? '';
  return html`<div
    role="option"
    part=${parts}
    data-index=${index}
    data-id=${c.id}
    aria-selected=${checked ? 'true' : 'false'}
    aria-current=${current ? 'true' : nothing}
    tabindex=${input.tabIndex}
    @click=${input.onOpen}
  >
    <span
      part="checkbox"
      aria-hidden="true"
      @click=${(event: Event) => {
        event.stopPropagation();
        input.onCheck();
      }}
      >${checked ? icons.tick : nothing}</span
    >
    <span part="channel" class=${c.channel}
      >${c.channel === 'whatsapp' ? icons.whatsapp : icons.sms}<span class="visually-hidden"
        >${t.term(c.channel === 'whatsapp' ? 'whatsapp' : 'sms')}</span
      ></span
    >
    <span part="title" title=${input.title}>${input.title}</span>
    <time part="time" datetime=${time.iso}>${time.text}</time>
    <span part="preview"
      >${
        state
          ? html`<span part="row-state row-state-${state.replace('_', '-')}" class="state ${state}"
              >${state === 'queued' ? icons.clock : icons.warning}${t.term(STATE_TERMS[state])}</span
            >`
          : nothing
      }${
        c.lastMessage?.hasMedia
          ? html`${icons.paperclip}<span class="visually-hidden">${t.term('attachment')} </span>`
          : nothing
      }<span class="text" title=${preview}>${preview}</span></span
    >
    ${
      c.unread
        ? html`<span part="unread-dot"
            ><span class="visually-hidden">${t.term('unread')}</span></span
          >`
        : nothing
    }
  </div>`;
}
