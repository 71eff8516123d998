// shared/model/scanDateTime.ts: the fields of an ISO 8601 date-time as parseDateTime reads them, by
// looking at characters rather than running a regex, building a match array and converting its strings:
// every adapter reads one or two timestamps per transaction.

/** A calendar date and time of day, as numbers (month 1-12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What parseDateTime's grammar captures, as numbers. */
export interface DateTimeFields extends WallClock {
  /** The fraction's first three digits, zero-padded (".5" is 500, ".0509" 50). */
  ms: number;
  /** -1 or 1 when the text has an offset; 0 when it has none. Z is +00:00. */
  offsetSign: number;
  /** Hours times 60 plus the minutes as written (not checked against 59, as parseDateTime never did). */
  offsetMinutes: number;
}

const DASH = 45;
const COLON = 58;
const PLUS = 43;
const T = 84;
const SPACE = 32;
const DOT = 46;
const COMMA = 44;
const Z_UPPER = 90;
const Z_LOWER = 122;

/**
 * The fields of `text` when it is written in one of the forms POS systems send, with nothing around it:
 * `YYYY-MM-DD`, optionally `T` or a space and `HH:MM`, `:SS`, a fraction of 1 to 9 digits after `.` or
 * `,`, then optionally `Z`, `z`, `±HH`, `±HHMM` or `±HH:MM`. Undefined for anything else (spaces around
 * or before the offset, other digits, ...): the caller reads that with the full grammar. Ranges
 * (month 13, hour 24) are the caller's to check, as they are for the full grammar.
 */
export function scanDateTime(text: string): DateTimeFields | undefined {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let i = 10;
  const sep = i < n ? text.charCodeAt(i) : -1;
  if (sep === T || sep === SPACE) {
    if (n < 16 || text.charCodeAt(13) !== COLON) return undefined;
    hour = digits(text, 11, 2);
    minute = digits(text, 14, 2);
    if (hour < 0 || minute < 0) return undefined;
    i = 16;
    if (i < n && text.charCodeAt(i) === COLON) {
      second = n >= 19 ? digits(text, 17, 2) : -1;
      if (second < 0) return undefined;
      i = 19;
      const mark = i < n ? text.charCodeAt(i) : -1;
      if (mark === DOT || mark === COMMA) {
        const start = ++i;
        while (i < n && isDigit(text.charCodeAt(i))) {
          // Only the first three digits count: the rest is truncated, as Date keeps milliseconds.
          if (i - start < 3) ms = ms * 10 + (text.charCodeAt(i) - 48);
          i++;
        }
        const count = i - start;
        if (count < 1 || count > 9) return undefined;
        for (let pad = count; pad < 3; pad++) ms *= 10;
      }
    }
  }
  let offsetSign = 0;
  let offsetMinutes = 0;
  if (i < n) {
    const mark = text.charCodeAt(i);
    if (mark === Z_UPPER || mark === Z_LOWER) {
      if (i + 1 !== n) return undefined;
      offsetSign = 1;
    } else if (mark === PLUS || mark === DASH) {
      offsetSign = mark === DASH ? -1 : 1;
      const hours = i + 3 <= n ? digits(text, i + 1, 2) : -1;
      let minutes: number;
      if (i + 3 === n) minutes = 0;
      else if (i + 6 === n && text.charCodeAt(i + 3) === COLON) minutes = digits(text, i + 4, 2);
      else if (i + 5 === n) minutes = digits(text, i + 3, 2);
      else return undefined;
      if (hours < 0 || minutes < 0) return undefined;
      offsetMinutes = hours * 60 + minutes;
    } else {
      return undefined;
    }
  }
  return { year, month, day, hour, minute, second, ms, offsetSign, offsetMinutes };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number written by `length` ASCII digits at `start` (inside the text), or -1 when one is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}
