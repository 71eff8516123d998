// shared/model/time.ts: explicit instants and business dates. The server's own zone is never used.
import { scanDateTime, type DateTimeFields, type WallClock } from './scanDateTime';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the IANA zone name is known to ICU. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset at an instant straight from ICU (formatToParts: slow, a few microseconds). */
function icuOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallClockAt(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Per zone: UTC hour bucket -> the zone's offset throughout that hour, or NaN when it changes in it. */
const offsetCache = new Map<string, Map<number, number>>();
/** Bound per zone (about a year of hours); a full map is dropped, not grown: memory stays flat. */
const MAX_BUCKETS_PER_ZONE = 10_000;

/**
 * Offset of `timeZone` from UTC at an instant, in milliseconds. Transactions cluster in time, so the
 * offset is cached per UTC hour: when the offset at the first and at the last millisecond of the hour
 * agree, it holds for the whole hour (zones change offset at most once in an hour; tzdb transitions
 * are weeks apart); an hour with a transition in it (a DST change, Lord Howe's 30-minute one) is
 * marked and every instant in it goes to ICU, so results are exactly ICU's.
 */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  // ICU's own errors (an unknown zone, an invalid time) come from the uncached path, as before.
  if (!Number.isFinite(epochMs)) return icuOffsetMs(epochMs, timeZone);
  const bucket = Math.floor(epochMs / HOUR);
  let zone = offsetCache.get(timeZone);
  let offset = zone?.get(bucket);
  if (offset === undefined) {
    const start = icuOffsetMs(bucket * HOUR, timeZone);
    const end = icuOffsetMs(bucket * HOUR + HOUR - 1, timeZone);
    offset = start === end ? start : NaN;
    if (!zone) {
      zone = new Map();
      offsetCache.set(timeZone, zone);
    }
    if (zone.size >= MAX_BUCKETS_PER_ZONE) zone.clear();
    zone.set(bucket, offset);
  }
  return Number.isNaN(offset) ? icuOffsetMs(epochMs, timeZone) : offset;
}

const LOCAL_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface ParsedDateTime {
  /** Epoch milliseconds, or NaN when the text has no offset and no zone was given. */
  epochMs: number;
  /** Whether the text carried its own offset (or Z). */
  hadOffset: boolean;
  /** The calendar date as written. */
  localDate: string;
}

/**
 * Reads an ISO 8601 / RFC 3339 date-time. With an offset it is an instant; without one it is a wall
 * clock time in `timeZone` (a store's zone from configuration). Fractions beyond milliseconds are
 * truncated. Returns null for text that is not a valid date-time (month 13, February 30, ...).
 */
export function parseDateTime(text: string, timeZone?: string | null): ParsedDateTime | null {
  // The forms vendors send are scanned character by character; anything else (spaces, a lone offset
  // sign, ...) is matched with the full grammar. Both give the same fields for any text both read, and
  // the scanner reads only text without spaces around it, which trim() would leave as it is.
  let fields = scanDateTime(text);
  let localDate: string;
  if (fields) {
    localDate = text.slice(0, 10);
  } else {
    const trimmed = text.trim();
    fields = matchDateTime(trimmed);
    if (!fields) return null;
    localDate = trimmed.slice(0, 10);
  }
  const { year, month, day, hour, minute, second, ms } = fields;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wallUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // A day past the month's end rolls over into the next month in Date: the same test, without a Date.
  // Date.UTC reads years 0-99 as 1900-1999, so those keep Date's own calendar.
  if (year >= 100 ? day > daysInMonth(year, month) : !isSameUtcDay(wallUtc, month, day)) return null;
  if (fields.offsetSign !== 0) {
    if (fields.offsetMinutes > 18 * 60) return null;
    return { epochMs: wallUtc - fields.offsetSign * fields.offsetMinutes * 60000, hadOffset: true, localDate };
  }
  if (!timeZone) return { epochMs: NaN, hadOffset: false, localDate };
  return { epochMs: wallClockToInstant(wallUtc, timeZone), hadOffset: false, localDate };
}

function isSameUtcDay(epochMs: number, month: number, day: number): boolean {
  const check = new Date(epochMs);
  return check.getUTCDate() === day && check.getUTCMonth() === month - 1;
}

/** The fields of a (trimmed) date-time by the full grammar, or undefined when it does not match. */
function matchDateTime(trimmed: string): DateTimeFields | undefined {
  const m = LOCAL_RE.exec(trimmed);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', off] = m;
  let offsetSign = 0;
  let offsetMinutes = 0;
  if (off === 'Z' || off === 'z') {
    offsetSign = 1;
  } else if (off) {
    offsetSign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  }
  return {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    ms: Number((frac + '000').slice(0, 3)),
    offsetSign,
    offsetMinutes,
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows `wallUtc` (wall time encoded as if UTC).
 * In a DST gap the later offset is used; in an overlap, the earlier instant (as most POS do).
 *
 * The candidates are the wall time at the offsets a day before and a day after it (tzdb transitions
 * are weeks apart, so these are the offsets either side of any transition near it). A candidate is
 * right when the zone shows the wall time at it. Guessing from the offset at `wallUtc` read as an
 * instant instead (as this did before) is off by hours from the real instant: it took the later
 * instant in eastern-hemisphere overlaps and mapped New York's 02:00-05:59 after the fall-back an
 * hour early.
 */
export function wallClockToInstant(wallUtc: number, timeZone: string): number {
  const before = wallUtc - zoneOffsetMs(wallUtc - DAY, timeZone);
  const after = wallUtc - zoneOffsetMs(wallUtc + DAY, timeZone);
  if (before === after) return before;
  const beforeShows = zoneOffsetMs(before, timeZone) === wallUtc - before;
  const afterShows = zoneOffsetMs(after, timeZone) === wallUtc - after;
  if (beforeShows && afterShows) return Math.min(before, after);
  if (beforeShows) return before;
  // Shown only at `after`, or in a gap (shown at neither): the offset after the transition.
  return after;
}

/** Date parts ("2026-11-30T") by UTC day number: a batch's records fall on a few days. */
const dayPrefixes = new Map<number, string>();
const MAX_DAY_PREFIXES = 4096;
const MAX_EPOCH_MS = 8.64e15;

/** ISO 8601 UTC with milliseconds and Z, as the canonical model stores instants. */
export function toUtcInstant(epochMs: number): string {
  // Date's toISOString (about a microsecond) for the date part once per day; the time of day is
  // plain arithmetic. Anything but an integer in Date's range goes to Date, for its text or its error.
  if (!Number.isInteger(epochMs) || Math.abs(epochMs) > MAX_EPOCH_MS) return new Date(epochMs).toISOString();
  const day = Math.floor(epochMs / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const midnight = new Date(day * DAY).toISOString();
    prefix = midnight.slice(0, midnight.length - '00:00:00.000Z'.length);
    if (dayPrefixes.size >= MAX_DAY_PREFIXES) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  // Milliseconds into the day: below 2^31, so integer arithmetic from here on.
  let rest = (epochMs - day * DAY) | 0;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  return `${prefix}${twoDigits(hour)}:${twoDigits(min)}:${twoDigits(sec)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** The calendar date at `epochMs` in `timeZone` (or UTC when no zone is known). */
export function dateInZone(epochMs: number, timeZone?: string | null): string {
  // The wall clock is the instant shifted by the zone's (cached) offset; offsets are whole seconds,
  // so this is the calendar date ICU shows.
  const wall = timeZone ? epochMs + zoneOffsetMs(epochMs, timeZone) : epochMs;
  // Whole milliseconds in years 0000-9999 (every real one) from the day's text, written once per day:
  // there toISOString and the padded fields below write the same. Anything else as it always was.
  if (Number.isInteger(wall) && wall >= FIRST_4_DIGIT_YEAR_MS && wall < FIRST_5_DIGIT_YEAR_MS) {
    return dayText(Math.floor(wall / DAY));
  }
  if (!timeZone) return new Date(epochMs).toISOString().slice(0, 10);
  const date = new Date(wall);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z. */
const FIRST_4_DIGIT_YEAR_MS = -62_167_219_200_000;
const FIRST_5_DIGIT_YEAR_MS = 253_402_300_800_000;
/** "YYYY-MM-DD" by UTC day number, as dayPrefixes: a batch's records fall on a few days. */
const dayTexts = new Map<number, string>();

function dayText(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10);
    if (dayTexts.size >= MAX_DAY_PREFIXES) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
}

/**
 * Validates a YYYY-MM-DD calendar date (no February 30). Years before 0100 are not valid: Date.UTC,
 * which this was first written with, reads them as 19xx, so they never matched.
 */
export function isValidDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DASH = 45;

/** The number written by `length` ASCII digits at `start`, or -1 when any of them is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
