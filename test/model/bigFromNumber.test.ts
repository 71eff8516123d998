// Differential test: bigFromNumber (a number read without its text) against big.js reading String(n).
import Big from 'big.js';
import fc from 'fast-check';
import { bigFromNumber } from '../../shared/model/bigFromNumber';
import { dec } from '../../shared/model/money';

/** A Big as plain data: what a caller or JSON can observe of it. */
const shape = (b: Big) => ({ s: b.s, e: b.e, c: [...b.c], own: Object.keys(b), proto: Object.getPrototypeOf(b) });

/** Amounts as POS systems send them: a few decimal places, any sign, cents to millions. */
const moneyNumber = fc
  .tuple(fc.integer({ min: -1e11, max: 1e11 }), fc.integer({ min: 0, max: 9 }))
  .map(([units, places]) => units / 10 ** places);
/** Doubles of every kind: many digits, huge, tiny, subnormal, near powers of ten. */
const anyNumber = fc.oneof(
  moneyNumber,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.tuple(fc.integer({ min: -30, max: 30 }), fc.constantFrom(-2, -1, 0, 1, 2)).map(([p, ulps]) => {
    // 10^p and the doubles a few ulps either side of it.
    let x = Number(`1e${p}`);
    for (let i = 0; i < Math.abs(ulps); i++) x = ulps < 0 ? x - x * 2 ** -53 : x + x * 2 ** -52;
    return x;
  }),
  fc.integer({ min: 0, max: 2 ** 53 }).map((n) => n * (n % 2 ? 1 : -1)),
  fc.constantFrom(0, -0, 0.1, 0.3, 1e21, 1e-7, 123.456, 2 ** 50, 2 ** 50 - 1, 5e-324, 0.1 + 0.2),
);

describe('bigFromNumber', () => {
  it('makes the Big that big.js makes from the number, whenever it answers', () => {
    fc.assert(
      fc.property(anyNumber, (n) => {
        const fast = bigFromNumber(n);
        if (fast === undefined) return;
        expect(shape(fast)).toEqual(shape(new Big(n)));
        expect(fast.constructor).toBe(Big);
        expect(fast.toString()).toBe(new Big(n).toString());
      }),
      { numRuns: 5000 },
    );
  });

  it('answers for every amount a POS sends (so dec never writes it out as text)', () => {
    fc.assert(
      fc.property(moneyNumber, (n) => {
        expect(bigFromNumber(n)).toBeDefined();
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every amount in cents up to two thousand as its text', () => {
    // The text a Big writes is its value: the same text, the same Big (big.js strips zeros alike).
    const differing: number[] = [];
    for (let cents = -200_000; cents <= 200_000; cents++) {
      const n = cents / 100;
      if (bigFromNumber(n)?.toString() !== String(n)) differing.push(n);
    }
    expect(differing).toEqual([]);
  });

  it('keeps the sign of -0 as big.js does, and leaves what it cannot tell cheaply to big.js', () => {
    expect(shape(bigFromNumber(-0)!)).toEqual(shape(new Big(-0)));
    expect(shape(bigFromNumber(0)!)).toEqual(shape(new Big(0)));
    expect(bigFromNumber(1e21)).toBeUndefined();
    expect(bigFromNumber(0.1 + 0.2)).toBeUndefined();
    expect(shape(dec(0.1 + 0.2))).toEqual(shape(new Big(0.1 + 0.2)));
    expect(shape(dec(1e21))).toEqual(shape(new Big(1e21)));
    expect(shape(dec(-4.5))).toEqual(shape(new Big('-4.5')));
  });
});
