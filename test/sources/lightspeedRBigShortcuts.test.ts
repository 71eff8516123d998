// The R-Series adapter's big.js shortcuts against the big.js operations they stand for.
import Big from 'big.js';
import fc from 'fast-check';
import { toMoneyString } from '../../shared/model/money';
import { absOf, isNegative, isPositive } from '../../shared/model/bigSigns';
import { plusOf } from '../../shared/sources/lightspeed-r/bigShortcuts';

// Decimals as R-Series writes them, with zeros of both signs among them.
const decimal = fc.oneof(
  fc.stringMatching(/^-?\d{1,6}(\.\d{1,9})?$/),
  fc.constantFrom('0', '-0', '0.000', '-0.0', '1', '-1'),
).map((s) => new Big(s));

describe('lightspeed-r big.js shortcuts', () => {
  it('answer as abs, gt(0), lt(0) and plus do (value, comparisons and money text)', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(absOf(a).eq(a.abs())).toBe(true);
        expect(absOf(a).s).toBe(a.abs().s);
        expect(isPositive(a)).toBe(a.gt(0));
        expect(isNegative(a)).toBe(a.lt(0));
        const sum = plusOf(a, b);
        expect(sum.eq(a.plus(b))).toBe(true);
        expect(toMoneyString(sum, 'USD')).toBe(toMoneyString(a.plus(b), 'USD'));
        expect(sum.cmp(0)).toBe(a.plus(b).cmp(0));
      }),
      { numRuns: 5_000 },
    );
  });

  it('leave their arguments unchanged', () => {
    const a = new Big('-2.5');
    absOf(a);
    plusOf(a, new Big('1'));
    expect(a.toString()).toBe('-2.5');
  });
});
