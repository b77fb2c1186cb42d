import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { contactName, type Contact, type DeskClient } from '../../src/index.js';
import type { NameInput } from './new-conversation.render.js';

/**
 * SN1: the full-name combobox of `<cd-new-conversation>`: contact suggestions while typing
 * (the latest keystroke wins), arrow keys, Enter to pick, Escape to close.
 */
export class NameCombobox implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #client: () => DeskClient | undefined;
  readonly #onPick: (contact: Contact) => void;
  name = '';
  suggestions: Contact[] = [];
  expanded = false;
  active = -1;
  #seq = 0;

  /** `onPick`: a contact was chosen (its name is already filled in). */
  constructor(
    host: ReactiveControllerHost,
    client: () => DeskClient | undefined,
    onPick: (contact: Contact) => void,
  ) {
    this.#host = host;
    this.#client = client;
    this.#onPick = onPick;
    host.addController(this);
  }

  hostConnected(): void {}

  reset(): void {
    this.name = '';
    this.suggestions = [];
    this.#close();
    this.#seq++;
  }

  /** What `renderNameField` shows and calls. */
  input(): NameInput {
    return {
      name: this.name,
      suggestions: this.suggestions,
      expanded: this.expanded,
      active: this.active,
      onInput: (e) => void this.#onInput(e),
      onKeydown: (e) => this.#onKeydown(e),
      onBlur: () => this.#close(),
      onPick: (c) => this.pick(c),
    };
  }

  /** Fills the name from the contact, closes the list and tells the form. */
  pick(contact: Contact): void {
    this.#seq++;
    this.name = contactName(contact);
    this.suggestions = [];
    this.#close();
    this.#onPick(contact);
  }

  async #onInput(event: InputEvent): Promise<void> {
    this.name = (event.target as HTMLInputElement).value;
    this.#host.requestUpdate();
    const client = this.#client();
    const seq = ++this.#seq;
    if (!client || !this.name.trim()) {
      this.suggestions = [];
      this.#close();
      return;
    }
    let found: Contact[] = [];
    try {
      found = await client.suggestContacts(this.name);
    } catch {
      found = [];
    }
    if (seq !== this.#seq) return; // a later keystroke won
    this.suggestions = found;
    this.expanded = found.length > 0;
    this.active = -1;
    this.#host.requestUpdate();
  }

  #onKeydown(event: KeyboardEvent): void {
    const count = this.suggestions.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!count) return;
        event.preventDefault();
        this.expanded = true;
        this.active =
          event.key === 'ArrowDown'
            ? (this.active + 1) % count
            : this.active <= 0
              ? count - 1
              : this.active - 1;
        this.#host.requestUpdate();
        break;
      case 'Enter': {
        const contact = this.expanded ? this.suggestions[this.active] : undefined;
        if (contact) {
          event.preventDefault();
          this.pick(contact);
        }
        break;
      }
      case 'Escape':
        if (this.expanded) {
          event.preventDefault();
          event.stopPropagation();
          this.#close();
        }
        break;
      case 'Tab':
        this.#close();
        break;
    }
  }

  #close(): void {
    this.expanded = false;
    this.active = -1;
    this.#host.requestUpdate();
  }
}
