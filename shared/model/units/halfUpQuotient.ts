// shared/model/units/halfUpQuotient.ts: exact integer division rounded half away from zero, the rounding
// of every integer money path (big.js `round(0, Big.roundHalfUp)` of the exact quotient). Written without
// `%`: V8 computes a remainder of doubles beyond the small integers by calling C's fmod, which was most
// of an integer money path's time; a division, a floor and a product are single instructions.

/**
 * `n / d` rounded to an integer, ties away from zero, for a safe integer `n` and an integer `d > 0`
 * (both exact doubles). Never -0.
 *
 * Exact: with a = |n| < 2^53, a quotient a/d of non-integer value lies at least 1/d below the next
 * integer, while the division's rounding error is at most half an ulp of a value below 2^53/d, that is
 * below 1/d; and an integer quotient is exactly a double. So the floor of the rounded quotient is the
 * true floor q, and q·d (at most a) and the remainder a - q·d are exact integers.
 */
export function halfUpQuotient(n: number, d: number): number {
  // Math.abs makes -0 a 0, so no zero comes back signed.
  const abs = Math.abs(n);
  const q = Math.floor(abs / d);
  const rounded = 2 * (abs - q * d) >= d ? q + 1 : q;
  return n < 0 && rounded !== 0 ? -rounded : rounded;
}
