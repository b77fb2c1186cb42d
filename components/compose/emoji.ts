import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The emoji picker of `<cd-compose>`: `emoji-picker-element`, loaded on first use only, with its
 * data from a local URL (never a CDN).
 */
export class EmojiPicker implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onPick: (unicode: string) => void;
  open = false;
  picker: HTMLElementTagNameMap['emoji-picker'] | null = null;
  #dataSource: string;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    dataSource: string,
    onPick: (unicode: string) => void,
  ) {
    this.#host = host;
    this.#dataSource = dataSource;
    this.#onPick = onPick;
    host.addController(this);
  }

  hostConnected(): void {}

  set dataSource(url: string) {
    this.#dataSource = url;
    if (this.picker) this.picker.dataSource = url;
  }

  setOpen(open: boolean): void {
    if (this.open === open) return;
    this.open = open;
    this.#host.requestUpdate();
  }

  /** Opens or closes the picker; once open, focus moves into its search field. */
  async toggle(): Promise<boolean> {
    this.setOpen(!this.open);
    if (!this.open) return false;
    if (!this.picker) {
      await import('emoji-picker-element');
      const picker = document.createElement('emoji-picker');
      picker.dataSource = this.#dataSource;
      picker.setAttribute('part', 'emoji-picker');
      picker.addEventListener('emoji-click', (event) => {
        const unicode = event.detail.unicode;
        if (unicode) this.#onPick(unicode);
      });
      this.picker = picker;
      this.#host.requestUpdate();
    }
    await this.#host.updateComplete;
    this.#focus();
    return true;
  }

  /** Moves focus into the picker (its search field), as the template panel does. */
  #focus(tries = 10): void {
    if (!this.open) return;
    const search = this.picker?.shadowRoot?.querySelector<HTMLElement>('input#search');
    if (search) search.focus();
    else if (tries > 0) requestAnimationFrame(() => this.#focus(tries - 1));
  }
}
