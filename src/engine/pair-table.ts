/**
 * C1's index for the memory repository: a sender ID and a number to the one slot that holds their
 * conversation. Routing looks it up for every incoming message, and at 100k conversations every
 * memory read it makes is a cache miss: a `Map` read three (its bucket, its entry, then the slot
 * it names). Here the slots themselves sit in an open-addressed array, keyed by the number's last
 * nine digits as an integer (`numberKey`): one read of the array, then the slot, which holds the
 * pair to compare, so a lookup is the slot's read plus one. Numbers that do not end in nine
 * digits (rare: C1 holds E.164 numbers) go through a `Map` of their text.
 */

/** What the table reads of a slot: the pair it is indexed under. */
export interface PairEntry {
  pairSender: string | undefined;
  pairCustomer: string | undefined;
  /** `numberKey(pairCustomer)`. */
  pairKey: number;
  /** `numberHigh(pairCustomer)`: compared instead of the number's text. */
  pairHigh: number;
}

/**
 * A number's last nine digits as a small integer (an E.164 number has 7 to 15 digits), hashed
 * and compared without reading a string; -1 when they are not all digits.
 */
export function numberKey(customer: string): number {
  const length = customer.length;
  if (length < 9) return -1;
  let key = 0;
  for (let i = length - 9; i < length; i++) {
    const digit = customer.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    key = key * 10 + digit;
  }
  return key;
}

/**
 * What `numberKey` leaves out of a number (up to seven leading characters, `+` or digits) as a
 * small integer, a leading 1 keeping its length: two numbers with the same key and the same
 * `numberHigh` are the same text. -1 when it cannot say (then the text is compared).
 */
export function numberHigh(customer: string): number {
  const end = customer.length - 9;
  if (end < 0 || end > 7) return -1;
  let high = 1;
  for (let i = 0; i < end; i++) {
    const code = customer.charCodeAt(i);
    const digit = code === 43 ? 10 : code - 48; // '+'
    if (digit < 0 || digit > 10) return -1;
    high = high * 11 + digit;
  }
  return high;
}

/** Where a key's probe starts: scattered (Fibonacci hashing), as real numbers' digits are. */
const home = (key: number, shift: number) => Math.imul(key, 0x9e3779b1) >>> shift;

export class PairTable<S extends PairEntry> {
  /** Open addressing with linear probing, at most half full; holes are `undefined`. */
  #table: Array<S | undefined> = new Array<S | undefined>(1024).fill(undefined);
  #shift = 32 - 10;
  #size = 0;
  readonly #byText = new Map<string, S[]>();

  get(senderId: string, customer: string): S | undefined {
    const key = numberKey(customer);
    if (key < 0) return this.#byText.get(customer)?.find((s) => s.pairSender === senderId);
    const high = numberHigh(customer);
    const table = this.#table;
    const mask = table.length - 1;
    for (let i = home(key, this.#shift); ; i = (i + 1) & mask) {
      const slot = table[i];
      if (slot === undefined) return undefined;
      if (
        slot.pairKey === key &&
        slot.pairSender === senderId &&
        (high >= 0 ? slot.pairHigh === high : slot.pairCustomer === customer)
      )
        return slot;
    }
  }

  /** Indexes `slot` under the pair it holds (its `pair*` fields, set by the caller). */
  add(slot: S): void {
    if (slot.pairKey < 0) {
      const list = this.#byText.get(slot.pairCustomer!);
      if (list) list.push(slot);
      else this.#byText.set(slot.pairCustomer!, [slot]);
      return;
    }
    if (++this.#size * 2 > this.#table.length) this.#grow();
    this.#place(slot);
  }

  /** Takes `slot` out (its conversation moved to another pair); its `pair*` fields still hold the old one. */
  remove(slot: S): void {
    if (slot.pairKey < 0) {
      const list = this.#byText.get(slot.pairCustomer!);
      const rest = list?.filter((s) => s !== slot) ?? [];
      if (rest.length) this.#byText.set(slot.pairCustomer!, rest);
      else this.#byText.delete(slot.pairCustomer!);
      return;
    }
    const table = this.#table;
    const mask = table.length - 1;
    let i = home(slot.pairKey, this.#shift);
    while (table[i] !== undefined && table[i] !== slot) i = (i + 1) & mask;
    if (table[i] === undefined) return;
    this.#size--;
    // Backward-shift deletion: later entries of the run move up if their probe passed the hole.
    let hole = i;
    for (let j = (i + 1) & mask; table[j] !== undefined; j = (j + 1) & mask) {
      const start = home(table[j]!.pairKey, this.#shift);
      // `j` may move to `hole` unless its start lies cyclically in (hole, j].
      const between = hole <= j ? start > hole && start <= j : start > hole || start <= j;
      if (!between) {
        table[hole] = table[j];
        hole = j;
      }
    }
    table[hole] = undefined;
  }

  #place(slot: S): void {
    const table = this.#table;
    const mask = table.length - 1;
    let i = home(slot.pairKey, this.#shift);
    while (table[i] !== undefined) i = (i + 1) & mask;
    table[i] = slot;
  }

  #grow(): void {
    const old = this.#table;
    this.#table = new Array<S | undefined>(old.length * 2).fill(undefined);
    this.#shift--;
    for (let i = 0; i < old.length; i++) if (old[i] !== undefined) this.#place(old[i]!);
  }
}
