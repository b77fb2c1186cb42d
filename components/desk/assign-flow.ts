import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { DeskClient } from '../../src/index.js';

/** The assign dialog as the desk uses it (the element lives in `components/assign-dialog/`). */
type AssignDialog = HTMLElement & { show(conversationIds: string[]): unknown };

/** The element that really has focus, inside shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
}

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

/**
 * A1 for `<cd-desk>`: opens the assign dialog, says who now owns the conversations (once, in a
 * live region), and puts focus back where it was, or on the list, never on `<body>`.
 */
export class AssignFlow implements ReactiveController {
  readonly #host: Host;
  readonly #client: () => DeskClient | undefined;
  readonly #said: (count: number, name: string) => string;
  /** Said once by the live region: the outcome of an assignment whose dialog has closed. */
  announcement = '';
  /** Where focus returns when the assign dialog closes. */
  #invoker: HTMLElement | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    host: Host,
    client: () => DeskClient | undefined,
    said: (count: number, name: string) => string,
  ) {
    this.#host = host;
    this.#client = client;
    this.#said = said;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  open(ids: string[]): void {
    if (ids.length === 0) return;
    this.#invoker = deepActiveElement();
    this.#say('');
    const dialog = this.#host.renderRoot.querySelector('cd-assign-dialog') as AssignDialog | null;
    void dialog?.show(ids);
  }

  #say(text: string): void {
    this.announcement = text;
    this.#host.requestUpdate();
  }

  readonly #onAssigned = (
    event: CustomEvent<{ conversationIds: string[]; assigneeId: string }>,
  ): void => {
    const { conversationIds, assigneeId } = event.detail;
    const name = this.#client()?.getState().users.get(assigneeId)?.name ?? assigneeId;
    this.#say(this.#said(conversationIds.length, name));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#say(''), 6000);
  };

  readonly #onClose = (): void => {
    const invoker = this.#invoker;
    this.#invoker = null;
    if (invoker?.isConnected && invoker.getClientRects().length > 0) invoker.focus();
    else this.#host.renderRoot.querySelector<HTMLElement>('#list-heading')?.focus();
  };

  /** The dialog and the live region. */
  render() {
    return html`<cd-assign-dialog
        part="assign-dialog"
        @cd-assigned=${this.#onAssigned}
        @cd-close=${this.#onClose}
      ></cd-assign-dialog>
      <p part="announcement" class="toast" role="status">${this.announcement}</p>`;
  }
}
