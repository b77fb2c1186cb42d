/**
 * SN8: SMS text counted as the carrier does. GSM-7 (GSM 03.38 basic set plus its extension table)
 * when every character allows it, UCS-2 as soon as one does not. Parts are packed greedily, so an
 * escape pair (GSM-7) or a surrogate pair (UCS-2) is never split across two parts.
 */
import { DeskError } from '../errors.js';

export interface SegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** Code points. */
  characters: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** 0 for empty text. */
  parts: number;
  /** 160 or 153 (GSM-7), 70 or 67 (UCS-2), for a single or a split message. */
  perPart: number;
  /** Units left in the current last part. */
  remaining: number;
  /** Distinct characters that force UCS-2, in order of first appearance. */
  ucs2Characters: string[];
}

/** GSM 03.38 basic character set, 0x00–0x7F without 0x1B (the escape to the extension table). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅå' +
    '\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039EÆæßÉ' +
    ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
    '¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** SN8: the extension table; each is sent as ESC + char, two septets. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/** SN8: true when `char` (one code point) is in the GSM-7 basic set or extension table. */
export function isGsm7(char: string): boolean {
  return GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char);
}

/** SN8: characters, encoding and parts of an SMS text. */
export function countSegments(text: string): SegmentInfo {
  if (typeof text !== 'string') {
    throw new DeskError('invalid_input', 'The message text must be a string.');
  }
  const chars = [...text]; // code points: a surrogate pair stays one character
  const ucs2Characters = [...new Set(chars.filter((c) => !isGsm7(c)))];
  const encoding = ucs2Characters.length === 0 ? 'GSM-7' : 'UCS-2';
  const widths = chars.map((c) =>
    encoding === 'GSM-7' ? (GSM7_EXTENSION.has(c) ? 2 : 1) : c.length,
  );
  const units = widths.reduce((sum, w) => sum + w, 0);
  const { single, multi } = LIMITS[encoding];

  if (units <= single) {
    return {
      encoding,
      characters: chars.length,
      units,
      parts: units === 0 ? 0 : 1,
      perPart: single,
      remaining: single - units,
      ucs2Characters,
    };
  }

  // Greedy packing: a character that does not fit whole starts the next part.
  let parts = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multi) {
      parts += 1;
      used = 0;
    }
    used += w;
  }
  return {
    encoding,
    characters: chars.length,
    units,
    parts,
    perPart: multi,
    remaining: multi - used,
    ucs2Characters,
  };
}
