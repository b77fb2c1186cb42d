import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { assignableUsers, type DeskState, type User } from '../../src/index.js';
import { DeskController } from '../shared/desk-controller.js';
import { LocalizeController } from '../shared/localize.js';
import { ErrorText } from '../shared/error-text.js';
import { en } from './assign-dialog.strings.js';
import { LazyPart } from '../shared/lazy.js';
import { tokens } from '../shared/tokens.js';

export interface AssignDetail {
  conversationIds: string[];
  assigneeId: string;
}
export type AssignedDetail = AssignDetail;
export interface AssignCloseDetail {
  /** `assigned` after a successful assignment; `cancel` for Cancel, Escape or `hide()`. */
  reason: 'assigned' | 'cancel';
}

/** The users and conversations the dialog shows, as one value that changes only when they do. */
function dialogSelector() {
  let last: Pick<DeskState, 'users' | 'conversations'> | null = null;
  return (s: DeskState) =>
    last && last.users === s.users && last.conversations === s.conversations
      ? last
      : (last = { users: s.users, conversations: s.conversations });
}

/** On the element from the start: it takes no room in its container. */
const hostStyles = [
  tokens,
  css`
    :host {
      display: contents;
      --_width: var(--cd-assign-dialog-width, 26rem);
    }
  `,
];

/**
 * @tagname cd-assign-dialog
 * @summary A modal dialog in which an admin picks one standard user and assigns one or more
 * conversations to them (A1). Assignment transfers ownership (A2).
 *
 * Open it with `show(conversationIds)` (or set `conversationIds` and `open`). A cancelable
 * `cd-assign` fires first; unless prevented, the dialog calls `client.assign()`, then fires
 * `cd-assigned` and closes. A refusal from the SDK shows in the dialog, which stays open.
 *
 * @fires {CustomEvent<AssignDetail>} cd-assign - Cancelable; fires before assigning. Prevent it to assign another way (the dialog stays open).
 * @fires {CustomEvent<AssignedDetail>} cd-assigned - The conversations were assigned.
 * @fires {CustomEvent<AssignCloseDetail>} cd-close - The dialog closed: `reason` is `assigned` after assigning, `cancel` after Cancel, Escape or `hide()`.
 *
 * @csspart dialog - The native `<dialog>`.
 * @csspart title - The heading.
 * @csspart description - The explanation under the heading.
 * @csspart users - The fieldset listing the standard users.
 * @csspart user - Each user's label and radio button.
 * @csspart empty - The text shown when there is no standard user.
 * @csspart alert - The refusal message.
 * @csspart actions - The button row.
 * @csspart assign-button - The Assign button.
 * @csspart cancel-button - The Cancel button.
 *
 * @cssproperty --cd-assign-dialog-width - Width of the dialog.
 * @cssproperty --cd-assign-dialog-background - Background of the dialog.
 * @cssproperty --cd-assign-dialog-backdrop - Backdrop behind the modal dialog.
 */
export class CdAssignDialog extends LitElement {
  static override styles = hostStyles;

  /** Whether the dialog is shown (modal). */
  @property({ type: Boolean, reflect: true }) open = false;

  /** The conversations to assign. */
  @property({ attribute: false }) conversationIds: string[] = [];

  @state() private assigneeId = '';
  @state() private error: string | null = null;
  @state() private busy = false;

  @query('dialog') private dialog!: HTMLDialogElement;

  readonly #desk = new DeskController(this, dialogSelector());
  readonly #t = new LocalizeController(this, en);
  readonly #errors = new ErrorText(this);
  /** The form and its styles, loaded the first time the dialog opens. */
  readonly #view = new LazyPart(this, () => import('./assign-dialog.render.js'));
  #closeReason: AssignCloseDetail['reason'] = 'cancel';

  /** Opens the dialog for these conversations, with no user chosen yet. */
  async show(conversationIds: string[]): Promise<void> {
    this.conversationIds = [...conversationIds];
    this.assigneeId = '';
    this.error = null;
    this.open = true;
    await this.updateComplete;
  }

  /** Closes the dialog without assigning. */
  async hide(): Promise<void> {
    this.open = false;
    await this.updateComplete;
  }

  protected override updated(): void {
    // Opens once its form has loaded (the first time), so focus lands in the form.
    if (this.open && !this.dialog.open && this.#view.value) {
      this.#closeReason = 'cancel';
      this.dialog.showModal();
    } else if (!this.open && this.dialog.open) {
      this.dialog.close();
    }
  }

  /** Standard users (A1: conversations are assigned to a standard user), by name. */
  #users(): User[] {
    return assignableUsers(this.#desk.value?.users.values() ?? []);
  }

  /** The user who owns every conversation being assigned, if they share one. */
  #currentOwner(): string | undefined {
    const conversations = this.#desk.value?.conversations;
    const owners = new Set(this.conversationIds.map((id) => conversations?.get(id)?.ownerId));
    return owners.size === 1 ? [...owners][0] : undefined;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.#desk.client;
    const assigneeId = this.assigneeId;
    const conversationIds = [...this.conversationIds];
    if (!client || !assigneeId || conversationIds.length === 0 || this.busy) return;
    const detail: AssignDetail = { conversationIds, assigneeId };
    const proceed = this.dispatchEvent(
      new CustomEvent<AssignDetail>('cd-assign', {
        detail,
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    if (!proceed) return;
    this.busy = true;
    this.error = null;
    try {
      await client.assign(conversationIds, assigneeId);
    } catch (error) {
      // A refusal changes nothing; say why and stay open.
      this.error = this.#errors.text(error);
      return;
    } finally {
      this.busy = false;
    }
    this.dispatchEvent(
      new CustomEvent<AssignedDetail>('cd-assigned', {
        detail,
        bubbles: true,
        composed: true,
      }),
    );
    this.#closeReason = 'assigned';
    this.open = false;
  }

  /** Every way the native dialog closes (Escape, Cancel, `hide()`, after assigning) ends here. */
  #onClose(): void {
    this.open = false;
    const reason = this.#closeReason;
    this.#closeReason = 'cancel';
    this.dispatchEvent(
      new CustomEvent<AssignCloseDetail>('cd-close', {
        detail: { reason },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #onChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.name === 'assignee') this.assigneeId = input.value;
  }

  protected override willUpdate(): void {
    if (this.open) void this.#view.load().catch(() => undefined);
  }

  protected override getUpdateComplete(): Promise<boolean> {
    return this.#view.settled(() => super.getUpdateComplete());
  }

  protected override render() {
    const view = this.#view.value;
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      aria-describedby="description"
      @close=${this.#onClose}
    >
      ${
        view
          ? view.renderForm(this.#t, {
              count: this.conversationIds.length,
              users: this.#users(),
              owner: this.#currentOwner(),
              assigneeId: this.assigneeId,
              busy: this.busy,
              error: this.error,
              onSubmit: (event) => void this.#onSubmit(event),
              onChange: (event) => this.#onChange(event),
              onCancel: () => void this.hide(),
            })
          : nothing
      }
    </dialog>`;
  }
}
