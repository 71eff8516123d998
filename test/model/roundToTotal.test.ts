import Big from 'big.js';
import fc from 'fast-check';
import { roundToTotal } from '../../shared/model/roundToTotal';

const big = (xs: string[]) => xs.map((x) => new Big(x));
const text = (xs: Big[]) => xs.map((x) => x.toFixed(2));

describe('roundToTotal', () => {
  it('gives the cent that half-up rounding loses to the part rounding moved most', () => {
    // 0.864646875 + 0.432323437 + 0.432323438 = 1.72929375, charged as 1.73; half-up gives 0.86 + 0.43 + 0.43 = 1.72.
    expect(
      text(roundToTotal(big(['0.864646875', '0.432323437', '0.432323438']), new Big('1.73'), 2)),
    ).toEqual(['0.87', '0.43', '0.43']);
  });

  it('takes back the cent that half-up rounding adds (ties: the first line), on returns too', () => {
    expect(text(roundToTotal(big(['0.105', '0.105', '0.1']), new Big('0.31'), 2))).toEqual([
      '0.10',
      '0.11',
      '0.10',
    ]);
    expect(text(roundToTotal(big(['-0.105', '-0.105', '-0.1']), new Big('-0.31'), 2))).toEqual([
      '-0.10',
      '-0.11',
      '-0.10',
    ]);
  });

  it('leaves exact parts alone and only rounds when the total disagrees beyond rounding', () => {
    expect(text(roundToTotal(big(['0', '0.333', '0.333']), new Big('0.67'), 2))).toEqual([
      '0.00',
      '0.34',
      '0.33',
    ]);
    expect(text(roundToTotal(big(['0.333', '0.333']), new Big('0.70'), 2))).toEqual(['0.33', '0.33']);
    expect(text(roundToTotal(big(['0.333', '0.333']), new Big('0.665'), 2))).toEqual(['0.33', '0.33']);
    // A part the POS stated exactly in cents keeps its value; only the unrounded one takes the cent.
    expect(text(roundToTotal(big(['1.00', '0.25', '0.333']), new Big('1.59'), 2))).toEqual([
      '1.00',
      '0.25',
      '0.34',
    ]);
    expect(text(roundToTotal(big(['1.00', '1.00']), new Big('2.01'), 2))).toEqual(['1.00', '1.00']);
    expect(roundToTotal([], new Big('0'), 2)).toEqual([]);
  });

  it('sums to the rounded exact total, each part rounded down or up, for any parts', () => {
    const part = fc
      .bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n })
      .map((n) => new Big(n.toString()).div(1e9));
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0, 2, 3),
        (parts, digits) => {
          const total = parts.reduce((a, p) => a.plus(p), new Big(0)).round(digits, Big.roundHalfUp);
          const out = roundToTotal(parts, total, digits);
          expect(out.reduce((a, p) => a.plus(p), new Big(0)).eq(total)).toBe(true);
          out.forEach((r, i) => {
            const p = parts[i]!;
            expect([
              p.round(digits, Big.roundDown).toFixed(digits),
              p.round(digits, Big.roundUp).toFixed(digits),
            ]).toContain(r.toFixed(digits));
            if (p.eq(p.round(digits))) expect(r.eq(p)).toBe(true);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
