import { css } from 'lit';
import { tokens } from '../shared/tokens.js';

export const styles = [
  tokens,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      height: var(--cd-inbox-height, 100%);
      background: var(--cd-inbox-background, var(--_cd-surface));
      --_row-height: var(--cd-inbox-row-height, calc(var(--_cd-space) * 7));
      --_row-padding: var(--cd-inbox-row-padding, calc(var(--_cd-space) * 0.75) var(--_cd-space));
      --_unread-dot: var(--cd-inbox-unread-color, var(--_cd-accent));
      --_row-current: var(--cd-inbox-row-current-background, var(--_cd-surface-alt));
      --_row-checked: var(
        --cd-inbox-row-checked-background,
        color-mix(in srgb, var(--_cd-accent) 8%, var(--_cd-surface))
      );
    }
    :host([hidden]) {
      display: none;
    }
    button {
      font: inherit;
      color: inherit;
      cursor: pointer;
    }
    [part~='alert'] {
      display: flex;
      align-items: start;
      gap: var(--_cd-space);
      margin: var(--_cd-space);
      padding: var(--_cd-space);
      border: 1px solid var(--_cd-danger);
      border-radius: var(--_cd-radius);
      color: var(--_cd-danger);
      background: var(--_cd-surface);
    }
    [part~='alert'] > span {
      flex: 1;
    }
    .icon-button {
      display: inline-grid;
      place-items: center;
      min-width: calc(var(--_cd-space) * 3);
      min-height: calc(var(--_cd-space) * 3);
      padding: 0;
      border: none;
      border-radius: var(--_cd-radius);
      background: transparent;
    }
    [part~='search'] {
      display: flex;
      gap: calc(var(--_cd-space) / 2);
      padding: var(--_cd-space);
      border-bottom: 1px solid var(--_cd-border);
    }
    [part~='search-input'] {
      flex: 1;
      min-width: 0;
      font: inherit;
      color: inherit;
      padding: calc(var(--_cd-space) / 2) var(--_cd-space);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      background: var(--_cd-surface);
    }
    [part~='search-button'] {
      min-width: calc(var(--_cd-space) * 4);
      border: 1px solid var(--_cd-border);
    }
    [part~='toolbar'] {
      display: flex;
      align-items: center;
      gap: var(--_cd-space);
      padding: calc(var(--_cd-space) / 2) var(--_cd-space);
      border-bottom: 1px solid var(--_cd-border);
      color: var(--_cd-muted);
    }
    [part~='select-all'] {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      color: var(--_cd-text);
      white-space: nowrap;
    }
    /* One line: the count gives way (an ellipsis, the full count on hover), never wraps. */
    [part~='selection-count'] {
      flex: 0 1 auto;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~='actions'] {
      display: flex;
      flex: none;
      gap: calc(var(--_cd-space) / 2);
      margin-inline-start: auto;
    }
    [part~='action'] {
      display: inline-flex;
      align-items: center;
      font-size: 1.1em;
      padding: calc(var(--_cd-space) / 2) var(--_cd-space);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      background: var(--_cd-surface);
      color: var(--_cd-text);
    }
    [part~='action']:disabled {
      cursor: default;
      color: var(--_cd-muted);
      background: var(--_cd-surface-alt);
    }
    [part~='list'] {
      flex: 1 1 auto;
      min-height: 0;
      outline-offset: -2px;
    }
    [part~='empty'] {
      margin: 0;
      padding: calc(var(--_cd-space) * 3) var(--_cd-space);
      text-align: center;
      color: var(--_cd-muted);
    }
    [part~='row'] {
      display: grid;
      grid-template-columns: auto auto minmax(0, 1fr) auto;
      grid-template-areas:
        'check channel title time'
        'check channel preview unread';
      align-items: center;
      column-gap: var(--_cd-space);
      width: 100%;
      min-height: var(--_row-height);
      padding: var(--_row-padding);
      border-bottom: 1px solid var(--_cd-border);
      border-inline-start: 3px solid transparent;
      background: var(--_cd-surface);
      cursor: pointer;
      outline-offset: -3px;
    }
    [part~='row']:hover {
      background: var(--_cd-surface-alt);
    }
    [part~='row'][aria-selected='true'] {
      background: var(--_row-checked);
    }
    [part~='row-current'] {
      background: var(--_row-current);
      border-inline-start-color: var(--_cd-accent);
    }
    [part~='checkbox'] {
      grid-area: check;
      display: inline-grid;
      place-items: center;
      width: calc(var(--_cd-space) * 3);
      height: calc(var(--_cd-space) * 3);
      border: 2px solid var(--_cd-muted);
      border-radius: calc(var(--_cd-radius) / 2);
      color: var(--_cd-on-accent);
      background: var(--_cd-surface);
    }
    [aria-selected='true'] > [part~='checkbox'] {
      border-color: var(--_cd-accent);
      background: var(--_cd-accent);
    }
    [part~='channel'] {
      grid-area: channel;
      display: inline-grid;
      place-items: center;
      font-size: 1.25em;
    }
    [part~='channel'] svg {
      color: var(--_cd-sms);
    }
    [part~='channel'].whatsapp svg {
      color: var(--_cd-whatsapp);
    }
    [part~='title'] {
      grid-area: title;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~='time'] {
      grid-area: time;
      color: var(--_cd-muted);
      font-size: 0.85em;
      white-space: nowrap;
    }
    [part~='preview'] {
      grid-area: preview;
      display: flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      overflow: hidden;
      color: var(--_cd-muted);
      white-space: nowrap;
    }
    [part~='preview'] > .text {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    [part~='preview'] svg {
      flex: none;
    }
    [part~='unread-dot'] {
      grid-area: unread;
      justify-self: end;
      width: var(--_cd-space);
      height: var(--_cd-space);
      border-radius: 50%;
      background: var(--_unread-dot);
    }
    [part~='row-unread'] [part~='title'],
    [part~='row-unread'] [part~='preview'],
    [part~='row-unread'] [part~='time'] {
      font-weight: 700;
      color: var(--_cd-text);
    }
    :host([density='compact']) {
      --_row-height: var(--cd-inbox-row-height, calc(var(--_cd-space) * 6));
    }
    :host([density='compact']) [part~='row'] {
      grid-template-columns: auto auto minmax(0, max-content) minmax(0, 1fr) auto auto;
      grid-template-areas: 'check channel title preview time unread';
      padding-block: calc(var(--_cd-space) / 2);
    }
    :host([density='compact']) [part~='checkbox'] {
      width: calc(var(--_cd-space) * 2.5);
      height: calc(var(--_cd-space) * 2.5);
    }
    :host([density='compact']) [part~='title'] {
      max-width: 14em;
    }
    [part~='row-state'] {
      display: inline-flex;
      flex: none;
      align-items: center;
      gap: 2px;
      padding: 0 calc(var(--_cd-space) / 2);
      border-radius: calc(var(--_cd-radius) / 2);
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_cd-danger);
      background: color-mix(in srgb, var(--_cd-danger) 10%, var(--_cd-surface));
    }
    [part~='row-state-queued'] {
      color: var(--_cd-warning);
      background: color-mix(in srgb, var(--_cd-warning) 10%, var(--_cd-surface));
    }
    [part~='skeleton'] {
      flex: 1;
      overflow: hidden;
    }
    .skeleton-row {
      display: grid;
      grid-template-columns: auto 1fr;
      grid-template-areas: 'round title' 'round preview';
      gap: calc(var(--_cd-space) / 2) var(--_cd-space);
      align-items: center;
      min-height: var(--_row-height);
      padding: var(--_row-padding);
      border-bottom: 1px solid var(--_cd-border);
    }
    .bone {
      display: block;
      height: 0.8em;
      border-radius: 4px;
      background: var(--_cd-surface-alt);
      animation: pulse 1.2s ease-in-out infinite alternate;
    }
    .bone.round {
      grid-area: round;
      width: 1.5em;
      height: 1.5em;
      border-radius: 50%;
    }
    .bone.title {
      grid-area: title;
      width: 40%;
    }
    .bone.preview {
      grid-area: preview;
      width: 75%;
    }
    @keyframes pulse {
      to {
        opacity: 0.4;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .bone {
        animation: none;
      }
    }
    dialog {
      max-width: min(28rem, calc(100vw - var(--_cd-space) * 4));
      padding: calc(var(--_cd-space) * 2);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      color: var(--_cd-text);
      background: var(--_cd-surface);
    }
    dialog::backdrop {
      background: color-mix(in srgb, var(--_cd-text) 40%, transparent);
    }
    dialog h2 {
      margin: 0 0 var(--_cd-space);
      font-size: 1.15em;
    }
    [part~='confirm-actions'] {
      display: flex;
      justify-content: end;
      gap: var(--_cd-space);
      margin-top: calc(var(--_cd-space) * 2);
    }
    [part~='confirm-button'] {
      border-color: var(--_cd-accent);
      background: var(--_cd-accent);
      color: var(--_cd-on-accent);
    }
  `,
];
