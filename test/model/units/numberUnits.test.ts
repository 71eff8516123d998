// numberUnits against big.js: a JSON number read as the decimal big.js makes of it, in 10^-scale units,
// or UNSURE; it must answer for every number with at most `scale` places below 2^50 units.
import Big from 'big.js';
import fc from 'fast-check';
import { numberUnits } from '../../../shared/model/units/numberUnits';
import { UNSURE } from '../../../shared/model/units/safe';

const read = (v: number, scale: number): number | undefined => {
  try {
    return numberUnits(v, scale);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
};

describe('numberUnits', () => {
  it('is the decimal big.js reads a number as, in 10^-scale units, or UNSURE', () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: 0, max: 22 }), (v, scale) => {
        const n = read(v, scale);
        if (n === undefined) return;
        expect(new Big(`${n}e-${scale}`).eq(new Big(v))).toBe(true);
        expect(Object.is(n, -0)).toBe(false);
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers for every number with at most `scale` places below 2^50 units', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), (n, places, extra) => {
        const scale = Math.min(places + extra, 8);
        const v = n / 10 ** places;
        const expected = new Big(v).times(10 ** scale);
        if (expected.abs().gte(2 ** 50)) return;
        expect(read(v, scale)).toBe(expected.toNumber() + 0);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads register values and declines the rest', () => {
    expect([8.69565, -0.00001, 1e-5, -0].map((v) => numberUnits(v, 5))).toEqual([869565, -1, 1, 0]);
    expect(numberUnits(2.675, 4)).toBe(26750);
    for (const v of [0.000001, 1e15, 0.1 + 0.2, NaN, Infinity, -Infinity]) expect(read(v, 5)).toBeUndefined();
    // Whole numbers up to the safe integers: no scaling error to fear.
    expect(read(2 ** 53 - 1, 0)).toBe(2 ** 53 - 1);
    expect(read(-(2 ** 51), 1)).toBeUndefined();
    expect(read(2 ** 53, 0)).toBeUndefined();
    expect(read(2 ** 49 + 0.5, 1)).toBeUndefined(); // past 2^50 units with a fraction
  });
});
