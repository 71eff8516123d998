// shared/dataverse/toDataverseRow.ts: a canonical transaction as Dataverse rows (store, contact,
// transaction, lines), keyed by the alternate keys of dataverse/tables.json.
import Big from 'big.js';
import type { CanonicalTransaction, CustomerRefs, Finding } from '../model';
import { rowReference, toKeyValue } from './dataverseKey';
import { CONTACT_TABLE, LINE_TABLE, NAV, STORE_TABLE, TRANSACTION_TABLE, type DataverseTable } from './tables';

export interface DataverseRow {
  table: DataverseTable;
  /** Value of the table's alternate-key column. */
  keyValue: string;
  /** Columns to set, without the key; lookups as `<nav>@odata.bind`. */
  columns: Record<string, unknown>;
  /** Ids of the canonical transactions the row comes from (a store row serves many). */
  origins: string[];
}

export type MappingResult = { ok: true; rows: DataverseRow[] } | { ok: false; findings: Finding[] };

/** Decimal columns in dataverse/tables.json: 6 decimal places, within +/- 100 billion. */
export const DECIMAL_PRECISION = 6;
const DECIMAL_LIMIT = new Big('100000000000');
/**
 * Decimals that pass every check of decimalColumn by their form alone (see there), once they also have
 * at most 15 digits: at most 11 integer digits and 6 decimals.
 */
const PLAIN_DECIMAL = /^-?\d{1,11}(\.\d{1,6})?$/;
/** Digits a double holds exactly in its shortest text: any decimal of up to 15 significant digits. */
const EXACT_DIGITS = 15;

/**
 * A decimal string as the JSON number Dataverse reads into its decimal column, or a finding. JSON
 * numbers are safe only when the shortest text of the double is the decimal itself (true up to 15
 * significant digits); the check below proves it per value instead of assuming it. Values with more
 * decimals than the column keeps are refused rather than rounded: money is exact.
 */
function decimalColumn(value: string, path: string, findings: Finding[]): number | null {
  // Fast path, the common case (a 50,000-row load maps 230,000 decimals, and big.js made that most of
  // a second on a busy core): at most 11 integer digits and 6 decimals is within the range and the
  // precision, and with at most 15 digits in all (leading zeros counted, so never fewer significant
  // ones) it is exactly representable as a JSON number, so every check below passes. Longer plain
  // decimals (e.g. 11 integer digits and 6 decimals, 17 digits) take the full checks.
  if (PLAIN_DECIMAL.test(value) && digitCount(value) <= EXACT_DIGITS) {
    const n = Number(value);
    return n === 0 ? 0 : n; // never -0
  }
  const big = new Big(value);
  const scale = Math.max(0, big.c.length - big.e - 1);
  if (scale > DECIMAL_PRECISION) {
    findings.push(finding('dataverse.decimal_precision', path, `${value} has ${scale} decimal places; Dataverse keeps ${DECIMAL_PRECISION}`));
    return null;
  }
  if (big.abs().gt(DECIMAL_LIMIT)) {
    findings.push(finding('dataverse.decimal_range', path, `${value} is outside the Dataverse decimal range (+/- 100,000,000,000)`));
    return null;
  }
  const n = Number(value);
  if (!new Big(n).eq(big)) {
    findings.push(finding('dataverse.decimal_precision', path, `${value} cannot be sent as an exact JSON number`));
    return null;
  }
  return n === 0 ? 0 : n; // never -0
}

/** Digits of a plain decimal text (no sign, no point). */
function digitCount(value: string): number {
  return value.length - (value.startsWith('-') ? 1 : 0) - (value.includes('.') ? 1 : 0);
}

function finding(code: string, path: string, message: string): Finding {
  return { code, severity: 'error', path, message };
}

function stringColumn(value: string | null | undefined, max: number, path: string, findings: Finding[]): string | null {
  if (value === null || value === undefined) return null;
  if (value.length > max) {
    findings.push(finding('dataverse.too_long', path, `${value.length} characters; the Dataverse column holds ${max}`));
    return null;
  }
  return value;
}

/**
 * The contact key for a customer: the first pseudonymized reference present, prefixed by its kind so
 * an e-mail ref and a loyalty ref that happen to be equal never meet. Customer resolution will put a
 * golden id in `ref`, which then wins.
 */
export function customerKey(customer: CustomerRefs | null): string | null {
  if (!customer) return null;
  if (customer.ref) return toKeyValue(`r-${customer.ref}`);
  if (customer.loyaltyRef) return toKeyValue(`l-${customer.loyaltyRef}`);
  if (customer.emailRef) return toKeyValue(`e-${customer.emailRef}`);
  if (customer.phoneRef) return toKeyValue(`p-${customer.phoneRef}`);
  return null;
}

/** Alternate key of a line: `<transaction key>-<lineNo>` (a colon would not pass in a URL key). */
export function lineKey(transactionKey: string, lineNo: number): string {
  return toKeyValue(`${transactionKey}-${lineNo}`);
}

/** Dataverse date-and-time columns keep whole seconds; the lake keeps the milliseconds. */
function toDataverseInstant(utc: string): string {
  return utc.replace(/\.\d+Z$/, 'Z');
}

/** The `<nav>@odata.bind` column of a lookup, set on `columns` (assigned, not spread: a load does this per row). */
function bind(columns: Record<string, unknown>, nav: string, table: DataverseTable, keyValue: string): void {
  columns[`${nav}@odata.bind`] = `/${rowReference(table, keyValue)}`;
}

export function toDataverseRow(tx: CanonicalTransaction): MappingResult {
  const findings: Finding[] = [];
  const rows: DataverseRow[] = [];
  const origins = [tx.id];
  const txKey = toKeyValue(tx.id);

  let storeKey: string | null = null;
  if (tx.storeId !== null) {
    storeKey = toKeyValue(tx.storeId);
    rows.push({
      table: STORE_TABLE,
      keyValue: storeKey,
      columns: { pos_name: stringColumn(tx.storeId, 100, '/storeId', findings) },
      origins,
    });
  }
  const contactKey = customerKey(tx.customer);
  if (contactKey !== null && tx.customer) {
    rows.push({
      table: CONTACT_TABLE,
      keyValue: contactKey,
      columns: {
        pos_emailref: stringColumn(tx.customer.emailRef, 100, '/customer/emailRef', findings),
        pos_phoneref: stringColumn(tx.customer.phoneRef, 100, '/customer/phoneRef', findings),
        pos_loyaltyref: stringColumn(tx.customer.loyaltyRef, 100, '/customer/loyaltyRef', findings),
      },
      origins,
    });
  }

  const txColumns: Record<string, unknown> = {
    pos_name: `${tx.source}:${tx.sourceKey}`.slice(0, 100),
    pos_source: tx.source,
    pos_sourcekey: stringColumn(tx.sourceKey, 400, '/sourceKey', findings),
    pos_kind: tx.kind,
    pos_channel: tx.channel,
    pos_registerid: stringColumn(tx.registerId, 100, '/registerId', findings),
    pos_operatorid: stringColumn(tx.operatorId, 100, '/operatorId', findings),
    pos_businessdate: tx.businessDate,
    pos_occurredat: toDataverseInstant(tx.occurredAt),
    pos_currency: tx.currency,
    pos_total: decimalColumn(tx.total, '/total', findings),
    pos_taxtotal: tx.taxTotal === null ? null : decimalColumn(tx.taxTotal, '/taxTotal', findings),
    pos_discounttotal: decimalColumn(tx.discountTotal, '/discountTotal', findings),
    pos_linecount: tx.lines.length,
    pos_originalsourcekey: stringColumn(tx.originalRef?.sourceKey ?? null, 400, '/originalRef/sourceKey', findings),
  };
  if (storeKey !== null) bind(txColumns, NAV.transactionStore, STORE_TABLE, storeKey);
  if (contactKey !== null) bind(txColumns, NAV.transactionContact, CONTACT_TABLE, contactKey);
  rows.push({ table: TRANSACTION_TABLE, keyValue: txKey, columns: txColumns, origins });
  const txBind = `/${rowReference(TRANSACTION_TABLE, txKey)}`;

  const seenLines = new Set<number>();
  tx.lines.forEach((line, i) => {
    const path = `/lines/${i}`;
    if (seenLines.has(line.lineNo)) {
      findings.push(finding('dataverse.duplicate_line', `${path}/lineNo`, `line number ${line.lineNo} appears twice; it is part of the line's key`));
      return;
    }
    seenLines.add(line.lineNo);
    rows.push({
      table: LINE_TABLE,
      keyValue: lineKey(txKey, line.lineNo),
      columns: {
        pos_name: `${line.sku} ${line.description}`.trim().slice(0, 100) || line.sku || String(line.lineNo),
        pos_lineno: line.lineNo,
        pos_sku: stringColumn(line.sku, 100, `${path}/sku`, findings),
        pos_gtin: stringColumn(line.gtin ?? null, 14, `${path}/gtin`, findings),
        pos_description: stringColumn(line.description, 1000, `${path}/description`, findings),
        pos_quantity: decimalColumn(line.quantity, `${path}/quantity`, findings),
        pos_unitprice: decimalColumn(line.unitPrice, `${path}/unitPrice`, findings),
        pos_amount: decimalColumn(line.amount, `${path}/amount`, findings),
        pos_discount: decimalColumn(line.discount, `${path}/discount`, findings),
        pos_tax: line.tax === null ? null : decimalColumn(line.tax, `${path}/tax`, findings),
        [`${NAV.lineTransaction}@odata.bind`]: txBind,
      },
      origins,
    });
  });

  return findings.length ? { ok: false, findings } : { ok: true, rows };
}
