// The dates rule reads instants and business days by arithmetic instead of Date.parse and Date.UTC; each
// must give exactly what Date gives, on valid instants of every year and on near misses that Date
// rejects or reads its own way (out-of-range fields, 24:00, leap seconds, other formats).
import fc from 'fast-check';
import { daysFromCivil, utcInstantMs } from '../../shared/quality/utcInstantMs';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** Instant text from fields in and beyond their ranges (month 0-13, day 0-32, hour 0-25, ...). */
const arbFields = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([y, mo, d, h, mi, s, ms]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`);
const arbValid = fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());
/** A valid instant with one character replaced, inserted or removed. */
const arbNearMiss = fc.tuple(arbValid, fc.nat(25), fc.constantFrom('0', '9', '-', ':', '.', 'Z', 'T', ' ', '+', 'x', '')).map(
  ([s, i, c]) => s.slice(0, i) + c + s.slice(i + (i % 2)),
);

describe('utcInstantMs', () => {
  it('is Date.parse on instants, near misses and other text', () => {
    fc.assert(
      fc.property(fc.oneof(arbValid, arbFields, arbNearMiss, fc.string()), (text) => {
        expect(utcInstantMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 20_000 },
    );
    for (const text of ['2026-02-29T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '1900-02-29T00:00:00.000Z', '2000-02-29T12:00:00.000Z', '2026-11-30T24:00:00.000Z', '2026-12-31T23:59:60.000Z', '0000-01-01T00:00:00.000Z', '0099-12-31T00:00:00.000Z', '2026-11-30T15:04:05.000+01:00']) {
      expect([text, utcInstantMs(text)]).toEqual([text, Date.parse(text)]);
    }
    for (const v of [undefined, null, 123, 2026]) expect(utcInstantMs(v)).toBe(Date.parse(v as unknown as string));
  });

  it('counts days as Date.UTC does from the year 100 on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
      }),
      { numRuns: 20_000 },
    );
  });
});
