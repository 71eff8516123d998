// shared/sources/clover/divRoundHalfUp.ts: exact integer division rounded half away from zero.

/**
 * `n / d` rounded to an integer, ties away from zero (big.js `round(0, Big.roundHalfUp)` of the exact
 * quotient), for safe integers `n` and `d > 0`. Exact: `n % d` is exact in doubles, `n - r` is then a
 * multiple of `d`, and dividing it gives that whole quotient, which IEEE division returns exactly.
 */
export function divRoundHalfUp(n: number, d: number): number {
  const r = n % d;
  const q = (n - r) / d;
  if (2 * Math.abs(r) < d) return q;
  return n < 0 ? q - 1 : q + 1;
}
