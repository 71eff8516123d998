// shared/sources/lightspeed-r/scaledDecimal.ts: R-Series decimal strings as integers counting 10^-scale
// units, for the integer fast path (saleFiguresFast). Sums and products of safe integers are exact, and
// every result is checked to be one, so the arithmetic here equals big.js's wherever it answers.

/** A decimal `n · 10^-scale`, `n` a safe integer (a negative zero is a zero, as big.js treats it). */
export interface Scaled {
  n: number;
  scale: number;
}

/** Thrown where a value is not a plain decimal or would leave the safe integers; callers then use big.js. */
export const UNSAFE = Symbol('unsafe');

/** Powers of ten exact in doubles (10^22 is the last). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Above this many places a value is left to big.js (its scale could not be aligned within POW10). */
const MAX_SCALE = 15;

export const SCALED_ZERO: Scaled = { n: 0, scale: 0 };

/** `x` when it is a safe integer. A true result above 2^53 never rounds to a safe one, so this is enough. */
export function safe(x: number): number {
  if (!Number.isSafeInteger(x)) throw UNSAFE;
  return x;
}

export function pow10(k: number): number {
  const p = POW10[k];
  if (p === undefined) throw UNSAFE;
  return p;
}

/**
 * A plain decimal string (optional '-', digits, optionally '.' and digits: what parsePlainDecimal takes)
 * as a Scaled without trailing fraction zeros; anything else (numbers, spaces, exponents) throws UNSAFE.
 * A missing value is zero, as the adapter's `dec(v ?? 0)`.
 */
export function readScaled(v: string | number | null | undefined): Scaled {
  if (v === null || v === undefined) return SCALED_ZERO;
  if (typeof v !== 'string') throw UNSAFE;
  const len = v.length;
  const start = len > 0 && v.charCodeAt(0) === 45 ? 1 : 0;
  let dot = -1;
  for (let j = start; j < len; j++) {
    const ch = v.charCodeAt(j);
    if (ch === 46 && dot < 0) dot = j;
    else if (ch < 48 || ch > 57) throw UNSAFE;
  }
  if (dot === start || dot === len - 1 || start === len) throw UNSAFE;
  let end = len;
  if (dot >= 0) {
    while (v.charCodeAt(end - 1) === 48) end--;
    if (end === dot + 1) end = dot;
  }
  // Digit by digit; once the true value passes 2^53 the double does too (rounding is monotonic).
  let n = 0;
  for (let j = start; j < end; j++) if (j !== dot) n = n * 10 + (v.charCodeAt(j) - 48);
  const scale = dot < 0 || end <= dot ? 0 : end - dot - 1;
  if (scale > MAX_SCALE) throw UNSAFE;
  safe(n);
  return { n: start === 1 ? -n : n, scale };
}

/** `x` as a count of 10^-scale units, `scale` no smaller than x's own. */
export const at = (x: Scaled, scale: number): number =>
  x.scale === scale ? x.n : safe(x.n * pow10(scale - x.scale));

export function plus(a: Scaled, b: Scaled): Scaled {
  const scale = a.scale > b.scale ? a.scale : b.scale;
  return { n: safe(at(a, scale) + at(b, scale)), scale };
}

export const negate = (a: Scaled): Scaled => ({ n: -a.n, scale: a.scale });

export const abs = (a: Scaled): Scaled => (a.n < 0 ? { n: -a.n, scale: a.scale } : a);

export const times = (a: Scaled, b: Scaled): Scaled => ({ n: safe(a.n * b.n), scale: a.scale + b.scale });
