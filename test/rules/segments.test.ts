import { describe, expect, it } from 'vitest';
import { DeskError } from '../../src/errors.js';
import { countSegments, isGsm7 } from '../../src/rules/segments.js';

// GSM 03.38 basic table, row by row (0x00–0x7F), written independently of the implementation.
// prettier-ignore
const BASIC_TABLE = [
  '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
  'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', /* ESC */ 'Æ', 'æ', 'ß', 'É',
  ' ', '!', '"', '#', '¤', '%', '&', "'", '(', ')', '*', '+', ',', '-', '.', '/',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
  '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
  'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
  '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];
const EXTENSION = ['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

describe('countSegments — GSM-7', () => {
  it('SN8: empty text has no part and a full first part left', () => {
    expect(countSegments('')).toEqual({
      encoding: 'GSM-7',
      characters: 0,
      units: 0,
      parts: 0,
      perPart: 160,
      remaining: 160,
      ucs2Characters: [],
    });
  });

  it('SN8: every character of the GSM 03.38 basic table takes one septet', () => {
    expect(BASIC_TABLE).toHaveLength(127);
    for (const c of BASIC_TABLE) {
      expect(isGsm7(c), JSON.stringify(c)).toBe(true);
      expect(countSegments(c).units, JSON.stringify(c)).toBe(1);
    }
    const all = countSegments(BASIC_TABLE.join(''));
    expect(all).toMatchObject({ encoding: 'GSM-7', characters: 127, units: 127, parts: 1 });
  });

  it('SN8: a euro sign takes two septets', () => {
    expect(countSegments('€')).toMatchObject({
      encoding: 'GSM-7',
      characters: 1,
      units: 2,
      parts: 1,
      remaining: 158,
    });
  });

  it('SN8: every extension character (form feed and ^ { } \\ [ ~ ] | €) takes two septets', () => {
    for (const c of EXTENSION) {
      expect(isGsm7(c), JSON.stringify(c)).toBe(true);
      expect(countSegments(c).units, JSON.stringify(c)).toBe(2);
    }
    expect(countSegments(EXTENSION.join(''))).toMatchObject({ characters: 10, units: 20 });
  });

  it('SN8: 160 septets fit one part, 161 split into parts of 153', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ parts: 1, perPart: 160, remaining: 0 });
    expect(countSegments('a'.repeat(161))).toMatchObject({
      parts: 2,
      perPart: 153,
      remaining: 153 * 2 - 161,
    });
    expect(countSegments('a'.repeat(306))).toMatchObject({ parts: 2, remaining: 0 });
    expect(countSegments('a'.repeat(307))).toMatchObject({ parts: 3, remaining: 152 });
  });

  it('SN8: 80 euro signs fill one part exactly; one more splits', () => {
    expect(countSegments('€'.repeat(80))).toMatchObject({ units: 160, parts: 1, remaining: 0 });
    // 76 euros (152 septets) fill the first part: the 77th would straddle it.
    expect(countSegments('€'.repeat(81))).toMatchObject({ units: 162, parts: 2, remaining: 143 });
  });

  it('SN8: an escape pair is never split across parts, even when the division says it fits', () => {
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152); // 306 septets = exactly 2 × 153
    const info = countSegments(text);
    expect(info.units).toBe(306);
    // Part 1: 152 a's (the € would straddle). Part 2: € + 151 a's. Part 3: the last a.
    expect(info.parts).toBe(3);
    expect(info.remaining).toBe(152);
  });

  it('SN8: a line break counts, and CR LF is two septets', () => {
    expect(countSegments('a\r\nb')).toMatchObject({ encoding: 'GSM-7', characters: 4, units: 4 });
  });

  it('SN8: characters that look close to GSM but are not in the table force UCS-2', () => {
    // Lower-case ç, acute accents, backtick, tab, the Ohm sign (not Greek Omega), smart quotes.
    for (const c of ['ç', 'á', 'í', 'ó', 'ú', 'â', '`', '\t', '\u2126', '–', '’', '“']) {
      expect(isGsm7(c), JSON.stringify(c)).toBe(false);
    }
    expect(countSegments('ça va').encoding).toBe('UCS-2');
  });
});

describe('countSegments — UCS-2', () => {
  it('SN8: one character outside GSM-7 makes the whole text UCS-2 (70, then 67 per part)', () => {
    expect(countSegments('Привет')).toMatchObject({
      encoding: 'UCS-2',
      characters: 6,
      units: 6,
      parts: 1,
      perPart: 70,
      remaining: 64,
    });
    expect(countSegments('ж'.repeat(70))).toMatchObject({ parts: 1, remaining: 0 });
    expect(countSegments('ж'.repeat(71))).toMatchObject({ parts: 2, perPart: 67, remaining: 63 });
    const mixed = countSegments('a'.repeat(100) + 'ж');
    expect(mixed).toMatchObject({ encoding: 'UCS-2', units: 101, parts: 2, remaining: 33 });
  });

  it('SN8: in UCS-2 an extension character is one code unit, not two septets', () => {
    expect(countSegments('€ж')).toMatchObject({ encoding: 'UCS-2', units: 2 });
  });

  it('SN8: an emoji outside the BMP is one character but two code units', () => {
    expect(countSegments('a😀')).toMatchObject({
      encoding: 'UCS-2',
      characters: 2,
      units: 3,
      ucs2Characters: ['😀'],
    });
    expect(countSegments('😀'.repeat(35))).toMatchObject({ units: 70, parts: 1, remaining: 0 });
    // 33 emoji (66 units) fill a part of 67; the 34th starts the second part.
    expect(countSegments('😀'.repeat(36))).toMatchObject({ units: 72, parts: 2, remaining: 61 });
  });

  it('SN8: a surrogate pair is never split across parts, even when the division says it fits', () => {
    const info = countSegments('ж'.repeat(66) + '😀' + 'ж'.repeat(66)); // 134 units = 2 × 67
    expect(info.units).toBe(134);
    expect(info.parts).toBe(3);
    expect(info.remaining).toBe(66);
  });

  it('SN8: lists the distinct characters that force UCS-2, in order of first appearance', () => {
    expect(countSegments('Olá ✓ señor ✓ ş😀á').ucs2Characters).toEqual(['á', '✓', 'ş', '😀']);
    expect(countSegments('Hello €').ucs2Characters).toEqual([]);
  });

  it('SN8: a lone surrogate is counted as one UCS-2 code unit', () => {
    expect(countSegments('\ud83d')).toMatchObject({ encoding: 'UCS-2', characters: 1, units: 1 });
  });
});

describe('isGsm7', () => {
  it('SN8: only a single GSM-7 character is GSM-7; strings, the empty string and ESC are not', () => {
    expect(isGsm7('a')).toBe(true);
    expect(isGsm7('ab')).toBe(false);
    expect(isGsm7('')).toBe(false);
    expect(isGsm7('\u001b')).toBe(false);
    expect(isGsm7('😀')).toBe(false);
  });
});

describe('bad input', () => {
  it('SN8: a text that is not a string is refused with invalid_input', () => {
    for (const bad of [null, undefined, 42]) {
      let caught: unknown;
      try {
        countSegments(bad as unknown as string);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DeskError);
      expect((caught as DeskError).code).toBe('invalid_input');
    }
  });
});
