// shared/model/bigFromNumber.ts: `new Big(n)` for a JSON number without writing it out as text first.
// big.js reads a number by its String(); that conversion (the shortest text that reads back as the
// same double) was most of dec()'s cost for vendors that send amounts as numbers (Lightspeed X, Toast).
import type Big from 'big.js';
import { plainBig } from './plainBig';

/** Scaled values stay below this, so each step below is exact to well within half a unit. */
const LIMIT = 2 ** 50;
/** 10^22 is the largest power of ten a double holds exactly. */
const MAX_PLACES = 22;

/**
 * The Big that `new Big(value)` makes (same sign, exponent and digits), or undefined when this cannot
 * tell cheaply (very large or very small numbers, or many digits): the caller then asks big.js.
 *
 * Why it is exact: for k = 0, 1, 2, ... it takes n = round(|value|·10^k) and accepts the first k at which
 * n / 10^k (one correctly rounded division) is `value` again, that is, at which the decimal n·10^-k
 * reads back as `value`. While |value|·10^k < 2^50, the distance from |value|·10^k to any such decimal's
 * n is below 1/8 and the multiplication's error below 1/16, so round() finds that n whenever one exists,
 * and it is the only one (they would be a whole unit apart). So the first k accepted is the fewest
 * decimal places any decimal reading back as `value` has. String(value) writes the decimal with the
 * fewest significant digits that reads back as `value`; one with fewer decimal places would have fewer
 * significant digits unless a power of ten lay between the two, which would itself read back as
 * `value` with one digit. So String(value) has exactly k places too, and, being the only such decimal,
 * is n·10^-k. big.js keeps a value as its digits without leading or trailing zeros and the exponent of
 * the first, so the same value gives the same Big.
 */
export function bigFromNumber(value: number): Big | undefined {
  // -0 too: big.js reads it as "-0" and keeps the sign.
  if (value === 0) return plainBig(1 / value < 0 ? -1 : 1, 0, [0]);
  const abs = value < 0 ? -value : value;
  let scale = 1;
  for (let places = 0; places <= MAX_PLACES; places++, scale *= 10) {
    const scaled = abs * scale;
    if (!(scaled < LIMIT)) return undefined;
    const n = Math.round(scaled);
    if (n / scale === abs) return fromScaled(value < 0 ? -1 : 1, n, places);
  }
  return undefined;
}

/** The Big n·10^-places for a positive integer n below 2^51. */
function fromScaled(sign: number, n: number, places: number): Big {
  const digits: number[] = [];
  let count = 0;
  // Last digit first; trailing zeros (only an integer value has them) are left out.
  for (let rest = n; rest > 0; count++) {
    // rest / 10 is below 2^48 and rounded to within 2^-5, so floor gives the exact quotient.
    const q = Math.floor(rest / 10);
    const digit = rest - q * 10;
    if (digit !== 0 || digits.length > 0) digits.push(digit);
    rest = q;
  }
  return plainBig(sign, count - 1 - places, digits.reverse());
}
