// shared/sources/csv.ts: legacy POS exports as CSV, one row per line, to canonical transactions.
//
// Layout (also in docs/csv-format.md, which has examples):
// - UTF-8, comma-separated, RFC 4180 quoting ("a, b" and "say ""hi"""), CRLF or LF, optional BOM.
// - A header row is required; column names are case-insensitive, any order; unknown columns are
//   ignored with one warning. Required columns: transaction_id, occurred_at.
// - Rows are grouped into transactions by transaction_id (rows of one transaction need not be
//   adjacent). Transaction columns (kind, store_id, register_id, operator_id, business_date,
//   occurred_at, currency, total, tax_total, transaction_discount, cash_rounding, prices_include_tax,
//   original_transaction_id, loyalty_id, email) may be repeated on every row or given once; two
//   different non-empty values in one transaction are an error.
// - A row with a sku is a merchandise line: line_no, sku, gtin, description, quantity (default 1),
//   unit_price, line_discount (positive, what the customer saved), line_tax.
// - A row with a tender_method is a payment: tender_method (card, cash, gift_card, voucher, mobile,
//   other), tender_amount (net of change given), card_brand, card_last4. One row may carry a line and
//   a tender at once.
// - kind: sale (default), return, void. On a return, amounts may be written positive or negative:
//   the kind gives the sign (quantities, amounts, tax, tenders and total become negative). On a sale a
//   negative quantity is a returned item (an exchange).
// - Decimals use a dot. Decimal commas ("12,50") are NOT supported: such a value is an error, since
//   "1,250" could be 1.25 or 1250.
// - prices_include_tax: true when unit prices include tax (VAT); default false (US sales tax).
// - cash_rounding: where cash totals are rounded to the smallest coin (Sweden to whole kronor,
//   Switzerland and Australia to 0.05), the total paid minus the unrounded total, signed as written on
//   sales and returns alike (99.50 charged as 100.00 is 0.50). It becomes a `rounding` charge, so the
//   total still adds up to lines, discount, tax and charges.
//
// A transaction with an unreadable value is not produced; its findings (with the file line) say
// why, so the payload goes to quarantine whole.
//
// Finding codes (stable):
//   payload.malformed_csv          error    a row csv-parse could not read (unclosed quote, wrong column count)
//   payload.csv_header_missing     error    no header row with transaction_id and occurred_at
//   source.csv.unknown_column      warning  a header column this layout does not know (ignored)
//   source.csv.invalid_value       error    a value that is not what its column holds
//   source.csv.decimal_comma       error    a number written with a decimal comma
//   source.csv.conflicting_value   error    two rows of one transaction disagree on a transaction column
//   source.csv.row_without_content error    a row with neither sku nor tender_method
//   source.csv.total_mismatch      error    the stated total disagrees with lines, discount, tax (and cash rounding)
//   source.csv.tax_mismatch        error    tax_total disagrees with the sum of line_tax
//   payload.schema / payload.adapter_error   as everywhere (docs/canonical.md)
import Big from 'big.js';
import { parse as parseCsvText } from 'csv-parse/sync';
import { z } from 'zod';
import { TENDER_METHODS, type CanonicalTransaction, type Discount, type Finding, type Line, type Tender } from '../model';
import { minorUnits, roundingTolerance, sum, toMoneyString, ZERO } from '../model/money';
import {
  buildTransaction,
  customerRefs,
  finding,
  guardAdapter,
  rejected,
  resolveCurrency,
  resolveTime,
  schemaFindings,
} from './common';
import { forStore } from './forStore';
import { readSimpleCsv, type CsvRecord } from './readSimpleCsv';
import type { AdapterResult, ParseResult, SourceAdapter, SourceContext } from './types';

const TRANSACTION_COLUMNS = [
  'transaction_id',
  'kind',
  'store_id',
  'register_id',
  'operator_id',
  'business_date',
  'occurred_at',
  'currency',
  'total',
  'tax_total',
  'transaction_discount',
  'cash_rounding',
  'prices_include_tax',
  'original_transaction_id',
  'loyalty_id',
  'email',
] as const;
const ROW_COLUMNS = [
  'line_no',
  'sku',
  'gtin',
  'description',
  'quantity',
  'unit_price',
  'line_discount',
  'line_tax',
  'tender_method',
  'tender_amount',
  'card_brand',
  'card_last4',
] as const;
/** Every column of the layout (docs/csv-format.md), in the order exports usually write them. */
export const CSV_COLUMNS = [...TRANSACTION_COLUMNS, ...ROW_COLUMNS] as const;
const KNOWN = new Set<string>(CSV_COLUMNS);
type TransactionColumn = (typeof TRANSACTION_COLUMNS)[number];

/** What parse makes of the text: data rows as name -> value with their line in the file. */
export const CsvPayload = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.object({ line: z.number().int(), values: z.record(z.string(), z.string()) })),
  findings: z.array(z.object({ code: z.string(), severity: z.enum(['error', 'warning']), path: z.string(), message: z.string() })),
});
export type CsvPayload = z.infer<typeof CsvPayload>;
type Row = CsvPayload['rows'][number];

/** Reads CSV text; rows csv-parse cannot read become findings naming their line. Never throws. */
export function parseCsv(text: string): ParseResult {
  // Plain exports are split in one pass; csv-parse reads the rest (quoted line breaks, errors...).
  const simple = readSimpleCsv(text);
  if (simple) return toPayload(simple, []);
  const findings: Finding[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvText(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const line = (err as { lines?: number } | undefined)?.lines;
        findings.push(finding('payload.malformed_csv', 'error', `/line/${line ?? '?'}`, `line ${line ?? '?'}: ${err?.message ?? 'unreadable row'}`));
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    return { ok: false, finding: finding('payload.malformed_csv', 'error', '', `unreadable CSV: ${(err as Error).message}`) };
  }
  return toPayload(
    records.map(({ record, info }) => ({ record, lines: info.lines })),
    findings,
  );
}

function toPayload(records: CsvRecord[], findings: Finding[]): ParseResult {
  const [head, ...data] = records;
  const columns = (head?.record ?? []).map((c) => c.trim().toLowerCase());
  if (!columns.includes('transaction_id') || !columns.includes('occurred_at')) {
    return {
      ok: false,
      finding: finding('payload.csv_header_missing', 'error', '/line/1', 'the first row must be a header naming at least transaction_id and occurred_at'),
    };
  }
  const rows = data.map(({ record, lines }) => ({ line: lines, values: valuesOf(columns, record) }));
  return { ok: true, value: { columns, rows, findings } satisfies CsvPayload };
}

/** name -> trimmed value; a repeated column keeps its first position and its last value. */
function valuesOf(columns: string[], record: string[]): Record<string, string> {
  // Assignment would make a `__proto__` column the prototype; fromEntries makes it a plain key.
  if (columns.includes('__proto__')) return Object.fromEntries(columns.map((c, i) => [c, (record[i] ?? '').trim()]));
  const values: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) values[columns[i]!] = (record[i] ?? '').trim();
  return values;
}

// ---------------------------------------------------------------------------------------------

interface Group {
  id: string;
  rows: Row[];
}

/** A value read from a cell, with the file line it came from (for findings). */
interface Cell {
  value: string | undefined;
  line: number;
  column: string;
}

/**
 * Cell readers for one transaction. A bad value becomes an error finding naming line and column and
 * marks the transaction failed: it is then not produced, rather than produced with a guessed value.
 */
function readers(findings: Finding[]) {
  const state = { failed: false };
  const bad = (cell: Cell, code: string, message: string) => {
    findings.push(finding(code, 'error', `/line/${cell.line}/${cell.column}`, `line ${cell.line}: ${cell.column} ${message}`));
    state.failed = true;
  };
  const cell = (row: Row, column: string): Cell => ({ value: row.values[column] || undefined, line: row.line, column });
  return {
    state,
    cell,
    required(c: Cell, why: string) {
      if (c.value === undefined) bad(c, 'source.csv.invalid_value', `is required ${why}`);
    },
    decimal(c: Cell): Big | undefined {
      const v = c.value;
      if (v === undefined) return undefined;
      if (/^[-+]?\d*,\d+$/.test(v)) {
        bad(c, 'source.csv.decimal_comma', `${JSON.stringify(v)} uses a decimal comma, which this layout does not support`);
        return undefined;
      }
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(v)) {
        bad(c, 'source.csv.invalid_value', `${JSON.stringify(v)} is not a decimal number`);
        return undefined;
      }
      return new Big(v.replace(/^\+/, ''));
    },
    oneOf<T extends string>(c: Cell, allowed: readonly T[]): T | undefined {
      const v = c.value?.toLowerCase();
      if (v === undefined) return undefined;
      if ((allowed as readonly string[]).includes(v)) return v as T;
      bad(c, 'source.csv.invalid_value', `${JSON.stringify(c.value)} is not one of ${allowed.join(', ')}`);
      return undefined;
    },
    pattern(c: Cell, re: RegExp, what: string): string | undefined {
      if (c.value === undefined || re.test(c.value)) return c.value;
      bad(c, 'source.csv.invalid_value', `${JSON.stringify(c.value)} is not ${what}`);
      return undefined;
    },
    /** A transaction column: the one non-empty value the transaction's rows agree on. */
    shared(group: Group, column: TransactionColumn): Cell {
      let found: Cell = { value: undefined, line: group.rows[0]!.line, column };
      for (const row of group.rows) {
        const c = cell(row, column);
        if (c.value === undefined) continue;
        if (found.value === undefined) found = c;
        else if (c.value !== found.value) {
          bad(c, 'source.csv.conflicting_value', `${JSON.stringify(c.value)} differs from ${JSON.stringify(found.value)} on line ${found.line} of transaction ${group.id}`);
        }
      }
      return found;
    },
  };
}

function toTransaction(group: Group, payloadCtx: SourceContext, top: Finding[]): CanonicalTransaction | null {
  const findings: Finding[] = [];
  const r = readers(top);
  const storeId = r.shared(group, 'store_id').value ?? payloadCtx.storeId ?? null;
  // The store's configured zone, currency and country for its local times and missing currency.
  const ctx = forStore(payloadCtx, storeId);
  const kind = r.oneOf(r.shared(group, 'kind'), ['sale', 'return', 'void'] as const) ?? 'sale';
  const currencyCell = r.shared(group, 'currency');
  const currency = resolveCurrency(currencyCell.value, ctx, `/line/${currencyCell.line}/currency`, findings);
  const digits = minorUnits(currency);
  const money = (v: Big) => toMoneyString(v, currency);
  const pricesIncludeTax = r.oneOf(r.shared(group, 'prices_include_tax'), ['true', 'false'] as const) === 'true';
  const returnKind = kind === 'return';

  const lines: Line[] = [];
  const discounts: Discount[] = [];
  const tenders: Tender[] = [];
  group.rows.forEach((row, i) => {
    const hasLine = !!row.values.sku;
    const hasTender = !!row.values.tender_method;
    if (!hasLine && !hasTender) {
      top.push(finding('source.csv.row_without_content', 'error', `/line/${row.line}`, `line ${row.line}: neither sku nor tender_method`));
      r.state.failed = true;
    }
    if (hasLine) {
      const lineNo = Number(r.pattern(r.cell(row, 'line_no'), /^\d+$/, 'a whole number') ?? i + 1);
      const qty = r.decimal(r.cell(row, 'quantity')) ?? new Big(1);
      r.required(r.cell(row, 'unit_price'), 'on a line');
      const price = (r.decimal(r.cell(row, 'unit_price')) ?? ZERO).abs();
      const discount = (r.decimal(r.cell(row, 'line_discount')) ?? ZERO).abs();
      const tax = r.decimal(r.cell(row, 'line_tax'));
      const sign = returnKind || qty.lt(0) ? -1 : 1;
      // Weighed items: 1.355 lb at 0.69 is 0.93495, which the till charged as 0.93.
      const gross = qty.abs().times(price).round(digits);
      const gtin = r.pattern(r.cell(row, 'gtin'), /^\d{8,14}$/, 'a GTIN (8 to 14 digits)');
      lines.push({
        lineNo,
        sku: row.values.sku!,
        ...(gtin ? { gtin } : {}),
        description: row.values.description ?? '',
        quantity: qty.abs().times(sign).toFixed(),
        unitPrice: money(price),
        amount: money(gross.minus(discount).times(sign)),
        discount: money(discount),
        tax: tax === undefined ? null : money(tax.abs().times(sign)),
      });
      if (!discount.eq(0)) discounts.push({ amount: money(discount), lineNo });
    }
    if (hasTender) {
      const method = r.oneOf(r.cell(row, 'tender_method'), TENDER_METHODS);
      r.required(r.cell(row, 'tender_amount'), 'with tender_method');
      const amount = r.decimal(r.cell(row, 'tender_amount')) ?? ZERO;
      const last4 = r.pattern(r.cell(row, 'card_last4'), /^\d{4}$/, 'four digits');
      const brand = row.values.card_brand;
      tenders.push({
        method: method ?? 'other',
        amount: money(returnKind ? amount.abs().neg() : amount),
        ...(brand ? { cardBrand: brand } : {}),
        ...(last4 ? { last4 } : {}),
      });
    }
  });

  const basketDiscount = r.decimal(r.shared(group, 'transaction_discount'))?.abs();
  if (basketDiscount && !basketDiscount.eq(0)) discounts.push({ amount: money(basketDiscount) });

  const merchandise = sum(lines.map((l) => new Big(l.amount)));
  const sign = returnKind || merchandise.lt(0) ? -1 : 1;
  const lineTaxes = lines.map((l) => l.tax);
  const lineTaxSum = lineTaxes.length && lineTaxes.every((t) => t !== null) ? sum(lineTaxes.map((t) => new Big(t!))) : undefined;
  const taxCell = r.shared(group, 'tax_total');
  const statedTax = r.decimal(taxCell)?.abs().times(sign);
  const tax = statedTax ?? lineTaxSum;
  if (statedTax && lineTaxSum && !lineTaxSum.eq(statedTax)) {
    findings.push(
      finding('source.csv.tax_mismatch', 'error', `/line/${taxCell.line}/tax_total`, `tax_total ${statedTax.toFixed()} differs from the sum of line_tax ${lineTaxSum.toFixed()}`),
    );
  }
  const rounding = r.decimal(r.shared(group, 'cash_rounding'));
  const charges = rounding && !rounding.eq(0) ? [{ type: 'rounding' as const, amount: money(rounding) }] : [];
  let computed = merchandise.minus((basketDiscount ?? ZERO).times(sign)).plus(rounding ?? ZERO);
  if (!pricesIncludeTax && tax) computed = computed.plus(tax);
  const totalCell = r.shared(group, 'total');
  const stated = r.decimal(totalCell);
  const total = stated === undefined ? computed : returnKind ? stated.abs().neg() : stated;
  if (stated !== undefined && total.minus(computed).abs().gt(roundingTolerance(currency, lines.length + 1))) {
    findings.push(
      finding('source.csv.total_mismatch', 'error', `/line/${totalCell.line}/total`, `total ${total.toFixed()} disagrees with lines, discount${charges.length ? ', tax and cash rounding' : ' and tax'} (${computed.toFixed()})`),
    );
  }

  const at = r.shared(group, 'occurred_at');
  const time = resolveTime(at.value, ctx, `/line/${at.line}/occurred_at`, findings, r.shared(group, 'business_date').value);
  const original = r.shared(group, 'original_transaction_id').value;
  const email = r.shared(group, 'email').value;
  const loyalty = r.shared(group, 'loyalty_id').value;
  const registerId = r.shared(group, 'register_id').value;
  const operatorId = r.shared(group, 'operator_id').value;
  if (r.state.failed) return null;
  return buildTransaction({
    source: 'csv',
    sourceKey: group.id,
    kind,
    channel: 'store',
    storeId,
    registerId: registerId ?? null,
    operatorId: operatorId ?? null,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: money(total),
    taxTotal: tax === undefined ? null : money(tax),
    discounts,
    lines,
    charges,
    tenders,
    customer: customerRefs(ctx, 'csv', { email, loyalty }),
    originalRef: original ? { sourceKey: original } : null,
    findings,
  });
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const FINDING_KEYS = 'code,severity,path,message';

/**
 * True for what parseCsv makes (and what CsvPayload accepts as is): then the payload is read without
 * zod, whose copy would be equal to it. Anything less plain goes through zod for its findings.
 */
export function isCsvPayload(v: unknown): v is CsvPayload {
  if (!isPlain(v) || !Array.isArray(v.columns) || !Array.isArray(v.rows) || !Array.isArray(v.findings)) return false;
  for (const c of v.columns) if (typeof c !== 'string') return false;
  for (const f of v.findings as unknown[]) {
    if (!isPlain(f) || Object.keys(f).join(',') !== FINDING_KEYS) return false;
    if (typeof f.code !== 'string' || typeof f.path !== 'string' || typeof f.message !== 'string') return false;
    if (f.severity !== 'error' && f.severity !== 'warning') return false;
  }
  for (const row of v.rows as unknown[]) {
    if (!isPlain(row) || !Number.isSafeInteger(row.line) || !isPlain(row.values)) return false;
    if (Object.getOwnPropertySymbols(row.values).length) return false;
    for (const k in row.values) if (typeof row.values[k] !== 'string') return false;
  }
  return true;
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  if (typeof payload === 'string') {
    const parsed = parseCsv(payload);
    if (!parsed.ok) return rejected([parsed.finding]);
    payload = parsed.value;
  }
  let data: CsvPayload;
  if (isCsvPayload(payload)) data = payload;
  else {
    const doc = CsvPayload.safeParse(payload);
    if (!doc.success) return rejected(schemaFindings(doc.error));
    data = doc.data;
  }
  const findings: Finding[] = [...data.findings];
  const unknown = data.columns.filter((c) => !KNOWN.has(c));
  if (unknown.length) {
    findings.push(finding('source.csv.unknown_column', 'warning', '/line/1', `columns not in the layout were ignored: ${unknown.join(', ')}`));
  }
  const groups = new Map<string, Group>();
  for (const row of data.rows) {
    const id = row.values.transaction_id;
    if (!id) {
      findings.push(finding('source.csv.invalid_value', 'error', `/line/${row.line}/transaction_id`, `line ${row.line}: transaction_id is empty`));
      continue;
    }
    const g = groups.get(id) ?? { id, rows: [] };
    g.rows.push(row);
    groups.set(id, g);
  }
  const transactions: CanonicalTransaction[] = [];
  for (const g of groups.values()) {
    const tx = toTransaction(g, ctx, findings);
    if (tx) transactions.push(tx);
  }
  return { transactions, findings };
}

/** Parsed CSV (or its text) to canonical transactions. Never throws. */
export const toCanonical = guardAdapter('csv', convert);

export const csvAdapter: SourceAdapter = { name: 'csv', parse: parseCsv, toCanonical };
