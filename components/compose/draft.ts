import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Media, SendContent } from '../../src/index.js';

interface Saved {
  text: string;
  templateId: string | null;
  media: Media[];
}

export interface DraftFields extends Saved {
  /** SN2: values typed inline for the merge fields this customer lacks, by field name. */
  fieldValues: Readonly<Record<string, string>>;
  /** Why attached files were refused. */
  mediaProblems: string[];
}

const EMPTY: DraftFields = {
  text: '',
  templateId: null,
  media: [],
  fieldValues: {},
  mediaProblems: [],
};

/**
 * The draft of `<cd-compose>`: text or template, merge fields typed inline, attached files. Each
 * conversation keeps its own draft while the element shows another one.
 */
export class Draft implements ReactiveController, DraftFields {
  readonly #host: ReactiveControllerHost;
  readonly #saved = new Map<string, Saved>();
  text = '';
  templateId: string | null = null;
  fieldValues: Readonly<Record<string, string>> = {};
  media: Media[] = [];
  mediaProblems: string[] = [];

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  set(patch: Partial<DraftFields>): void {
    Object.assign(this, patch);
    this.#host.requestUpdate();
  }

  hasContent(): boolean {
    return !!this.templateId || this.media.length > 0 || this.text.trim() !== '';
  }

  /** The merge fields typed inline, trimmed, the empty ones left out. */
  typedValues(): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.fieldValues)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v),
    );
  }

  /** What would be sent; `filled` is the template's text with the typed fields (SN2). */
  content(filled: (values: Record<string, string>) => string | undefined): SendContent {
    const media = this.media.length ? { media: [...this.media] } : {};
    if (this.templateId) {
      // SN2: with fields typed inline, the filled text goes along (it still matches the template).
      const typed = Object.values(this.fieldValues).some((v) => v.trim());
      const text = typed ? filled(this.typedValues()) : undefined;
      return { templateId: this.templateId, ...(text !== undefined && { text }), ...media };
    }
    return { text: this.text, ...media };
  }

  /** Keeps the draft of `from` aside and brings back the one of `to`. */
  switch(from: string, to: string): void {
    const draft = { text: this.text, templateId: this.templateId, media: this.media };
    if (draft.text || draft.templateId || draft.media.length) this.#saved.set(from, draft);
    else this.#saved.delete(from);
    const next = this.#saved.get(to);
    this.#saved.delete(to);
    this.set({ ...EMPTY, ...next });
  }

  /** Empties the draft shown (it was sent). */
  clear(): void {
    this.set(EMPTY);
  }

  /** Drops the draft kept aside for `key` (it was sent while another was shown). */
  forget(key: string): void {
    this.#saved.delete(key);
  }
}
