// shared/sources/lightspeed-x/unitsText.ts: decimal text of a count of 10^-5 (the register's unit), written
// the way toMoneyString/toDecimalString write the same value as a Big. Writing the text was most of the
// integer money path's time through the generic scaledText (a digit string padded, scanned and sliced);
// here the whole and fractional parts are split by exact integer arithmetic and each written once.

/** Zeros to pad a fraction of 1 to 5 digits. */
const ZEROS = ['', '0', '00', '000', '0000'];

/**
 * `n`·10^-5 with its own decimals (trailing zeros dropped, as a Big keeps none) but at least
 * `minDecimals` (0 to 5): `unitsText(125000, 0)` is "1.25", `unitsText(450000, 2)` "4.50",
 * `unitsText(700000, 0)` "7". `n` must be a safe integer. A zero is written without a sign, as big.js
 * writes it.
 */
export function unitsText(n: number, minDecimals: number): string {
  const negative = n < 0;
  const abs = negative ? -n : n;
  // `%` is exact on doubles, so abs - fraction is a multiple of 10^5 and the division gives it exactly.
  let fraction = abs % 1e5;
  const whole = (abs - fraction) / 1e5;
  let places = 5;
  while (places > minDecimals && fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  let text = String(whole);
  if (places > 0) {
    const digits = String(fraction);
    text += '.' + ZEROS[places - digits.length]! + digits;
  }
  return negative ? '-' + text : text;
}
