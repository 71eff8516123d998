// shared/quality/shape.ts: a hand-written structural check of the canonical model, run on every
// transaction in place of the zod schema (which cost a fifth of the pipeline's time on transactions
// the adapters had just built). It is deliberately at least as strict as `CanonicalTransaction`:
// `true` here implies the zod schema accepts the value, and anything else goes to zod, which then
// gives its exact issues as `schema.invalid` findings. test/quality/shape.test.ts holds the two to
// agreement on mutated transactions.
import { CHARGE_TYPES, SOURCE_NAMES, TENDER_METHODS, type CanonicalTransaction } from '../../../shared/model';

// The same patterns as shared/model/canonical.ts.
const DECIMAL = /^-?\d+(\.\d+)?$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const LAST4 = /^\d{4}$/;

const SOURCES: ReadonlySet<unknown> = new Set(SOURCE_NAMES);
const KINDS: ReadonlySet<unknown> = new Set(['sale', 'return', 'void', 'payment']);
const CHANNELS: ReadonlySet<unknown> = new Set(['store', 'online', 'mobile', 'unknown']);
const METHODS: ReadonlySet<unknown> = new Set(TENDER_METHODS);
const CHARGES: ReadonlySet<unknown> = new Set(CHARGE_TYPES);
const SEVERITIES: ReadonlySet<unknown> = new Set(['error', 'warning']);

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isDecimal = (v: unknown) => typeof v === 'string' && DECIMAL.test(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';
const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
const decimalOrNull = (v: unknown) => v === null || isDecimal(v);
const isInt = (v: unknown) => Number.isSafeInteger(v);

function every(v: unknown, item: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
  return true;
}

const isDiscount = (d: unknown) =>
  isObject(d) &&
  isDecimal(d.amount) &&
  (d.lineNo === undefined || isInt(d.lineNo)) &&
  optString(d.promotionId) &&
  optString(d.code) &&
  optString(d.description);

const isLine = (l: unknown) =>
  isObject(l) &&
  isInt(l.lineNo) &&
  isString(l.sku) &&
  optString(l.gtin) &&
  isString(l.description) &&
  isDecimal(l.quantity) &&
  isDecimal(l.unitPrice) &&
  isDecimal(l.amount) &&
  isDecimal(l.discount) &&
  decimalOrNull(l.tax);

const isTender = (t: unknown) =>
  isObject(t) &&
  METHODS.has(t.method) &&
  isDecimal(t.amount) &&
  optString(t.cardBrand) &&
  (t.last4 === undefined || (isString(t.last4) && LAST4.test(t.last4))) &&
  optString(t.status);

const isCharge = (c: unknown) =>
  isObject(c) && CHARGES.has(c.type) && isDecimal(c.amount) && (c.tax === undefined || decimalOrNull(c.tax)) && optString(c.description);

const isFinding = (f: unknown) =>
  isObject(f) && isString(f.code) && f.code.length > 0 && SEVERITIES.has(f.severity) && isString(f.path) && isString(f.message);

const isCustomer = (c: unknown) =>
  c === null || (isObject(c) && optString(c.ref) && optString(c.emailRef) && optString(c.phoneRef) && optString(c.loyaltyRef));

/** True only when `CanonicalTransaction.safeParse(value)` succeeds; false means "ask zod". */
export function hasCanonicalShape(value: unknown): value is CanonicalTransaction {
  if (!isObject(value)) return false;
  const tx = value;
  return (
    tx.schemaVersion === 1 &&
    isString(tx.id) &&
    tx.id.length > 0 &&
    SOURCES.has(tx.source) &&
    isString(tx.sourceKey) &&
    tx.sourceKey.length > 0 &&
    KINDS.has(tx.kind) &&
    CHANNELS.has(tx.channel) &&
    stringOrNull(tx.storeId) &&
    stringOrNull(tx.registerId) &&
    stringOrNull(tx.operatorId) &&
    isString(tx.businessDate) &&
    BUSINESS_DATE.test(tx.businessDate) &&
    isString(tx.occurredAt) &&
    UTC_INSTANT.test(tx.occurredAt) &&
    (tx.currency === null || (isString(tx.currency) && CURRENCY.test(tx.currency))) &&
    isDecimal(tx.total) &&
    decimalOrNull(tx.taxTotal) &&
    isDecimal(tx.discountTotal) &&
    every(tx.discounts, isDiscount) &&
    every(tx.lines, isLine) &&
    every(tx.tenders, isTender) &&
    (tx.charges === undefined || every(tx.charges, isCharge)) &&
    isCustomer(tx.customer) &&
    (tx.originalRef === null || (isObject(tx.originalRef) && isString(tx.originalRef.sourceKey))) &&
    every(tx.findings, isFinding)
  );
}
