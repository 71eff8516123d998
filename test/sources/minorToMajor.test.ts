// minorToMajor against big.js's own division by the power of ten, on generated decimals.
import Big from 'big.js';
import fc from 'fast-check';
import { minorToMajor } from '../../shared/sources/fast/minorToMajor';

const decimal = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^\d{1,25}$/),
    fc.option(fc.stringMatching(/^\d{1,25}$/), { nil: undefined }),
    fc.integer({ min: -30, max: 30 }),
  )
  .map(([neg, int, frac, exp]) => new Big(`${neg ? '-' : ''}${int}${frac ? '.' + frac : ''}e${exp}`));

function same(a: Big, b: Big): void {
  expect({ s: a.s, e: a.e, c: a.c }).toEqual({ s: b.s, e: b.e, c: b.c });
  expect(a.toFixed()).toBe(b.toFixed());
}

describe('minorToMajor', () => {
  it('is div by 10^digits, digit for digit (incl. rounding beyond Big.DP, zero and -0)', () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 8 }), (v, digits) => {
        same(minorToMajor(v, digits), v.div(10 ** digits));
      }),
      { numRuns: 5000 },
    );
    for (const v of ['0', '-0', '1', '-1', '12345', '0.5', '1e-19', '123456789012345678901'])
      for (const d of [0, 2, 3, 7]) same(minorToMajor(new Big(v), d), new Big(v).div(10 ** d));
  });

  it('leaves its argument unchanged', () => {
    const v = new Big('1234');
    minorToMajor(v, 2);
    expect(v.toFixed()).toBe('1234');
  });
});
