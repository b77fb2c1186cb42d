import { css } from 'lit';
import { threadStateStyles } from './thread-states.js';

/** With the templates, when the first conversation opens. */
export const styles = [
  css`
    .conversation {
      position: relative;
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
      background: var(--_cd-surface);
    }
    .empty {
      align-items: center;
      justify-content: center;
      color: var(--_cd-muted);
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }
    .primary {
      padding: calc(var(--_cd-space) / 2) calc(var(--_cd-space) * 1.5);
      color: var(--_cd-on-accent);
      background: var(--_cd-accent);
      border: none;
      border-radius: var(--_cd-radius);
    }
    .secondary {
      padding: calc(var(--_cd-space) / 2) calc(var(--_cd-space) * 1.5);
      color: var(--_cd-text);
      background: var(--_cd-surface);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_cd-space);
      padding: var(--_cd-space) calc(var(--_cd-space) * 2);
      border-bottom: 1px solid var(--_cd-border);
    }
    .channel {
      display: inline-flex;
      font-size: 1.5em;
    }
    .channel.sms {
      color: var(--_cd-sms);
    }
    .channel.whatsapp {
      color: var(--_cd-whatsapp);
    }
    .who {
      flex: 1 1 12rem;
      min-width: 0;
    }
    /* Long names end in an ellipsis; the full name is in the tooltip. */
    h2 {
      margin: 0;
      font-size: 1.15em;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .sub {
      margin: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--_cd-space);
      color: var(--_cd-muted);
      font-size: 0.9em;
    }
    .header {
      container: cd-conversation-header / inline-size;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_cd-space);
    }
    .actions .secondary {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      white-space: nowrap;
    }
    /* A narrow header (a phone, long French labels) shows the actions as icons on one line; the
       label stays their accessible name and the tooltip. */
    @container cd-conversation-header (max-width: 24rem) {
      .actions .label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
    }
    .badge {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      padding: 0 calc(var(--_cd-space) / 2);
      border-radius: calc(var(--_cd-radius) / 2);
      background: var(--_cd-surface-alt);
      color: var(--_cd-muted);
      font-size: 0.85em;
    }
    .badge.unread {
      color: var(--_cd-text);
      font-weight: 600;
    }
    .details {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: var(--_cd-space) calc(var(--_cd-space) * 2);
      padding: calc(var(--_cd-space) / 2) calc(var(--_cd-space) * 2);
      font-size: 0.9em;
    }
    details summary {
      cursor: pointer;
      color: var(--_cd-accent);
    }
    details p {
      margin: calc(var(--_cd-space) / 2) 0 0;
      max-width: 60ch;
    }
    .contact form {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: var(--_cd-space);
      margin-top: var(--_cd-space);
    }
    .contact label {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_cd-space) / 4);
    }
    .contact input {
      font: inherit;
      padding: calc(var(--_cd-space) / 2);
      color: var(--_cd-text);
      background: var(--_cd-surface);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
    }
    .saved {
      margin: 0;
      color: var(--_cd-success);
    }
    .contact-panel {
      position: absolute;
      inset-block: 0;
      inset-inline-end: 0;
      z-index: 2;
      width: min(20rem, 100%);
      overflow-y: auto;
      padding: var(--_cd-space) calc(var(--_cd-space) * 2);
      background: var(--_cd-surface);
      border-inline-start: 1px solid var(--_cd-border);
      box-shadow: -4px 0 16px color-mix(in srgb, var(--_cd-text) 15%, transparent);
    }
    .panel-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
    }
    .panel-head h3,
    .contact h4 {
      margin: 0;
      font-size: 1em;
    }
    .icon-button {
      display: inline-grid;
      place-items: center;
      min-width: calc(var(--_cd-space) * 4);
      min-height: calc(var(--_cd-space) * 4);
      padding: 0;
      border: none;
      border-radius: var(--_cd-radius);
      color: var(--_cd-text);
      background: transparent;
    }
    .contact-panel dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: calc(var(--_cd-space) / 2) var(--_cd-space);
      margin: var(--_cd-space) 0;
      font-size: 0.9em;
    }
    .contact-panel dt {
      color: var(--_cd-muted);
    }
    .contact-panel dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .contact-panel .contact {
      flex-direction: column;
      align-items: stretch;
      padding-top: var(--_cd-space);
      border-top: 1px solid var(--_cd-border);
    }
    .error {
      margin: 0;
      padding: 0 calc(var(--_cd-space) * 2);
      color: var(--_cd-danger);
    }
    .contact .error {
      padding: 0;
      flex-basis: 100%;
    }
    .care {
      display: flex;
      align-items: center;
      gap: var(--_cd-space);
      margin: 0;
      padding: calc(var(--_cd-space) / 2) calc(var(--_cd-space) * 2);
      background: var(--_cd-surface-alt);
      font-size: 0.9em;
    }
    .care.open {
      color: var(--_cd-success);
    }
    .load-older {
      align-self: center;
      margin: var(--_cd-space);
    }
    .log {
      flex: 1 1 0;
      /* The list stays usable when the compose box grows (a template or emoji panel). */
      min-height: var(--cd-conversation-log-min-height, max(8rem, 50%));
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: var(--_cd-space);
      padding: var(--_cd-space) calc(var(--_cd-space) * 2);
    }
    /* The drawn rows of the virtual list; the padding holds the place of the others. */
    .rows {
      flex: none;
      display: flex;
      flex-direction: column;
      gap: var(--_cd-space);
    }
    .date {
      align-self: center;
      margin: var(--_cd-space) 0 0;
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_cd-muted);
    }
    .message {
      max-width: var(--cd-conversation-bubble-max-width, 75%);
      padding: var(--_cd-space) calc(var(--_cd-space) * 1.5);
      border-radius: var(--_cd-radius);
      display: flex;
      flex-direction: column;
      gap: calc(var(--_cd-space) / 2);
    }
    .message.in {
      align-self: flex-start;
      background: var(--cd-conversation-incoming, var(--_cd-incoming));
    }
    .message.out {
      align-self: flex-end;
      background: var(--cd-conversation-outgoing, var(--_cd-outgoing));
    }
    .text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .text a {
      color: var(--_cd-accent);
    }
    .media {
      display: flex;
      flex-direction: column;
      gap: calc(var(--_cd-space) / 2);
    }
    .media-image {
      max-width: 100%;
      max-height: calc(var(--_cd-space) * 30);
      border-radius: calc(var(--_cd-radius) / 2);
    }
    .media-file {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      overflow-wrap: anywhere;
    }
    a.media-file {
      color: var(--_cd-accent);
    }
    .meta {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      flex-wrap: wrap;
      gap: calc(var(--_cd-space) / 2);
      font-size: 0.8em;
      color: var(--_cd-muted);
    }
    .status {
      display: inline-flex;
      font-size: 1.2em;
      color: var(--_cd-muted);
    }
    .status.read {
      color: var(--_cd-read);
    }
    .status.failed {
      color: var(--_cd-danger);
    }
    .status-reason.failed {
      color: var(--_cd-danger);
    }
    .status-reason.queued {
      color: var(--_cd-warning);
    }
    .retry {
      align-self: flex-end;
      padding: calc(var(--_cd-space) / 4) var(--_cd-space);
      color: var(--_cd-danger);
      background: var(--_cd-surface);
      border: 1px solid var(--_cd-danger);
      border-radius: var(--_cd-radius);
    }
    cd-compose {
      /* Gives way (its panels shrink) before the message list goes under its minimum height. */
      flex: 0 1 auto;
      min-height: 0;
    }
    dialog {
      max-width: min(90vw, 28rem);
      padding: calc(var(--_cd-space) * 2);
      color: var(--_cd-text);
      background: var(--_cd-surface);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
    }
    dialog h2 {
      margin-bottom: var(--_cd-space);
    }
    .dialog-actions {
      display: flex;
      justify-content: flex-end;
      gap: var(--_cd-space);
      margin-top: calc(var(--_cd-space) * 2);
    }
  `,
  threadStateStyles,
];
