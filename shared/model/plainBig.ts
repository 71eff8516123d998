// shared/model/plainBig.ts: a Big put together from its parts, for the fast paths that read vendor
// amounts without big.js's string parse (parsePlainDecimal, bigFromNumber).
import Big from 'big.js';

/**
 * The Big with sign `s`, exponent `e` and digits `c` (no leading or trailing zeros; [0] for zero), with
 * the same own properties, in the same order, as big.js's constructor gives its instances: a caller, a
 * test or JSON sees no difference, and all of these Bigs share one hidden class.
 */
export function plainBig(s: number, e: number, c: number[]): Big {
  const x = Object.create(Big.prototype) as Big & { constructor: typeof Big };
  x.s = s;
  x.e = e;
  x.c = c;
  x.constructor = Big;
  return x;
}
