// shared/model/units/safe.ts: the one signal an integer money path gives when it cannot be sure of a
// figure, and the check that keeps its sums and products exact.

/**
 * Thrown by the helpers here (and by the adapters' integer paths) where a value or figure is not sure
 * to be exact on Numbers; the adapter's fast path catches it and the big.js reference answers instead,
 * with the same output. Declining is always correct, only slower.
 */
export const UNSURE: unique symbol = Symbol('unsure');

/**
 * `x` when it is a safe integer, else throws UNSURE. A sum or product of safe integers is exact when its
 * result is safe: a true result above 2^53 never rounds to a safe integer, so checking the result is enough.
 */
export function safe(x: number): number {
  if (!Number.isSafeInteger(x)) throw UNSURE;
  return x;
}
