/** Text folding, in one home: search (V6, SN1) and template search (SN2) compare folded text. */

/** Case- and accent-insensitive form: "Café" and "CAFE" both become "cafe". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}
