import { css } from 'lit';

/** With the templates, when the element first connects (see `compose.host.ts`). */
export const styles = [
  css`
    [hidden] {
      display: none !important;
    }
    .compose {
      flex: 1 1 auto;
      min-height: 0;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: var(--_cd-space);
      padding: var(--_cd-space);
      background: var(--_cd-surface);
      border-top: 1px solid var(--_cd-border);
    }
    textarea {
      width: 100%;
      min-height: calc(var(--_cd-space) * 6);
      max-height: var(--cd-compose-max-height, calc(var(--_cd-space) * 24));
      resize: vertical;
      padding: var(--_cd-space);
      font: inherit;
      color: var(--_cd-text);
      background: var(--_cd-surface);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
    }
    textarea[readonly] {
      background: var(--_cd-surface-alt);
    }
    textarea:disabled {
      background: var(--_cd-surface-alt);
      color: var(--_cd-muted);
    }
    /* One line in every language: the counter gives way (an ellipsis, all of it on hover). */
    .toolbar {
      display: flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
    }
    .toolbar > * {
      flex: none;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }
    .icon-button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-width: calc(var(--_cd-space) * 4);
      min-height: calc(var(--_cd-space) * 4);
      padding: calc(var(--_cd-space) / 2);
      color: var(--_cd-muted);
      background: transparent;
      border: 1px solid transparent;
      border-radius: var(--_cd-radius);
      font-size: 1.2em;
    }
    .icon-button:hover:not(:disabled),
    .icon-button[aria-expanded='true'] {
      background: var(--_cd-surface-alt);
      color: var(--_cd-text);
    }
    .send {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      margin-inline-start: auto;
      padding: calc(var(--_cd-space) * 0.75) calc(var(--_cd-space) * 2);
      color: var(--_cd-on-accent);
      background: var(--_cd-accent);
      border: none;
      border-radius: var(--_cd-radius);
    }
    .toolbar > .counter {
      flex: 0 1 auto;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--_cd-muted);
      font-size: 0.9em;
    }
    .ucs2 {
      display: inline-flex;
      gap: calc(var(--_cd-space) / 2);
      margin-inline-start: var(--_cd-space);
      color: var(--_cd-warning);
    }
    .ucs2 code {
      padding: 0 calc(var(--_cd-space) / 2);
      background: var(--_cd-surface-alt);
      border-radius: calc(var(--_cd-radius) / 2);
      font-family: inherit;
    }
    .verdict {
      margin: 0;
      display: flex;
      gap: calc(var(--_cd-space) / 2);
      align-items: flex-start;
    }
    .verdict:empty {
      display: none;
    }
    .verdict.refused,
    .error,
    .media-error {
      color: var(--_cd-danger);
    }
    .verdict.queued,
    .verdict.hint,
    .notice,
    .missing {
      color: var(--_cd-warning);
    }
    .verdict-icon {
      flex: none;
    }
    .notice,
    .error,
    .missing {
      margin: 0;
    }
    .fields {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_cd-space);
      margin: 0;
      padding: var(--_cd-space);
      border: 1px solid var(--_cd-border, currentColor);
      border-radius: var(--_cd-radius, 4px);
    }
    .fields legend {
      color: var(--_cd-warning);
    }
    .fields .field {
      display: flex;
      flex-direction: column;
      gap: 2px;
      flex: 1 1 10rem;
    }
    .media-error {
      margin: 0;
      padding-inline-start: calc(var(--_cd-space) * 2);
    }
    .compose > * {
      flex: none;
    }
    .compose > .panel {
      flex: 0 1 auto;
      min-height: calc(var(--_cd-space) * 12);
    }
    .panel {
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      background: var(--_cd-surface);
      padding: var(--_cd-space);
    }
    .templates {
      display: flex;
      flex-direction: column;
      gap: var(--_cd-space);
      max-height: var(--_panel-max);
      overflow: auto;
    }
    .emoji {
      display: flex;
      flex-direction: column;
      overflow: hidden;
    }
    .templates input {
      font: inherit;
      padding: calc(var(--_cd-space) / 2) var(--_cd-space);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      color: var(--_cd-text);
      background: var(--_cd-surface);
    }
    .template-list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: calc(var(--_cd-space) / 2);
    }
    .template-option {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_cd-space) / 2);
      width: 100%;
      text-align: start;
      padding: var(--_cd-space);
      color: var(--_cd-text);
      background: var(--_cd-surface-alt);
      border: 1px solid transparent;
      border-radius: var(--_cd-radius);
    }
    .template-option[aria-pressed='true'] {
      border-color: var(--_cd-accent);
    }
    .template-name {
      font-weight: 600;
    }
    .template-preview {
      flex-basis: 100%;
      white-space: pre-wrap;
    }
    .badge {
      padding: 0 calc(var(--_cd-space) / 2);
      border: 1px solid var(--_cd-success);
      border-radius: calc(var(--_cd-radius) / 2);
      color: var(--_cd-success);
      font-size: 0.85em;
    }
    .empty {
      margin: 0;
      color: var(--_cd-muted);
    }
    .emoji emoji-picker {
      flex: 0 1 auto;
      width: 100%;
      height: var(--_panel-max);
      min-height: 0;
      --num-columns: 8;
    }
    .owner-note,
    .connecting {
      margin: 0;
      color: var(--_cd-muted);
      font-size: 0.9em;
    }
    .text-button {
      padding: calc(var(--_cd-space) / 2) var(--_cd-space);
      color: var(--_cd-text);
      background: var(--_cd-surface);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      align-self: flex-start;
      padding: 0 0 0 var(--_cd-space);
      background: var(--_cd-surface-alt);
      border-radius: var(--_cd-radius);
    }
    .attachments {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_cd-space) / 2);
    }
    .attachment {
      display: inline-flex;
      align-items: center;
      gap: calc(var(--_cd-space) / 2);
      padding-inline-start: var(--_cd-space);
      background: var(--_cd-surface-alt);
      border-radius: var(--_cd-radius);
      max-width: 100%;
    }
    .attachment img {
      width: calc(var(--_cd-space) * 3);
      height: calc(var(--_cd-space) * 3);
      object-fit: cover;
      border-radius: calc(var(--_cd-radius) / 2);
    }
    .file-name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
];
