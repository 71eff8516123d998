// shared/model/bigSigns.ts: zero and sign tests on a Big without a Big to compare with.
// `x.eq(0)` and `x.gt(0)` read the literal through big.js's parser on every call. A Big keeps its digits
// `c` without leading zeros, so its first digit is 0 only for zero, of either sign; a negative zero equals
// zero and is neither above nor below it, as cmp has it.
import type Big from 'big.js';

/** Same as `x.eq(0)`. */
export const isZero = (x: Big): boolean => x.c[0] === 0;

/** Same as `x.gt(0)`. */
export const isPositive = (x: Big): boolean => x.s > 0 && x.c[0] !== 0;

/** Same as `x.lt(0)`. */
export const isNegative = (x: Big): boolean => x.s < 0 && x.c[0] !== 0;

/** `x.abs()`, or `x` itself (no copy) when it is not negative: Bigs are never modified in place. */
export const absOf = (x: Big): Big => (x.s < 0 ? x.abs() : x);
