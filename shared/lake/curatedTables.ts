// shared/lake/curatedTables.ts: the three curated tables (one row per transaction, per line, per
// tender): their columns with explicit Parquet types, and the conversion of a canonical transaction
// to rows. docs/lake.md lists the same columns for people.
import Big from 'big.js';
import type { CanonicalTransaction } from '../model';

/** Every amount and quantity: DECIMAL(18,6) on INT64. See docs/lake.md for why these numbers. */
export const DECIMAL_PRECISION = 18;
export const DECIMAL_SCALE = 6;

export type ColumnKind = 'string' | 'decimal' | 'date' | 'timestamp' | 'int32';
export interface CuratedColumn {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
}

/**
 * A row in memory, before Parquet and after reading it back: decimals as decimal strings, `date` as
 * YYYY-MM-DD, `timestamp` as an ISO 8601 UTC instant with milliseconds, `int32` as a number.
 */
export type CuratedValue = string | number | null;
export type CuratedRow = Record<string, CuratedValue>;

export const CURATED_TABLE_NAMES = ['transactions', 'transaction_lines', 'tenders'] as const;
export type CuratedTableName = (typeof CURATED_TABLE_NAMES)[number];

export interface CuratedTable {
  name: CuratedTableName;
  columns: readonly CuratedColumn[];
  rowsOf(tx: CanonicalTransaction, batchId: string): CuratedRow[];
}

const col = (name: string, kind: ColumnKind, nullable = false): CuratedColumn => ({ name, kind, nullable });

// The columns every table starts with: the key back to the transaction and the partition values
// (kept inside the files too, so that one file read on its own still says where its rows belong).
const KEY_COLUMNS = [col('transaction_id', 'string'), col('business_date', 'date'), col('store_id', 'string', true)];

function keyValues(tx: CanonicalTransaction): CuratedRow {
  return { transaction_id: tx.id, business_date: tx.businessDate, store_id: tx.storeId };
}

const transactions: CuratedTable = {
  name: 'transactions',
  columns: [
    ...KEY_COLUMNS,
    col('occurred_at', 'timestamp'),
    col('source', 'string'),
    col('source_key', 'string'),
    col('kind', 'string'),
    col('channel', 'string'),
    col('register_id', 'string', true),
    col('operator_id', 'string', true),
    col('currency', 'string', true),
    col('total', 'decimal'),
    col('tax_total', 'decimal', true),
    col('discount_total', 'decimal'),
    col('charge_total', 'decimal'),
    col('line_count', 'int32'),
    col('tender_count', 'int32'),
    col('customer_ref', 'string', true),
    col('customer_email_ref', 'string', true),
    col('customer_phone_ref', 'string', true),
    col('customer_loyalty_ref', 'string', true),
    col('original_source_key', 'string', true),
    col('warnings', 'string', true),
    col('batch_id', 'string'),
  ],
  rowsOf(tx, batchId) {
    const warnings = tx.findings.filter((f) => f.severity === 'warning');
    const chargeTotal = (tx.charges ?? []).reduce((s, c) => s.plus(c.amount), new Big(0));
    return [
      {
        ...keyValues(tx),
        occurred_at: tx.occurredAt,
        source: tx.source,
        source_key: tx.sourceKey,
        kind: tx.kind,
        channel: tx.channel,
        register_id: tx.registerId,
        operator_id: tx.operatorId,
        currency: tx.currency,
        total: tx.total,
        tax_total: tx.taxTotal,
        discount_total: tx.discountTotal,
        charge_total: chargeTotal.toFixed(),
        line_count: tx.lines.length,
        tender_count: tx.tenders.length,
        customer_ref: tx.customer?.ref ?? null,
        customer_email_ref: tx.customer?.emailRef ?? null,
        customer_phone_ref: tx.customer?.phoneRef ?? null,
        customer_loyalty_ref: tx.customer?.loyaltyRef ?? null,
        original_source_key: tx.originalRef?.sourceKey ?? null,
        warnings: warnings.length ? JSON.stringify(warnings) : null,
        batch_id: batchId,
      },
    ];
  },
};

const transactionLines: CuratedTable = {
  name: 'transaction_lines',
  columns: [
    ...KEY_COLUMNS,
    col('line_no', 'int32'),
    col('sku', 'string'),
    col('gtin', 'string', true),
    col('description', 'string'),
    col('quantity', 'decimal'),
    col('unit_price', 'decimal'),
    col('amount', 'decimal'),
    col('discount', 'decimal'),
    col('tax', 'decimal', true),
    col('currency', 'string', true),
    col('batch_id', 'string'),
  ],
  rowsOf(tx, batchId) {
    return tx.lines.map((l) => ({
      ...keyValues(tx),
      line_no: l.lineNo,
      sku: l.sku,
      gtin: l.gtin ?? null,
      description: l.description,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      amount: l.amount,
      discount: l.discount,
      tax: l.tax,
      currency: tx.currency,
      batch_id: batchId,
    }));
  },
};

const tenders: CuratedTable = {
  name: 'tenders',
  columns: [
    ...KEY_COLUMNS,
    col('tender_no', 'int32'),
    col('method', 'string'),
    col('amount', 'decimal'),
    col('card_brand', 'string', true),
    col('last4', 'string', true),
    col('status', 'string', true),
    col('currency', 'string', true),
    col('batch_id', 'string'),
  ],
  rowsOf(tx, batchId) {
    // Tenders have no number of their own in the canonical model: their position (1-based) is the key.
    return tx.tenders.map((t, i) => ({
      ...keyValues(tx),
      tender_no: i + 1,
      method: t.method,
      amount: t.amount,
      card_brand: t.cardBrand ?? null,
      last4: t.last4 ?? null,
      status: t.status ?? null,
      currency: tx.currency,
      batch_id: batchId,
    }));
  },
};

export const CURATED_TABLES: Readonly<Record<CuratedTableName, CuratedTable>> = {
  transactions,
  transaction_lines: transactionLines,
  tenders,
};
