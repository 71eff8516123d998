// shared/model/units/scaled.ts: a decimal as a safe integer count of 10^-scale units at a scale of its
// own, and the exact arithmetic on it. Sums and products of safe integers are exact, and every result
// is checked to be one (safe), so wherever these answer they equal big.js; elsewhere they throw UNSURE.
import { pow10 } from './pow10';
import { safe } from './safe';

/**
 * The decimal `n · 10^-scale`, `n` a safe integer. A zero may be -0: nothing reading a Scaled writes or
 * compares a zero's sign (`n < 0` is false for both), as big.js neither writes nor compares it.
 */
export interface Scaled {
  n: number;
  scale: number;
}

export const SCALED_ZERO: Scaled = { n: 0, scale: 0 };

/** `x` as a count of 10^-scale units, or UNSURE when x has more places than `scale` or leaves the safe integers. */
export const unitsAt = (x: Scaled, scale: number): number =>
  x.scale === scale ? x.n : safe(x.n * pow10(scale - x.scale));

export function plus(a: Scaled, b: Scaled): Scaled {
  const scale = a.scale > b.scale ? a.scale : b.scale;
  return { n: safe(unitsAt(a, scale) + unitsAt(b, scale)), scale };
}

export const negate = (a: Scaled): Scaled => ({ n: -a.n, scale: a.scale });

export const abs = (a: Scaled): Scaled => (a.n < 0 ? { n: -a.n, scale: a.scale } : a);

export const times = (a: Scaled, b: Scaled): Scaled => ({ n: safe(a.n * b.n), scale: a.scale + b.scale });
