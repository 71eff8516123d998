// bench/generators/square.ts: Square webhook envelopes as Square POSTs them: `order.created` carrying
// the full order (line items, LINE_ITEM and ORDER discounts, additive tax, tenders), `payment.updated`
// with a completed payment, and `refund.updated` for money given back. Money in minor units, times in
// RFC 3339 UTC with microseconds.
import type { Rng } from '../rng';
import { sale, type Sale, type SaleLine, type SaleTender } from './sale';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789';

/** A Square-style opaque id (base62-ish, fixed length). */
function squareId(rng: Rng, length: number): string {
  let s = '';
  for (let k = 0; k < length; k++) s += ALPHABET[Math.floor(rng.next() * ALPHABET.length)];
  return s;
}

function uuid(rng: Rng): string {
  const hex = () => Math.floor(rng.next() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

const money = (cents: number, currency: string) => ({ amount: cents, currency });
/** Square writes microseconds. */
const rfc3339 = (at: Date, micros: number) => at.toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
const locationOf = (s: Sale) => `L${s.storeId}X7AMDZZPF`;
const BRANDS: Record<string, string> = { Visa: 'VISA', Mastercard: 'MASTERCARD', Amex: 'AMERICAN_EXPRESS', Discover: 'DISCOVER' };

function lineItem(l: SaleLine, s: Sale, k: number) {
  const c = s.currency;
  const applied = [
    ...(l.discountCents ? [{ uid: `ad-${k}-p`, discount_uid: 'disc-promo', applied_money: money(l.discountCents, c) }] : []),
    ...(l.basketShareCents ? [{ uid: `ad-${k}-o`, discount_uid: 'disc-code', applied_money: money(l.basketShareCents, c) }] : []),
  ];
  return {
    uid: `li-${k + 1}`,
    catalog_object_id: `${l.product.sku}-VAR`,
    catalog_version: 1_762_000_000_000,
    quantity: l.quantity,
    ...(l.product.weighed ? { quantity_unit: { measurement_unit: { weight_unit: 'METRIC_KILOGRAM' }, precision: 3 } } : {}),
    name: l.product.description,
    variation_name: l.product.weighed ? 'Per kg' : 'Regular',
    item_type: 'ITEM',
    base_price_money: money(l.unitCents, c),
    variation_total_price_money: money(l.grossCents, c),
    gross_sales_money: money(l.grossCents, c),
    total_tax_money: money(l.taxCents, c),
    total_discount_money: money(l.discountCents + l.basketShareCents, c),
    total_money: money(l.netCents - l.basketShareCents + l.taxCents, c),
    applied_taxes: [{ uid: `at-${k}`, tax_uid: 'tax-ny', applied_money: money(l.taxCents, c) }],
    ...(applied.length ? { applied_discounts: applied } : {}),
  };
}

function tender(rng: Rng, t: SaleTender, s: Sale, orderId: string) {
  const c = s.currency;
  const base = { id: squareId(rng, 22), location_id: locationOf(s), transaction_id: orderId, created_at: rfc3339(s.at, 0), amount_money: money(t.cents, c) };
  if (t.method === 'cash') {
    const tendered = t.tenderedCents ?? t.cents;
    return { ...base, type: 'CASH', cash_details: { buyer_tendered_money: money(tendered, c), change_back_money: money(tendered - t.cents, c) } };
  }
  if (t.method === 'gift_card') return { ...base, type: 'SQUARE_GIFT_CARD' };
  if (t.method === 'mobile') return { ...base, type: 'WALLET' };
  return {
    ...base,
    type: 'CARD',
    card_details: { status: 'CAPTURED', card: { card_brand: BRANDS[t.brand ?? 'Visa'], last_4: t.last4, fingerprint: `sq-1-${squareId(rng, 40)}` }, entry_method: rng.pick(['EMV', 'CONTACTLESS', 'SWIPED']) },
  };
}

function orderEvent(rng: Rng, s: Sale) {
  const c = s.currency;
  const id = squareId(rng, 29);
  const lineDiscounts = s.lines.reduce((a, l) => a + l.discountCents, 0);
  const total = money(s.totalCents, c);
  const tax = money(s.taxCents, c);
  const discount = money(lineDiscounts + s.basketDiscountCents, c);
  const closed = rfc3339(s.at, s.i % 1000);
  const order = {
    id,
    location_id: locationOf(s),
    source: { name: `Register ${s.registerNo}` },
    ...(s.customer ? { customer_id: `CUST${s.customer.id}SQ` } : {}),
    line_items: s.lines.map((l, k) => lineItem(l, s, k)),
    taxes: [{ uid: 'tax-ny', catalog_object_id: 'NYC-SALES-TAX', name: 'NY Sales Tax', percentage: '8.875', type: 'ADDITIVE', applied_money: tax, scope: 'ORDER' }],
    discounts: [
      ...(lineDiscounts ? [{ uid: 'disc-promo', catalog_object_id: 'PROMO-10', name: '10% off', percentage: '10', type: 'FIXED_PERCENTAGE', applied_money: money(lineDiscounts, c), scope: 'LINE_ITEM' }] : []),
      ...(s.basketDiscountCents
        ? [{ uid: 'disc-code', catalog_object_id: s.discountCode, name: s.discountCode, type: 'FIXED_AMOUNT', amount_money: money(s.basketDiscountCents, c), applied_money: money(s.basketDiscountCents, c), scope: 'ORDER' }]
        : []),
    ],
    tenders: s.tenders.map((t) => tender(rng, t, s, id)),
    created_at: rfc3339(new Date(s.at.getTime() - 90_000), 0),
    updated_at: closed,
    closed_at: closed,
    state: 'COMPLETED',
    version: 4,
    total_money: total,
    total_tax_money: tax,
    total_discount_money: discount,
    total_tip_money: money(0, c),
    total_service_charge_money: money(0, c),
    net_amounts: { total_money: total, tax_money: tax, discount_money: discount, tip_money: money(0, c), service_charge_money: money(0, c) },
  };
  return { type: 'order.created', data: { type: 'order', id, object: { order } } };
}

function paymentEvent(rng: Rng, s: Sale) {
  const c = s.currency;
  const id = squareId(rng, 29);
  const t = s.tenders.find((x) => x.method === 'card') ?? s.tenders[0]!;
  // A tip on a card payment is on top of the amount; the payment's total carries both.
  const tip = t.method === 'card' && rng.bool(0.3) ? 100 * rng.int(1, 5) : 0;
  const card = t.method === 'card';
  const payment = {
    id,
    created_at: rfc3339(s.at, 0),
    updated_at: rfc3339(new Date(s.at.getTime() + 1000), 0),
    amount_money: money(s.totalCents, c),
    ...(tip ? { tip_money: money(tip, c) } : {}),
    total_money: money(s.totalCents + tip, c),
    approved_money: money(s.totalCents + tip, c),
    status: 'COMPLETED',
    source_type: card ? 'CARD' : t.method === 'cash' ? 'CASH' : 'WALLET',
    ...(card
      ? {
          card_details: {
            status: 'CAPTURED',
            card: { card_brand: BRANDS[t.brand ?? 'Visa'], last_4: t.last4, card_type: 'CREDIT', prepaid_type: 'NOT_PREPAID', fingerprint: `sq-1-${squareId(rng, 40)}` },
            entry_method: 'CONTACTLESS',
            cvv_status: 'CVV_NOT_CHECKED',
            avs_status: 'AVS_NOT_CHECKED',
            statement_description: 'SQ *CORNER MARKET',
          },
        }
      : t.method === 'cash'
        ? { cash_details: { buyer_supplied_money: money(t.tenderedCents ?? s.totalCents, c), change_back_money: money((t.tenderedCents ?? s.totalCents) - s.totalCents, c) } }
        : { wallet_details: { status: 'CAPTURED', brand: 'APPLE_PAY' } }),
    location_id: locationOf(s),
    order_id: squareId(rng, 29),
    ...(s.customer ? { customer_id: `CUST${s.customer.id}SQ` } : {}),
    ...(s.customer?.email ? { buyer_email_address: s.customer.email } : {}),
    team_member_id: `TM${s.operatorNo}`,
    device_details: { device_id: `device-${s.storeId}-${s.registerNo}`, device_name: `Counter ${s.registerNo}` },
    application_details: { square_product: 'SQUARE_POS', application_id: 'sq0idp-Tq4Wm8Rz2Xv6Nk1Bp9Ld3Hs' },
    receipt_number: id.slice(0, 4),
    version_token: squareId(rng, 32),
  };
  return { type: 'payment.updated', data: { type: 'payment', id, object: { payment } } };
}

function refundEvent(rng: Rng, s: Sale) {
  const t = s.tenders[0]!;
  const paymentId = squareId(rng, 29);
  const id = `${paymentId}_${squareId(rng, 30)}`;
  const refund = {
    id,
    created_at: rfc3339(s.at, 0),
    updated_at: rfc3339(new Date(s.at.getTime() + 800), 0),
    amount_money: money(s.totalCents, s.currency),
    status: 'COMPLETED',
    location_id: locationOf(s),
    order_id: squareId(rng, 29),
    payment_id: paymentId,
    reason: 'Returned goods',
    destination_type: t.method === 'card' ? 'CARD' : 'CASH',
    ...(t.method === 'card'
      ? { destination_details: { card_details: { card: { card_brand: BRANDS[t.brand ?? 'Visa'], last_4: t.last4, card_type: 'CREDIT' }, entry_method: 'CONTACTLESS' } } }
      : {}),
    team_member_id: `TM${s.operatorNo}`,
    version: 2,
  };
  return { type: 'refund.updated', data: { type: 'refund', id, object: { refund } } };
}

export function generateSquare(rng: Rng, i: number): string {
  const s = sale(rng, i);
  const event = s.kind === 'return' ? refundEvent(rng, s) : rng.bool(0.75) ? orderEvent(rng, s) : paymentEvent(rng, s);
  return JSON.stringify({
    merchant_id: 'MLX4T9W1QZ3B8',
    type: event.type,
    event_id: uuid(rng),
    created_at: rfc3339(new Date(s.at.getTime() + 1500), 0),
    data: event.data,
  });
}
