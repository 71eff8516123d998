// halfUpQuotient against big.js: half-up rounding of the exact quotient, for every safe integer and
// divisor the integer money paths use (powers of ten, quantities, VAT divisors up to 2^53).
import Big from 'big.js';
import fc from 'fast-check';
import { halfUpQuotient } from '../../../shared/model/units/halfUpQuotient';

const bigQuotient = (n: number, d: number) => new Big(n).div(d).round(0, Big.roundHalfUp).toNumber() + 0;

/** Values beside multiples of 10^5 far from zero, where a quotient's rounding error is largest. */
const nearMultiple = fc
  .tuple(fc.integer({ min: 2 ** 30, max: 90_071_992_546 }), fc.integer({ min: -3, max: 3 }), fc.boolean())
  .map(([k, m, negative]) => (negative ? -1 : 1) * (k * 100_000 + m));

describe('halfUpQuotient', () => {
  it('is big.js half-up rounding of the exact quotient for any safe integer and divisor', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n, d) => {
        expect(halfUpQuotient(n, d)).toBe(bigQuotient(n, d));
      }),
      { numRuns: 10_000 },
    );
  });

  it('is exact beside multiples of the divisor and at the ends of the safe integers', () => {
    const n = fc.oneof(
      fc.integer({ min: -3_000_000, max: 3_000_000 }),
      fc.constantFrom(-(2 ** 53) + 1, 2 ** 53 - 1, 150, -150, 5, -5, 15, -15, 4, -4),
      nearMultiple,
    );
    const d = fc.oneof(fc.constantFrom(1, 10, 100, 1000, 10_000, 100_000, 1e10, 1e15, 1e22), fc.integer({ min: 1, max: 10_000 }));
    fc.assert(
      fc.property(n, d, (x, divisor) => {
        expect(halfUpQuotient(x, divisor)).toBe(bigQuotient(x, divisor));
      }),
      { numRuns: 20_000 },
    );
  });

  it('never gives a signed zero', () => {
    for (const [n, d] of [[-0, 7], [0, 7], [-4, 10], [-1, 3]]) expect(Object.is(halfUpQuotient(n!, d!), 0)).toBe(true);
  });
});
