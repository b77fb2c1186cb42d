import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening, validateBusinessHours } from '../../src/rules/business-hours.js';
import type { BusinessHours } from '../../src/types.js';
import { expectDeskError } from '../support/errors.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);
const MINUTE = 60_000;

const weekdays = (timeZone: string, start = '09:00', end = '17:00'): BusinessHours => ({
  timeZone,
  weekly: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => [d, [[start, end]]]),
  ),
});

describe('isOpen', () => {
  it('SN6: no business hours means always open', () => {
    expect(isOpen(undefined, utc(2025, 3, 9, 3))).toBe(true);
    expect(nextOpening(undefined, 1234)).toBe(1234);
  });

  it('SN6: opens at the start and closes at the end (end exclusive), in local time', () => {
    const ny = weekdays('America/New_York');
    // Monday 3 March 2025, EST (UTC-5).
    expect(isOpen(ny, utc(2025, 3, 3, 13, 59, 59, 999))).toBe(false);
    expect(isOpen(ny, utc(2025, 3, 3, 14, 0))).toBe(true);
    expect(isOpen(ny, utc(2025, 3, 3, 21, 59, 59, 999))).toBe(true);
    expect(isOpen(ny, utc(2025, 3, 3, 22, 0))).toBe(false);
  });

  it('SN6: after the March switch New York is UTC-4, so 13:30 UTC is 09:30 and open', () => {
    const ny = weekdays('America/New_York');
    expect(isOpen(ny, utc(2025, 3, 3, 13, 30))).toBe(false); // 08:30 EST
    expect(isOpen(ny, utc(2025, 3, 10, 13, 30))).toBe(true); // 09:30 EDT
    expect(isOpen(ny, utc(2025, 3, 10, 21, 30))).toBe(false); // 17:30 EDT
  });

  it('SN6: the weekday is the local one, not the UTC one (Asia/Kolkata, UTC+05:30)', () => {
    const hours: BusinessHours = {
      timeZone: 'Asia/Kolkata',
      weekly: { mon: [['00:00', '02:00']] },
    };
    // Sunday 1 June 2025 20:00 UTC is Monday 01:30 in Kolkata.
    expect(isOpen(hours, utc(2025, 6, 1, 20, 0))).toBe(true);
    expect(isOpen(hours, utc(2025, 6, 1, 20, 30))).toBe(false); // Monday 02:00
    expect(isOpen(hours, utc(2025, 6, 2, 1, 0))).toBe(false); // Monday 06:30
  });

  it("SN6: '24:00' closes at local midnight", () => {
    const hours: BusinessHours = {
      timeZone: 'Europe/Berlin',
      weekly: { sat: [['20:00', '24:00']] },
    };
    // Saturday 14 June 2025, CEST (UTC+2): 23:59:59.999 local is 21:59:59.999 UTC.
    expect(isOpen(hours, utc(2025, 6, 14, 21, 59, 59, 999))).toBe(true);
    expect(isOpen(hours, utc(2025, 6, 14, 22, 0))).toBe(false);
  });

  it('SN6: an empty schedule is never open', () => {
    expect(isOpen({ timeZone: 'UTC', weekly: {} }, utc(2025, 1, 1, 12))).toBe(false);
  });
});

describe('nextOpening', () => {
  it('SN6: returns the time itself when open now', () => {
    const at = utc(2025, 3, 3, 15, 17, 3, 42);
    expect(nextOpening(weekdays('America/New_York'), at)).toBe(at);
  });

  it('SN6: Friday evening before the March switch reopens Monday 09:00 EDT (13:00 UTC)', () => {
    const ny = weekdays('America/New_York');
    expect(nextOpening(ny, utc(2025, 3, 7, 23, 0))).toBe(utc(2025, 3, 10, 13, 0));
  });

  it('SN6: Friday evening before the November switch reopens Monday 09:00 EST (14:00 UTC)', () => {
    const ny = weekdays('America/New_York');
    expect(nextOpening(ny, utc(2025, 10, 31, 22, 0))).toBe(utc(2025, 11, 3, 14, 0));
  });

  it('SN6: an interval starting in the skipped March hour opens at 03:00 EDT', () => {
    const hours: BusinessHours = {
      timeZone: 'America/New_York',
      weekly: { sun: [['02:30', '05:00']] },
    };
    // Sunday 9 March 2025: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    expect(nextOpening(hours, utc(2025, 3, 9, 5, 0))).toBe(utc(2025, 3, 9, 7, 0));
    expect(isOpen(hours, utc(2025, 3, 9, 6, 59, 59, 999))).toBe(false);
    expect(isOpen(hours, utc(2025, 3, 9, 7, 0))).toBe(true);
  });

  it('SN6: an interval wholly inside the skipped hour opens the following week', () => {
    const hours: BusinessHours = {
      timeZone: 'America/New_York',
      weekly: { sun: [['02:10', '02:50']] },
    };
    expect(nextOpening(hours, utc(2025, 3, 9, 5, 0))).toBe(utc(2025, 3, 16, 6, 10)); // 02:10 EDT
  });

  it('SN6: an interval in the repeated November hour opens at its first occurrence, and again at the second', () => {
    const hours: BusinessHours = {
      timeZone: 'America/New_York',
      weekly: { sun: [['01:00', '01:30']] },
    };
    // Sunday 2 November 2025: 02:00 EDT falls back to 01:00 EST (06:00 UTC).
    expect(nextOpening(hours, utc(2025, 11, 2, 4, 0))).toBe(utc(2025, 11, 2, 5, 0)); // 01:00 EDT
    expect(nextOpening(hours, utc(2025, 11, 2, 5, 45))).toBe(utc(2025, 11, 2, 6, 0)); // 01:00 EST
    expect(isOpen(hours, utc(2025, 11, 2, 6, 29))).toBe(true);
    expect(isOpen(hours, utc(2025, 11, 2, 6, 30))).toBe(false);
  });

  it('SN6: falling back can reopen an interval at the switch itself', () => {
    const hours: BusinessHours = {
      timeZone: 'America/New_York',
      weekly: { sun: [['00:00', '01:30']] },
    };
    // 05:40 UTC is 01:40 EDT (closed); at 06:00 UTC the clock shows 01:00 EST again.
    expect(isOpen(hours, utc(2025, 11, 2, 5, 40))).toBe(false);
    expect(nextOpening(hours, utc(2025, 11, 2, 5, 40))).toBe(utc(2025, 11, 2, 6, 0));
  });

  it('SN6: Asia/Kolkata (UTC+05:30) opens Monday 09:00 IST, 03:30 UTC', () => {
    const kolkata = weekdays('Asia/Kolkata', '09:00', '18:00');
    expect(nextOpening(kolkata, utc(2025, 6, 1, 12, 0))).toBe(utc(2025, 6, 2, 3, 30));
    expect(isOpen(kolkata, utc(2025, 6, 2, 3, 29))).toBe(false);
    expect(isOpen(kolkata, utc(2025, 6, 2, 3, 30))).toBe(true);
  });

  it('SN6: Europe/Berlin reopens at 09:00 local across both switches', () => {
    const berlin = weekdays('Europe/Berlin');
    // 30 March 2025: CET (UTC+1) → CEST (UTC+2).
    expect(nextOpening(berlin, utc(2025, 3, 28, 17, 0))).toBe(utc(2025, 3, 31, 7, 0));
    // 26 October 2025: CEST → CET.
    expect(nextOpening(berlin, utc(2025, 10, 24, 16, 0))).toBe(utc(2025, 10, 27, 8, 0));
  });

  it('SN6: a lunch break reopens the same afternoon; unsorted intervals are fine', () => {
    const hours: BusinessHours = {
      timeZone: 'UTC',
      weekly: {
        mon: [
          ['13:00', '17:00'],
          ['09:00', '12:00'],
        ],
      },
    };
    expect(nextOpening(hours, utc(2025, 6, 2, 12, 30))).toBe(utc(2025, 6, 2, 13, 0));
    expect(nextOpening(hours, utc(2025, 6, 2, 8, 0))).toBe(utc(2025, 6, 2, 9, 0));
  });

  it('SN6: hours open one day a week come back seven days later', () => {
    const hours: BusinessHours = {
      timeZone: 'Europe/Berlin',
      weekly: { mon: [['09:00', '10:00']] },
    };
    expect(nextOpening(hours, utc(2025, 6, 2, 8, 0))).toBe(utc(2025, 6, 9, 7, 0)); // 10:00 CEST Monday
  });

  it('SN6: intervals that meet at midnight stay open across it', () => {
    const hours: BusinessHours = {
      timeZone: 'UTC',
      weekly: { fri: [['22:00', '24:00']], sat: [['00:00', '02:00']] },
    };
    expect(isOpen(hours, utc(2025, 6, 7, 0, 0))).toBe(true); // Saturday 00:00
    expect(nextOpening(hours, utc(2025, 6, 7, 0, 0))).toBe(utc(2025, 6, 7, 0, 0));
  });

  it('SN6: a schedule without any interval never opens (null)', () => {
    expect(nextOpening({ timeZone: 'UTC', weekly: {} }, utc(2025, 1, 1))).toBeNull();
    expect(nextOpening({ timeZone: 'UTC', weekly: { mon: [] } }, utc(2025, 1, 1))).toBeNull();
  });

  it('SN6: the next opening is always an opening edge, with nothing open before it', () => {
    const ny: BusinessHours = {
      timeZone: 'America/New_York',
      weekly: {
        mon: [
          ['09:00', '12:00'],
          ['13:00', '17:30'],
        ],
        wed: [['07:45', '24:00']],
        sun: [['01:15', '02:45']],
      },
    };
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const yearStart = utc(2025, 1, 1);
    for (let i = 0; i < 25; i++) {
      const at = yearStart + Math.floor(random() * 365 * 24 * 60) * MINUTE;
      const next = nextOpening(ny, at)!;
      expect(isOpen(ny, next), new Date(at).toISOString()).toBe(true);
      if (next !== at) {
        expect(isOpen(ny, next - 1)).toBe(false);
        for (let t = at; t < next; t += 7 * MINUTE) expect(isOpen(ny, t)).toBe(false);
      }
    }
  });

  it('SN6: a time that is not a number is refused with invalid_input', () => {
    expectDeskError(() => nextOpening(weekdays('UTC'), Number.NaN), 'invalid_input');
    expectDeskError(() => isOpen(weekdays('UTC'), Number.POSITIVE_INFINITY), 'invalid_input');
  });
});

describe('validateBusinessHours', () => {
  it('SN6: a well-formed schedule passes, with 24:00 allowed as an end', () => {
    expect(() => validateBusinessHours(weekdays('America/New_York'))).not.toThrow();
    expect(() =>
      validateBusinessHours({ timeZone: 'Asia/Kolkata', weekly: { sun: [['00:00', '24:00']] } }),
    ).not.toThrow();
    expect(() => validateBusinessHours({ timeZone: 'UTC', weekly: {} })).not.toThrow();
  });

  it('SN6: an unknown or missing time zone is refused with invalid_input', () => {
    for (const timeZone of ['Mars/Olympus_Mons', '', 'New York', undefined]) {
      const error = expectDeskError(
        () => validateBusinessHours({ timeZone: timeZone as string, weekly: {} }),
        'invalid_input',
      );
      expect(error.details).toMatchObject({ timeZone });
    }
  });

  it("SN6: a malformed 'HH:MM' is refused with invalid_input", () => {
    const bad: Array<[string, string]> = [
      ['9:00', '17:00'],
      ['09:00', '17:0'],
      ['09:60', '17:00'],
      ['25:00', '26:00'],
      ['09:00', '24:01'],
      ['24:00', '24:00'],
      ['09h00', '17:00'],
      [' 09:00', '17:00'],
    ];
    for (const interval of bad) {
      expectDeskError(
        () => validateBusinessHours({ timeZone: 'UTC', weekly: { mon: [interval] } }),
        'invalid_input',
      );
    }
  });

  it('SN6: an interval whose start is not before its end is refused with invalid_input', () => {
    for (const interval of [
      ['17:00', '09:00'],
      ['09:00', '09:00'],
    ] as Array<[string, string]>) {
      const error = expectDeskError(
        () => validateBusinessHours({ timeZone: 'UTC', weekly: { tue: [interval] } }),
        'invalid_input',
      );
      expect(error.details).toMatchObject({ day: 'tue', interval });
    }
  });

  it('SN6: an unknown weekday or a malformed interval is refused with invalid_input', () => {
    const cases = [
      { monday: [['09:00', '17:00']] },
      { mon: [['09:00', '12:00', '17:00']] },
      { mon: [['09:00']] },
      { mon: ['09:00-17:00'] },
      { mon: null },
    ];
    for (const weekly of cases) {
      expectDeskError(
        () => validateBusinessHours({ timeZone: 'UTC', weekly } as unknown as BusinessHours),
        'invalid_input',
      );
    }
    expectDeskError(() => validateBusinessHours(null as unknown as BusinessHours), 'invalid_input');
  });

  it('SN6: isOpen and nextOpening refuse malformed hours too', () => {
    const bad = { timeZone: 'UTC', weekly: { mon: [['10:00', '09:00']] } } as BusinessHours;
    expectDeskError(() => isOpen(bad, 0), 'invalid_input');
    expectDeskError(() => nextOpening(bad, 0), 'invalid_input');
  });

  it('SN6: one Intl.DateTimeFormat is created per time zone, then reused', () => {
    const Original = Intl.DateTimeFormat;
    const zones: Array<string | undefined> = [];
    class Counting extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        zones.push(args[1]?.timeZone);
      }
    }
    Intl.DateTimeFormat = Counting as typeof Original;
    try {
      const hours = weekdays('Pacific/Auckland');
      for (let i = 0; i < 20; i++) {
        expect(isOpen(hours, utc(2025, 6, 2, i))).toBe(isOpen(hours, utc(2025, 6, 2, i)));
        nextOpening(hours, utc(2025, 6, 7, i));
      }
    } finally {
      Intl.DateTimeFormat = Original;
    }
    expect(zones.filter((z) => z === 'Pacific/Auckland')).toHaveLength(1);
  });
});
