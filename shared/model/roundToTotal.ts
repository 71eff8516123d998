// shared/model/roundToTotal.ts: rounds parts (line taxes a POS keeps unrounded) to a number of decimals so
// that they still add up to the total the POS charged, by the largest-remainder method: each part is
// rounded half-up, then the few cents the rounding lost or gained go to the parts rounding moved most.
import Big from 'big.js';

/**
 * `parts` rounded to `digits` decimals so that they sum to `total`. When `total` is the parts' exact sum
 * rounded the same way, every result is its part rounded down or up at that place. A total that
 * disagrees with the parts by more than rounding explains leaves the parts only rounded half-up, so the
 * caller's quality rules still see the gap.
 * Only parts that needed rounding take part: a part already exact at that place (a zero tax, a price
 * the POS stated in cents) keeps its value, so a real disagreement is never spread over exact figures.
 */
export function roundToTotal(parts: readonly Big[], total: Big, digits: number): Big[] {
  const rounded = parts.map((p) => p.round(digits, Big.roundHalfUp));
  const unit = new Big(1).div(new Big(10).pow(digits));
  const gap = total.minus(rounded.reduce((a, r) => a.plus(r), new Big(0)));
  if (gap.eq(0) || gap.mod(unit).eq(0) === false) return rounded;
  const steps = gap.div(unit).abs().toNumber();
  // Candidates ordered by how far rounding moved them in the direction the gap needs undoing.
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
