// shared/sources/readPosLogTransaction.ts: the PosLogTransaction schema of poslog.ts written out by
// hand for the plain objects parseXml makes. It gives what the zod schema gives (repeatable elements
// as arrays, everything else passed through) when the transaction is valid, and undefined otherwise:
// the adapter then runs the zod schema, whose issues word the findings.
import type { PosLogTransaction } from './poslog';
import { isDecimalText, textOf } from './poslog-common';

type Obj = Record<string, unknown>;

/** A plain data object, as parseXml and JSON.parse make them (nothing zod would copy differently). */
function isPlain(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return (
    (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(v, '__proto__')
  );
}

/** zod `many`: absent or empty becomes [], one occurrence [it]; undefined when an item is invalid. */
function many<T>(v: unknown, item: (x: unknown) => T | undefined): T[] | undefined {
  if (v === undefined || v === '') return [];
  const list = Array.isArray(v) ? v : [v];
  const out: T[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const x = item(list[i]);
    if (x === undefined) return undefined;
    out[i] = x;
  }
  return out;
}

/** `many(z.unknown())`: every item is valid. */
const anyMany = (v: unknown): unknown[] =>
  v === undefined || v === '' ? [] : Array.isArray(v) ? [...v] : [v];

/** DecimalElement: absent, or an element whose text is a decimal. */
const decimalOk = (v: unknown) => v === undefined || isDecimalText(textOf(v));

/**
 * A loose object whose listed keys hold decimals (or are absent). zod would return a copy with the
 * same content; the adapter only reads it, so the object itself does.
 */
function withDecimals(v: unknown, keys: readonly string[]): Obj | undefined {
  if (!isPlain(v)) return undefined;
  for (const k of keys) if (!decimalOk(v[k])) return undefined;
  return v;
}

function link(v: unknown): Obj | undefined {
  if (!isPlain(v)) return undefined;
  const BusinessUnit = anyMany(v.BusinessUnit);
  return { ...v, BusinessUnit };
}

const ITEM_DECIMALS = [
  'RegularSalesUnitPrice',
  'ActualSalesUnitPrice',
  'UnitListPrice',
  'ExtendedAmount',
  'ExtendedDiscountAmount',
  'DiscountAmount',
  'Quantity',
] as const;
const AMOUNT = ['Amount'] as const;
const REWARD = ['ExtendedRewardAmount', 'Amount'] as const;

function item(v: unknown): Obj | undefined {
  if (!isPlain(v)) return undefined;
  for (const k of ITEM_DECIMALS) if (!decimalOk(v[k])) return undefined;
  const POSIdentity = anyMany(v.POSIdentity);
  const RetailPriceModifier = many(v.RetailPriceModifier, (m) => withDecimals(m, AMOUNT));
  const Tax = many(v.Tax, (t) => withDecimals(t, AMOUNT));
  const TransactionLink = many(v.TransactionLink, link);
  const ReturnLink = many(v.ReturnLink, link);
  if (!RetailPriceModifier || !Tax || !TransactionLink || !ReturnLink) return undefined;
  return { ...v, POSIdentity, RetailPriceModifier, Tax, TransactionLink, ReturnLink };
}

function tender(v: unknown): Obj | undefined {
  if (!isPlain(v) || !isDecimalText(textOf(v.Amount))) return undefined;
  const TenderChange = many(v.TenderChange, (c) => withDecimals(c, AMOUNT));
  return TenderChange && { ...v, TenderChange };
}

/** An optional element: absent stays absent (key kept only when it was there). */
function optional(v: Obj, key: string, read: (x: unknown) => Obj | undefined, out: Obj): boolean {
  const x = v[key];
  if (x === undefined) return true;
  const r = read(x);
  if (r === undefined) return false;
  out[key] = r;
  return true;
}

function lineItem(v: unknown): Obj | undefined {
  if (!isPlain(v)) return undefined;
  const out: Obj = { ...v };
  const Tax = many(v.Tax, (t) => withDecimals(t, AMOUNT));
  if (!Tax) return undefined;
  out.Tax = Tax;
  const ok =
    optional(v, 'Sale', item, out) &&
    optional(v, 'Return', item, out) &&
    optional(v, 'Tender', tender, out) &&
    optional(v, 'TenderChange', (x) => withDecimals(x, AMOUNT), out) &&
    optional(v, 'Discount', (x) => withDecimals(x, AMOUNT), out) &&
    optional(v, 'LoyaltyReward', (x) => withDecimals(x, REWARD), out);
  return ok ? out : undefined;
}

function retailTransaction(v: unknown): Obj | undefined {
  if (!isPlain(v)) return undefined;
  const LineItem = many(v.LineItem, lineItem);
  const TransactionLink = many(v.TransactionLink, link);
  if (!LineItem || !TransactionLink) return undefined;
  return {
    ...v,
    LineItem,
    Total: anyMany(v.Total),
    TransactionLink,
    LoyaltyAccount: anyMany(v.LoyaltyAccount),
  };
}

/** What PosLogTransaction.safeParse(raw).data is when it succeeds on a plain object; else undefined. */
export function readPosLogTransaction(raw: unknown): PosLogTransaction | undefined {
  if (!isPlain(raw)) return undefined;
  const out: Obj = { ...raw, BusinessUnit: anyMany(raw.BusinessUnit) };
  if (!optional(raw, 'RetailTransaction', retailTransaction, out)) return undefined;
  return out as PosLogTransaction;
}
