import { html, nothing, type TemplateResult } from 'lit';
import { viewId, type DeskClient, type ViewKey } from '../../src/index.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './desk.strings.js';

type T = LocalizeController<typeof en>;

export const MINE: ViewKey = { kind: 'mine' };
export const SENT: ViewKey = { kind: 'sent' };

export interface NavInput {
  client: DeskClient;
  current: ViewKey;
  onShow(view: ViewKey): void;
  onNew(): void;
  onHelp(): void;
}

/** The name of a view, as the list's heading. */
export function viewTitle(t: T, client: DeskClient | undefined, view: ViewKey): string {
  const state = client?.getState();
  switch (view.kind) {
    case 'mine':
      return t.term('myInbox');
    case 'sent':
      return t.term('sentMessages');
    case 'sender':
      return state?.senders.get(view.senderId)?.label ?? view.senderId;
    case 'team':
      return t.term('teamEntry', state?.users.get(view.userId)?.name ?? view.userId);
  }
}

/** One navigation entry with its unread count (V1–V4). */
function entry(t: T, input: NavInput, view: ViewKey, label: string, icon?: TemplateResult) {
  // Issue 11: the view's true count, also while only its first rows are loaded.
  const unread = input.client.viewCount(view).unread;
  const current = viewId(view) === viewId(input.current);
  return html`<li>
    <button
      type="button"
      part="nav-item"
      data-view=${viewId(view)}
      aria-current=${current ? 'page' : nothing}
      @click=${() => input.onShow(view)}
    >
      ${icon ?? nothing}
      <span part="nav-label" class="label" title=${label}>${label}</span>
      ${
        unread > 0
          ? html`<span part="badge" class="badge" aria-hidden="true">${t.number(unread)}</span
              ><span class="visually-hidden">, ${t.term('unread', unread)}</span>`
          : nothing
      }
    </button>
  </li>`;
}

/** My Inbox, the Sender ID inboxes, the Team Inbox (admins), Sent Messages. */
export function renderNav(t: T, input: NavInput): TemplateResult {
  const { client } = input;
  const senders = client.senderInboxes();
  const team = client.teamMembers();
  return html`<nav part="nav" class="nav" aria-label=${t.term('navigation')}>
    <button type="button" part="new-button" class="new" @click=${input.onNew}>
      ${icons.plus}<span>${t.term('newConversation')}</span>
    </button>
    <ul part="nav-list" role="list">
      ${entry(t, input, MINE, t.term('myInbox'))}
    </ul>
    ${
      senders.length
        ? html`<h2 part="nav-heading" id="senders-heading">${t.term('senderInboxes')}</h2>
            <ul part="nav-list" role="list" aria-labelledby="senders-heading">
              ${senders.map((s) =>
                entry(
                  t,
                  input,
                  { kind: 'sender', senderId: s.id },
                  s.label,
                  html`<span class="channel ${s.channel}" title=${t.term(s.channel)}
                    >${icons[s.channel]}<span class="visually-hidden"
                      >${t.term(s.channel)}</span
                    ></span
                  >`,
                ),
              )}
            </ul>`
        : nothing
    }
    ${
      client.isAdmin()
        ? html`<h2 part="nav-heading" id="team-heading">${t.term('teamInbox')}</h2>
            ${
              team.length
                ? html`<ul part="nav-list" role="list" aria-labelledby="team-heading">
                    ${team.map((u) => entry(t, input, { kind: 'team', userId: u.id }, u.name))}
                  </ul>`
                : html`<p class="note">${t.term('noTeam')}</p>`
            }`
        : nothing
    }
    <ul part="nav-list" role="list" class="sent">
      ${entry(t, input, SENT, t.term('sentMessages'))}
    </ul>
    <button type="button" part="shortcuts-button" class="shortcuts-button" @click=${input.onHelp}>
      <kbd aria-hidden="true">?</kbd> ${t.term('shortcuts')}
    </button>
  </nav>`;
}
