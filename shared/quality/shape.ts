// shared/quality/shape.ts: a hand-written structural check of the canonical model, run on every
// transaction in place of the zod schema (which cost a fifth of the pipeline's time on transactions
// the adapters had just built). It is deliberately at least as strict as `CanonicalTransaction`:
// `true` here implies the zod schema accepts the value, and anything else goes to zod, which then
// gives its exact issues as `schema.invalid` findings. test/quality/shape.test.ts holds the two to
// agreement on mutated transactions.
//
// The string formats are checked by character codes rather than the model's regexes (a regex test per
// decimal field was most of this check's time); test/quality/shapeFormats.test.ts compares each with
// the pattern from shared/model/canonical.ts on generated strings.
import { CHARGE_TYPES, SOURCE_NAMES, TENDER_METHODS, type CanonicalTransaction } from '../model';

const SOURCES: ReadonlySet<unknown> = new Set(SOURCE_NAMES);
const KINDS: ReadonlySet<unknown> = new Set(['sale', 'return', 'void', 'payment']);
const CHANNELS: ReadonlySet<unknown> = new Set(['store', 'online', 'mobile', 'unknown']);
const METHODS: ReadonlySet<unknown> = new Set(TENDER_METHODS);
const CHARGES: ReadonlySet<unknown> = new Set(CHARGE_TYPES);

type Obj = Record<string, unknown>;

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i); // NaN past the end, which fails both comparisons
  return c >= 48 && c <= 57;
};

/** `/^-?\d+(\.\d+)?$/` (the model's DecimalString). */
export function isDecimalText(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const intStart = i;
  while (i < n && isDigitAt(s, i)) i++;
  if (i === intStart) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46) return false; // '.'
  const fracStart = ++i;
  while (i < n && isDigitAt(s, i)) i++;
  return i > fracStart && i === n;
}

/** `/^\d{4}-\d{2}-\d{2}/` on the first ten characters: YYYY-MM-DD. */
function isDatePrefix(s: string): boolean {
  return (
    isDigitAt(s, 0) &&
    isDigitAt(s, 1) &&
    isDigitAt(s, 2) &&
    isDigitAt(s, 3) &&
    s.charCodeAt(4) === 45 &&
    isDigitAt(s, 5) &&
    isDigitAt(s, 6) &&
    s.charCodeAt(7) === 45 &&
    isDigitAt(s, 8) &&
    isDigitAt(s, 9)
  );
}

/** `/^\d{4}-\d{2}-\d{2}$/` (the model's BusinessDate). */
export function isBusinessDateText(s: string): boolean {
  return s.length === 10 && isDatePrefix(s);
}

/** `/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/` (the model's UtcInstant). */
export function isUtcInstantText(s: string): boolean {
  return (
    s.length === 24 &&
    isDatePrefix(s) &&
    s.charCodeAt(10) === 84 && // 'T'
    isDigitAt(s, 11) &&
    isDigitAt(s, 12) &&
    s.charCodeAt(13) === 58 && // ':'
    isDigitAt(s, 14) &&
    isDigitAt(s, 15) &&
    s.charCodeAt(16) === 58 &&
    isDigitAt(s, 17) &&
    isDigitAt(s, 18) &&
    s.charCodeAt(19) === 46 && // '.'
    isDigitAt(s, 20) &&
    isDigitAt(s, 21) &&
    isDigitAt(s, 22) &&
    s.charCodeAt(23) === 90 // 'Z'
  );
}

const isUpperAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90;
};

/** `/^[A-Z]{3}$/` (the model's CurrencyCode). */
export function isCurrencyText(s: string): boolean {
  return s.length === 3 && isUpperAt(s, 0) && isUpperAt(s, 1) && isUpperAt(s, 2);
}

/** `/^\d{4}$/` (a tender's last4). */
export function isLast4Text(s: string): boolean {
  return s.length === 4 && isDigitAt(s, 0) && isDigitAt(s, 1) && isDigitAt(s, 2) && isDigitAt(s, 3);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isDecimal(v: unknown): boolean {
  return typeof v === 'string' && isDecimalText(v);
}
function optString(v: unknown): boolean {
  return v === undefined || typeof v === 'string';
}
function stringOrNull(v: unknown): boolean {
  return v === null || typeof v === 'string';
}
function decimalOrNull(v: unknown): boolean {
  return v === null || isDecimal(v);
}

function isDiscount(d: unknown): boolean {
  if (!isObject(d)) return false;
  return (
    isDecimal(d.amount) &&
    (d.lineNo === undefined || Number.isSafeInteger(d.lineNo)) &&
    optString(d.promotionId) &&
    optString(d.code) &&
    optString(d.description)
  );
}

function isLine(l: unknown): boolean {
  if (!isObject(l)) return false;
  return (
    Number.isSafeInteger(l.lineNo) &&
    typeof l.sku === 'string' &&
    optString(l.gtin) &&
    typeof l.description === 'string' &&
    isDecimal(l.quantity) &&
    isDecimal(l.unitPrice) &&
    isDecimal(l.amount) &&
    isDecimal(l.discount) &&
    decimalOrNull(l.tax)
  );
}

function isTender(t: unknown): boolean {
  if (!isObject(t)) return false;
  const last4 = t.last4;
  return (
    METHODS.has(t.method) &&
    isDecimal(t.amount) &&
    optString(t.cardBrand) &&
    (last4 === undefined || (typeof last4 === 'string' && isLast4Text(last4))) &&
    optString(t.status)
  );
}

function isCharge(c: unknown): boolean {
  if (!isObject(c)) return false;
  return (
    CHARGES.has(c.type) &&
    isDecimal(c.amount) &&
    (c.tax === undefined || decimalOrNull(c.tax)) &&
    optString(c.description)
  );
}

function isFinding(f: unknown): boolean {
  if (!isObject(f)) return false;
  const code = f.code;
  const severity = f.severity;
  return (
    typeof code === 'string' &&
    code.length > 0 &&
    (severity === 'error' || severity === 'warning') &&
    typeof f.path === 'string' &&
    typeof f.message === 'string'
  );
}

function isCustomer(c: unknown): boolean {
  return (
    c === null ||
    (isObject(c) &&
      optString(c.ref) &&
      optString(c.emailRef) &&
      optString(c.phoneRef) &&
      optString(c.loyaltyRef))
  );
}

// One loop per array kind rather than a generic `every(array, predicate)`: each call site then sees a
// single predicate, which V8 inlines.
function allDiscounts(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isDiscount(v[i])) return false;
  return true;
}
function allLines(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isLine(v[i])) return false;
  return true;
}
function allTenders(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isTender(v[i])) return false;
  return true;
}
function allCharges(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isCharge(v[i])) return false;
  return true;
}
function allFindings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isFinding(v[i])) return false;
  return true;
}

/** True only when `CanonicalTransaction.safeParse(value)` succeeds; false means "ask zod". */
export function hasCanonicalShape(value: unknown): value is CanonicalTransaction {
  if (!isObject(value)) return false;
  const tx = value;
  const id = tx.id;
  const sourceKey = tx.sourceKey;
  const businessDate = tx.businessDate;
  const occurredAt = tx.occurredAt;
  const currency = tx.currency;
  const originalRef = tx.originalRef;
  return (
    tx.schemaVersion === 1 &&
    typeof id === 'string' &&
    id.length > 0 &&
    SOURCES.has(tx.source) &&
    typeof sourceKey === 'string' &&
    sourceKey.length > 0 &&
    KINDS.has(tx.kind) &&
    CHANNELS.has(tx.channel) &&
    stringOrNull(tx.storeId) &&
    stringOrNull(tx.registerId) &&
    stringOrNull(tx.operatorId) &&
    typeof businessDate === 'string' &&
    isBusinessDateText(businessDate) &&
    typeof occurredAt === 'string' &&
    isUtcInstantText(occurredAt) &&
    (currency === null || (typeof currency === 'string' && isCurrencyText(currency))) &&
    isDecimal(tx.total) &&
    decimalOrNull(tx.taxTotal) &&
    isDecimal(tx.discountTotal) &&
    allDiscounts(tx.discounts) &&
    allLines(tx.lines) &&
    allTenders(tx.tenders) &&
    (tx.charges === undefined || allCharges(tx.charges)) &&
    isCustomer(tx.customer) &&
    (originalRef === null || (isObject(originalRef) && typeof originalRef.sourceKey === 'string')) &&
    allFindings(tx.findings)
  );
}
