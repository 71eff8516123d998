// shared/model/units/negateText.ts: the text of a decimal's negation, from the decimal's text.

const NON_ZERO_DIGIT = /[1-9]/;

/**
 * What `toDecimalString(value.neg(), dp)` writes, given `toDecimalString(value, dp)`: negating keeps
 * the digits and the number of places, so only the sign changes, and a zero (written without a sign
 * whatever its sign) stays as it is.
 */
export function negateText(text: string): string {
  if (text.charCodeAt(0) === 45) return text.slice(1);
  return NON_ZERO_DIGIT.test(text) ? '-' + text : text;
}
