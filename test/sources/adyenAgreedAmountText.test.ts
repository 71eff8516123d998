import Big from 'big.js';
import fc from 'fast-check';
import { agreedAmountText } from '../../shared/sources/adyen/agreedAmountText';
import { dec, fromMinorUnits, minorUnits, toMoneyString } from '../../shared/model/money';

// agreedAmountText is the big.js-free answer of the Adyen adapter for amounts that agree. The reference
// is what the adapter computes through big.js: when the two amounts are equal (no finding), the money
// text of the signed major amount.
const CURRENCIES = ['USD', 'JPY', 'KWD', 'CLF', 'EUR', null] as const;

function reference(major: number, minorText: string, currency: string | null, negative: boolean): string | undefined {
  if (!/^\d+$/.test(minorText)) return undefined;
  const amount = dec(major);
  if (!fromMinorUnits(minorText, currency).eq(amount)) return undefined;
  return toMoneyString(amount.times(new Big(negative ? -1 : 1)), currency);
}

/** Minor units: mostly everyday amounts, some near the 15-digit limit and beyond it, some with leading zeros. */
const minorUnitsArb = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, 1, 5, 10, 99, 100, 999_999_999_999_999, 1_000_000_000_000_000, 123_456_789_012_345),
);
const minorTextArb = fc.oneof(
  minorUnitsArb.map(String),
  fc.tuple(fc.constantFrom('0', '00'), minorUnitsArb).map(([z, n]) => z + String(n)),
  fc.constantFrom('', ' 1', '1.5', '-1', '1e3', '+5', '１２'),
  fc.stringMatching(/^\d{14,18}$/),
);

describe('agreedAmountText', () => {
  it('gives the big.js text whenever the amounts agree, and nothing where they do not', () => {
    const input = fc
      .record({
        minorText: minorTextArb,
        currency: fc.constantFrom(...CURRENCIES),
        negative: fc.boolean(),
        // How the major amount is made: from the same minor units (agreeing), a neighbour of it, or anything.
        how: fc.constantFrom('same', 'same', 'plusOne', 'nextDouble', 'any', 'negZero'),
        any: fc.double({ noNaN: true, noDefaultInfinity: true }),
      })
      .map(({ minorText, currency, negative, how, any }) => {
        const digits = minorUnits(currency);
        const n = Number(minorText);
        const same = n / 10 ** digits;
        const major =
          how === 'same'
            ? same
            : how === 'plusOne'
              ? (n + 1) / 10 ** digits
              : how === 'nextDouble'
                ? same + same * Number.EPSILON
                : how === 'negZero'
                  ? -0
                  : any;
        return { minorText, currency, negative, major: Number.isFinite(major) ? major : 0 };
      });
    let agreed = 0;
    fc.assert(
      fc.property(input, ({ minorText, currency, negative, major }) => {
        const fast = agreedAmountText(major, minorText, minorUnits(currency), negative);
        const ref = reference(major, minorText, currency, negative);
        if (fast !== undefined) {
          agreed++;
          expect(fast).toBe(ref);
        } else if (ref !== undefined && /^\d{1,15}$/.test(minorText)) {
          // Up to 15 digits the fast path must decide every agreeing pair, not just some.
          throw new Error(`not decided: ${major} ${minorText} ${currency}`);
        }
      }),
      { numRuns: 20000 },
    );
    // The generator must reach the fast answer often, or the comparison above says little.
    expect(agreed).toBeGreaterThan(2000);
  });

  it('writes zero, small and large amounts as the money helpers do', () => {
    const cases: [number, string, string | null, boolean, string][] = [
      [0, '0', 'USD', true, '0.00'],
      [-0, '0', 'USD', false, '0.00'],
      [0.05, '5', 'USD', true, '-0.05'],
      [12.3, '1230', 'USD', false, '12.30'],
      [1230, '1230', 'JPY', true, '-1230'],
      [1.234, '01234', 'KWD', false, '1.234'],
      [9999999999999.99, '999999999999999', 'EUR', false, '9999999999999.99'],
      [1.5, '15000', 'CLF', false, '1.5000'],
    ];
    for (const [major, minorText, currency, negative, text] of cases) {
      expect(agreedAmountText(major, minorText, minorUnits(currency), negative)).toBe(text);
      expect(reference(major, minorText, currency, negative)).toBe(text);
    }
  });

  it('leaves disagreement, strings and long minor texts to big.js', () => {
    expect(agreedAmountText(12.34, '1235', 2, false)).toBeUndefined();
    expect(agreedAmountText('12.34', '1234', 2, false)).toBeUndefined();
    expect(agreedAmountText(12.34, undefined, 2, false)).toBeUndefined();
    expect(agreedAmountText(12.34, '12.34', 2, false)).toBeUndefined();
    expect(agreedAmountText(12345678901234.56, '1234567890123456', 2, false)).toBeUndefined();
  });
});
