// Generators of payment card numbers for property tests: Luhn-valid numbers with a real issuer prefix
// and length for every scheme the scrubber knows, written the ways people and systems write them.
import fc from 'fast-check';
import { isLuhnValid } from '../../shared/privacy/cardNumbers';

/** Makes a Luhn-valid number from a prefix and length by choosing the check digit. */
export function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

/** Issuer prefix and length: Visa 16 and 13, Mastercard (51 and 2-series), Amex, Discover, JCB, Diners, UnionPay, Maestro. */
const brandPrefixes: [string, number][] = [
  ['4', 16],
  ['4', 13],
  ['51', 16],
  ['2221', 16],
  ['34', 15],
  ['37', 15],
  ['6011', 16],
  ['65', 19],
  ['3530', 16],
  ['36', 14],
  ['62', 17],
  ['6759', 18],
];

/** Luhn-valid card numbers of every scheme and length. */
export const arbCardNumber = fc
  .tuple(fc.constantFrom(...brandPrefixes), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 20, maxLength: 20 }))
  .map(([[prefix, len], digits]) => withCheckDigit(prefix + digits.join('').slice(0, len - prefix.length - 1)));

/** The card number as people and systems write it: plain, in groups of four with spaces or dashes. */
export const arbWrittenCard = fc
  .tuple(arbCardNumber, fc.constantFrom('', ' ', '-'))
  .map(([pan, sep]) => ({ pan, text: sep ? pan.replace(/(\d{4})(?=\d)/g, `$1${sep}`) : pan }));

export type WrittenCard = { pan: string; text: string };
