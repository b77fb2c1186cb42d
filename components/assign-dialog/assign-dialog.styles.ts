import { css } from 'lit';

/** With the form, when the dialog first opens. */
export const styles = [
  css`
    dialog {
      width: min(var(--_width), calc(100vw - var(--_cd-space) * 4));
      padding: calc(var(--_cd-space) * 2);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      color: var(--_cd-text);
      background: var(--cd-assign-dialog-background, var(--_cd-surface));
      font-family: var(--_cd-font);
      font-size: var(--_cd-font-size);
    }
    dialog::backdrop {
      background: var(
        --cd-assign-dialog-backdrop,
        color-mix(in srgb, var(--_cd-text) 40%, transparent)
      );
    }
    [part~='title'] {
      margin: 0 0 var(--_cd-space);
      font-size: 1.15em;
    }
    [part~='description'] {
      margin: 0 0 calc(var(--_cd-space) * 1.5);
      color: var(--_cd-muted);
    }
    [part~='users'] {
      display: grid;
      gap: calc(var(--_cd-space) / 2);
      max-height: min(20rem, 50vh);
      overflow: auto;
      margin: 0;
      padding: var(--_cd-space);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
    }
    [part~='users'] legend {
      padding: 0 calc(var(--_cd-space) / 2);
      font-weight: 600;
    }
    [part~='user'] {
      display: flex;
      align-items: center;
      gap: var(--_cd-space);
      padding: calc(var(--_cd-space) / 2);
      border-radius: calc(var(--_cd-radius) / 2);
      cursor: pointer;
    }
    [part~='user']:hover {
      background: var(--_cd-surface-alt);
    }
    .owner {
      color: var(--_cd-muted);
    }
    [part~='alert'] {
      margin: var(--_cd-space) 0 0;
      padding: var(--_cd-space);
      border: 1px solid var(--_cd-danger);
      border-radius: var(--_cd-radius);
      color: var(--_cd-danger);
    }
    [part~='empty'] {
      margin: 0;
      color: var(--_cd-muted);
    }
    [part~='actions'] {
      display: flex;
      justify-content: end;
      gap: var(--_cd-space);
      margin-top: calc(var(--_cd-space) * 2);
    }
    button {
      font: inherit;
      padding: calc(var(--_cd-space) / 2) calc(var(--_cd-space) * 1.5);
      border: 1px solid var(--_cd-border);
      border-radius: var(--_cd-radius);
      color: var(--_cd-text);
      background: var(--_cd-surface);
      cursor: pointer;
    }
    [part~='assign-button'] {
      border-color: var(--_cd-accent);
      color: var(--_cd-on-accent);
      background: var(--_cd-accent);
    }
    button:disabled {
      cursor: default;
      border-color: var(--_cd-border);
      color: var(--_cd-muted);
      background: var(--_cd-surface-alt);
    }
  `,
];
