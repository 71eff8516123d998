// bench/generators/lightspeed-x.ts: Lightspeed X-Series (Vend) API 2.0 register sales, `{ data: sale }`
// as GET /api/2.0/sales/{id} answers. Line prices are per unit, excluding tax and after the unit
// discount, with up to five decimals as the register stores them; basket discounts are spread over the
// lines (X-Series has no sale-level discount); returns are sales with negative quantities.
import type { Rng } from '../rng';
import { sale, type Sale, type SaleLine } from './sale';

/** Vend ids are version-1 style UUIDs: time-ordered first group, fixed node part per retailer. */
function vendId(rng: Rng, node: string): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng.next() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-11ee-${node}`;
}

const NODE = 'f109-5ff7c2a1b0d4';
/** Stable ids for stores, registers and staff, so that the same outlet always has the same id. */
const fixedId = (kind: string, n: number) => `0adfd74a-1534-11e6-${kind}-a6d9a7${n.toString(16).padStart(6, 'c')}`;

/** A per-unit figure with five decimals: what the register stores. */
const unit = (cents: number, milli: number) => Number(((cents / 100) * (1000 / milli)).toFixed(5));

function lineItem(rng: Rng, l: SaleLine, sign: number, k: number) {
  // The basket discount is part of each line's own discount here.
  const discountCents = l.discountCents + l.basketShareCents;
  const quantity = (sign * l.milli) / 1000;
  const price = unit(l.netCents - l.basketShareCents, l.milli);
  const discount = unit(discountCents, l.milli);
  const tax = unit(l.taxCents, l.milli);
  return {
    id: vendId(rng, NODE),
    product_id: `b1d87b58-f019-11e3-a0f5-b8ca3a${l.product.cents.toString(16).padStart(6, 'e')}`,
    tax_id: 'b1d192bc-f019-11e3-a0f5-b8ca3a64f8f4',
    sku: l.product.sku,
    name: l.product.description,
    quantity,
    price,
    price_total: Number((price * quantity).toFixed(5)),
    discount,
    discount_total: Number((discount * Math.abs(quantity)).toFixed(5)),
    tax,
    tax_total: Number((tax * quantity).toFixed(5)),
    cost: Number(((l.unitCents * 0.45) / 100).toFixed(2)),
    loyalty_value: 0,
    price_set: discountCents > 0,
    status: 'CONFIRMED',
    sequence: k,
    is_return: sign < 0,
  };
}

const PAYMENT_NAMES = { card: 'Credit Card', cash: 'Cash', gift_card: 'Gift Card', mobile: 'Apple Pay' } as const;

function saleOf(rng: Rng, s: Sale) {
  const sign = s.kind === 'return' ? -1 : 1;
  const c = s.customer;
  const saleDate = s.at.toISOString().slice(0, 19) + '+00:00';
  const lines = s.lines.map((l, k) => lineItem(rng, l, sign, k));
  const register = fixedId('fb82', s.storeId.charCodeAt(3) * 10 + s.registerNo);
  return {
    id: vendId(rng, NODE),
    outlet_id: fixedId('fb82', s.storeId.charCodeAt(3)),
    register_id: register,
    user_id: fixedId('fb83', s.operatorNo),
    customer_id: c ? fixedId('ec7e', Number(c.id.slice(1))) : fixedId('ec7e', 0),
    customer: c
      ? { id: fixedId('ec7e', Number(c.id.slice(1))), customer_code: `${c.first}-${c.id}`.toUpperCase(), first_name: c.first, last_name: c.last, email: c.email ?? null, mobile: c.phone ?? null }
      : { id: fixedId('ec7e', 0), customer_code: 'WALKIN', first_name: '', last_name: '', email: null, mobile: null },
    invoice_number: `${s.storeId}-${s.sequence}`,
    receipt_number: `${s.storeId}-${s.sequence}`,
    invoice_sequence: s.sequence,
    status: 'CLOSED',
    state: 'closed',
    note: '',
    return_for: s.kind === 'return' ? vendId(rng, NODE) : null,
    created_at: saleDate,
    updated_at: saleDate,
    sale_date: saleDate,
    deleted_at: null,
    total_price: (sign * (s.merchandiseCents - s.basketDiscountCents)) / 100,
    total_loyalty: 0,
    total_tax: (sign * s.taxCents) / 100,
    version: 1_978_890_425 + s.i,
    line_items: lines,
    payments: s.tenders.map((t) => ({
      id: vendId(rng, NODE),
      register_id: register,
      retailer_payment_type_id: fixedId('fb84', t.method.length),
      payment_type_id: String(t.method.length),
      name: PAYMENT_NAMES[t.method],
      amount: (sign * t.cents) / 100,
      payment_date: saleDate,
      deleted_at: null,
    })),
  };
}

export function generateLightspeedX(rng: Rng, i: number): string {
  return JSON.stringify({ data: saleOf(rng, sale(rng, i)) });
}
