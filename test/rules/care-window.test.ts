import { describe, expect, it } from 'vitest';
import { DeskError } from '../../src/errors.js';
import { CARE_WINDOW_MS, careWindow } from '../../src/rules/care-window.js';
import type { Channel } from '../../src/types.js';

const T0 = Date.UTC(2025, 4, 1, 12, 0);
const HOUR = 3600_000;

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe('invalid_input');
    return;
  }
  expect.fail('expected a DeskError invalid_input');
}

describe('careWindow', () => {
  it('SN3: the window lasts 24 hours', () => {
    expect(CARE_WINDOW_MS).toBe(86_400_000);
  });

  it('SN3: the window does not apply to SMS, which is always open', () => {
    for (const last of [undefined, T0 - 10 * 24 * HOUR, T0]) {
      expect(careWindow('sms', last, T0)).toEqual({
        applies: false,
        open: true,
        expiresAt: null,
        remainingMs: Infinity,
      });
    }
  });

  it('SN3: with no incoming WhatsApp message yet, the window is closed and has no expiry', () => {
    expect(careWindow('whatsapp', undefined, T0)).toEqual({
      applies: true,
      open: false,
      expiresAt: null,
      remainingMs: 0,
    });
  });

  it('SN3: the window opens at an incoming message and counts down', () => {
    expect(careWindow('whatsapp', T0, T0)).toEqual({
      applies: true,
      open: true,
      expiresAt: T0 + CARE_WINDOW_MS,
      remainingMs: CARE_WINDOW_MS,
    });
    expect(careWindow('whatsapp', T0, T0 + 20 * HOUR)).toMatchObject({
      open: true,
      remainingMs: 4 * HOUR,
    });
  });

  it('SN3: the window is open 1 ms before 24 hours and closed at exactly 24 hours', () => {
    expect(careWindow('whatsapp', T0, T0 + CARE_WINDOW_MS - 1)).toMatchObject({
      open: true,
      remainingMs: 1,
    });
    expect(careWindow('whatsapp', T0, T0 + CARE_WINDOW_MS)).toEqual({
      applies: true,
      open: false,
      expiresAt: T0 + CARE_WINDOW_MS,
      remainingMs: 0,
    });
    expect(careWindow('whatsapp', T0, T0 + 3 * CARE_WINDOW_MS)).toMatchObject({
      open: false,
      expiresAt: T0 + CARE_WINDOW_MS, // when it closed, for the UI
      remainingMs: 0,
    });
  });

  it('SN3: a later incoming message restarts the window', () => {
    const now = T0 + 30 * HOUR;
    expect(careWindow('whatsapp', T0, now).open).toBe(false);
    const restarted = careWindow('whatsapp', T0 + 25 * HOUR, now);
    expect(restarted).toMatchObject({
      open: true,
      expiresAt: T0 + 49 * HOUR,
      remainingMs: 19 * HOUR,
    });
  });

  it('SN3: an invalid time or an unknown channel is refused with invalid_input', () => {
    expectInvalid(() => careWindow('whatsapp', T0, Number.NaN));
    expectInvalid(() => careWindow('sms', undefined, Number.NaN));
    expectInvalid(() => careWindow('whatsapp', Number.POSITIVE_INFINITY, T0));
    expectInvalid(() => careWindow('whatsapp', Number.NaN, T0));
    expectInvalid(() => careWindow('telegram' as Channel, T0, T0));
  });
});
