import Big from 'big.js';
import fc from 'fast-check';
import { fromMinorUnits } from '../../shared/model/money';
import { absOf, isNegative, isPositive, isZero } from '../../shared/model/bigSigns';

describe('bigSigns', () => {
  const bigs = fc.oneof(
    fc.integer().map((n) => new Big(n)),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => new Big(n.toString())),
    fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom('USD', 'JPY', 'KWD')).map(([n, c]) => fromMinorUnits(n, c)),
    fc.constantFrom(new Big('-0'), new Big('0'), new Big('0.000'), new Big('-0.0'), new Big('1e-30'), new Big('-1e-30')),
    fc.tuple(fc.integer(), fc.integer()).map(([a, b]) => new Big(a).minus(b)),
    fc.tuple(fc.integer(), fc.integer()).map(([a, b]) => new Big(a).times(-1).plus(b)),
  );

  it('isZero, isPositive, isNegative and absOf answer as eq(0), gt(0), lt(0) and abs()', () => {
    fc.assert(
      fc.property(bigs, (x) => {
        expect(isZero(x)).toBe(x.eq(0));
        expect(isPositive(x)).toBe(x.gt(0));
        expect(isNegative(x)).toBe(x.lt(0));
        expect(absOf(x).eq(x.abs())).toBe(true);
        expect(absOf(x).s).toBe(x.abs().s);
        if (x.s > 0) expect(absOf(x)).toBe(x);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes a negative zero as zero, not below it', () => {
    const negativeZero = new Big(0).times(-1);
    expect(negativeZero.s).toBe(-1);
    expect(isZero(negativeZero)).toBe(true);
    expect(isNegative(negativeZero)).toBe(false);
    expect(isPositive(negativeZero)).toBe(false);
  });
});
