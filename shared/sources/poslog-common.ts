// shared/sources/poslog-common.ts: reading the plain objects parseXml makes of POSLog, and the card and
// loyalty number rules the POSLog adapter applies. Kept beside poslog.ts so a second POSLog dialect
// can share them.
import Big from 'big.js';
import { z } from 'zod';
import { isCardNumber, isLuhnValid } from '../privacy/cardNumbers';

/**
 * An element's text. parseXml gives a string for a bare element, `{ '#text', '@_attr' }` when it has
 * attributes, and an array when a name repeats (also when a vendor prefix, removed by the parser,
 * made two different elements share a name): the first occurrence is the one meant.
 */
export function textOf(node: unknown): string | undefined {
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'string') return node.trim() === '' ? undefined : node.trim();
  if (node && typeof node === 'object' && '#text' in node) return textOf((node as Record<string, unknown>)['#text']);
  return undefined;
}

/** An attribute value (`@_name`) of an element, trimmed; undefined when absent. */
export function attrOf(node: unknown, name: string): string | undefined {
  if (Array.isArray(node)) return attrOf(node[0], name);
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as Record<string, unknown>)[`@_${name}`];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** XML Schema boolean: `true`/`1` (case-insensitive, as some POS write `True`). */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1)$/i.test(value);
}

/** xs:decimal as POSLog writes amounts: optional sign, digits, dot; no exponent, no decimal comma. */
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

export function isDecimalText(text: string | undefined): text is string {
  return text !== undefined && DECIMAL.test(text);
}

/** The decimal in an element, or undefined when the element is absent or not a decimal. */
export function decimalOf(node: unknown): Big | undefined {
  const t = textOf(node);
  return isDecimalText(t) ? new Big(t.replace(/^\+/, '')) : undefined;
}

/** zod: an optional element holding a decimal (its text, attributes allowed). */
export const DecimalElement = z
  .unknown()
  .refine((v) => isDecimalText(textOf(v)), { message: 'expected a decimal number with a dot as separator' })
  .optional();

/** zod: an element that may repeat; a single occurrence (or none) becomes an array. */
export function many<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(schema));
}

/** The digits of a number written with optional spaces or dashes between them; undefined otherwise. */
function digitsOf(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) ? digits : undefined;
}

/**
 * True when a card tender's account-number element holds a full number, not a masked one: 12 to 19
 * digits passing Luhn. The element names a payment card, so no card-scheme prefix is required (a
 * private-label card has none the scheme list knows). Masked numbers (`************1111`) are not.
 */
export function isUnmaskedPan(text: string): boolean {
  const digits = digitsOf(text);
  return digits !== undefined && digits.length >= 12 && digits.length <= 19 && isLuhnValid(digits);
}

/**
 * True when a number read as a loyalty id is really a payment card (one swiped at the loyalty prompt):
 * a card number by the rule the scrubber applies (card-scheme prefix and Luhn), or one the scrubber
 * already masked (`411111******1111`). Luhn alone is not enough: one loyalty number in ten passes it, and
 * one that fails it is never card data.
 */
export function isPaymentCardNumber(text: string): boolean {
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d{0,6}\*+\d{4}$/.test(compact) && compact.length >= 12 && compact.length <= 19) return true;
  const digits = digitsOf(text);
  return digits !== undefined && isCardNumber(digits);
}

/** The last four digits of a (masked or full) card number, when it ends in four digits. */
export function last4Of(text: string | undefined): string | undefined {
  const m = text ? /(\d{4})\s*$/.exec(text) : null;
  return m ? m[1] : undefined;
}
