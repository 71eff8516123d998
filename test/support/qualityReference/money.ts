// test/support/qualityReference/money.ts: the decimal helpers the reference rules were written against,
// frozen here (as in shared/model/money.ts on 2026-11-30) so the reference does not move with them.
import Big from 'big.js';
import { minorUnits } from '../../../shared/model/money';

export { isKnownCurrency } from '../../../shared/model/money';

const ZERO = new Big(0);

export function dec(value: string | number | bigint | Big): Big {
  if (value instanceof Big) return value;
  if (typeof value === 'bigint') return new Big(value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
    return new Big(value);
  }
  // A plus sign right before the number is read as no sign, as shared/model/money.ts's dec does since
  // it stopped failing payloads whose amounts are written "+3" (big.js alone refuses the sign).
  return new Big(value.trim().replace(/^\+(?=[\d.])/, ''));
}

export function sum(values: Iterable<Big>): Big {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

export function roundingTolerance(currency: string | null | undefined, components = 1): Big {
  const unit = new Big(1).div(10 ** minorUnits(currency));
  return unit.times(Math.max(1, components)).div(2);
}
