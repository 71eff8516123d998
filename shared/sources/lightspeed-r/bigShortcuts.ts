// shared/sources/lightspeed-r/bigShortcuts.ts: big.js operations the R-Series adapter does per line,
// answered from the sign and first digit where that is enough. big.js keeps a value as sign `s`,
// digits `c` without leading zeros (a zero is [0]) and exponent `e`, so `c[0] === 0` means zero.
import type Big from 'big.js';

/** `v.abs()`, or `v` itself (no copy) when it is not negative. Bigs are never modified in place here. */
export const absOf = (v: Big): Big => (v.s < 0 ? v.abs() : v);

/** `v.gt(0)` without reading a 0 literal into a Big. */
export const isPositive = (v: Big): boolean => v.s > 0 && v.c[0] !== 0;

/** `v.lt(0)`: a negative zero is not below zero. */
export const isNegative = (v: Big): boolean => v.s < 0 && v.c[0] !== 0;

/**
 * `a.plus(b)`, or the other operand where one is zero. Same value; only a zero result's sign may differ,
 * which neither comparisons nor the money text read.
 */
export const plusOf = (a: Big, b: Big): Big => (b.c[0] === 0 ? a : a.c[0] === 0 ? b : a.plus(b));

