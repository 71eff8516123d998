// shared/sources/lightspeed-x/halfUpQuotient.ts: exact integer division rounded half away from zero,
// without `%`: V8 computes a remainder of doubles beyond the small integers by calling C's fmod, which
// was most of the integer money path's time; a division, a floor and a product are single instructions.

/**
 * `n / d` rounded to an integer, ties away from zero (big.js `round(0, Big.roundHalfUp)` of the exact
 * quotient), for a safe integer `n` and an integer `d > 0`. Exact: a quotient of non-integer value lies
 * at least 1/d below the next integer, while the division's rounding error is below half an ulp of a
 * value under 2^53/d, that is below 1/d; so the floor of the rounded quotient is the true floor q, and
 * q·d (at most |n|) and the remainder |n| - q·d are exact integers.
 */
export function halfUpQuotient(n: number, d: number): number {
  const abs = n < 0 ? -n : n;
  const q = Math.floor(abs / d);
  const rounded = 2 * (abs - q * d) >= d ? q + 1 : q;
  return n < 0 && rounded !== 0 ? -rounded : rounded;
}
