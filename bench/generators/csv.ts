// bench/generators/csv.ts: a legacy POS export in the documented CSV layout (docs/csv-format.md): a
// header row, then one row per merchandise line and per tender, several transactions per file.
import { CSV_COLUMNS } from '../../shared/sources/csv';
import type { Rng } from '../rng';
import { major } from './catalog';
import { businessDay, localIso, sale, type Sale } from './sale';

// The adapter's own column list: the generator cannot drift from the documented layout.
const COLUMNS = CSV_COLUMNS;
type Column = (typeof COLUMNS)[number];

/** RFC 4180: quote a cell holding a comma, a quote or a line break, doubling inner quotes. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(values: Partial<Record<Column, string>>): string {
  return COLUMNS.map((c) => cell(values[c] ?? '')).join(',');
}

const idOf = (s: Sale, sequence: number) => `${s.storeId}-${s.registerNo}-${sequence}`;

function rowsOf(s: Sale, repeatHeader: boolean): string[] {
  // Exports either repeat the transaction columns on every row or give them once; both are allowed.
  const head: Partial<Record<Column, string>> = {
    transaction_id: idOf(s, s.sequence),
    kind: s.kind,
    store_id: s.storeId,
    register_id: String(s.registerNo),
    operator_id: String(s.operatorNo),
    business_date: businessDay(s.at),
    occurred_at: localIso(s.at),
    currency: s.currency,
    total: major(s.totalCents),
    tax_total: major(s.taxCents),
    prices_include_tax: 'false',
    ...(s.basketDiscountCents ? { transaction_discount: major(s.basketDiscountCents) } : {}),
    ...(s.originalSequence !== undefined ? { original_transaction_id: idOf(s, s.originalSequence) } : {}),
    ...(s.customer?.loyalty ? { loyalty_id: s.customer.loyalty } : {}),
    ...(s.customer?.email ? { email: s.customer.email } : {}),
  };
  const onlyId = { transaction_id: head.transaction_id };
  const rows: Partial<Record<Column, string>>[] = s.lines.map((l, k) => ({
    ...(k === 0 || repeatHeader ? head : onlyId),
    line_no: String(k + 1),
    sku: l.product.sku,
    gtin: l.product.gtin,
    description: l.product.description,
    quantity: l.quantity,
    unit_price: major(l.unitCents),
    ...(l.discountCents ? { line_discount: major(l.discountCents) } : {}),
    line_tax: major(l.taxCents),
  }));
  s.tenders.forEach((t, k) => {
    const tender = {
      tender_method: t.method,
      tender_amount: major(t.cents),
      ...(t.brand ? { card_brand: t.brand, card_last4: t.last4 } : {}),
    };
    // A one-line, one-tender sale often comes as a single row carrying both.
    if (k === 0 && rows.length === 1 && s.tenders.length === 1) Object.assign(rows[0]!, tender);
    else rows.push({ ...(repeatHeader ? head : onlyId), ...tender });
  });
  return rows.map(row);
}

export function generateCsv(rng: Rng, i: number): string {
  const count = rng.int(3, 8);
  const repeatHeader = rng.bool();
  const lines = [COLUMNS.join(',')];
  for (let k = 0; k < count; k++) lines.push(...rowsOf(sale(rng, i * 8 + k), repeatHeader));
  return lines.join('\r\n') + '\r\n';
}
