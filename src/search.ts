/**
 * V6: search by contact name or any part of the number's digits. The names and digits of every
 * customer number live in flat strings, so a query is a few native `indexOf` calls instead of a
 * scan over objects. The index is kept as numbers and contacts arrive, never built on a query:
 * the strings are chunks of 1,024 entries, so a new number or a renamed contact joins one chunk
 * again, not the account.
 */
import { foldText, type SearchQuery } from './rules/views.js';

const SEP = '\n';
const CHUNK = 1024;

/** One chunk's entries joined, with where each entry starts. */
interface Joined {
  text: string;
  starts: number[];
}

class Haystack {
  readonly #values: string[] = [];
  /** Per chunk; null until joined again after a change. */
  readonly #chunks: (Joined | null)[] = [];

  get size(): number {
    return this.#values.length;
  }

  get(entry: number): string | undefined {
    return this.#values[entry];
  }

  add(value: string): void {
    const entry = this.#values.push(value) - 1;
    this.#chunks[Math.floor(entry / CHUNK)] = null;
    // A full chunk is joined at once (O(1) per entry on average): a query never joins it.
    if ((entry + 1) % CHUNK === 0) this.#join(Math.floor(entry / CHUNK));
  }

  /** Changes entries; their chunks are joined again once, at the end. */
  set(changes: Iterable<[entry: number, value: string]>): void {
    const stale = new Set<number>();
    for (const [entry, value] of changes) {
      this.#values[entry] = value;
      stale.add(Math.floor(entry / CHUNK));
    }
    for (const chunk of stale) this.#join(chunk);
  }

  /** Indexes of the entries that contain `needle`, each once, in order. */
  find(needle: string, into: number[]): void {
    const chunks = Math.ceil(this.#values.length / CHUNK);
    for (let chunk = 0; chunk < chunks; chunk++) {
      const { text, starts } = this.#chunks[chunk] ?? this.#join(chunk);
      const base = chunk * CHUNK;
      let from = 0;
      for (;;) {
        const at = text.indexOf(needle, from);
        if (at < 0) break;
        const entry = upperBound(starts, at) - 1;
        into.push(base + entry);
        // Jump to the next entry: the rest of this one cannot add anything.
        from = entry + 1 < starts.length ? starts[entry + 1]! : text.length;
      }
    }
  }

  #join(chunk: number): Joined {
    const values = this.#values.slice(chunk * CHUNK, (chunk + 1) * CHUNK);
    const starts: number[] = [];
    let at = SEP.length;
    for (const value of values) {
      starts.push(at);
      at += value.length + SEP.length;
    }
    const joined = { text: SEP + values.join(SEP) + SEP, starts };
    this.#chunks[chunk] = joined;
    return joined;
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
  /** Each entry's folded name, kept as numbers and names arrive. */
  readonly #names = new Haystack();
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
    this.#names.add(foldText(this.#nameOf(phone)));
  }

  /**
   * Names changed (CT1): the entries of `phones` are folded again (every entry when `phones` is
   * not given, as on connect), and only their chunks are joined again.
   */
  setNames(nameOf: (phone: string) => string, phones?: Iterable<string>): void {
    this.#nameOf = nameOf;
    const changes: [number, string][] = [];
    const refold = (phone: string, at: number) => {
      const name = foldText(nameOf(phone));
      if (name !== this.#names.get(at)) changes.push([at, name]);
    };
    if (phones) {
      for (const phone of phones) {
        const at = this.#position.get(phone);
        if (at !== undefined) refold(phone, at);
      }
    } else {
      this.#phones.forEach(refold);
    }
    this.#names.set(changes);
  }

  /** The entry of a number, or -1. */
  position(phone: string): number {
    return this.#position.get(phone) ?? -1;
  }

  /** How many numbers the index holds. */
  get size(): number {
    return this.#phones.length;
  }

  /** The number of an entry. */
  phone(entry: number): string {
    return this.#phones[entry]!;
  }

  /** The entries that match, in order. */
  find(query: SearchQuery): number[] {
    const hits: number[] = [];
    if (query.digits) this.#digits.find(query.digits, hits);
    else if (query.text) this.#names.find(query.text, hits);
    return hits;
  }
}
