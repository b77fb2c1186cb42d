import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { countryCallingCodes } from '../../src/index.js';
import type { CountryOption } from './new-conversation.render.js';

/**
 * The country code list of `<cd-new-conversation>` (S2): loaded once, named and sorted in the
 * element's language (Intl.DisplayNames, Intl.Collator), with the chosen country.
 */
export class CountryList implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #lang: () => string;
  readonly #preferred: () => string;
  #load: Promise<CountryOption[]> | null = null;
  #labelledIn = '';
  options: CountryOption[] | null = null;
  /** The chosen country (ISO 3166 code), '' until the list has loaded. */
  country = '';

  /** `preferred`: the country to choose by default (`default-country`). */
  constructor(host: ReactiveControllerHost, lang: () => string, preferred: () => string) {
    this.#host = host;
    this.#lang = lang;
    this.#preferred = preferred;
    host.addController(this);
  }

  hostConnected(): void {
    void this.load();
  }

  /** The list shows country names in the element's language. */
  hostUpdate(): void {
    if (this.options && this.#labelledIn !== this.#lang()) this.options = this.#label(this.options);
  }

  load(): Promise<CountryOption[]> {
    this.#load ??= countryCallingCodes().then((list) => {
      this.options = this.#label(list.map((c) => ({ ...c, label: '' })));
      if (!this.country) this.country = this.defaultCountry();
      this.#host.requestUpdate();
      return this.options;
    });
    return this.#load;
  }

  choose(country: string): void {
    this.country = country;
    this.#host.requestUpdate();
  }

  #label(list: CountryOption[]): CountryOption[] {
    const lang = this.#lang();
    this.#labelledIn = lang;
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
    } catch {
      names = undefined;
    }
    const collator = new Intl.Collator(lang);
    return list
      .map((c) => ({ ...c, label: names?.of(c.country) ?? c.country }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }

  defaultCountry(): string {
    const wanted = this.#preferred().toUpperCase();
    return this.options?.some((c) => c.country === wanted)
      ? wanted
      : (this.options?.[0]?.country ?? '');
  }

  code(country = this.country): string {
    return this.options?.find((c) => c.country === country)?.code ?? '';
  }

  /** The region to show for a calling code: the current one, the default, or the first. */
  countryFor(code: string): string {
    if (this.code(this.country) === code) return this.country;
    const fallback = this.#preferred().toUpperCase();
    if (this.code(fallback) === code) return fallback;
    return this.options?.find((c) => c.code === code)?.country ?? this.country;
  }
}
