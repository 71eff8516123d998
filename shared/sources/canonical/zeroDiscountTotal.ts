// shared/sources/canonical/zeroDiscountTotal.ts: the discount total of a canonical transaction without
// discounts, the usual case, without big.js. The adapter otherwise parses the stated total into a Big,
// compares it with the (zero) sum and formats that zero for the currency, for every transaction.
import { toMoneyString, ZERO } from '../../model/money';

/**
 * Whether decimal text that matches the model's pattern (/^-?\d+(\.\d+)?$/) is zero: exactly when all
 * its digits are '0' ("-0.00" included, which big.js also takes as equal to 0). Only for such text:
 * anything else must go through `dec`.
 */
export function isZeroDecimalText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 48 && c !== 46 && c !== 45) return false; // '0', '.', '-'
  }
  return true;
}

// Currencies are /^[A-Z]{3}$/ or null in the model, so this holds at most 26^3 + 1 short strings.
const zeroText = new Map<string | null, string>();

/** `toMoneyString(ZERO, currency)`, remembered per currency. */
export function zeroMoneyText(currency: string | null): string {
  let text = zeroText.get(currency);
  if (text === undefined) {
    text = toMoneyString(ZERO, currency);
    zeroText.set(currency, text);
  }
  return text;
}
