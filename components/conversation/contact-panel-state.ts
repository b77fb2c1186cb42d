/**
 * The contact side panel of `<cd-conversation>` (CT1, SN4, SN5): whether it is open, and saving
 * the number as a contact or editing the contact, with its progress and error.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Contact, Conversation, DeskClient } from '../../src/index.js';

interface Options {
  client(): DeskClient | undefined;
  /** The conversation shown and its contact, if any. */
  shown(): [Conversation | undefined, Contact | undefined];
  errorText(error: unknown): string;
}

export class ContactPanelState implements ReactiveController {
  open = false;
  saving = false;
  error: string | null = null;
  saved = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly options: Options,
  ) {
    host.addController(this);
  }

  /** A save in flight when the element leaves finishes; nothing else to stop. */
  hostDisconnected(): void {}

  /** Another conversation: no message of the last one's form stays. */
  reset(): void {
    this.error = null;
    this.saved = false;
  }

  toggle(open = !this.open): void {
    this.open = open;
    if (open) {
      const phone = this.options.shown()[0]?.customer;
      // SN4, SN5: consent and opt-outs for the panel (cached and kept current by the SDK).
      if (phone)
        this.options
          .client()
          ?.recipient(phone)
          .catch(() => undefined);
    }
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      this.host.renderRoot
        .querySelector<HTMLElement>(
          open ? '[part~="contact-panel"] input' : '[part~="contact-button"]',
        )
        ?.focus(),
    );
  }

  /** CT1: save the number as a contact, or edit the contact. */
  async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.options.client();
    const [conversation, contact] = this.options.shown();
    if (!client || !conversation || this.saving) return;
    const data = new FormData(event.target as HTMLFormElement);
    const firstName = String(data.get('firstName') ?? '');
    const lastName = String(data.get('lastName') ?? '');
    this.#set(true, null, false);
    try {
      if (contact) await client.updateContact(contact.id, { firstName, lastName });
      else await client.saveContact({ phone: conversation.customer, firstName, lastName });
      this.saved = true;
    } catch (error) {
      this.error = this.options.errorText(error);
    } finally {
      this.#set(false, this.error, this.saved);
    }
  }

  #set(saving: boolean, error: string | null, saved: boolean): void {
    this.saving = saving;
    this.error = error;
    this.saved = saved;
    this.host.requestUpdate();
  }
}
