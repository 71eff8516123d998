import Big from 'big.js';
import fc from 'fast-check';
import { roundToTotal } from '../../shared/model/roundToTotal';

// The implementation before the unit was cached and signs were read from the Big: the faster one must
// give the very same Bigs (sign, digits, exponent), since the money text is written from them.
function reference(parts: readonly Big[], total: Big, digits: number): Big[] {
  const rounded = parts.map((p) => p.round(digits, Big.roundHalfUp));
  const unit = new Big(1).div(new Big(10).pow(digits));
  const gap = total.minus(rounded.reduce((a, r) => a.plus(r), new Big(0)));
  if (gap.eq(0) || gap.mod(unit).eq(0) === false) return rounded;
  const steps = gap.div(unit).abs().toNumber();
  const up = gap.gt(0);
  const candidates = parts
    .map((p, i) => ({ i, moved: p.minus(rounded[i]!) }))
    .filter(({ moved }) => !moved.eq(0))
    .sort((a, b) => (up ? b.moved.cmp(a.moved) : a.moved.cmp(b.moved)) || a.i - b.i);
  if (steps > candidates.length) return rounded;
  for (let k = 0; k < steps; k++) {
    const { i } = candidates[k]!;
    rounded[i] = up ? rounded[i]!.plus(unit) : rounded[i]!.minus(unit);
  }
  return rounded;
}

const shape = (bs: Big[]) => bs.map((b) => ({ s: b.s, e: b.e, c: [...b.c] }));

describe('roundToTotal against its reference', () => {
  it('gives the same Bigs for any parts and totals near, at or away from their sum', () => {
    const part = fc.oneof(
      fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }).map((n) => new Big(n.toString()).div(1e9)),
      fc.constantFrom('0', '-0', '0.005', '-0.005', '1.00', '0.333').map((t) => new Big(t)),
    );
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 20 }),
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.integer({ min: -5, max: 5 }),
        fc.constantFrom('exact', 'rounded', 'odd'),
        (parts, digits, offset, how) => {
          const sum = parts.reduce((a, p) => a.plus(p), new Big(0));
          const base = how === 'exact' ? sum : sum.round(digits, Big.roundHalfUp);
          // An offset of whole units, or of a fraction of one ('odd'), which no rounding can explain.
          const step = new Big(1).div(new Big(10).pow(how === 'odd' ? digits + 1 : digits));
          const total = base.plus(step.times(offset));
          expect(shape(roundToTotal(parts, total, digits))).toEqual(shape(reference(parts, total, digits)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
