import { describe, expect, it } from 'vitest';
import { formatPhone, loadPhoneFormat, rowState, timeLeft } from '../src/index.js';

describe('format', () => {
  it('phone numbers read as people write them once the metadata is loaded; bad input stays', async () => {
    await loadPhoneFormat();
    expect(formatPhone('+14155550101')).toBe('+1 415 555 0101');
    expect(formatPhone('+33612345678')).toBe('+33 6 12 34 56 78');
    expect(formatPhone('not a number')).toBe('not a number');
  });

  it('SN3: the time left rounds up to the minute and never goes below zero', () => {
    expect(timeLeft(23 * 3600_000 + 59 * 60_000 + 1)).toEqual({ hours: 24, minutes: 0 });
    expect(timeLeft(90 * 60_000 - 30_000)).toEqual({ hours: 1, minutes: 30 });
    expect(timeLeft(-5)).toEqual({ hours: 0, minutes: 0 });
  });

  it('SN5, SN6, SN7: a row shows opted out first, then a failed or queued last outgoing message', () => {
    const preview = (direction: 'in' | 'out', status: 'failed' | 'queued' | 'delivered') => ({
      messageId: 'm',
      direction,
      text: '',
      at: 0,
      status,
      hasMedia: false,
    });
    const sms = (lastMessage?: ReturnType<typeof preview>) => ({
      channel: 'sms' as const,
      lastMessage,
    });
    expect(rowState(sms(preview('out', 'failed')))).toBe('failed');
    expect(rowState(sms(preview('out', 'queued')))).toBe('queued');
    expect(rowState(sms(preview('out', 'delivered')))).toBe(null);
    expect(rowState(sms(preview('in', 'delivered')))).toBe(null);
    expect(rowState(sms(preview('out', 'failed')), { optedOut: ['sms'] })).toBe('opted_out');
    expect(rowState(sms(), { optedOut: ['whatsapp'] })).toBe(null);
  });
});
