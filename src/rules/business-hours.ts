/**
 * SN6: the account's business hours, a weekly schedule of local "HH:MM" intervals (end exclusive)
 * in an IANA time zone. Local wall time comes from Intl, so DST switches are handled by the
 * platform's time zone data, not by fixed offsets.
 */
import { DeskError } from '../errors.js';
import type { BusinessHours, Weekday } from '../types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** In `Date#getUTCDay` order. */
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Per weekday (0 = Sunday), intervals as [start, end) in milliseconds since local midnight. */
interface Schedule {
  format: Intl.DateTimeFormat;
  days: Array<Array<[number, number]>>;
  empty: boolean;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new DeskError('invalid_input', message, { details });

// Creating an Intl.DateTimeFormat is costly; one per time zone is kept for the page's lifetime.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: unknown): Intl.DateTimeFormat {
  // An absent time zone would silently mean the host's own zone.
  if (typeof timeZone !== 'string' || timeZone === '') {
    throw invalid('Business hours need a time zone.', { timeZone });
  }
  let format = formats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw invalid(`Unknown time zone "${timeZone}".`, { timeZone });
    }
    formats.set(timeZone, format);
  }
  return format;
}

const mod = (n: number, m: number) => ((n % m) + m) % m;

/** The local wall-clock time at `at`, written as if it were a UTC timestamp. */
function wallTime(format: Intl.DateTimeFormat, at: number): number {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const { type, value } of format.formatToParts(at)) p[type] = Number(value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + mod(at, 1000);
}

const offsetAt = (format: Intl.DateTimeFormat, at: number) => wallTime(format, at) - at;

/** "HH:MM" to minutes; "24:00" only as an end. */
function parseTime(value: unknown, isEnd: boolean): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (isEnd && value === '24:00') return 24 * 60;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function parse(hours: BusinessHours): Schedule {
  if (typeof hours !== 'object' || hours === null) throw invalid('Business hours are missing.');
  const format = formatFor(hours.timeZone);
  const weekly: unknown = hours.weekly;
  if (typeof weekly !== 'object' || weekly === null) {
    throw invalid('Business hours need a weekly schedule.');
  }
  const days: Schedule['days'] = WEEKDAYS.map(() => []);
  let empty = true;
  for (const [day, intervals] of Object.entries(weekly)) {
    const index = WEEKDAYS.indexOf(day as Weekday);
    if (index < 0) throw invalid(`Unknown weekday "${day}" in business hours.`, { day });
    if (intervals === undefined) continue;
    if (!Array.isArray(intervals))
      throw invalid(`Business hours for ${day} must be a list.`, { day });
    for (const interval of intervals as unknown[]) {
      const [start, end] = Array.isArray(interval) ? interval : [];
      const a = parseTime(start, false);
      const b = parseTime(end, true);
      if (a === undefined || b === undefined || !Array.isArray(interval) || interval.length !== 2) {
        throw invalid(`Business hours for ${day} must be "HH:MM" pairs.`, { day, interval });
      }
      if (a >= b) {
        throw invalid(`Business hours for ${day}: ${start} is not before ${end}.`, {
          day,
          interval,
        });
      }
      days[index]!.push([a * MINUTE, b * MINUTE]);
      empty = false;
    }
  }
  return { format, days, empty };
}

function openAt(schedule: Schedule, at: number): boolean {
  const wall = wallTime(schedule.format, at);
  const ms = mod(wall, DAY);
  const intervals = schedule.days[new Date(wall).getUTCDay()]!;
  return intervals.some(([start, end]) => ms >= start && ms < end);
}

function assertTime(at: number): void {
  if (!Number.isFinite(at)) throw invalid('A valid time is needed.', { at });
}

/** SN6: throws `invalid_input` for an unknown time zone, a malformed "HH:MM", or start >= end. */
export function validateBusinessHours(hours: BusinessHours): void {
  parse(hours);
}

/** SN6: whether the business is open at `at`. No business hours means always open. */
export function isOpen(hours: BusinessHours | undefined, at: number): boolean {
  assertTime(at);
  return hours === undefined || openAt(parse(hours), at);
}

/**
 * SN6: `at` when open now, else the next instant the hours open; null when the schedule has no
 * interval at all. Openings are looked for where they can happen: at each interval start (both
 * occurrences of a repeated wall time) and at a DST switch (a start skipped by the switch opens
 * there, and falling back can reopen an interval), each confirmed with the same test as isOpen.
 */
export function nextOpening(hours: BusinessHours | undefined, at: number): number | null {
  assertTime(at);
  if (hours === undefined) return at;
  const schedule = parse(hours);
  if (schedule.empty) return null;
  const { format } = schedule;
  if (openAt(schedule, at)) return at;

  const today = Math.floor(wallTime(format, at) / DAY) * DAY;
  let best: number | null = null;
  let bestDay = 0;
  const consider = (t: number, day: number) => {
    if (t > at && (best === null || t < best) && openAt(schedule, t)) {
      if (best === null) bestDay = day;
      best = t;
    }
  };
  // A week normally suffices; a year bounds schedules whose only intervals fall in DST gaps.
  for (let day = 0; day <= 373 && (best === null || day <= bestDay + 1); day++) {
    const date = today + day * DAY;
    // Every UTC offset lies within -12h..+14h, so this range covers the whole local day.
    const lo = date - 16 * HOUR;
    const hi = date + 40 * HOUR;
    const offsets = new Set([offsetAt(format, lo), offsetAt(format, hi)]);
    for (const [start] of schedule.days[new Date(date).getUTCDay()]!) {
      const wall = date + start;
      for (const offset of offsets) {
        const t = wall - offset;
        if (offsetAt(format, t) === offset) consider(t, day); // t really shows that wall time
      }
    }
    if (offsets.size > 1) {
      // Binary search for the first instant of the new offset: the DST switch.
      const before = offsetAt(format, lo);
      let a = lo;
      let b = hi;
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (offsetAt(format, mid) === before) a = mid;
        else b = mid;
      }
      consider(b, day);
    }
  }
  return best;
}
