import { describe, expect, it } from 'vitest';
import {
  applyOptOut,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  optOutChange,
} from '../../src/rules/opt-out.js';
import type { RecipientPolicy } from '../../src/types.js';

const policy: RecipientPolicy = { phone: '+14155550101', whatsappConsent: true, optedOut: [] };

describe('SN5 opt-out keywords', () => {
  it('SN5: every opt-out keyword opts out, in any case, spaces around ignored', () => {
    for (const word of OPT_OUT_KEYWORDS) {
      expect(optOutChange(word)).toBe('out');
      expect(optOutChange(`  ${word.toLowerCase()} \n`)).toBe('out');
    }
    expect(OPT_OUT_KEYWORDS).toEqual(expect.arrayContaining(['STOP', 'UNSUBSCRIBE', 'QUIT']));
  });

  it('SN5: START and its synonyms opt back in', () => {
    for (const word of OPT_IN_KEYWORDS) expect(optOutChange(word)).toBe('in');
    expect(optOutChange('Start')).toBe('in');
  });

  it('SN5: a keyword inside a sentence, or no text, changes nothing', () => {
    expect(optOutChange('please stop calling me at work')).toBeNull();
    expect(optOutChange('STOP!!')).toBeNull();
    expect(optOutChange('')).toBeNull();
    expect(optOutChange(undefined)).toBeNull();
    expect(optOutChange(42)).toBeNull();
  });

  it("SN5: the carrier's own verdict wins over the text (keywords set in its console)", () => {
    expect(optOutChange('ARRET', 'out')).toBe('out');
    expect(optOutChange('STOP', 'in')).toBe('in');
  });

  it('SN5: the change applies to one channel, and a repeat returns the same policy', () => {
    const out = applyOptOut(policy, 'sms', 'out');
    expect(out.optedOut).toEqual(['sms']);
    expect(applyOptOut(out, 'sms', 'out')).toBe(out);
    const both = applyOptOut(out, 'whatsapp', 'out');
    expect(both.optedOut).toEqual(['sms', 'whatsapp']);
    expect(applyOptOut(both, 'sms', 'in').optedOut).toEqual(['whatsapp']);
    expect(applyOptOut(policy, 'sms', 'in')).toBe(policy);
  });
});
