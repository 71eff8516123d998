// shared/sources/lightspeed-r/bigShortcuts.ts: big.js addition as the R-Series adapter does it per line,
// answered without arithmetic where an operand is zero. big.js keeps a value as sign `s`, digits `c`
// without leading zeros (a zero is [0]) and exponent `e`, so `c[0] === 0` means zero.
import type Big from 'big.js';

/**
 * `a.plus(b)`, or the other operand where one is zero. Same value; only a zero result's sign may differ,
 * which neither comparisons nor the money text read.
 */
export const plusOf = (a: Big, b: Big): Big => (b.c[0] === 0 ? a : a.c[0] === 0 ? b : a.plus(b));
