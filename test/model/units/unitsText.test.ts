// unitsText against big.js: the text toDecimalString writes for n·10^-scale at the value's own places
// (at least minDecimals), for every safe integer and the scales the adapters use (up to 30 for a product).
import Big from 'big.js';
import fc from 'fast-check';
import { decimalPlaces, toDecimalString } from '../../../shared/model/money';
import { unitsText } from '../../../shared/model/units/unitsText';

const expected = (n: number, scale: number, minDecimals: number) => {
  // Read from its exponent form: exact, where a division would round at Big.DP places.
  const value = new Big(`${n}e-${scale}`);
  return toDecimalString(value, Math.max(minDecimals, decimalPlaces(value)));
};

/** Values beside multiples of 10^5 far from zero, where the whole part's division is closest to wrong. */
const nearMultiple = fc
  .tuple(fc.integer({ min: 2 ** 30, max: 90_071_992_546 }), fc.integer({ min: -3, max: 3 }), fc.boolean())
  .map(([k, m, negative]) => (negative ? -1 : 1) * (k * 100_000 + m));

describe('unitsText', () => {
  it('writes what toDecimalString writes for the same decimal, at every scale', () => {
    const n = fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -2_000_000, max: 2_000_000 }), nearMultiple, fc.constantFrom(0, -0, 1, -1, 2 ** 53 - 1));
    fc.assert(
      fc.property(n, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (units, scale, min) => {
        const minDecimals = Math.min(min, scale);
        expect(unitsText(units, scale, minDecimals)).toBe(expected(units, scale, minDecimals));
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes register units (10^-5) beside multiples of 10^5 exactly', () => {
    fc.assert(
      fc.property(nearMultiple, fc.integer({ min: 0, max: 5 }), (units, minDecimals) => {
        expect(unitsText(units, 5, minDecimals)).toBe(expected(units, 5, minDecimals));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps the value places, pads to minDecimals, and writes zeros without a sign', () => {
    expect(unitsText(1250, 3, 0)).toBe('1.25');
    expect(unitsText(450, 2, 2)).toBe('4.50');
    expect(unitsText(5, 3, 2)).toBe('0.005');
    expect(unitsText(7, 0, 0)).toBe('7');
    expect(unitsText(-125000, 5, 0)).toBe('-1.25');
    expect(unitsText(-0, 2, 2)).toBe('0.00');
    expect(unitsText(12, 20, 2)).toBe('0.00000000000000000012');
  });
});
