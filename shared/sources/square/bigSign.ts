// shared/sources/square/bigSign.ts: zero and sign tests on a Big without a Big to compare with.
import type Big from 'big.js';

// `x.eq(0)` and `x.lt(0)` turn the literal into a Big through big.js's parser on every call. A Big
// keeps its digits normalised, without leading zeros: its first digit is 0 only for zero (of either
// sign, and a negative zero is equal to zero and not below it, as cmp has it).

/** Same as `x.eq(0)`. */
export function isZero(x: Big): boolean {
  return x.c[0] === 0;
}

/** Same as `x.lt(0)`. */
export function isNegative(x: Big): boolean {
  return x.s < 0 && x.c[0] !== 0;
}
