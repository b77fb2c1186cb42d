import { html, nothing } from 'lit';
import type { ConversationRow, RowState } from '../../src/index.js';
import { icons } from '../shared/icons.js';
import { warmDateFormats, type LocalizeController } from '../shared/localize.js';
import type { en } from './inbox.strings.js';

const TODAY: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const THIS_YEAR: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
const OLDER: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
// All three: an inbox's first rows often show last year's conversations.
warmDateFormats([TODAY, THIS_YEAR, OLDER]);

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

/**
 * Each instant's text for the current language and day (issue 11: a message re-renders every
 * row drawn, and a `toDateString` per row per render showed in its profile).
 */
let day = {
  lang: '',
  start: 0,
  end: -1,
  year: 0,
  times: new Map<number, { text: string; iso: string }>(),
};

/** Today: the time; this year: day and month; older: with the year. */
function shortTime(t: LocalizeController<typeof en>, at: number, now: number) {
  const lang = t.lang;
  if (lang !== day.lang || now < day.start || now >= day.end) {
    const d = new Date(now);
    const [y, m, dd] = [d.getFullYear(), d.getMonth(), d.getDate()];
    const [start, end] = [new Date(y, m, dd).getTime(), new Date(y, m, dd + 1).getTime()];
    day = { lang, start, end, year: y, times: new Map() };
  }
  let time = day.times.get(at);
  if (!time) {
    const date = new Date(at);
    const options =
      at >= day.start && at < day.end ? TODAY : date.getFullYear() === day.year ? THIS_YEAR : OLDER;
    if (day.times.size > 999) day.times.clear();
    day.times.set(at, (time = { text: t.date(at, options), iso: date.toISOString() }));
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
