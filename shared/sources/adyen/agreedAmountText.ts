// shared/sources/adyen/agreedAmountText.ts: the money text of an Adyen amount in the usual case, where
// the major-unit JSON number and the minor-unit text of AdditionalResponse agree, without big.js.

/** Minor-unit text this long is below 10^15: exact as a Number, and at most 15 significant digits. */
const MAX_MINOR_DIGITS = 15;
const POW10 = [1, 10, 100, 1000, 10000];

/**
 * `toMoneyString(dec(major).times(negative ? -1 : 1), currency)` when `dec(major).eq(fromMinorUnits(
 * minorText, currency))`, for a currency of `digits` minor digits; undefined in every other case
 * (a string amount, text that is not up to 15 plain digits, amounts that disagree), where the caller
 * takes big.js, which also words the disagreement.
 *
 * Why comparing Numbers decides it: with n = Number(minorText) (exact, below 2^53), `n / 10^digits` is
 * the double nearest to the decimal n·10^-digits. dec(major) is major's shortest round-trip text. If the
 * two decimals are equal, major is that nearest double. Conversely, if major is that double, its
 * shortest text has no more significant digits than n·10^-digits (at most 15), and two different
 * decimals of at most 15 significant digits never round to the same double (DBL_DIG is 15), so the two
 * decimals are equal. The agreed amount then has at most `digits` places, so its money text has
 * exactly `digits` places: n written with the decimal point moved, and, like big.js, no sign on a zero.
 */
export function agreedAmountText(major: unknown, minorText: string | undefined, digits: number, negative: boolean): string | undefined {
  if (typeof major !== 'number' || minorText === undefined) return undefined;
  const length = minorText.length;
  if (length === 0 || length > MAX_MINOR_DIGITS || !(digits >= 0 && digits < POW10.length)) return undefined;
  for (let i = 0; i < length; i++) {
    const c = minorText.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(minorText);
  if (major !== n / POW10[digits]!) return undefined;
  return minorUnitsText(n, digits, negative && n !== 0);
}

/** The non-negative integer `n` of 10^-digits units as decimal text with exactly `digits` places. */
function minorUnitsText(n: number, digits: number, negative: boolean): string {
  let text = String(n);
  if (digits > 0) {
    if (text.length <= digits) text = '0'.repeat(digits + 1 - text.length) + text;
    const point = text.length - digits;
    text = `${text.slice(0, point)}.${text.slice(point)}`;
  }
  return negative ? '-' + text : text;
}
