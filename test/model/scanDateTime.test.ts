// Differential test: parseDateTime, which scans the common forms without its regex, against the
// regex-and-Date version it replaced (kept here verbatim as the reference).
import fc from 'fast-check';
import { scanDateTime } from '../../shared/model/scanDateTime';
import { parseDateTime, wallClockToInstant, type ParsedDateTime } from '../../shared/model/time';

const LOCAL_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function referenceParse(text: string, timeZone?: string | null): ParsedDateTime | null {
  const m = LOCAL_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', off] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = Number((frac + '000').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wallUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(wallUtc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  const localDate = `${y}-${mo}-${d}`;
  if (off) {
    if (off === 'Z' || off === 'z') return { epochMs: wallUtc, hadOffset: true, localDate };
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    if (offMin > 18 * 60) return null;
    return { epochMs: wallUtc - sign * offMin * 60000, hadOffset: true, localDate };
  }
  if (!timeZone) return { epochMs: NaN, hadOffset: false, localDate };
  return { epochMs: wallClockToInstant(wallUtc, timeZone), hadOffset: false, localDate };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const twoDigits = fc.oneof(fc.integer({ min: 0, max: 99 }).map((n) => pad(n, 2)), fc.constantFrom('0', '123', 'x1', '٣٣'));
const dateTimeLike = fc
  .record({
    lead: fc.constantFrom('', '', '', ' ', '\t', '\u00a0'),
    year: fc.oneof(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 99, 100, 1900, 2000, 2024)).map((y) => pad(y, 4)),
    month: fc.oneof(fc.integer({ min: 0, max: 13 }).map((n) => pad(n, 2)), twoDigits),
    day: fc.oneof(fc.integer({ min: 0, max: 32 }).map((n) => pad(n, 2)), fc.constantFrom('28', '29', '30', '31'), twoDigits),
    sep: fc.constantFrom('T', 'T', ' ', 't', '', '  ', 'TT'),
    hour: fc.oneof(fc.integer({ min: 0, max: 24 }).map((n) => pad(n, 2)), twoDigits),
    minute: fc.oneof(fc.integer({ min: 0, max: 60 }).map((n) => pad(n, 2)), twoDigits),
    second: fc.option(fc.oneof(fc.integer({ min: 0, max: 60 }).map((n) => pad(n, 2)), twoDigits)),
    fracMark: fc.constantFrom('.', ',', ':', ''),
    frac: fc.option(fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 11 })),
    space: fc.constantFrom('', '', '', ' '),
    offset: fc.oneof(
      fc.constantFrom('', 'Z', 'z', '+00:00', '-00:00', '+0000', '+05:30', '-05:00', '+18:00', '+18:01', '+19', '-1200', '+05:', '+5:00', '+05:99', '+0530', 'ZZ', 'UTC'),
      fc.tuple(fc.constantFrom('+', '-'), twoDigits, fc.constantFrom('', ':'), fc.option(twoDigits)).map(([s, h, c, m]) => `${s}${h}${m === null ? '' : c + m}`),
    ),
    trail: fc.constantFrom('', '', '', ' ', '\n', 'x'),
  })
  .map((r) => {
    const time = r.sep === '' ? '' : `${r.sep}${r.hour}:${r.minute}${r.second === null ? '' : `:${r.second}${r.frac === null ? '' : r.fracMark + r.frac}`}`;
    return `${r.lead}${r.year}-${r.month}-${r.day}${time}${r.space}${r.offset}${r.trail}`;
  });
const anyText = fc.oneof(
  dateTimeLike,
  dateTimeLike.map((t) => t.slice(0, Math.max(0, t.length - 3))),
  fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', ':', 'T', '+', 'Z', '.', ' '), maxLength: 32 }),
  fc.string(),
);
const zone = fc.constantFrom(undefined, null, '', 'UTC', 'America/New_York', 'Asia/Kolkata');

describe('parseDateTime fast path', () => {
  it('reads every text exactly as the regex-and-Date version did', () => {
    fc.assert(
      fc.property(anyText, zone, (text, tz) => {
        expect(parseDateTime(text, tz)).toEqual(referenceParse(text, tz));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the forms vendors send without the regex', () => {
    for (const text of [
      '2026-11-01T20:44:18+00:00',
      '2026-11-01T19:06:00.470+0000',
      '2026-11-01T20:44:19.697000Z',
      '2026-11-01T15:44:18-05:00',
      '2026-11-01 20:44:18',
      '2026-11-01T20:44',
      '2026-11-01',
    ]) {
      expect(scanDateTime(text)).toBeDefined();
      expect(parseDateTime(text, 'America/New_York')).toEqual(referenceParse(text, 'America/New_York'));
    }
    expect(scanDateTime(' 2026-11-01T20:44:18Z')).toBeUndefined();
    expect(scanDateTime('2026-11-01T20:44:18 Z')).toBeUndefined();
  });

  it('keeps Date.UTC reading years 0-99 as 1900-1999, and checks leap days as Date does', () => {
    for (const text of ['2026-11-01T20:44:18.123456789Z', '2026-11-01T20:44:18.1234567890Z', '2026-11-01T20:44:18.Z', '2026-11-01T20:44:1Z', '2026-11-01T24:00:00Z', '2026-11-01T20:44:18+18:00', '2026-11-01T20:44:18-18:01', '0000-02-29T00:00:00Z', '0004-02-29T00:00:00Z', '0100-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '0099-12-31T23:59:59Z']) {
      expect(parseDateTime(text)).toEqual(referenceParse(text));
    }
  });
});
