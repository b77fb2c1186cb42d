import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Strings come from typed tables with an English fallback (after Shoelace's localize). A table is
 * an object of strings and functions (for plurals and values). Each element keeps its own table;
 * `registerTranslations` adds another language for one or more tables.
 */
export type Terms = Record<string, string | ((...args: never[]) => string)>;
export type Translation<T extends Terms> = { [K in keyof T]?: T[K] };

const tables = new Map<Terms, Map<string, Translation<Terms>>>();
const hosts = new Set<ReactiveControllerHost>();

/** Adds (or replaces) a language for the given English table. */
export function registerTranslation<T extends Terms>(
  english: T,
  lang: string,
  translation: Translation<T>,
): void {
  let byLang = tables.get(english);
  if (!byLang) tables.set(english, (byLang = new Map()));
  byLang.set(lang.toLowerCase(), translation as Translation<Terms>);
  for (const host of hosts) host.requestUpdate();
}

/** The language of an element: the closest `lang` attribute, crossing shadow roots. */
export function langOf(element: Element): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang'))
      return node.getAttribute('lang')!.toLowerCase();
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return document.documentElement.lang?.toLowerCase() || 'en';
}

/** One observer for the page: any `lang` change in the light DOM re-renders every localized element. */
let observer: MutationObserver | null = null;
function watchLang(): void {
  if (observer || typeof MutationObserver === 'undefined') return;
  observer = new MutationObserver(() => {
    for (const host of hosts) host.requestUpdate();
  });
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
    subtree: true,
  });
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(lang: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang} ${JSON.stringify(options ?? {})}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(lang, options)));
  return format;
}

/**
 * Makes the page language's date formatters when the page is idle: the first formatter of a page
 * loads the locale data (tens of ms on a busy machine), which would otherwise delay the first
 * rows of a list (issue 11).
 */
export function warmDateFormats(options: Intl.DateTimeFormatOptions[]): void {
  if (typeof document === 'undefined') return;
  const warm = () => {
    const lang = document.documentElement.lang?.toLowerCase() || 'en';
    for (const o of options) dateFormat(lang, o);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 1000 });
  else setTimeout(warm, 0);
}
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

export class LocalizeController<T extends Terms> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #english: T;
  /**
   * The language, read at each update and kept between them: a list's rows ask it several times
   * each, also when the virtualizer renders them outside the host's update (issue 11). A `lang`
   * change in the page updates every host, which reads it again.
   */
  #lang: string | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, english: T) {
    this.#host = host;
    this.#english = english;
    host.addController(this);
  }

  hostConnected(): void {
    this.#lang = undefined;
    hosts.add(this.#host);
    watchLang();
  }

  hostDisconnected(): void {
    hosts.delete(this.#host);
    if (hosts.size === 0) {
      observer?.disconnect();
      observer = null;
    }
  }

  hostUpdate(): void {
    this.#lang = langOf(this.#host);
  }

  get lang(): string {
    return this.#lang ?? langOf(this.#host);
  }

  /** A term in the element's language, falling back to the base language, then English. */
  term<K extends keyof T>(
    key: K,
    ...args: T[K] extends (...a: infer A) => string ? A : []
  ): string {
    const byLang = tables.get(this.#english);
    const lang = this.lang;
    const value =
      byLang?.get(lang)?.[key as string] ??
      byLang?.get(lang.split('-')[0]!)?.[key as string] ??
      this.#english[key];
    return typeof value === 'function'
      ? (value as (...a: unknown[]) => string)(...args)
      : (value as string);
  }

  date(at: number | Date, options?: Intl.DateTimeFormatOptions): string {
    // A formatter is costly to make and a list formats every row: one per language and options.
    return dateFormat(this.lang, options).format(at);
  }

  relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit): string {
    const lang = this.lang;
    let format = relativeFormats.get(lang);
    if (!format)
      relativeFormats.set(lang, (format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })));
    return format.format(value, unit);
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.lang, options).format(value);
  }
}
