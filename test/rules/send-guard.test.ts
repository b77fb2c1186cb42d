import { describe, expect, it } from 'vitest';
import type { DeskErrorCode } from '../../src/errors.js';
import { CARE_WINDOW_MS } from '../../src/rules/care-window.js';
import { MEDIA_LIMITS, validateMedia } from '../../src/rules/media.js';
import { guardSend, type GuardInput, type GuardVerdict } from '../../src/rules/send-guard.js';
import { assertSendable } from '../../src/rules/verdict.js';
import type { BusinessHours, Channel, Media, Template } from '../../src/types.js';
import { expectDeskError } from '../support/errors.js';

const MB = 1024 * 1024;
const HOUR = 3600_000;
/** Monday 2 June 2025, 14:00 UTC: inside the hours below. */
const NOW = Date.UTC(2025, 5, 2, 14, 0);
const HOURS: BusinessHours = {
  timeZone: 'UTC',
  weekly: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [['09:00', '17:00']]]),
  ),
};

const file = (
  mimeType: string,
  size = 1000,
  fileName = `file.${mimeType.split('/')[1]}`,
): Media => ({
  url: `https://cdn.example.com/${fileName}`,
  mimeType,
  fileName,
  size,
});

const template = (overrides: Partial<Template> = {}): Template => ({
  id: 'wa-hello',
  name: 'Hello again',
  type: 'conversation',
  channel: 'whatsapp',
  registered: true,
  body: 'Hi {{contact.firstName}}, can we help you with your order?',
  ...overrides,
});

function input(overrides: Partial<GuardInput> = {}): GuardInput {
  return {
    channel: 'whatsapp',
    lastIncomingAt: NOW - HOUR, // window open
    recipient: { phone: '+14155550123', whatsappConsent: true, optedOut: [] },
    content: { text: 'Hello' },
    hours: HOURS,
    now: NOW,
    ...overrides,
  };
}

function refused(verdict: GuardVerdict, code: DeskErrorCode) {
  expect(verdict.outcome, JSON.stringify(verdict)).toBe('refused');
  if (verdict.outcome !== 'refused') throw new Error('unreachable');
  expect(verdict.code, verdict.reason).toBe(code);
  expect(verdict.reason).toMatch(/^[A-Z].*\.$/); // a sentence a UI can show
  return verdict;
}

describe('guardSend — content', () => {
  it('SN1: a message needs text, media or a template', () => {
    refused(guardSend(input({ content: {} })), 'invalid_input');
    refused(guardSend(input({ content: { text: '  \n\t ' } })), 'invalid_input');
    refused(guardSend(input({ content: { text: '', media: [] } })), 'invalid_input');
    expect(guardSend(input({ content: { text: 'Hi' } })).outcome).toBe('allowed');
    expect(guardSend(input({ content: { media: [file('image/png')] } })).outcome).toBe('allowed');
    expect(guardSend(input({ content: { template: template() } })).outcome).toBe('allowed');
  });

  it('SN2: a template of the other channel is refused with template_channel_mismatch', () => {
    const sms = template({ channel: 'sms' });
    refused(guardSend(input({ content: { template: sms } })), 'template_channel_mismatch');
    refused(
      guardSend(input({ channel: 'sms', content: { template: template() } })),
      'template_channel_mismatch',
    );
  });

  it('SN2: a campaign template is refused with template_not_conversation', () => {
    const campaign = template({ type: 'campaign' });
    refused(guardSend(input({ content: { template: campaign } })), 'template_not_conversation');
  });

  it('SN1: media of a type the channel does not take is refused with media_rejected and the file name', () => {
    const smsVideo = guardSend(
      input({ channel: 'sms', content: { media: [file('video/mp4', 1000, 'clip.mp4')] } }),
    );
    expect(refused(smsVideo, 'media_rejected').details).toMatchObject({ fileName: 'clip.mp4' });
    const waGif = guardSend(input({ content: { media: [file('image/gif', 1000, 'fun.gif')] } }));
    expect(refused(waGif, 'media_rejected').details).toMatchObject({ fileName: 'fun.gif' });
    refused(guardSend(input({ content: { media: [file('image/bmp')] } })), 'media_rejected');
    expect(
      guardSend(input({ channel: 'sms', content: { media: [file('image/gif')] } })).outcome,
    ).toBe('allowed');
  });

  it('SN1: media over the size limit is refused with media_rejected and the file name', () => {
    const big = file('image/jpeg', 5 * MB + 1, 'big.jpg');
    expect(
      refused(guardSend(input({ channel: 'sms', content: { media: [big] } })), 'media_rejected')
        .details,
    ).toMatchObject({ fileName: 'big.jpg', size: 5 * MB + 1, maxSize: 5 * MB });
    expect(
      guardSend(input({ channel: 'sms', content: { media: [file('image/jpeg', 5 * MB)] } }))
        .outcome,
    ).toBe('allowed');
  });

  it('SN1: the second bad file of several is named', () => {
    const media = [file('image/png', 10, 'ok.png'), file('application/zip', 10, 'archive.zip')];
    expect(
      refused(guardSend(input({ content: { media } })), 'media_rejected').details.fileName,
    ).toBe('archive.zip');
  });

  it('SN1: WhatsApp text over 4096 characters is refused; 4096 (emoji count as one) is fine', () => {
    expect(guardSend(input({ content: { text: 'a'.repeat(4096) } })).outcome).toBe('allowed');
    expect(guardSend(input({ content: { text: '😀'.repeat(4096) } })).outcome).toBe('allowed');
    const long = refused(
      guardSend(input({ content: { text: 'a'.repeat(4097) } })),
      'invalid_input',
    );
    expect(long.details).toMatchObject({ characters: 4097, maxCharacters: 4096 });
  });

  it('SN8: SMS text over 10 parts is refused; exactly 10 parts is fine', () => {
    const sms = (text: string) => guardSend(input({ channel: 'sms', content: { text } }));
    expect(sms('a'.repeat(1530)).outcome).toBe('allowed'); // 10 × 153 septets
    expect(refused(sms('a'.repeat(1531)), 'invalid_input').details).toMatchObject({
      parts: 11,
      maxParts: 10,
    });
    expect(sms('ж'.repeat(670)).outcome).toBe('allowed'); // 10 × 67 code units
    refused(sms('ж'.repeat(671)), 'invalid_input');
    refused(sms('€'.repeat(766)), 'invalid_input'); // 1532 septets, 76 euros per part
  });

  it('SN1: content is checked before the recipient, so the most basic problem shows first', () => {
    const optedOut = {
      phone: '+14155550123',
      whatsappConsent: false,
      optedOut: ['whatsapp' as Channel],
    };
    refused(guardSend(input({ recipient: optedOut, content: {} })), 'invalid_input');
    refused(
      guardSend(input({ recipient: optedOut, content: { media: [file('image/bmp')] } })),
      'media_rejected',
    );
  });
});

describe('guardSend — SN5 opt-out', () => {
  it('SN5: nothing is sent to a number that opted out of the channel', () => {
    const recipient = {
      phone: '+14155550123',
      whatsappConsent: true,
      optedOut: ['sms' as Channel],
    };
    const verdict = refused(guardSend(input({ channel: 'sms', recipient })), 'opted_out');
    expect(verdict.details).toMatchObject({ phone: '+14155550123', channel: 'sms' });
    expect(verdict.reason).toContain('SMS');
  });

  it('SN5: opting out of one channel does not block the other', () => {
    const recipient = {
      phone: '+14155550123',
      whatsappConsent: true,
      optedOut: ['sms' as Channel],
    };
    expect(guardSend(input({ recipient })).outcome).toBe('allowed');
  });

  it('SN5: opt-out is reported before consent and the care window', () => {
    const recipient = { phone: '+1', whatsappConsent: false, optedOut: ['whatsapp' as Channel] };
    refused(guardSend(input({ recipient, lastIncomingAt: undefined })), 'opted_out');
  });
});

describe('guardSend — SN4 consent', () => {
  const noConsent = { phone: '+14155550123', whatsappConsent: false, optedOut: [] };

  it('SN4: starting a WhatsApp conversation without consent is refused, even with a registered template', () => {
    const verdict = guardSend(
      input({ lastIncomingAt: undefined, recipient: noConsent, content: { template: template() } }),
    );
    expect(refused(verdict, 'no_consent').details).toMatchObject({ phone: '+14155550123' });
  });

  it('SN4: writing after the care window closed is business-initiated and needs consent too', () => {
    const lastIncomingAt = NOW - 2 * CARE_WINDOW_MS;
    refused(
      guardSend(input({ lastIncomingAt, recipient: noConsent, content: { template: template() } })),
      'no_consent',
    );
  });

  it('SN4: replying inside the care window needs no consent on record', () => {
    expect(guardSend(input({ recipient: noConsent })).outcome).toBe('allowed');
  });

  it('SN4: SMS does not need WhatsApp consent', () => {
    expect(
      guardSend(input({ channel: 'sms', lastIncomingAt: undefined, recipient: noConsent })).outcome,
    ).toBe('allowed');
  });
});

describe('guardSend — SN3 care window', () => {
  const closedAt = NOW - HOUR;
  const closed = { lastIncomingAt: closedAt - CARE_WINDOW_MS };

  it('SN3: free text after the window closed is refused with window_closed and when it closed', () => {
    const verdict = refused(
      guardSend(input({ ...closed, content: { text: 'Hello?' } })),
      'window_closed',
    );
    expect(verdict.details).toEqual({ expiredAt: closedAt });
    expect(verdict.careWindow).toEqual({
      applies: true,
      open: false,
      expiresAt: closedAt,
      remainingMs: 0,
    });
  });

  it('SN3: a new WhatsApp conversation with free text is refused, without an expiry', () => {
    const verdict = refused(guardSend(input({ lastIncomingAt: undefined })), 'window_closed');
    expect(verdict.details).toEqual({});
    expect(verdict.reason).toMatch(/new WhatsApp conversation/);
  });

  it('SN3: media alone, or an unregistered template, is refused while the window is closed', () => {
    refused(
      guardSend(input({ ...closed, content: { media: [file('image/png')] } })),
      'window_closed',
    );
    const unregistered = template({ registered: false });
    refused(guardSend(input({ ...closed, content: { template: unregistered } })), 'window_closed');
  });

  it('SN3: a registered template with media attached is refused while the window is closed', () => {
    const verdict = guardSend(
      input({ ...closed, content: { template: template(), media: [file('image/png')] } }),
    );
    expect(refused(verdict, 'window_closed').reason).toMatch(/media/i);
  });

  it('SN3: a registered template may be sent while the window is closed, as is or filled in', () => {
    expect(guardSend(input({ ...closed, content: { template: template() } })).outcome).toBe(
      'allowed',
    );
    const filled = 'Hi Ana, can we help you with your order?';
    expect(
      guardSend(input({ ...closed, content: { template: template(), text: filled } })).outcome,
    ).toBe('allowed');
    expect(
      guardSend(input({ lastIncomingAt: undefined, content: { template: template() } })).outcome,
    ).toBe('allowed');
  });

  it('SN3: an edited registered template is free text and is refused while the window is closed', () => {
    const edited = 'Hi Ana, we have a great offer for you!';
    const verdict = guardSend(
      input({ ...closed, content: { template: template(), text: edited } }),
    );
    expect(refused(verdict, 'window_closed').reason).toMatch(/edited/);
  });

  it('SN3: while the window is open, free text, media and any template may be sent', () => {
    const open = { lastIncomingAt: NOW - CARE_WINDOW_MS + 1 };
    for (const content of [
      { text: 'Hello' },
      { media: [file('video/mp4', 16 * MB)] },
      { template: template({ registered: false }) },
      { template: template(), text: 'Edited freely', media: [file('application/pdf', 100 * MB)] },
    ]) {
      const verdict = guardSend(input({ ...open, content }));
      expect(verdict.outcome).toBe('allowed');
      expect(verdict.careWindow).toMatchObject({ applies: true, open: true, remainingMs: 1 });
    }
  });

  it('SN3: the window does not apply to SMS', () => {
    const verdict = guardSend(input({ channel: 'sms', lastIncomingAt: undefined }));
    expect(verdict).toEqual({
      outcome: 'allowed',
      careWindow: { applies: false, open: true, expiresAt: null, remainingMs: Infinity },
    });
  });
});

describe('guardSend — SN6 business hours', () => {
  const friday = Date.UTC(2025, 5, 6, 18, 0); // after closing
  const monday9 = Date.UTC(2025, 5, 9, 9, 0);

  it('SN6: outside business hours the message is queued until the hours open', () => {
    const verdict = guardSend(input({ channel: 'sms', now: friday }));
    expect(verdict).toEqual({
      outcome: 'queued',
      reason: 'business_hours',
      until: monday9,
      careWindow: { applies: false, open: true, expiresAt: null, remainingMs: Infinity },
    });
  });

  it('SN6: no business hours means send now', () => {
    expect(guardSend(input({ channel: 'sms', now: friday, hours: undefined })).outcome).toBe(
      'allowed',
    );
  });

  it('SN6: a schedule that never opens is refused with invalid_input', () => {
    const verdict = guardSend(input({ channel: 'sms', hours: { timeZone: 'UTC', weekly: {} } }));
    expect(refused(verdict, 'invalid_input').reason.toLowerCase()).toContain(
      'business hours never open',
    );
  });

  it('SN6: malformed business hours are refused with invalid_input', () => {
    const hours = { timeZone: 'Nowhere/City', weekly: {} };
    expect(
      refused(guardSend(input({ channel: 'sms', hours })), 'invalid_input').details,
    ).toMatchObject({
      timeZone: 'Nowhere/City',
    });
  });

  it('SN6: the care window is checked before business hours', () => {
    refused(
      guardSend(input({ now: friday, lastIncomingAt: friday - 2 * CARE_WINDOW_MS })),
      'window_closed',
    );
  });

  it('SN6: a WhatsApp reply queued while the window stays open until the hours open is queued', () => {
    const lastIncomingAt = monday9 - CARE_WINDOW_MS + HOUR; // the window closes Monday 10:00
    const verdict = guardSend(input({ now: friday, lastIncomingAt }));
    expect(verdict).toMatchObject({ outcome: 'queued', until: monday9 });
  });

  it('SN3, SN6: free text that would go out after the window closes is refused up front', () => {
    const lastIncomingAt = friday - HOUR; // open now, closes Saturday 17:00, before Monday 09:00
    const verdict = refused(guardSend(input({ now: friday, lastIncomingAt })), 'window_closed');
    expect(verdict.details).toEqual({ expiredAt: lastIncomingAt + CARE_WINDOW_MS, until: monday9 });
    expect(verdict.careWindow.open).toBe(true);
    // A registered template can still be queued for Monday.
    const tpl = guardSend(
      input({ now: friday, lastIncomingAt, content: { template: template() } }),
    );
    expect(tpl).toMatchObject({ outcome: 'queued', until: monday9 });
  });

  it('SN4, SN6: without consent, a message that would go out after the window closes is refused', () => {
    const recipient = { phone: '+1', whatsappConsent: false, optedOut: [] };
    const lastIncomingAt = friday - HOUR;
    const content = { template: template() };
    refused(guardSend(input({ now: friday, lastIncomingAt, recipient, content })), 'no_consent');
  });
});

describe('assertSendable', () => {
  it('SN3: a refused verdict throws its DeskError with the reason and details', () => {
    const verdict = guardSend(input({ lastIncomingAt: NOW - 2 * CARE_WINDOW_MS }));
    const error = expectDeskError(() => assertSendable(verdict), 'window_closed');
    expect(error.message).toBe((verdict as { reason: string }).reason);
    expect(error.details).toEqual({ expiredAt: NOW - CARE_WINDOW_MS });
  });

  it('SN6: allowed and queued verdicts do not throw', () => {
    expect(() => assertSendable(guardSend(input()))).not.toThrow();
    expect(() =>
      assertSendable(guardSend(input({ channel: 'sms', now: Date.UTC(2025, 5, 7, 12) }))),
    ).not.toThrow();
  });
});

describe('validateMedia and MEDIA_LIMITS', () => {
  it('SN1: SMS/MMS takes JPEG, PNG and GIF up to 5 MB, at most 10 files', () => {
    expect(Object.keys(MEDIA_LIMITS.sms.types).sort()).toEqual([
      'image/gif',
      'image/jpeg',
      'image/png',
    ]);
    expect(MEDIA_LIMITS.sms.maxFiles).toBe(10);
    expect(() =>
      validateMedia(
        'sms',
        Array.from({ length: 10 }, () => file('image/png')),
      ),
    ).not.toThrow();
    const error = expectDeskError(
      () =>
        validateMedia(
          'sms',
          Array.from({ length: 11 }, () => file('image/png')),
        ),
      'media_rejected',
    );
    expect(error.details).toMatchObject({ count: 11, maxFiles: 10 });
  });

  it('SN1: WhatsApp limits depend on the type: images 5 MB, video and audio 16 MB, documents 100 MB', () => {
    const ok: Array<[string, number]> = [
      ['image/jpeg', 5 * MB],
      ['video/mp4', 16 * MB],
      ['video/3gpp', 16 * MB],
      ['audio/aac', 16 * MB],
      ['audio/mpeg', 16 * MB],
      ['audio/ogg', 16 * MB],
      ['audio/amr', 16 * MB],
      ['audio/mp4', 16 * MB],
      ['application/pdf', 100 * MB],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 100 * MB],
      ['application/vnd.ms-excel', 100 * MB],
    ];
    for (const [type, size] of ok) {
      expect(() => validateMedia('whatsapp', [file(type, size)]), type).not.toThrow();
      expectDeskError(() => validateMedia('whatsapp', [file(type, size + 1)]), 'media_rejected');
    }
    expectDeskError(
      () =>
        validateMedia(
          'whatsapp',
          Array.from({ length: 11 }, () => file('image/png')),
        ),
      'media_rejected',
    );
  });

  it('SN1: MIME types are compared without case or parameters', () => {
    expect(() => validateMedia('sms', [file('IMAGE/PNG; name=x', 10)])).not.toThrow();
  });

  it('SN1: empty files, unknown sizes and prototype names are rejected', () => {
    expectDeskError(() => validateMedia('sms', [file('image/png', 0)]), 'media_rejected');
    expectDeskError(() => validateMedia('sms', [file('image/png', Number.NaN)]), 'media_rejected');
    expectDeskError(() => validateMedia('sms', [file('image/png', -5)]), 'media_rejected');
    expectDeskError(() => validateMedia('sms', [file('constructor')]), 'media_rejected');
    expectDeskError(() => validateMedia('sms', [file('')]), 'media_rejected');
  });

  it('SN1: media that is not a list, or an unknown channel, is refused with invalid_input', () => {
    expectDeskError(() => validateMedia('sms', 'photo.png' as unknown as Media[]), 'invalid_input');
    expectDeskError(() => validateMedia('fax' as Channel, []), 'invalid_input');
  });
});
