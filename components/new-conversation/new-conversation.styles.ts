import { css } from 'lit';

/** With the form's templates, when the element first connects. */
export const styles = css`
  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
    max-width: var(--cd-new-conversation-max-width, 40rem);
    padding: calc(var(--_cd-space) * 2);
  }
  /* Cancel sits beside the heading, so Send stays above the fold on a phone. */
  .heading-row {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_cd-space);
  }
  h2 {
    margin: 0;
    font-size: 1.15em;
  }
  .field {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_cd-space) / 2);
    min-width: 0;
  }
  label {
    font-weight: 600;
  }
  input,
  select,
  button {
    font: inherit;
    color: inherit;
    border: 1px solid var(--_cd-border);
    border-radius: var(--_cd-radius);
    background: var(--_cd-surface);
    padding: var(--_cd-space);
    min-height: calc(var(--_cd-space) * 5);
  }
  /* A field is as wide as its column, however long the longest option (a country name) is. */
  input,
  select {
    width: 100%;
    min-width: 0;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--_cd-danger);
  }
  /* Closed, the list shows the chosen country's ISO and calling codes over its own (hidden) text. */
  .country {
    position: relative;
  }
  select.short {
    color: transparent;
  }
  select.short option {
    color: var(--_cd-text);
  }
  .country-short {
    position: absolute;
    inset-inline-start: calc(var(--_cd-space) + 1px);
    bottom: calc(var(--_cd-space) * 2.5 + 1px);
    transform: translateY(50%);
    pointer-events: none;
    white-space: nowrap;
  }
  @media (forced-colors: active) {
    select.short {
      color: CanvasText;
    }
    .country-short {
      display: none;
    }
  }
  .phone {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
    gap: var(--_cd-space);
  }
  .combobox {
    position: relative;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
  }
  [role='listbox'] {
    position: absolute;
    inset-inline: 0;
    top: 100%;
    z-index: 1;
    margin: calc(var(--_cd-space) / 2) 0 0;
    padding: calc(var(--_cd-space) / 2) 0;
    list-style: none;
    max-height: var(--cd-new-conversation-listbox-max-height, 16rem);
    overflow: auto;
    background: var(--_cd-surface);
    border: 1px solid var(--_cd-border);
    border-radius: var(--_cd-radius);
  }
  [role='option'] {
    display: flex;
    justify-content: space-between;
    gap: var(--_cd-space);
    padding: var(--_cd-space) calc(var(--_cd-space) * 1.5);
    cursor: pointer;
  }
  [role='option']:hover,
  [role='option'][aria-selected='true'] {
    background: var(--_cd-surface-alt);
  }
  [role='option'][aria-selected='true'] {
    outline: 2px solid var(--_cd-focus);
    outline-offset: -2px;
  }
  .muted {
    color: var(--_cd-muted);
  }
  .error {
    display: flex;
    align-items: center;
    gap: calc(var(--_cd-space) / 2);
    margin: 0;
    color: var(--_cd-danger);
  }
  .actions {
    display: flex;
    gap: var(--_cd-space);
    justify-content: flex-end;
  }
  button {
    cursor: pointer;
  }
  button.primary {
    background: var(--_cd-accent);
    color: var(--_cd-on-accent);
    border-color: var(--_cd-accent);
  }
  cd-compose {
    display: block;
    padding: 0 calc(var(--_cd-space) * 2) calc(var(--_cd-space) * 2);
    max-width: var(--cd-new-conversation-max-width, 40rem);
  }
`;
