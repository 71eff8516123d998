// shared/model/units/unitsText.ts: decimal text of an integer count of 10^-scale units, written the way
// toMoneyString/toDecimalString write the same value as a Big, without building one. The whole part and
// the fraction are split by exact integer arithmetic and each written once (a digit string padded,
// scanned and sliced was most of an integer money path's time).
import { POW10 } from './pow10';

/** Up to this scale 10^scale + fraction (below 2·10^15) is exact, so it writes the fraction's digits. */
const PADDED_BY_SUM = 15;

/**
 * `units`·10^-scale with its own places (trailing zeros dropped, as a Big keeps none) but at least
 * `minDecimals`: `unitsText(125000, 5, 0)` is "1.25", `unitsText(450, 2, 2)` "4.50", `unitsText(7, 0, 0)`
 * "7". `units` must be a safe integer and `minDecimals` at most `scale`. A zero is written without a
 * sign, as big.js writes it.
 *
 * Exact: the floor of |units| / 10^scale is the true whole part (the argument of halfUpQuotient), so
 * the fraction |units| - whole·10^scale is an exact integer below 10^scale.
 */
export function unitsText(units: number, scale: number, minDecimals: number): string {
  const negative = units < 0;
  const abs = negative ? -units : units;
  let whole = 0;
  let digits: string; // "1", then the fraction's `scale` digits with their leading zeros
  if (scale <= PADDED_BY_SUM) {
    const unit = POW10[scale]!;
    whole = Math.floor(abs / unit);
    digits = String(unit + (abs - whole * unit));
  } else {
    // |units| < 2^53 < 10^16 <= 10^scale: no whole part, only a fraction to pad.
    digits = '1' + String(abs).padStart(scale, '0');
  }
  let end = scale + 1;
  while (end > 1 + minDecimals && digits.charCodeAt(end - 1) === 48) end--;
  const text = end > 1 ? `${whole}.${digits.slice(1, end)}` : String(whole);
  // A negative `units` is not zero, so its text has a non-zero digit: never a signed zero.
  return negative ? '-' + text : text;
}
