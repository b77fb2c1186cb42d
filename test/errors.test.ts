import { describe, expect, it } from 'vitest';
import { DeskError, errorDetails, guardSend, toE164 } from '../src/index.js';

const registered = {
  id: 't1',
  name: 'Follow-up',
  body: 'Hello {{contact.firstName}}',
  channel: 'whatsapp' as const,
  type: 'conversation' as const,
  registered: true,
};

describe('typed refusal details', () => {
  it('errorDetails types the details by code and ignores other codes and non-DeskErrors', () => {
    const error = new DeskError('template_missing_fields', 'x', {
      details: { missing: ['contact.firstName'] },
    });
    expect(errorDetails(error, 'template_missing_fields')?.missing).toEqual(['contact.firstName']);
    expect(errorDetails(error, 'opted_out')).toBeUndefined();
    expect(errorDetails(new Error('x'), 'opted_out')).toBeUndefined();
  });

  it('SN3: a closed-window refusal says whether the template was edited, so a UI can say so', () => {
    const verdict = guardSend({
      channel: 'whatsapp',
      lastIncomingAt: 0,
      recipient: { phone: '+14155550101', whatsappConsent: true, optedOut: [] },
      content: { text: 'Bonjour Ada', template: registered },
      now: 3 * 24 * 3600 * 1000,
    });
    expect(verdict.outcome).toBe('refused');
    if (verdict.outcome === 'refused') {
      expect(verdict.code).toBe('window_closed');
      expect(verdict.details['edited']).toBe(true);
    }
  });

  it('S2: a national number without a country code is refused with missing: countryCallingCode', async () => {
    const error = await toE164({ nationalNumber: '4155550101' }).catch((e: unknown) => e);
    expect(errorDetails(error, 'invalid_phone')?.missing).toBe('countryCallingCode');
  });
});
