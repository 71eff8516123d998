// shared/sources/poslog-common.ts: reading the plain objects parseXml makes of POSLog, and the card and
// loyalty number rules the POSLog adapter applies. Kept beside poslog.ts so a second POSLog dialect
// can share them.
import Big from 'big.js';
import { z } from 'zod';

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

/** Luhn checksum (ISO/IEC 7812), which every payment card number satisfies. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

/**
 * True when text could be a full payment card number: 12 to 19 digits (spaces or dashes allowed)
 * passing Luhn. Masked numbers (`************1111`) are not.
 */
export function looksLikeCardNumber(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{12,19}$/.test(digits) && passesLuhn(digits);
}

/** The last four digits of a (masked or full) card number, when it ends in four digits. */
export function last4Of(text: string | undefined): string | undefined {
  const m = text ? /(\d{4})\s*$/.exec(text) : null;
  return m ? m[1] : undefined;
}
