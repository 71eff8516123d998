// shared/quality/exactDecimals.ts: plain decimal text read as an exact integer and a count of decimals,
// for the quality rules' fast path. big.js allocates and normalises on every `new Big`, and the rules
// read the same few amounts of every transaction several times; integers below 2^53 add, subtract,
// multiply and compare exactly, so amounts that fit are checked without it. Anything that does not fit
// (more than 15 digits, text big.js would read but the canonical pattern does not allow) gives NaN,
// and the caller falls back to big.js.

const MAX_DIGITS = 15;
/** 10^n for n = 0..15, each exact in a double. */
export const POW10: readonly number[] = Array.from({ length: MAX_DIGITS + 1 }, (_, n) => 10 ** n);

let lastFractionDigits = 0;

/**
 * All digits of `text` as one signed integer ("-12.340" gives -12340), when `text` is a plain decimal
 * (/^-?\d+(\.\d+)?$/, the canonical model's pattern) of at most 15 digits; NaN otherwise. The number
 * of digits after the point is then `fractionDigits()`. A -0 comes back as -0, which like big.js's
 * -0 is neither below nor above 0.
 */
export function readDigits(text: unknown): number {
  if (typeof text !== 'string') return NaN;
  const n = text.length;
  let i = 0;
  const negative = n > 0 && text.charCodeAt(0) === 45; // '-'
  if (negative) i = 1;
  const intStart = i;
  let m = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
  }
  const intDigits = i - intStart;
  if (intDigits === 0) return NaN;
  let fraction = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return NaN; // '.'
    const fracStart = ++i;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      m = m * 10 + d;
    }
    fraction = i - fracStart;
    if (fraction === 0) return NaN;
  }
  // Up to 15 digits the running m*10+d never leaves the exact integers.
  if (intDigits + fraction > MAX_DIGITS) return NaN;
  lastFractionDigits = fraction;
  return negative ? -m : m;
}

/** Digits after the point in the text `readDigits` last accepted. */
export function fractionDigits(): number {
  return lastFractionDigits;
}

/**
 * `text` as an integer count of 10^-scale units ("19.99" at scale 3 gives 19990), or NaN when it is no
 * plain decimal, has more than `scale` decimals, or the result is no safe integer (so not exact).
 */
export function readAtScale(text: unknown, scale: number): number {
  const m = readDigits(text);
  if (m !== m || lastFractionDigits > scale) return NaN;
  const scaled = m * POW10[scale - lastFractionDigits]!;
  // The product of two integers is exact exactly when it comes out a safe integer.
  return Number.isSafeInteger(scaled) ? scaled : NaN;
}
