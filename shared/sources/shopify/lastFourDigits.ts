// shared/sources/shopify/lastFourDigits.ts: the last four digits of a masked card number as Shopify
// writes it ("•••• •••• •••• 4242", "XXXX-XXXX-XXXX-4242").

/** The reference: four digits followed by nothing but non-digits up to the end. */
export const LAST_FOUR = /(\d{4})\D*$/;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * `LAST_FOUR.exec(text)?.[1]` without running the regex from every position of the text. A match's
 * four digits are followed only by non-digits, so they end at the text's last digit: the match exists
 * exactly when that digit and the three before it are digits, and it is those four (`\d` is ASCII 0-9).
 */
export function lastFourDigits(text: string): string | undefined {
  let end = text.length - 1;
  while (end >= 0 && !isDigit(text.charCodeAt(end))) end--;
  if (end < 3) return undefined;
  for (let i = end - 3; i < end; i++) if (!isDigit(text.charCodeAt(i))) return undefined;
  return text.slice(end - 3, end + 1);
}
