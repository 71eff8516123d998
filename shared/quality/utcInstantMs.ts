// shared/quality/utcInstantMs.ts: the dates rule reads every transaction's instant; Date.parse costs a
// few hundred nanoseconds a call, several times the arithmetic below. Canonical instants are all of one
// fixed format, so their fields are read by position and the day counted directly; anything else (other
// text, out-of-range fields, which Date.parse may reject or read its own way) still goes to Date.parse.
// test/quality/utcInstantMs.test.ts compares both with Date on generated text.
import { isUtcInstantText } from './textFormats';

const DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!;
}

/**
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1-12), as `Date.UTC(y, m - 1, d) / DAY`
 * gives it for years from 100 on (Date.UTC maps years 0-99 to 1900-1999; this does not). Counted in
 * 400-year eras from March 1st, so leap days fall at the end of a year (H. Hinnant's days_from_civil).
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Two digits at i as a number (the caller has checked they are digits). */
const two = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

/** `Date.parse(text)`: epoch ms, NaN for what Date does not read. */
export function utcInstantMs(text: unknown): number {
  if (typeof text === 'string' && isUtcInstantText(text)) {
    const y = two(text, 0) * 100 + two(text, 2);
    const m = two(text, 5);
    const d = two(text, 8);
    const h = two(text, 11);
    const min = two(text, 14);
    const s = two(text, 17);
    // A real calendar date and time of day (no 24:00, no leap second): then Date reads exactly these fields.
    if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && h <= 23 && min <= 59 && s <= 59) {
      const ms = two(text, 20) * 10 + text.charCodeAt(22) - 48;
      return daysFromCivil(y, m, d) * DAY + ((h * 60 + min) * 60 + s) * 1000 + ms;
    }
  }
  return Date.parse(text as string);
}
