// shared/sources/fast/minorToMajor.ts: minor units (cents) to major units by moving the decimal point.
import Big from 'big.js';

/**
 * `value.div(10 ** digits)`, without big.js's long division: dividing by a power of ten only moves the
 * decimal point, so the digits are kept and the exponent lowered. Where the quotient would need more
 * decimal places than `Big.DP` (div rounds there) or is zero, `div` itself answers.
 */
export function minorToMajor(value: Big, digits: number): Big {
  if (digits === 0) return value.div(1);
  const places = value.c.length - (value.e - digits) - 1;
  if (value.c[0] === 0 || places > Big.DP) return value.div(10 ** digits);
  const out = new Big(value);
  out.e -= digits;
  return out;
}
