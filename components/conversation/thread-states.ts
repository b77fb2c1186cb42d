import { css, html, type TemplateResult } from 'lit';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './conversation.strings.js';

type T = LocalizeController<typeof en>;

export interface ThreadStateInput {
  /** The thread's first page has loaded. */
  loaded: boolean;
  /** Its message count, once loaded. */
  count: number;
  /** Why opening failed, in the user's language. */
  error: string | null;
  onRetry(): void;
}

/**
 * What the message list shows instead of messages: skeleton bubbles while the thread loads, the
 * reason and a retry when loading failed, what to do when there is no message yet; else null.
 */
export function renderThreadState(t: T, input: ThreadStateInput): TemplateResult | null {
  if (!input.loaded && input.error) {
    return html`<div part="load-error" class="thread-state" role="alert">
      <p>${t.term('threadFailed')} ${input.error}</p>
      <button type="button" part="retry-load" class="secondary" @click=${input.onRetry}>
        ${t.term('retry')}
      </button>
    </div>`;
  }
  if (!input.loaded) {
    return html`<div part="skeleton" class="skeleton">
      <span class="visually-hidden">${t.term('loadingMessages')}</span>
      ${['in', 'out', 'in', 'out'].map(
        (side) => html`<span class="bone ${side}" aria-hidden="true"></span>`,
      )}
    </div>`;
  }
  if (input.count === 0) {
    return html`<p part="empty-thread" class="thread-state">${t.term('noMessages')}</p>`;
  }
  return null;
}

export const threadStateStyles = css`
  .thread-state {
    margin: auto;
    padding: calc(var(--_cd-space) * 2);
    text-align: center;
    color: var(--_cd-muted);
  }
  [part~='load-error'] {
    color: var(--_cd-danger);
  }
  .skeleton {
    display: flex;
    flex-direction: column;
    gap: var(--_cd-space);
    padding: var(--_cd-space);
  }
  .bone {
    display: block;
    width: 55%;
    height: 2.5em;
    border-radius: 12px;
    background: var(--_cd-surface-alt);
    animation: pulse 1.2s ease-in-out infinite alternate;
  }
  .bone.out {
    align-self: flex-end;
    width: 40%;
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
`;

/** The button above the list that shows older messages (scrolling to the top does it too). */
export function renderLoadOlder(t: T, loading: boolean, onClick: () => void) {
  return html`<button
    type="button"
    part="load-older"
    class="load-older secondary"
    ?disabled=${loading}
    @click=${onClick}
  >
    ${loading ? t.term('loading') : t.term('loadOlder')}
  </button>`;
}
