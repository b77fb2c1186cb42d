/**
 * V6: search by contact name or any part of the number's digits. The names and digits of every
 * customer number live in two flat strings, so a query is a few native `indexOf` calls instead of
 * a scan over objects; a new number is appended, and only a contact change rebuilds the names.
 */
import { foldText, type SearchQuery } from './rules/views.js';

const SEP = '\n';

class Haystack {
  text = SEP;
  readonly starts: number[] = [];

  add(value: string): void {
    this.starts.push(this.text.length);
    this.text += value + SEP;
  }

  /** Indexes of the entries that contain `needle`, each once, in order. */
  find(needle: string, into: number[]): void {
    const { text, starts } = this;
    let from = 0;
    for (;;) {
      const at = text.indexOf(needle, from);
      if (at < 0) return;
      const entry = upperBound(starts, at) - 1;
      into.push(entry);
      // Jump to the next entry: the rest of this one cannot add anything.
      from = entry + 1 < starts.length ? starts[entry + 1]! : text.length;
    }
  }
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SearchIndex {
  readonly #phones: string[] = [];
  readonly #position = new Map<string, number>();
  readonly #digits = new Haystack();
  #names: Haystack | null = null;
  #nameOf: (phone: string) => string;

  constructor(nameOf: (phone: string) => string) {
    this.#nameOf = nameOf;
  }

  has(phone: string): boolean {
    return this.#position.has(phone);
  }

  add(phone: string): void {
    if (this.#position.has(phone)) return;
    this.#position.set(phone, this.#phones.length);
    this.#phones.push(phone);
    this.#digits.add(phone.replace(/\D/g, ''));
    this.#names?.add(foldText(this.#nameOf(phone)));
  }

  /** Names changed (CT1): rebuilt on the next name query. */
  setNames(nameOf: (phone: string) => string): void {
    this.#nameOf = nameOf;
    this.#names = null;
  }

  /** The entry of a number, or -1. */
  position(phone: string): number {
    return this.#position.get(phone) ?? -1;
  }

  /** One flag per entry: 1 where the entry matches. */
  match(query: SearchQuery): Uint8Array {
    const hits: number[] = [];
    if (query.digits) {
      this.#digits.find(query.digits, hits);
    } else if (query.text) {
      if (!this.#names) {
        const names = new Haystack();
        for (const phone of this.#phones) names.add(foldText(this.#nameOf(phone)));
        this.#names = names;
      }
      this.#names.find(query.text, hits);
    }
    const flags = new Uint8Array(this.#phones.length);
    for (const i of hits) flags[i] = 1;
    return flags;
  }
}
