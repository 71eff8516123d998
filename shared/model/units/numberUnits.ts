// shared/model/units/numberUnits.ts: a JSON number as an integer count of 10^-scale units, exactly the
// decimal dec() (big.js) reads it as, without writing the number out as text.
import { POW10 } from './pow10';
import { safe, UNSURE } from './safe';

/** Scaled values stay below this (as in bigFromNumber), so the round trip below decides exactly. */
const LIMIT = 2 ** 50;

/**
 * n with n·10^-scale the decimal big.js makes of `value` (its shortest round-trip text), or UNSURE when
 * that decimal has more than `scale` places, n would not be a safe integer (for a value with a fraction:
 * |value|·10^scale is 2^50 or more), or `value` is not finite. `scale` is 0 to 22. Both zeros are 0:
 * big.js writes and compares a zero without its sign.
 *
 * Exact: a safe integer's String() is its digits, and its product with 10^scale is exact when safe.
 * Any other value (the argument of bigFromNumber, at one scale): below 2^50, round(|value|·10^scale)
 * is the n of the one decimal with at most `scale` places that reads back as `value`, if there is
 * one, and n / 10^scale === |value| says there is. The shortest round-trip text has the fewest places of all
 * decimals reading back as `value`, so it has at most `scale` places too, and is that decimal.
 */
export function numberUnits(value: number, scale: number): number {
  const pow = POW10[scale]!;
  if (Number.isSafeInteger(value)) return value === 0 ? 0 : safe(value * pow);
  const abs = Math.abs(value);
  const scaled = abs * pow;
  if (!(scaled < LIMIT)) throw UNSURE;
  const n = Math.round(scaled);
  if (n / pow !== abs) throw UNSURE;
  return value < 0 ? -n : n;
}
