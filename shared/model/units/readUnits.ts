// shared/model/units/readUnits.ts: an amount as a JSON number or a plain decimal string, read exactly as
// an integer count of 10^-scale units (the adapters' fixed money scale), or UNSURE.
import { numberUnits } from './numberUnits';
import { readDecimal } from './readDecimal';
import { unitsAt } from './scaled';

/**
 * The amount in 10^-scale units, exactly the decimal `dec` reads: a number by numberUnits, a string by
 * readDecimal (plain decimals only; spaces, '+', exponents are big.js's), either declining with UNSURE
 * where it has more than `scale` places (trailing zeros aside) or leaves the safe integers. `scale` is
 * 0 to 22.
 */
export function readUnits(value: number | string, scale: number): number {
  return typeof value === 'number' ? numberUnits(value, scale) : unitsAt(readDecimal(value), scale);
}
