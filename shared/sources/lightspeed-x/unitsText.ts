// shared/sources/lightspeed-x/unitsText.ts: decimal text of a count of 10^-5 (the register's unit), written
// the way toMoneyString/toDecimalString write the same value as a Big. Writing the text was most of the
// integer money path's time through the generic scaledText (a digit string padded, scanned and sliced);
// here the whole and fractional parts are split by exact integer arithmetic and each written once.

/**
 * `n`·10^-5 with its own decimals (trailing zeros dropped, as a Big keeps none) but at least
 * `minDecimals` (0 to 5): `unitsText(125000, 0)` is "1.25", `unitsText(450000, 2)` "4.50",
 * `unitsText(700000, 0)` "7". `n` must be a safe integer. A zero is written without a sign, as big.js
 * writes it.
 */
export function unitsText(n: number, minDecimals: number): string {
  const negative = n < 0;
  const abs = negative ? -n : n;
  // Exact whole part and fraction without `%` (which V8 computes for doubles by calling fmod): the
  // floor of the rounded division is the true floor, as halfUpQuotient explains.
  const whole = Math.floor(abs / 1e5);
  const fraction = abs - whole * 1e5;
  // 10^5 + fraction is "1" and the fraction's five digits with their leading zeros.
  const digits = String(1e5 + fraction);
  let end = 6;
  while (end > 1 + minDecimals && digits.charCodeAt(end - 1) === 48) end--;
  const text = end > 1 ? `${whole}.${digits.slice(1, end)}` : String(whole);
  // A negative n is not zero, so its text has a non-zero digit: never a signed zero.
  return negative ? '-' + text : text;
}
