import type { ReactiveControllerHost } from 'lit';
import { errorDetails, isDeskError } from '../../src/index.js';
import { LocalizeController } from './localize.js';
import { en } from './errors.strings.js';

const MB = 1024 * 1024;
const FIELDS: Record<string, keyof typeof en> = {
  'contact.firstName': 'fieldFirstName',
  'contact.lastName': 'fieldLastName',
  'contact.name': 'fieldName',
  'contact.phone': 'fieldPhone',
  'contact.email': 'fieldEmail',
};

/** Localized text for refusals: an element creates one and asks it for `text(error)`. */
export class ErrorText {
  readonly #t: LocalizeController<typeof en>;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#t = new LocalizeController(host, en);
  }

  /** A merge field in plain words: `contact.firstName` reads "first name". */
  field(name: string): string {
    const key = FIELDS[name];
    if (key) return this.#t.term(key as 'fieldFirstName');
    const last = name.split('.').pop() ?? name;
    return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  }

  /** Merge fields as a list: "first name and last name". */
  fields(names: readonly string[]): string {
    const words = names.map((n) => this.field(n));
    return new Intl.ListFormat(this.#t.lang, { type: 'conjunction' }).format(words);
  }

  text(error: unknown): string {
    const t = this.#t;
    if (!isDeskError(error)) return t.term('generic');
    switch (error.code) {
      case 'forbidden':
        return t.term('forbidden');
      case 'not_found':
        return t.term('notFound');
      case 'invalid_phone':
        return errorDetails(error, 'invalid_phone')?.missing
          ? t.term('countryCodeMissing')
          : t.term('invalidPhone');
      case 'invalid_input': {
        const d = errorDetails(error, 'invalid_input') ?? {};
        if (d.empty) return t.term('empty');
        if (d.field === 'firstName') return t.term('nameMissing');
        if (d.maxCharacters !== undefined && d.characters !== undefined)
          return t.term('tooManyCharacters', d.maxCharacters, d.characters);
        if (d.maxParts !== undefined && d.parts !== undefined)
          return t.term('tooManyParts', d.maxParts, d.parts);
        if (d.reason === 'business hours never open') return t.term('hoursNeverOpen');
        return t.term('invalidInput');
      }
      case 'window_closed': {
        const d = errorDetails(error, 'window_closed') ?? {};
        if (d.edited) return t.term('templateEdited');
        if (d.hasMedia) return t.term('templateMedia');
        if (d.until !== undefined) return t.term('windowClosesFirst');
        return d.expiredAt === undefined ? t.term('windowNew') : t.term('windowClosed');
      }
      case 'no_consent':
        return t.term('noConsent');
      case 'opted_out': {
        const channel = errorDetails(error, 'opted_out')?.channel;
        return t.term('optedOut', t.term(channel === 'sms' ? 'sms' : 'whatsapp'));
      }
      case 'template_channel_mismatch': {
        const channel = errorDetails(error, 'template_channel_mismatch')?.templateChannel;
        return t.term('templateChannel', t.term(channel === 'sms' ? 'sms' : 'whatsapp'));
      }
      case 'template_not_conversation':
        return t.term('templateType');
      case 'template_missing_fields':
        return t.term(
          'missingFields',
          this.fields(errorDetails(error, 'template_missing_fields')?.missing ?? []),
        );
      case 'media_rejected': {
        const d = errorDetails(error, 'media_rejected') ?? {};
        const name = d.fileName ?? '';
        if (d.maxFiles !== undefined) return t.term('mediaCount', d.maxFiles);
        if (d.maxSize !== undefined)
          return t.term(
            'mediaSize',
            name,
            t.term('megabytes', Math.round((d.maxSize / MB) * 10) / 10),
          );
        if ('size' in d) return t.term('mediaEmpty', name);
        return t.term('mediaType', name);
      }
      case 'confirmation_required':
        return t.term('confirmationRequired');
      case 'not_retryable':
        return t.term('notRetryable');
      case 'conflict':
        return t.term('conflict');
      case 'network':
        return errorDetails(error, 'network')?.timeout ? t.term('timeout') : t.term('network');
      case 'unauthorized':
        return t.term('unauthorized');
      case 'rate_limited':
        return t.term('rateLimited');
      default:
        return t.term('server');
    }
  }
}
