// shared/sources/clover/scaledText.ts: decimal text of an integer count of 10^-scale units, written the
// way the money helpers write the equivalent Big, without building one.

/**
 * `toDecimalString(n·10^-scale, dp)` with dp = max(the value's own decimal places, minDecimals): the
 * fraction keeps its digits up to the last non-zero one, padded with zeros to `minDecimals`
 * (`scaledText(1250, 3, 0)` is "1.25", `scaledText(450, 2, 2)` "4.50", `scaledText(7, 0, 0)` "7").
 * `n` must be a safe integer (its String() is then plain digits) and `minDecimals` at most `scale`.
 * Like big.js, a zero is written without a sign.
 */
export function scaledText(n: number, scale: number, minDecimals: number): string {
  const negative = n < 0;
  let digits = String(negative ? -n : n);
  if (digits.length <= scale) digits = '0'.repeat(scale + 1 - digits.length) + digits;
  const point = digits.length - scale;
  let end = digits.length;
  // Trailing zeros are not digits the value has (Big drops them), beyond the places asked for.
  while (end > point + minDecimals && digits.charCodeAt(end - 1) === 48) end--;
  const text = end > point ? `${digits.slice(0, point)}.${digits.slice(point, end)}` : digits.slice(0, point);
  return negative ? '-' + text : text;
}
