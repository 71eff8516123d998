// shared/quality/readCanonical.ts: the structural check of the canonical model and the reading of its
// amounts in one walk over the transaction. The check, `amountsOf` and the quantities rule used to walk
// every transaction three times, each reading the same properties (megamorphic loads once the adapters'
// objects of every source pass through) and scanning the same decimal text; here every property is
// read once and every decimal scanned once.
//
// The check is deliberately at least as strict as `CanonicalTransaction` (the zod schema): a result
// here implies the schema accepts the value; `undefined` means "ask zod", which then gives its exact
// issues as `schema.invalid` findings. test/quality/shape.test.ts holds the two to agreement on
// mutated transactions (through `hasCanonicalShape`, which is this check), and
// test/quality/readCanonical.test.ts holds the amounts to `amountsOf` and the lines to `lineAddsUp`.
import { CHARGE_TYPES, SOURCE_NAMES, TENDER_METHODS } from '../model';
import { minorUnits } from '../model/money';
import { countsAsPaid, emptyAmounts, scaledUnits, settleExactness, type TxAmounts } from './amounts';
import { fractionDigits, readDigits } from './exactDecimals';
import { digitsAddUp } from './lineAddsUp';
import { isPlaceholder } from './rules/placeholders';
import { isBusinessDateText, isCurrencyText, isDecimalText, isLast4Text, isUtcInstantText } from './textFormats';

const SOURCES: ReadonlySet<unknown> = new Set(SOURCE_NAMES);
const KINDS: ReadonlySet<unknown> = new Set(['sale', 'return', 'void', 'payment']);
const CHANNELS: ReadonlySet<unknown> = new Set(['store', 'online', 'mobile', 'unknown']);
const METHODS: ReadonlySet<unknown> = new Set(TENDER_METHODS);
const CHARGES: ReadonlySet<unknown> = new Set(CHARGE_TYPES);

type Obj = Record<string, unknown>;

/**
 * What the rules read of a transaction besides its amounts, filled in by `readCanonical` when asked
 * (from values it reads anyway) for ../quietRules, which judges every rule at once on them. Meaningful
 * only when readCanonical returned amounts.
 */
export interface ReadFacts {
  kind: string;
  currency: string | null;
  occurredAt: string;
  businessDate: string;
  lineCount: number;
  /** 0 when the transaction has no charges. */
  chargeCount: number;
  /**
   * No placeholder (`isPlaceholder`) among storeId, registerId, operatorId and the lines' skus and
   * descriptions, and a store for an in-store transaction: the placeholders rule has nothing to say.
   * False says only that the rule must look.
   */
  plainTexts: boolean;
}

/** Whether the placeholders rule passes a line's sku and description (see ReadFacts.plainTexts). */
let linesPlain = false;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function optString(v: unknown): boolean {
  return v === undefined || typeof v === 'string';
}
function stringOrNull(v: unknown): boolean {
  return v === null || typeof v === 'string';
}

// What `decimal` read last: the digits as `readDigits` gives them (NaN when they do not fit, though the
// text is a decimal), and the count of decimals (0 with NaN). Module state rather than an object per
// value: this runs for every amount of every transaction.
let digits = 0;
let fraction = 0;

/** Whether `v` is decimal text (the model's DecimalString); when it is, `digits` and `fraction` hold it. */
function decimal(v: unknown): boolean {
  const m = readDigits(v);
  if (m === m) {
    digits = m;
    fraction = fractionDigits();
    return true;
  }
  digits = NaN;
  fraction = 0;
  // readDigits declines decimal text of more than 15 digits too: that is still the model's decimal.
  return typeof v === 'string' && isDecimalText(v);
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
    (isObject(c) && optString(c.ref) && optString(c.emailRef) && optString(c.phoneRef) && optString(c.loyaltyRef))
  );
}

// One function per array kind: each reads its items' fields once, checks them and adds their amounts
// to `a` (each amount added before the next is read, as `scaledUnits` requires). False: not the model.

function readDiscounts(v: unknown, a: TxAmounts): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const d: unknown = v[i];
    if (!isObject(d) || !decimal(d.amount)) return false;
    const lineNo = d.lineNo;
    if (!(lineNo === undefined || Number.isSafeInteger(lineNo))) return false;
    if (!(optString(d.promotionId) && optString(d.code) && optString(d.description))) return false;
    // Only transaction-level discounts (without a lineNo) count towards the total.
    if (lineNo === undefined) {
      const amount = scaledUnits(a, digits, fraction);
      a.orderDiscounts += amount;
      a.magnitude += Math.abs(amount);
    }
  }
  return true;
}

function readLines(v: unknown, a: TxAmounts, texts: boolean): boolean {
  if (!Array.isArray(v)) return false;
  let addUp = true;
  // The placeholder checks only when asked, and only until one fails (the rule then looks itself).
  let plain = texts;
  for (let i = 0; i < v.length; i++) {
    const l: unknown = v[i];
    if (!isObject(l)) return false;
    const sku = l.sku;
    const description = l.description;
    if (!(Number.isSafeInteger(l.lineNo) && typeof sku === 'string' && optString(l.gtin) && typeof description === 'string')) {
      return false;
    }
    if (plain) plain = !isPlaceholder(sku) && !isPlaceholder(description);
    if (!decimal(l.quantity)) return false;
    const q = digits;
    const qd = fraction;
    if (!decimal(l.unitPrice)) return false;
    const price = digits;
    const pd = fraction;
    if (!decimal(l.amount)) return false;
    const amountDigits = digits;
    const ad = fraction;
    const amount = scaledUnits(a, amountDigits, ad);
    a.lines += amount;
    a.magnitude += Math.abs(amount);
    if (!decimal(l.discount)) return false;
    const discount = digits;
    const dd = fraction;
    const tax = l.tax;
    if (tax === null) a.lineTax = NaN;
    else {
      if (!decimal(tax)) return false;
      const taxUnits = scaledUnits(a, digits, fraction);
      a.lineTax += taxUnits;
      a.magnitude += 2 * Math.abs(taxUnits);
    }
    // The same check the quantities rule makes of each line, on the digits already read.
    if (addUp) addUp = digitsAddUp(q, qd, price, pd, discount, dd, amountDigits, ad, a.minorDigits);
  }
  a.linesAddUp = addUp;
  linesPlain = plain;
  return true;
}

function readTenders(v: unknown, a: TxAmounts): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const t: unknown = v[i];
    if (!isObject(t) || !METHODS.has(t.method) || !decimal(t.amount)) return false;
    const last4 = t.last4;
    const status = t.status;
    if (!(optString(t.cardBrand) && (last4 === undefined || (typeof last4 === 'string' && isLast4Text(last4))))) return false;
    if (!optString(status)) return false;
    // Declined or voided tenders moved no money (see countsAsPaid).
    if (countsAsPaid(status as string | undefined)) {
      const amount = scaledUnits(a, digits, fraction);
      a.paid += amount;
      a.paidCount++;
      a.magnitude += Math.abs(amount);
    }
  }
  return true;
}

function readCharges(v: unknown, a: TxAmounts): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const c: unknown = v[i];
    if (!isObject(c) || !CHARGES.has(c.type) || !decimal(c.amount)) return false;
    const amount = scaledUnits(a, digits, fraction);
    a.charges += amount;
    a.magnitude += Math.abs(amount);
    const tax = c.tax;
    if (tax !== undefined && tax !== null) {
      if (!decimal(tax)) return false;
      const taxUnits = scaledUnits(a, digits, fraction);
      a.chargeTax += taxUnits;
      a.magnitude += 2 * Math.abs(taxUnits);
    }
    if (!optString(c.description)) return false;
  }
  return true;
}

function allFindings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!isFinding(v[i])) return false;
  return true;
}

/**
 * The transaction's amounts, as `amountsOf` reads them, when `CanonicalTransaction.safeParse(value)`
 * succeeds; `undefined` means "ask zod". Every field `exact` depends on is the same as `amountsOf`'s:
 * the amounts are read in another order, which changes nothing while the result is exact (see
 * `scaledUnits`), and when it is not, the rules use none of them. `linesAddUp` is set here.
 */
export function readCanonical(value: unknown, facts?: ReadFacts): TxAmounts | undefined {
  if (!isObject(value)) return undefined;
  const tx = value;
  const id = tx.id;
  const sourceKey = tx.sourceKey;
  const businessDate = tx.businessDate;
  const occurredAt = tx.occurredAt;
  const currency = tx.currency;
  const kind = tx.kind;
  const channel = tx.channel;
  const storeId = tx.storeId;
  const registerId = tx.registerId;
  const operatorId = tx.operatorId;
  if (
    !(
      tx.schemaVersion === 1 &&
      typeof id === 'string' &&
      id.length > 0 &&
      SOURCES.has(tx.source) &&
      typeof sourceKey === 'string' &&
      sourceKey.length > 0 &&
      KINDS.has(kind) &&
      CHANNELS.has(channel) &&
      stringOrNull(storeId) &&
      stringOrNull(registerId) &&
      stringOrNull(operatorId) &&
      typeof businessDate === 'string' &&
      isBusinessDateText(businessDate) &&
      typeof occurredAt === 'string' &&
      isUtcInstantText(occurredAt) &&
      (currency === null || (typeof currency === 'string' && isCurrencyText(currency)))
    )
  ) {
    return undefined;
  }
  const a = emptyAmounts(minorUnits(currency as string | null));
  if (!decimal(tx.total)) return undefined;
  const total = scaledUnits(a, digits, fraction);
  a.total += total;
  a.magnitude += Math.abs(total);
  const taxTotal = tx.taxTotal;
  if (taxTotal !== null) {
    if (!decimal(taxTotal)) return undefined;
    const units = scaledUnits(a, digits, fraction);
    a.taxTotal = units;
    a.magnitude += Math.abs(units);
  }
  if (!decimal(tx.discountTotal)) return undefined;
  const charges = tx.charges;
  const originalRef = tx.originalRef;
  const lines = tx.lines;
  if (
    !(
      readDiscounts(tx.discounts, a) &&
      readLines(lines, a, facts !== undefined) &&
      readTenders(tx.tenders, a) &&
      (charges === undefined || readCharges(charges, a)) &&
      isCustomer(tx.customer) &&
      (originalRef === null || (isObject(originalRef) && typeof originalRef.sourceKey === 'string')) &&
      allFindings(tx.findings)
    )
  ) {
    return undefined;
  }
  settleExactness(a);
  if (facts !== undefined) {
    facts.kind = kind as string;
    facts.currency = currency as string | null;
    facts.occurredAt = occurredAt;
    facts.businessDate = businessDate;
    facts.lineCount = (lines as unknown[]).length;
    facts.chargeCount = charges === undefined ? 0 : (charges as unknown[]).length;
    facts.plainTexts =
      linesPlain &&
      (storeId === null ? channel !== 'store' : !isPlaceholder(storeId as string)) &&
      (registerId === null || !isPlaceholder(registerId as string)) &&
      (operatorId === null || !isPlaceholder(operatorId as string));
  }
  return a;
}
