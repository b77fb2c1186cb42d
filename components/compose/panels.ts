import { html, nothing, type LitElement, type ReactiveController } from 'lit';
import { EmojiPicker } from './emoji.js';

type Host = LitElement;

/**
 * The two panels over the compose box, the template picker and the emoji picker: one open at a
 * time, Escape closes them, focus moves in when one opens and back to its button when it closes.
 */
export class ComposePanels implements ReactiveController {
  readonly #host: Host;
  readonly emoji: EmojiPicker;
  templatesOpen = false;
  templateQuery = '';

  constructor(host: Host, emojiDataSource: string, onEmoji: (unicode: string) => void) {
    this.#host = host;
    this.emoji = new EmojiPicker(host, emojiDataSource, onEmoji);
    host.addController(this);
  }

  hostConnected(): void {}

  get anyOpen(): boolean {
    return this.templatesOpen || this.emoji.open;
  }

  setQuery(query: string): void {
    this.templateQuery = query;
    this.#host.requestUpdate();
  }

  /** Closes both panels; `clearQuery` also forgets the template search. */
  close(clearQuery = false): void {
    this.templatesOpen = false;
    if (clearQuery) this.templateQuery = '';
    this.emoji.setOpen(false);
    this.#host.requestUpdate();
  }

  toggleTemplates(): void {
    this.templatesOpen = !this.templatesOpen;
    this.#host.requestUpdate();
    if (!this.templatesOpen) return;
    this.emoji.setOpen(false);
    void this.#host.updateComplete.then(() =>
      this.#host.renderRoot.querySelector<HTMLInputElement>('#template-search')?.focus(),
    );
  }

  async toggleEmoji(): Promise<void> {
    if (!this.emoji.open) {
      this.templatesOpen = false;
      this.#host.requestUpdate();
    }
    await this.emoji.toggle();
  }

  /** The emoji picker's panel (the picker itself loads when it first opens). */
  renderEmoji(label: string) {
    return html`<div
      id="emoji"
      part="emoji-panel"
      class="panel emoji"
      role="group"
      aria-label=${label}
      ?hidden=${!this.emoji.open}
      @keydown=${(e: KeyboardEvent) => this.onKeydown(e, 'emoji')}
    >
      ${this.emoji.picker ?? nothing}
    </div>`;
  }

  /** Escape inside a panel closes it and gives focus back to its button. */
  onKeydown(event: KeyboardEvent, panel: 'templates' | 'emoji'): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (panel === 'templates') {
      this.templatesOpen = false;
      this.#host.requestUpdate();
    } else this.emoji.setOpen(false);
    void this.#host.updateComplete.then(() =>
      this.#host.renderRoot
        .querySelector<HTMLButtonElement>(
          panel === 'templates' ? '#templates-button' : '#emoji-button',
        )
        ?.focus(),
    );
  }
}
