// shared/model/roundToTotal.ts: rounds parts (line taxes a POS keeps unrounded) to a number of decimals so
// that they still add up to the total the POS charged, by the largest-remainder method: each part is
// rounded half-up, then the few cents the rounding lost or gained go to the parts rounding moved most.
import Big from 'big.js';
import { isPositive, isZero } from './bigSigns';

/**
 * One unit at `digits` decimals (0.01 for 2), made once per digit count: building it is a division and a
 * power, more than the rest of a typical call. Bigs are never changed in place, so sharing one is safe.
 */
const units = new Map<number, Big>();
function unitAt(digits: number): Big {
  let unit = units.get(digits);
  if (unit === undefined) {
    unit = new Big(1).div(new Big(10).pow(digits));
    // Currencies have 0 to 4 minor digits; only such counts are kept, so the cache cannot grow.
    if (Number.isInteger(digits) && digits >= 0 && digits <= 8) units.set(digits, unit);
  }
  return unit;
}

/** The sum's starting value; `plus` returns a new Big and leaves this one as it is. */
const ZERO = new Big(0);

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
  const unit = unitAt(digits);
  let sum = ZERO;
  for (const r of rounded) sum = sum.plus(r);
  // The usual case: the rounded parts already add up. A comparison makes no Big, a difference would.
  if (sum.eq(total)) return rounded;
  const gap = total.minus(sum);
  if (!isZero(gap.mod(unit))) return rounded;
  const steps = gap.div(unit).abs().toNumber();
  // Candidates ordered by how far rounding moved them in the direction the gap needs undoing.
  const up = isPositive(gap);
  const candidates = parts
    .map((p, i) => ({ i, moved: p.minus(rounded[i]!) }))
    .filter(({ moved }) => !isZero(moved))
    .sort((a, b) => (up ? b.moved.cmp(a.moved) : a.moved.cmp(b.moved)) || a.i - b.i);
  if (steps > candidates.length) return rounded;
  for (let k = 0; k < steps; k++) {
    const { i } = candidates[k]!;
    rounded[i] = up ? rounded[i]!.plus(unit) : rounded[i]!.minus(unit);
  }
  return rounded;
}
