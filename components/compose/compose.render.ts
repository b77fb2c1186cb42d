import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  countSegments,
  WHATSAPP_MAX_CHARACTERS,
  type CareWindow,
  type Channel,
  type DeskClient,
  type GuardVerdict,
  type Media,
  type Template,
} from '../../src/index.js';
import type { ErrorText } from '../shared/error-text.js';
import { icons } from '../shared/icons.js';
import type { LocalizeController } from '../shared/localize.js';
import { safeMediaSrc } from '../shared/safe.js';
import type { en } from './compose.strings.js';

type T = LocalizeController<typeof en>;

export interface VerdictInput {
  /** Why the check itself failed, shown once there is a draft. */
  problem: string | null;
  hasContent: boolean;
  /** SN3: the templates-only notice is shown: it says why free text is refused, once. */
  notice: boolean;
  /** A send just failed: its error says why, once, until the draft changes. */
  sendFailed: boolean;
  verdict: GuardVerdict | undefined;
  window: CareWindow | undefined;
  /** The refusal in the user's language (never the SDK's English). */
  reason(verdict: Extract<GuardVerdict, { outcome: 'refused' }>): string;
}

/** The send guard's answer under the text box: refused, queued, or a hint (SN3–SN6). */
export function renderVerdict(t: T, input: VerdictInput) {
  const { verdict, window } = input;
  let body: unknown = nothing;
  let kind = '';
  if (input.sendFailed) {
    // The send error (role="alert") says it.
  } else if (input.problem && input.hasContent) {
    body = input.problem;
    kind = 'refused';
  } else if (
    verdict?.outcome === 'refused' &&
    // SN3: the notice says it already.
    !(verdict.code === 'window_closed' && input.notice)
  ) {
    body = input.reason(verdict);
    kind = 'refused';
  } else if (verdict?.outcome === 'queued') {
    body = t.term('queued', t.date(verdict.until, { dateStyle: 'medium', timeStyle: 'short' }));
    kind = 'queued';
  } else if (window?.applies && window.open && window.remainingMs < 60 * 60 * 1000) {
    body = t.term('windowClosing', Math.max(1, Math.ceil(window.remainingMs / 60000)));
    kind = 'hint';
  }
  return html`<p id="verdict" part="verdict" class="verdict ${kind}" aria-live="polite">
    ${
      kind === 'refused' || kind === 'queued'
        ? html`<span class="verdict-icon"
            >${kind === 'refused' ? icons.warning : icons.clock}</span
          >`
        : nothing
    }${body}
  </p>`;
}

/** SN8: characters and parts, counted as the carrier does; WhatsApp counts characters only. */
export function renderCounter(t: T, channel: Channel | undefined, text: string) {
  if (channel === 'whatsapp') {
    const characters = [...text].length;
    const summary = t.term('whatsappCounter', characters, WHATSAPP_MAX_CHARACTERS);
    return html`<span id="counter" part="counter" class="counter" title=${summary}>
      ${summary}
    </span>`;
  }
  const info = countSegments(text);
  const summary = t.term('smsCounter', info.characters, info.parts, info.encoding);
  const ucs2 = info.ucs2Characters.length
    ? ` · ${t.term('ucs2Characters')} ${info.ucs2Characters.join(' ')}`
    : '';
  // On a narrow toolbar the counter gives way to Send; the tooltip has all of it.
  return html`<span id="counter" part="counter" class="counter" title=${summary + ucs2}>
    ${summary}
    ${
      info.ucs2Characters.length
        ? html`<span part="ucs2" class="ucs2"
            >${t.term('ucs2Characters')}
            ${info.ucs2Characters.map(
              (c) =>
                html`<code
                  title=${`U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`}
                  >${c}</code
                > `,
            )}</span
          >`
        : nothing
    }
  </span>`;
}

export interface TemplatesInput {
  channel: Channel;
  /** The templates of this channel that match the query (SN2). */
  found: readonly Template[];
  query: string;
  chosenId: string | null;
  templatesOnly: boolean;
  preview(templateId: string): { text: string; missing: string[] } | undefined;
  onQuery(query: string): void;
  onChoose(template: Template): void;
  onKeydown(event: KeyboardEvent): void;
}

/** The template picker: search, and each template with its filled preview (SN2, SN3). */
export function renderTemplates(t: T, errors: ErrorText, input: TemplatesInput) {
  const { channel, templatesOnly } = input;
  return html`<div
    id="templates"
    part="templates"
    class="panel templates"
    role="group"
    aria-label=${t.term('templates')}
    @keydown=${input.onKeydown}
  >
    <input
      id="template-search"
      part="template-search"
      type="search"
      aria-label=${t.term('searchTemplates')}
      placeholder=${t.term('searchTemplates')}
      .value=${live(input.query)}
      @input=${(e: Event) => input.onQuery((e.target as HTMLInputElement).value)}
    />
    ${
      input.found.length === 0
        ? html`<p class="empty">${t.term('noTemplates')}</p>`
        : html`<ul class="template-list">
            ${input.found.map((template) => {
              const preview = input.preview(template.id);
              const blocked = templatesOnly && !template.registered;
              return html`<li>
                <button
                  type="button"
                  part="template-option"
                  class="template-option"
                  aria-pressed=${input.chosenId === template.id ? 'true' : 'false'}
                  ?disabled=${blocked}
                  @click=${() => input.onChoose(template)}
                >
                  <span class="template-name">${template.name}</span>
                  ${
                    channel === 'whatsapp' && template.registered
                      ? html`<span class="badge">${t.term('registered')}</span>`
                      : nothing
                  }
                  <span class="template-preview">${preview?.text ?? template.body}</span>
                  ${
                    preview?.missing.length
                      ? html`<span class="missing"
                          >${t.term('missingFields', errors.fields(preview.missing))}</span
                        >`
                      : nothing
                  }
                  ${
                    blocked
                      ? html`<span class="missing">${t.term('notRegisteredClosed')}</span>`
                      : nothing
                  }
                </button>
              </li>`;
            })}
          </ul>`
    }
  </div>`;
}

/** SN2: the merge fields this customer lacks, to fill in before sending. */
export function renderFields(
  t: T,
  errors: ErrorText,
  fields: readonly string[],
  values: Readonly<Record<string, string>>,
  onInput: (field: string, value: string) => void,
) {
  return html`<fieldset part="fields" class="fields">
    <legend>${t.term('fillFields')}</legend>
    ${fields.map(
      (field, i) =>
        html`<label class="field">
          <span>${errors.field(field)}</span>
          <input
            id=${`field-${i}`}
            part="field-input"
            type="text"
            autocomplete="off"
            .value=${live(values[field] ?? '')}
            @input=${(e: Event) => onInput(field, (e.target as HTMLInputElement).value)}
          />
        </label>`,
    )}
  </fieldset>`;
}

/** The attached files (images as thumbnails, only from safe URLs) and why others were refused. */
export function renderMedia(
  t: T,
  media: readonly Media[],
  problems: readonly string[],
  onRemove: (index: number) => void,
) {
  return html`${
    media.length
      ? html`<ul part="attachments" class="attachments" aria-label=${t.term('attachments')}>
          ${media.map((m, i) => {
            const src = m.mimeType.startsWith('image/') ? safeMediaSrc(m.url) : undefined;
            return html`<li part="attachment" class="attachment">
              ${src ? html`<img src=${src} alt="" />` : icons.paperclip}
              <span class="file-name">${m.fileName}</span>
              <button
                type="button"
                class="icon-button"
                aria-label=${t.term('removeFile', m.fileName)}
                @click=${() => onRemove(i)}
              >
                ${icons.close}
              </button>
            </li>`;
          })}
        </ul>`
      : nothing
  }
  ${
    problems.length
      ? html`<ul part="media-error" class="media-error" role="alert">
          ${problems.map((p) => html`<li>${p}</li>`)}
        </ul>`
      : nothing
  }`;
}

/** SN3: free text is off while the care window is closed (or has never opened). */
export function renderNotice(t: T, window: CareWindow | undefined) {
  return html`<p part="notice" class="notice">
    ${icons.template}
    ${
      window?.expiresAt === null
        ? t.term('templatesOnlyNew') // SN3: never opened: a new conversation
        : t.term('templatesOnly')
    }
  </p>`;
}

/** The chosen template, with its clear button. */
export function renderChip(t: T, template: Template, onClear: () => void) {
  return html`<div part="template-chip" class="chip">
    ${icons.template}
    <span>${t.term('templateChosen', template.name)}</span>
    <button
      type="button"
      class="icon-button"
      aria-label=${t.term('clearTemplate')}
      @click=${onClear}
    >
      ${icons.close}
    </button>
  </div>`;
}

/** Why the box is disabled while the desk connects, or cannot reach the server. */
export function renderConnection(t: T, errors: ErrorText, client: DeskClient | undefined) {
  const state = client?.getState();
  if (state?.status === 'ready') return nothing;
  if (state?.status === 'error') {
    const reason = state.error ? errors.text(state.error) : '';
    return html`<p part="connection" class="error" role="alert">
      ${t.term('unreachable', reason)}
    </p>`;
  }
  return html`<p part="connection" class="connecting" role="status">${t.term('connecting')}</p>`;
}
