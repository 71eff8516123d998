// Differential tests: toUtcInstant and isValidDate against the Date-based versions they replace.
import fc from 'fast-check';
import { dateInZone, isValidDate, toUtcInstant, zoneOffsetMs } from '../../shared/model/time';

const RUNS = { numRuns: 2000 };
const MAX = 8.64e15;
const DAY = 86_400_000;

/** dateInZone as it was: a Date shifted by the zone's offset, or toISOString without a zone. */
function referenceDateInZone(epochMs: number, timeZone?: string | null): string {
  if (!timeZone) return new Date(epochMs).toISOString().slice(0, 10);
  const wall = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return `${String(wall.getUTCFullYear()).padStart(4, '0')}-${String(wall.getUTCMonth() + 1).padStart(2, '0')}-${String(wall.getUTCDate()).padStart(2, '0')}`;
}

const outcome = (f: () => string | boolean) => {
  try {
    return { value: f() };
  } catch (err) {
    return { error: String(err) };
  }
};

describe('time fast paths against Date', () => {
  it('toUtcInstant writes what toISOString writes, and throws what it throws', () => {
    const instant = fc.oneof(
      fc.integer({ min: -MAX, max: MAX }),
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
      fc.integer({ min: -2 * DAY, max: 2 * DAY }),
      fc.constantFrom(MAX, -MAX, MAX + 1, -MAX - 1, 0, -0, -1, DAY - 1, DAY, NaN, Infinity, -Infinity, 1.5, -0.5, 1e300),
      fc.double(),
    );
    // Runs of instants on the same and neighbouring days exercise the remembered day.
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.integer({ min: -3 * DAY, max: 3 * DAY })), { minLength: 1, maxLength: 8 }), (pairs) => {
        const instants = pairs.flatMap(([t, delta]) => [t, t + delta, t + 1, t - 1]);
        expect(instants.map((ms) => outcome(() => toUtcInstant(ms)))).toEqual(
          instants.map((ms) => outcome(() => new Date(ms).toISOString())),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('isValidDate accepts exactly the dates the Date-based check accepted', () => {
    const reference = (text: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!m) return false;
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const dateLike = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
      fc.constantFrom('2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '0099-12-31', '0100-01-01', '2026-11-30\n', '٢٠٢٦-11-30', '2026/11/30', '+2026-11-30', '2026-1-30', ''),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', ' ', 'a'), maxLength: 12 }),
      fc.string(),
    );
    fc.assert(
      fc.property(dateLike, (text) => {
        expect(isValidDate(text)).toBe(reference(text));
      }),
      RUNS,
    );
  });

  it('dateInZone writes what the Date-based version wrote, and throws what it threw', () => {
    const FIRST = -62_167_219_200_000;
    const LAST = 253_402_300_800_000;
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
      fc.integer({ min: -MAX, max: MAX }),
      fc.integer({ min: -2 * DAY, max: 2 * DAY }),
      fc.integer({ min: -3 * DAY, max: 3 * DAY }).map((d) => FIRST + d),
      fc.integer({ min: -3 * DAY, max: 3 * DAY }).map((d) => LAST + d),
      fc.constantFrom(FIRST, FIRST - 1, LAST, LAST - 1, MAX, -MAX, MAX + 1, 0, -0, -1, 0.5, -0.5, DAY - 0.5, NaN, Infinity),
      fc.double(),
    );
    const zone = fc.constantFrom(undefined, null, '', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati', 'America/St_Johns', 'Nowhere/Else');
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.integer({ min: -2 * DAY, max: 2 * DAY })), { minLength: 1, maxLength: 6 }), zone, (pairs, tz) => {
        const instants = pairs.flatMap(([t, delta]) => [t, t + delta, t + 1, t - 1]);
        expect(instants.map((ms) => outcome(() => dateInZone(ms, tz)))).toEqual(
          instants.map((ms) => outcome(() => referenceDateInZone(ms, tz))),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
