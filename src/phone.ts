import { DeskError } from './errors.js';

/** libphonenumber-js is loaded on first use, so its metadata stays out of the core bundle. */
let lib: Promise<typeof import('libphonenumber-js/min')> | undefined;
const load = () => (lib ??= import('libphonenumber-js/min'));

export interface PhoneInput {
  phone?: string;
  countryCallingCode?: string;
  nationalNumber?: string;
}

/**
 * S2: a number in E.164, from a country calling code plus a national number or from an
 * international string. Invalid numbers are refused with `invalid_phone`.
 */
export async function toE164(input: PhoneInput | string): Promise<string> {
  // Parse each number once: routing sees the same numbers again and again.
  const key =
    typeof input === 'string'
      ? input
      : input.nationalNumber
        ? `${input.countryCallingCode ?? ''} ${input.nationalNumber}`
        : (input.phone ?? '');
  const cached = parsed.get(key);
  if (cached !== undefined) return cached;
  const e164 = await parse(input);
  if (parsed.size >= CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, e164);
  return e164;
}

/** S2: the E.164 form of a number already parsed by `toE164`, without waiting; else undefined. */
export function knownE164(text: string): string | undefined {
  return parsed.get(text);
}

/** Valid numbers already parsed, oldest first (a bounded cache: strings to their E.164 form). */
const parsed = new Map<string, string>();
const CACHE_SIZE = 100_000;

async function parse(input: PhoneInput | string): Promise<string> {
  const { parsePhoneNumberFromString } = await load();
  const source = typeof input === 'string' ? { phone: input } : input;
  let parsed;
  if (source.nationalNumber !== undefined && source.nationalNumber !== '') {
    const code = String(source.countryCallingCode ?? '').replace(/\D/g, '');
    if (!code) {
      throw new DeskError('invalid_phone', 'Choose a country code for the number.', {
        details: { missing: 'countryCallingCode' },
      });
    }
    parsed = parsePhoneNumberFromString(source.nationalNumber, { defaultCallingCode: code });
  } else if (source.phone) {
    const text = source.phone.trim();
    parsed = parsePhoneNumberFromString(text.startsWith('+') ? text : `+${text}`);
  }
  if (!parsed || !parsed.isValid()) {
    throw new DeskError('invalid_phone', 'That is not a valid phone number.', {
      details: { input: source },
    });
  }
  return parsed.number;
}

/** The country calling codes, for the country code list of SN1 (loaded lazily). */
export async function countryCallingCodes(): Promise<Array<{ country: string; code: string }>> {
  const { getCountries, getCountryCallingCode } = await load();
  return getCountries().map((country) => ({ country, code: getCountryCallingCode(country) }));
}

/** Splits an E.164 number into its calling code and national number (for the SN1 form). */
export async function splitE164(
  phone: string,
): Promise<{ countryCallingCode: string; nationalNumber: string }> {
  const { parsePhoneNumberFromString } = await load();
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed) throw new DeskError('invalid_phone', 'That is not a valid phone number.');
  return { countryCallingCode: parsed.countryCallingCode, nationalNumber: parsed.nationalNumber };
}
