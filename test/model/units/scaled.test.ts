// The Scaled arithmetic against big.js: sums, products, negation, absolute value and units at a larger
// scale are exact wherever they answer, and decline (UNSURE) past the safe integers or the powers of ten.
import Big from 'big.js';
import fc from 'fast-check';
import { POW10, pow10 } from '../../../shared/model/units/pow10';
import { safe, UNSURE } from '../../../shared/model/units/safe';
import { abs, negate, plus, type Scaled, times, unitsAt } from '../../../shared/model/units/scaled';

/** The exact Big of a Scaled (a division would round at Big.DP places). */
const big = (x: Scaled) => new Big(`${x.n}e-${x.scale}`);
const sumOf = (a: Scaled, b: Scaled) => big(a).plus(big(b));
const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
};

const scaled: fc.Arbitrary<Scaled> = fc.record({
  n: fc.oneof(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.maxSafeInteger()),
  scale: fc.integer({ min: 0, max: 15 }),
});

describe('Scaled arithmetic', () => {
  it('adds, multiplies, negates and takes absolute values as big.js does wherever it answers', () => {
    fc.assert(
      fc.property(scaled, scaled, (a, b) => {
        const sum = attempt(() => plus(a, b));
        if (sum !== undefined) expect(big(sum).eq(big(a).plus(big(b)))).toBe(true);
        else {
          // Declined only where an operand at the common scale or the sum leaves the safe integers.
          const scale = Math.max(a.scale, b.scale);
          const aligned = [big(a), big(b), sumOf(a, b)].map((x) => x.abs().times(new Big(10).pow(scale)));
          expect(aligned.some((x) => x.gt(Number.MAX_SAFE_INTEGER))).toBe(true);
        }
        const product = attempt(() => times(a, b));
        if (product !== undefined) expect(big(product).eq(big(a).times(big(b)))).toBe(true);
        expect(big(negate(a)).eq(big(a).neg())).toBe(true);
        expect(big(abs(a)).eq(big(a).abs())).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('gives units at a scale no smaller than the value own, or declines', () => {
    fc.assert(
      fc.property(scaled, fc.integer({ min: 0, max: 40 }), (x, scale) => {
        const n = attempt(() => unitsAt(x, scale));
        if (n === undefined) return;
        expect(scale >= x.scale).toBe(true);
        expect(big({ n, scale }).eq(big(x))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    expect(attempt(() => unitsAt({ n: 15, scale: 1 }, 0))).toBeUndefined();
    expect(unitsAt({ n: 15, scale: 1 }, 3)).toBe(1500);
  });

  it('has exact powers of ten and refuses unsafe integers', () => {
    POW10.forEach((p, k) => expect(BigInt(p)).toBe(10n ** BigInt(k)));
    expect(attempt(() => pow10(23))).toBeUndefined();
    expect(attempt(() => pow10(-1))).toBeUndefined();
    expect(safe(2 ** 53 - 1)).toBe(2 ** 53 - 1);
    for (const x of [2 ** 53, 0.5, NaN, Infinity]) expect(attempt(() => safe(x))).toBeUndefined();
  });
});
