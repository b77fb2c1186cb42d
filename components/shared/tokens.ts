import { css } from 'lit';

/**
 * Global design tokens. Hosts set `--cd-*` on any ancestor; each element reads them through
 * private `--_cd-*` copies with the defaults below, so no colour lives outside the tokens.
 * `box-sizing` is set on every element, not `inherit`ed: an explicitly inherited property makes
 * Blink restyle an element's whole subtree whenever the element's own style changes (issue 11: a
 * message moving an inbox row restyled every drawn row's contents, 216 elements, now 45).
 */
export const tokens = css`
  :host {
    --_cd-font: var(--cd-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_cd-font-size: var(--cd-font-size, 14px);
    --_cd-accent: var(--cd-color-accent, #0b6bcb);
    --_cd-on-accent: var(--cd-color-on-accent, #ffffff);
    --_cd-text: var(--cd-color-text, #1c2430);
    --_cd-muted: var(--cd-color-text-muted, #5b6776);
    --_cd-surface: var(--cd-color-surface, #ffffff);
    --_cd-surface-alt: var(--cd-color-surface-alt, #f3f5f8);
    --_cd-border: var(--cd-color-border, #d5dbe3);
    --_cd-danger: var(--cd-color-danger, #c62828);
    --_cd-warning: var(--cd-color-warning, #8a5a00);
    --_cd-success: var(--cd-color-success, #1e7d32);
    --_cd-read: var(--cd-color-read, #1a8cff);
    --_cd-incoming: var(--cd-color-incoming, #f0f2f5);
    --_cd-outgoing: var(--cd-color-outgoing, #dcf0ff);
    --_cd-sms: var(--cd-color-sms, #5b6776);
    --_cd-whatsapp: var(--cd-color-whatsapp, #128c4b);
    --_cd-focus: var(--cd-color-focus, #0b6bcb);
    --_cd-radius: var(--cd-radius, 8px);
    --_cd-space: var(--cd-space, 8px);
    font-family: var(--_cd-font);
    font-size: var(--_cd-font-size);
    color: var(--_cd-text);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--_cd-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
