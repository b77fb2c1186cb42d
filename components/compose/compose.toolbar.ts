import { html, nothing } from 'lit';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import type { en } from './compose.strings.js';

export interface ToolbarInput {
  /** The file types the channel takes, for the file chooser. */
  accept: string;
  ready: boolean;
  templateChosen: boolean;
  templatesOnly: boolean;
  emojiOpen: boolean;
  templatesOpen: boolean;
  keptDraft: boolean;
  canSend: boolean;
  sending: boolean;
  counter: unknown;
  onFiles(event: Event): void;
  onAttach(): void;
  onEmoji(): void;
  onTemplates(): void;
  onClearDraft(): void;
  onSend(): void;
}

/** The row under the text box: attach, emoji, templates, clear draft, the counter and Send. */
export function renderToolbar(t: LocalizeController<typeof en>, input: ToolbarInput) {
  const { ready } = input;
  return html`<div part="toolbar" class="toolbar">
    <input
      type="file"
      multiple
      hidden
      accept=${input.accept}
      tabindex="-1"
      aria-hidden="true"
      @change=${input.onFiles}
    />
    <button
      type="button"
      part="attach-button"
      class="icon-button"
      aria-label=${t.term('attach')}
      title=${t.term('attach')}
      ?disabled=${!ready || input.templatesOnly}
      @click=${input.onAttach}
    >
      ${icons.paperclip}
    </button>
    <button
      id="emoji-button"
      type="button"
      part="emoji-button"
      class="icon-button"
      aria-label=${t.term('emoji')}
      title=${t.term('emoji')}
      aria-expanded=${input.emojiOpen ? 'true' : 'false'}
      aria-controls="emoji"
      ?disabled=${!ready || input.templateChosen || input.templatesOnly}
      @click=${input.onEmoji}
    >
      ${icons.smile}
    </button>
    <button
      id="templates-button"
      type="button"
      part="template-button"
      class="icon-button"
      aria-label=${t.term('templates')}
      title=${t.term('templates')}
      aria-expanded=${input.templatesOpen ? 'true' : 'false'}
      aria-controls=${input.templatesOpen ? 'templates' : nothing}
      ?disabled=${!ready}
      @click=${input.onTemplates}
    >
      ${icons.template}
    </button>
    ${
      input.keptDraft
        ? html`<button
            type="button"
            part="clear-draft"
            class="text-button"
            @click=${input.onClearDraft}
          >
            ${t.term('clearDraft')}
          </button>`
        : nothing
    }
    ${input.counter}
    <button
      type="button"
      part="send-button"
      class="send"
      ?disabled=${!input.canSend}
      aria-busy=${input.sending ? 'true' : 'false'}
      @click=${input.onSend}
    >
      ${icons.send} <span>${input.sending ? t.term('sending') : t.term('send')}</span>
    </button>
  </div>`;
}
