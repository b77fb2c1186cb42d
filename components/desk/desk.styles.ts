import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: var(--cd-desk-height, 100%);
    min-height: 0;
    /* Narrow layouts follow the desk's own width, not the viewport's. */
    container-type: inline-size;
    container-name: cd-desk;
    background: var(--_cd-surface);
  }
  .desk {
    display: grid;
    grid-template-columns:
      var(--cd-desk-nav-width, 15rem) var(--cd-desk-list-width, 22rem)
      minmax(0, 1fr);
    height: 100%;
    min-height: 0;
  }
  .nav,
  .list,
  .main {
    min-width: 0;
    min-height: 0;
    overflow: auto;
  }
  .nav {
    display: flex;
    flex-direction: column;
    gap: var(--_cd-space);
    padding: var(--_cd-space);
    background: var(--_cd-surface-alt);
    border-inline-end: 1px solid var(--_cd-border);
  }
  .list {
    display: flex;
    flex-direction: column;
    border-inline-end: 1px solid var(--_cd-border);
  }
  .list cd-inbox {
    flex: 1;
    min-height: 0;
  }
  .main {
    display: flex;
    flex-direction: column;
  }
  .main > cd-conversation {
    flex: 1;
    min-height: 0;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    /* One column as wide as the pane, not as the longest label: labels end in an ellipsis and
       the unread badge stays visible. */
    grid-template-columns: minmax(0, 1fr);
    gap: 2px;
  }
  li {
    min-width: 0;
  }
  .nav h2 {
    margin: var(--_cd-space) var(--_cd-space) 0;
    font-size: 0.8em;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_cd-muted);
  }
  .note {
    margin: 0 var(--_cd-space);
    color: var(--_cd-muted);
    font-size: 0.9em;
  }
  .sent {
    margin-top: var(--_cd-space);
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  [part='nav-item'] {
    display: flex;
    align-items: center;
    gap: var(--_cd-space);
    width: 100%;
    padding: var(--_cd-space);
    border: 0;
    border-radius: var(--_cd-radius);
    min-width: 0;
    background: transparent;
    text-align: start;
  }
  [part='nav-item']:hover {
    background: var(--_cd-surface);
  }
  [part='nav-item'][aria-current='page'] {
    background: var(--cd-desk-current-color, var(--_cd-surface));
    font-weight: 600;
    box-shadow: inset 3px 0 0 var(--_cd-accent);
  }
  .label {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .badge {
    flex: none;
    min-width: calc(var(--_cd-space) * 2.5);
    padding: 0 calc(var(--_cd-space) * 0.75);
    border-radius: 999px;
    background: var(--cd-desk-badge-color, var(--_cd-accent));
    color: var(--_cd-on-accent);
    font-size: 0.85em;
    font-weight: 600;
    text-align: center;
  }
  .channel {
    display: inline-flex;
    flex: none;
  }
  .channel.sms {
    color: var(--_cd-sms);
  }
  .channel.whatsapp {
    color: var(--_cd-whatsapp);
  }
  .new {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--_cd-space);
    padding: var(--_cd-space);
    border: 1px solid var(--_cd-accent);
    border-radius: var(--_cd-radius);
    background: var(--_cd-accent);
    color: var(--_cd-on-accent);
    font-weight: 600;
  }
  .pane-header {
    display: flex;
    align-items: center;
    gap: var(--_cd-space);
    padding: var(--_cd-space) calc(var(--_cd-space) * 1.5);
  }
  .main > .pane-header {
    display: none;
  }
  .pane-header h2 {
    margin: 0;
    font-size: 1.1em;
  }
  .back {
    display: none;
    align-items: center;
    gap: calc(var(--_cd-space) / 2);
    padding: calc(var(--_cd-space) / 2) var(--_cd-space);
    border: 1px solid var(--_cd-border);
    border-radius: var(--_cd-radius);
    background: var(--_cd-surface);
  }
  .empty {
    margin: auto;
    padding: calc(var(--_cd-space) * 2);
    color: var(--_cd-muted);
    text-align: center;
  }
  .status {
    display: grid;
    place-content: center;
    gap: var(--_cd-space);
    height: 100%;
    padding: calc(var(--_cd-space) * 3);
    text-align: center;
    color: var(--_cd-muted);
  }
  .status.error {
    color: var(--_cd-danger);
  }
  .status p {
    margin: 0;
  }
  .status .detail {
    color: var(--_cd-muted);
  }
  [part='retry-button'] {
    justify-self: center;
    padding: var(--_cd-space) calc(var(--_cd-space) * 2);
    border: 1px solid var(--_cd-border);
    border-radius: var(--_cd-radius);
    background: var(--_cd-surface);
  }

  .shortcuts-button {
    margin-top: auto;
    display: inline-flex;
    align-items: center;
    gap: var(--_cd-space);
    padding: calc(var(--_cd-space) / 2) var(--_cd-space);
    border: none;
    background: transparent;
    color: var(--_cd-muted);
    text-align: start;
  }
  kbd {
    display: inline-block;
    min-width: 1.6em;
    padding: 0 0.4em;
    border: 1px solid var(--_cd-border);
    border-bottom-width: 2px;
    border-radius: 4px;
    background: var(--_cd-surface);
    color: var(--_cd-text);
    font:
      0.9em ui-monospace,
      monospace;
    text-align: center;
  }
  .shortcuts .close,
  .toast button {
    padding: calc(var(--_cd-space) / 2) calc(var(--_cd-space) * 1.5);
    border: 1px solid var(--_cd-border);
    border-radius: var(--_cd-radius);
    background: var(--_cd-surface);
    color: var(--_cd-text);
  }
  .toast {
    position: fixed;
    inset-block-end: calc(var(--_cd-space) * 2);
    inset-inline-start: 50%;
    translate: -50% 0;
    z-index: 3;
    margin: 0;
    padding: var(--_cd-space) calc(var(--_cd-space) * 2);
    border-radius: var(--_cd-radius);
    background: var(--_cd-text);
    color: var(--_cd-surface);
  }
  .toast:empty {
    display: none;
  }

  /* Medium: two panes (the list and the conversation); the inboxes take the list's place. */
  @container cd-desk (min-width: 40.01rem) and (max-width: 64rem) {
    .desk {
      grid-template-columns: var(--cd-desk-list-width, 20rem) minmax(0, 1fr);
    }
    .desk[data-pane='nav'] > .list,
    .desk:not([data-pane='nav']) > .nav {
      display: none;
    }
    .list .back {
      display: inline-flex;
    }
  }

  /* Narrow: one pane at a time, with a Back button. */
  @container cd-desk (max-width: 40rem) {
    .desk {
      grid-template-columns: minmax(0, 1fr);
    }
    .back {
      display: inline-flex;
    }
    .main > .pane-header {
      display: flex;
    }
    .nav,
    .list {
      border-inline-end: 0;
    }
    .desk[data-pane='nav'] > .list,
    .desk[data-pane='nav'] > .main,
    .desk[data-pane='list'] > .nav,
    .desk[data-pane='list'] > .main,
    .desk[data-pane='main'] > .nav,
    .desk[data-pane='main'] > .list {
      display: none;
    }
  }
`;
