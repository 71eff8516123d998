// shared/model/units/readDecimal.ts: a plain decimal string as a Scaled (integer units at its own places),
// read exactly, or UNSURE for anything else.
import type { Scaled } from './scaled';
import { safe, UNSURE } from './safe';

/** Above this many places a value is left to big.js (its scale could not be aligned within POW10). */
const MAX_SCALE = 15;

/**
 * A plain decimal (optional '-', digits, optionally '.' and digits: the text parsePlainDecimal and big.js
 * read alike) as a Scaled without trailing fraction zeros ("-12.50" is {n: -125, scale: 1}, "-0.00" a
 * zero); anything else (spaces, '+', exponents, ".5", "5.", more than 15 significant places, a value past
 * the safe integers) throws UNSURE.
 *
 * Exact: digit by digit, n·10 + digit is exact while the true value is a safe integer, and once the true
 * value passes 2^53 the double does too (rounding is monotonic), which `safe` then refuses.
 */
export function readDecimal(text: string): Scaled {
  const length = text.length;
  const start = length > 0 && text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let dot = -1;
  for (let j = start; j < length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 46 && dot < 0) dot = j; // '.'
    else if (ch < 48 || ch > 57) throw UNSURE;
  }
  // Digits on both sides of a point, and at least one digit.
  if (dot === start || dot === length - 1 || start === length) throw UNSURE;
  let end = length;
  if (dot >= 0) {
    while (text.charCodeAt(end - 1) === 48) end--;
    if (end === dot + 1) end = dot;
  }
  let n = 0;
  for (let j = start; j < end; j++) if (j !== dot) n = n * 10 + (text.charCodeAt(j) - 48);
  const scale = dot < 0 || end <= dot ? 0 : end - dot - 1;
  if (scale > MAX_SCALE) throw UNSURE;
  safe(n);
  // "-0.00" is a zero like any other (big.js neither writes nor compares its sign).
  return { n: start === 1 && n !== 0 ? -n : n, scale };
}
