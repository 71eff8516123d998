// bench/generators/shopify.ts: Shopify webhook bodies: mostly `orders/create` (the bare order, web or
// POS), sometimes `refunds/create` (the bare refund). Money is decimal text with `*_set` twins, as
// Shopify sends it; ids are 13-digit integers starting with a digit no card scheme uses, so the card
// scrubber has nothing to mask on the happy path.
import type { Rng } from '../rng';
import { major } from './catalog';
import { localIso, sale, type Sale, type SaleLine, type SaleTender } from './sale';

const set = (cents: number, currency: string) => ({
  shop_money: { amount: major(cents), currency_code: currency },
  presentment_money: { amount: major(cents), currency_code: currency },
});

/** Shopify-like 13-digit ids; the leading 1 keeps them out of every card scheme's prefixes. */
const shopifyId = (kind: number, i: number, k = 0) => 1_000_000_000_000 + kind * 10_000_000_000 + i * 10 + k;

/** The generator index of a return's original sale (see `sale`: sequence = 10000 + index). */
const originalIndex = (s: Sale) => (s.originalSequence ?? 10_000) - 10_000;

function lineItem(l: SaleLine, s: Sale, k: number, applications: number) {
  const allocations = [];
  if (l.discountCents) allocations.push({ amount: major(l.discountCents), amount_set: set(l.discountCents, s.currency), discount_application_index: 0 });
  if (l.basketShareCents) {
    allocations.push({ amount: major(l.basketShareCents), amount_set: set(l.basketShareCents, s.currency), discount_application_index: applications - 1 });
  }
  const discount = l.discountCents + l.basketShareCents;
  const [title, variant] = l.product.description.split(/ (?=\S+$)/);
  return {
    id: shopifyId(2, s.i, k),
    admin_graphql_api_id: `gid://shopify/LineItem/${shopifyId(2, s.i, k)}`,
    fulfillable_quantity: l.milli / 1000,
    fulfillment_service: 'manual',
    gift_card: false,
    grams: l.product.weighed ? 1000 : 250,
    name: l.product.description,
    price: major(l.unitCents),
    price_set: set(l.unitCents, s.currency),
    product_exists: true,
    product_id: shopifyId(3, l.product.cents, 0),
    properties: [],
    quantity: l.milli / 1000,
    requires_shipping: true,
    sku: l.product.sku,
    taxable: true,
    title: title ?? l.product.description,
    total_discount: major(discount),
    total_discount_set: set(discount, s.currency),
    variant_id: shopifyId(4, l.product.cents, 1),
    variant_title: variant ?? null,
    vendor: 'Northwind',
    tax_lines: [{ price: major(l.taxCents), price_set: set(l.taxCents, s.currency), rate: 0.08875, title: 'NY State Tax', channel_liable: false }],
    duties: [],
    discount_allocations: allocations,
  };
}

function orderTransaction(t: SaleTender, s: Sale, k: number, pos: boolean) {
  const gateway = t.method === 'cash' ? 'cash' : t.method === 'gift_card' ? 'gift_card' : t.method === 'mobile' && !pos ? 'paypal' : 'shopify_payments';
  return {
    id: shopifyId(5, s.i, k),
    kind: 'sale',
    status: 'success',
    amount: major(t.cents),
    currency: s.currency,
    gateway,
    ...(pos ? { location_id: shopifyId(6, Number(s.storeId.slice(1))), device_id: s.registerNo } : {}),
    created_at: localIso(s.at),
    payment_details:
      gateway === 'shopify_payments'
        ? { credit_card_company: t.brand ?? 'Visa', credit_card_number: `•••• •••• •••• ${t.last4 ?? '4242'}`, credit_card_bin: null }
        : null,
  };
}

function order(s: Sale) {
  const pos = s.i % 3 === 0;
  const shippingCents = pos ? 0 : 795;
  const shippingTax = Math.round((shippingCents * s.taxRateMilli) / 100_000);
  const promo = s.lines.some((l) => l.discountCents);
  const applications = [
    ...(promo ? [{ target_type: 'line_item', type: 'automatic', title: '10% off selected items', value: '10.0', value_type: 'percentage', allocation_method: 'each', target_selection: 'entitled' }] : []),
    ...(s.basketDiscountCents
      ? [{ target_type: 'line_item', type: 'discount_code', code: s.discountCode, value: major(s.basketDiscountCents), value_type: 'fixed_amount', allocation_method: 'across', target_selection: 'all' }]
      : []),
  ];
  const subtotal = s.merchandiseCents - s.basketDiscountCents;
  const tax = s.taxCents + shippingTax;
  const total = subtotal + shippingCents + tax;
  // The shipping is paid with the basket: the first tender carries it.
  const tenders = s.tenders.map((t, k) => (k === s.tenders.length - 1 ? { ...t, cents: t.cents + shippingCents + shippingTax } : t));
  const c = s.customer;
  const id = shopifyId(1, s.i);
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    app_id: pos ? 129785 : 580111,
    buyer_accepts_marketing: c !== null,
    cancelled_at: null,
    cancel_reason: null,
    confirmed: true,
    contact_email: c?.email ?? null,
    created_at: localIso(s.at),
    currency: s.currency,
    current_subtotal_price: major(subtotal),
    current_total_price: major(total),
    current_total_tax: major(tax),
    device_id: pos ? s.registerNo : null,
    discount_applications: applications,
    discount_codes: s.discountCode ? [{ code: s.discountCode, amount: major(s.basketDiscountCents), type: 'fixed_amount' }] : [],
    email: c?.email ?? '',
    financial_status: 'paid',
    fulfillment_status: pos ? 'fulfilled' : null,
    location_id: pos ? shopifyId(6, Number(s.storeId.slice(1))) : null,
    name: `#${1000 + s.i}`,
    number: s.i,
    order_number: 1000 + s.i,
    payment_gateway_names: [...new Set(tenders.map((t) => (t.method === 'cash' ? 'cash' : 'shopify_payments')))],
    phone: c?.phone ?? null,
    presentment_currency: s.currency,
    processed_at: localIso(s.at),
    source_name: pos ? 'pos' : 'web',
    subtotal_price: major(subtotal),
    subtotal_price_set: set(subtotal, s.currency),
    tags: c?.loyalty ? `loyalty:${c.loyalty}` : '',
    tax_lines: [{ price: major(tax), price_set: set(tax, s.currency), rate: 0.08875, title: 'NY State Tax', channel_liable: false }],
    taxes_included: false,
    test: false,
    total_discounts: major(s.basketDiscountCents + s.lines.reduce((a, l) => a + l.discountCents, 0)),
    total_line_items_price: major(s.lines.reduce((a, l) => a + l.grossCents, 0)),
    total_price: major(total),
    total_price_set: set(total, s.currency),
    total_tax: major(tax),
    total_tax_set: set(tax, s.currency),
    total_tip_received: '0.00',
    updated_at: localIso(new Date(s.at.getTime() + 2000)),
    user_id: pos ? 100_000_000 + s.operatorNo : null,
    customer: c ? { id: shopifyId(7, s.i % 50_000), email: c.email ?? null, phone: c.phone ?? null, first_name: c.first, last_name: c.last, state: 'enabled', verified_email: true } : null,
    line_items: s.lines.map((l, k) => lineItem(l, s, k, applications.length)),
    shipping_lines: shippingCents
      ? [{ id: shopifyId(8, s.i), code: 'Standard', title: 'Standard Shipping', price: major(shippingCents), price_set: set(shippingCents, s.currency), is_removed: false, discount_allocations: [], tax_lines: [{ price: major(shippingTax), price_set: set(shippingTax, s.currency), rate: 0.08875, title: 'NY State Tax' }] }]
      : [],
    transactions: tenders.map((t, k) => orderTransaction(t, s, k, pos)),
  };
}

function refund(s: Sale) {
  const location = shopifyId(6, Number(s.storeId.slice(1)));
  return {
    id: shopifyId(9, s.i),
    order_id: shopifyId(1, originalIndex(s)),
    created_at: localIso(s.at),
    processed_at: localIso(s.at),
    note: 'Customer changed their mind',
    restock: true,
    user_id: 100_000_000 + s.operatorNo,
    admin_graphql_api_id: `gid://shopify/Refund/${shopifyId(9, s.i)}`,
    refund_line_items: s.lines.map((l, k) => ({
      id: shopifyId(10, s.i, k),
      quantity: l.milli / 1000,
      line_item_id: shopifyId(2, originalIndex(s), k),
      location_id: location,
      restock_type: 'return',
      subtotal: major(l.netCents),
      subtotal_set: set(l.netCents, s.currency),
      total_tax: major(l.taxCents),
      total_tax_set: set(l.taxCents, s.currency),
      line_item: lineItem({ ...l, discountCents: 0, basketShareCents: 0 }, { ...s, i: originalIndex(s) }, k, 0),
    })),
    transactions: s.tenders.map((t, k) => ({ ...orderTransaction(t, s, k, true), kind: 'refund', id: shopifyId(11, s.i, k) })),
    order_adjustments: [],
  };
}

export function generateShopify(rng: Rng, i: number): string {
  // Shopify sells weighed goods by the pack: its quantities are whole numbers.
  const s = sale(rng, i, { wholeQuantities: true, returnRate: 0.08 });
  return JSON.stringify(s.kind === 'return' ? refund(s) : order(s));
}
