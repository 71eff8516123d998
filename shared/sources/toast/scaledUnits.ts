// shared/sources/toast/scaledUnits.ts: a JSON number as an integer count of 10^-scale units, exactly the
// decimal dec() (big.js) reads it as, or undefined when it is not such a count.

/** Scaled values stay below this (as in bigFromNumber), so the test below is exact. */
const LIMIT = 2 ** 50;
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * n with n·10^-scale the decimal big.js makes of `value` (its shortest round-trip text), or undefined
 * when that decimal has more than `scale` places, |value|·10^scale is 2^50 or more, or `value` is not
 * a number (a string amount is left to big.js). `scale` is at most 15.
 *
 * Why it is exact (the argument of bigFromNumber, at one scale): below 2^50, round(|value|·10^scale)
 * is the n of the one decimal with at most `scale` places that reads back as `value`, if there is one,
 * and n / 10^scale === |value| says there is. The shortest round-trip text has the fewest places of all
 * decimals reading back as `value`, so it has at most `scale` places too, and is that decimal.
 */
export function scaledUnits(value: number | string, scale: number): number | undefined {
  if (typeof value !== 'number') return undefined;
  const abs = value < 0 ? -value : value;
  const pow = POW10[scale]!;
  const scaled = abs * pow;
  if (!(scaled < LIMIT)) return undefined;
  const n = Math.round(scaled);
  if (n / pow !== abs) return undefined;
  return value < 0 ? -n : n;
}
