// shared/sources/shopify.ts: Shopify orders and refunds (webhook bodies or REST Admin API JSON) to
// canonical transactions, and the webhook signature check.
//
// Accepted payloads: the bare order (`orders/create` webhook body), `{ "order": {...} }` (REST
// answer), the bare refund (`refunds/create` webhook body) and `{ "refund": {...} }`.
//
// Finding codes (stable; see docs/canonical.md for the generic `payload.*`, `time.*`, `currency.*`):
// - source.shopify.subtotal_mismatch (error): the line items, net of their own and of order-level
//   discounts, do not add up to the order's stated `subtotal_price`. The stated subtotal has no place in
//   the canonical model, so only the adapter can compare it.
// - source.shopify.gateway_split_unknown (warning): several payment gateways and no transactions, so
//   how the total was split is unknown; one tender of method `other` carries the whole total.
// - source.shopify.refund_total_mismatch (warning): the refund's transactions differ from its refunded
//   lines, adjustments and tax (the total follows the transactions, the money that moved).
// - source.shopify.test_order (warning): placed in Shopify's test mode; no real money moved.
//
// Cash rounding (Shopify POS in CAD, AUD, NZD, CHF, SEK, ... rounds cash to the smallest coin): an
// order's `total_cash_rounding_payment_adjustment_set` and a transaction's `amount_rounding` are signed
// adjustments that, added to the amounts recorded, give the cash that changed hands ("applied to
// totalReceived" / "to totalRefunded", shopify.dev CashRoundingAdjustment and OrderTransaction
// amountRoundingSet). A 10.02 order paid with 10.00 in cash has -0.02. The canonical total is what was
// paid, so the adjustment is a `rounding` charge on top of `total_price` (which carries no rounding)
// and the cash tender holds the rounded amount. A refund's rounding comes from its transactions; the
// order's `total_cash_rounding_refund_adjustment_set` sums those of its refunds and is not read here.
//
// Keys: an order's sourceKey is its id; a refund's is `refund:<id>`, because order and refund ids are
// separate sequences at Shopify and could coincide. A refund's originalRef is its order's key.
import { createHmac } from 'node:crypto';
import type Big from 'big.js';
import { z } from 'zod';
import { boundedMemo } from '../model/boundedMemo';
import type { Channel, Charge, Discount, Finding, Line, Tender, TenderMethod } from '../model';
import { dec, sum, toDecimalString, toMoneyString, ZERO } from '../model/money';
import {
  buildTransaction,
  customerRefs,
  finding,
  guardAdapter,
  idString,
  isPlainObject,
  rejected,
  resolveCurrency,
  resolveTime,
  ownValue,
} from './common';
import { forStore } from './forStore';
import { safeParseFast } from './fast/parseAsFast';
import { parseJson } from './json';
import { lastFourDigits } from './shopify/lastFourDigits';
import { matchesAnySecret } from './signature';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';

/**
 * Checks `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body bytes with the app's secret.
 * Several secrets are accepted so that a secret can be rotated without rejecting deliveries in flight.
 */
export function verifyShopifySignature(rawBody: Buffer, header: string | undefined, secrets: string[]): boolean {
  if (typeof header !== 'string' || header.trim() === '') return false;
  const expected = (secret: string) =>
    Buffer.from(createHmac('sha256', secret).update(rawBody).digest('base64'), 'utf8');
  return matchesAnySecret(expected, Buffer.from(header.trim(), 'utf8'), secrets);
}

// Shopify money is decimal text ("199.00"); plain JSON numbers are tolerated. No exponents: an amount
// like "1e999999" would make an absurdly long decimal string.
const Amount = z.union([
  z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'expected a decimal amount'),
  z.number(),
]);
const Id = z.union([z.string().min(1), z.number().int()]);
const Text = z.string().nullish();
/** `*_set`: the same amount in the shop's and the buyer's (presentment) currency. */
const MoneySet = z
  .object({ shop_money: z.object({ amount: Amount, currency_code: Text }) })
  .nullish();
type MoneySet = z.infer<typeof MoneySet>;
/** A transaction's cash rounding: decimal text in REST, tolerated as a money set too. */
const CashRounding = z
  .union([Amount, z.object({ shop_money: z.object({ amount: Amount, currency_code: Text }) })])
  .nullish();

const TaxLine = z.object({ price: Amount, price_set: MoneySet, title: Text });
const DiscountAllocation = z.object({
  amount: Amount,
  amount_set: MoneySet,
  discount_application_index: z.number().int().nonnegative().nullish(),
});
const DiscountApplication = z.object({ type: Text, code: Text, title: Text, description: Text });
type DiscountApplication = z.infer<typeof DiscountApplication>;

export const ShopifyLineItem = z.object({
  id: Id.nullish(),
  sku: Text,
  name: Text,
  title: Text,
  variant_title: Text,
  variant_id: Id.nullish(),
  product_id: Id.nullish(),
  quantity: Amount,
  price: Amount,
  price_set: MoneySet,
  total_discount: Amount.nullish(),
  total_discount_set: MoneySet,
  discount_allocations: z.array(DiscountAllocation).nullish(),
  tax_lines: z.array(TaxLine).nullish(),
});
type ShopifyLineItem = z.infer<typeof ShopifyLineItem>;

const PaymentDetails = z.object({ credit_card_company: Text, credit_card_number: Text }).nullish();
type PaymentDetails = z.infer<typeof PaymentDetails>;

export const ShopifyTransaction = z.object({
  id: Id.nullish(),
  kind: z.string(),
  status: Text,
  amount: Amount,
  currency: Text,
  gateway: Text,
  location_id: Id.nullish(),
  device_id: Id.nullish(),
  payment_details: PaymentDetails,
  amount_rounding: CashRounding,
});
type ShopifyTransaction = z.infer<typeof ShopifyTransaction>;

export const ShopifyOrder = z.object({
  id: Id,
  name: Text,
  created_at: Text,
  processed_at: Text,
  cancelled_at: Text,
  currency: Text,
  taxes_included: z.boolean().nullish(),
  test: z.boolean().nullish(),
  source_name: z.union([z.string(), z.number()]).nullish(),
  location_id: Id.nullish(),
  device_id: Id.nullish(),
  user_id: Id.nullish(),
  email: Text,
  phone: Text,
  financial_status: Text,
  gateway: Text,
  payment_gateway_names: z.array(z.string()).nullish(),
  payment_details: PaymentDetails,
  subtotal_price: Amount.nullish(),
  subtotal_price_set: MoneySet,
  total_price: Amount,
  total_price_set: MoneySet,
  total_tax: Amount.nullish(),
  total_tax_set: MoneySet,
  total_tip_received: Amount.nullish(),
  total_cash_rounding_payment_adjustment_set: MoneySet,
  tax_lines: z.array(TaxLine).nullish(),
  line_items: z.array(ShopifyLineItem),
  shipping_lines: z
    .array(
      z.object({
        title: Text,
        code: Text,
        price: Amount,
        price_set: MoneySet,
        is_removed: z.boolean().nullish(),
        discount_allocations: z.array(DiscountAllocation).nullish(),
        tax_lines: z.array(TaxLine).nullish(),
      }),
    )
    .nullish(),
  discount_codes: z.array(z.object({ code: Text, amount: Amount, type: Text })).nullish(),
  discount_applications: z.array(DiscountApplication).nullish(),
  transactions: z.array(ShopifyTransaction).nullish(),
  customer: z.object({ id: Id.nullish(), email: Text, phone: Text }).nullish(),
});
type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const ShopifyRefund = z.object({
  id: Id,
  order_id: Id,
  created_at: Text,
  processed_at: Text,
  user_id: Id.nullish(),
  refund_line_items: z
    .array(
      z.object({
        quantity: Amount,
        subtotal: Amount.nullish(),
        subtotal_set: MoneySet,
        total_tax: Amount.nullish(),
        total_tax_set: MoneySet,
        line_item: ShopifyLineItem,
      }),
    )
    .nullish(),
  transactions: z.array(ShopifyTransaction).nullish(),
  order_adjustments: z
    .array(
      z.object({
        amount: Amount,
        amount_set: MoneySet,
        tax_amount: Amount.nullish(),
        tax_amount_set: MoneySet,
        kind: Text,
        reason: Text,
      }),
    )
    .nullish(),
});
type ShopifyRefund = z.infer<typeof ShopifyRefund>;

// Amounts are compared with ZERO, not the literal 0: big.js reads a number argument through its text
// parser on every call, a Big it only copies.

/** The shop-currency amount: `*_set.shop_money` where given, else the plain field (also shop currency). */
function shopMoney(set: MoneySet, plain: string | number | null | undefined): Big | null {
  const v = set?.shop_money.amount ?? plain;
  return v === null || v === undefined ? null : dec(v);
}

function taxOf(taxLines: { price: string | number; price_set?: MoneySet }[] | null | undefined): Big | null {
  if (!taxLines) return null;
  // Added in order from ZERO, as sum() does, without the mapped copy.
  let tax = ZERO;
  for (const t of taxLines) tax = tax.plus(shopMoney(t.price_set, t.price) ?? ZERO);
  return tax;
}

/** A discount described by its application: amount, lineNo, code, description, in that key order. */
function discountOf(amount: string, lineNo: number | undefined, app: DiscountApplication | undefined): Discount {
  const out: Discount = { amount };
  if (lineNo !== undefined) out.lineNo = lineNo;
  if (app?.code) out.code = app.code;
  const text = app?.title || app?.description;
  if (text) out.description = text;
  return out;
}

function skuOf(li: ShopifyLineItem): string {
  return li.sku?.trim() || idString(li.variant_id) || idString(li.product_id) || idString(li.id) || '';
}

function descriptionOf(li: ShopifyLineItem): string {
  return li.name || [li.title, li.variant_title].filter(Boolean).join(' - ');
}

const CARD_GATEWAYS = new Set(['shopify_payments', 'authorize_net', 'stripe', 'braintree', 'bogus']);
const WALLET_GATEWAYS = new Set(['paypal', 'apple_pay', 'google_pay', 'amazon_payments']);

const SEPARATORS = /[\s-]+/g;

// A shop has a few gateways, named the same on every order: each name is normalized once (trim, lower
// case, separators to `_`), not per transaction. Bounded, as names come from payloads.
const gatewayKeys = boundedMemo<string>(256);
function gatewayKey(gateway: string): string {
  return gatewayKeys.get(gateway) ?? gatewayKeys.set(gateway, gateway.trim().toLowerCase().replace(SEPARATORS, '_'));
}

function tenderMethod(gateway: string | null | undefined, details: PaymentDetails): TenderMethod {
  const g = gatewayKey(gateway ?? '');
  if (g === 'cash') return 'cash';
  if (g === 'gift_card') return 'gift_card';
  if (WALLET_GATEWAYS.has(g)) return 'mobile';
  if (details?.credit_card_company || details?.credit_card_number || CARD_GATEWAYS.has(g)) return 'card';
  return 'other';
}


/** A tender with its card's brand and last four digits (written into it, after method and amount). */
function tenderOf(method: TenderMethod, amount: string, details: PaymentDetails, status: string | undefined): Tender {
  const out: Tender = { method, amount };
  if (method === 'card' && details) {
    if (details.credit_card_company) out.cardBrand = details.credit_card_company;
    // Brand and last four digits only; Shopify masks the number ("•••• •••• •••• 4242"), the rest is dropped.
    const last4 = lastFourDigits(details.credit_card_number ?? '');
    if (last4) out.last4 = last4;
  }
  if (status) out.status = status;
  return out;
}

/** The transaction's own cash rounding, null when it states none. */
function roundingOf(t: ShopifyTransaction): Big | null {
  const r = t.amount_rounding;
  if (r === null || r === undefined) return null;
  return dec(typeof r === 'object' ? r.shop_money.amount : r);
}

/** The money that moved: the recorded amount plus its cash rounding, signed by direction. */
function tenderFromTransaction(t: ShopifyTransaction, sign: 1 | -1, currency: string | null, rounding: Big | null): Tender {
  const method = tenderMethod(t.gateway, t.payment_details);
  const cash = dec(t.amount).abs().plus(rounding ?? ZERO);
  return tenderOf(method, toMoneyString(sign < 0 ? cash.neg() : cash, currency), t.payment_details, 'approved');
}

/**
 * Tenders of an order's payments. Transactions that state their own rounding are taken with it. When
 * only the order's total rounding is known, it belongs to the cash payment only where that is
 * unambiguous: a single cash transaction, and the transactions adding up to the unrounded
 * `total_price` (Shopify's totalReceived, to which the adjustment applies). Anything else is left as
 * recorded, and a real disagreement surfaces as the tenders-vs-total error.
 */
function paymentTenders(paid: ShopifyTransaction[], price: Big, rounding: Big, currency: string | null): Tender[] {
  const own = paid.map(roundingOf);
  if (rounding.eq(ZERO) || own.some((r) => r !== null)) {
    return paid.map((t, i) => tenderFromTransaction(t, 1, currency, own[i] ?? null));
  }
  const cash = paid.filter((t) => tenderMethod(t.gateway, t.payment_details) === 'cash');
  const recorded = sum(paid.map((t) => dec(t.amount).abs()));
  const roundedOne = cash.length === 1 && recorded.eq(price) ? cash[0] : undefined;
  return paid.map((t) => tenderFromTransaction(t, 1, currency, t === roundedOne ? rounding : null));
}

const FINANCIAL_STATUS: Record<string, string> = {
  paid: 'approved',
  partially_paid: 'approved',
  partially_refunded: 'approved',
  refunded: 'approved',
  authorized: 'authorized',
  pending: 'pending',
  voided: 'voided',
};

function channelOf(sourceName: string | number | null | undefined): Channel {
  switch (sourceName) {
    case 'web':
      return 'online';
    case 'pos':
      return 'store';
    case 'iphone':
    case 'android':
    case 'mobile_app':
      return 'mobile';
    default:
      return 'unknown';
  }
}

function fromOrder(raw: unknown, payloadCtx: SourceContext, base: string): AdapterResult {
  const parsed = safeParseFast(ShopifyOrder, raw);
  if (!parsed.success) return rejected(parsed.error, base);
  const o: ShopifyOrder = parsed.data;
  const ctx = forStore(payloadCtx, idString(o.location_id) ?? payloadCtx.storeId);
  const findings: Finding[] = [];
  const currency = resolveCurrency(
    o.currency ?? o.total_price_set?.shop_money.currency_code,
    ctx,
    `${base}/currency`,
    findings,
  );
  const time = resolveTime(o.processed_at || o.created_at, ctx, `${base}/created_at`, findings);
  const apps = o.discount_applications ?? [];
  const discounts: Discount[] = [];

  // Line amounts summed as they are made, for the subtotal check.
  let lineTotal = ZERO;
  const lines: Line[] = o.line_items.map((li, i) => {
    const lineNo = i + 1;
    const quantity = dec(li.quantity);
    const unitPrice = shopMoney(li.price_set, li.price) ?? ZERO;
    let discount = ZERO;
    const allocations = li.discount_allocations ?? [];
    if (allocations.length) {
      for (const a of allocations) {
        const amount = shopMoney(a.amount_set, a.amount) ?? ZERO;
        if (amount.eq(ZERO)) continue;
        discount = discount.plus(amount);
        const app = a.discount_application_index == null ? undefined : apps[a.discount_application_index];
        discounts.push(discountOf(toMoneyString(amount, currency), lineNo, app));
      }
    } else {
      // Before discount applications existed, a line carried only its `total_discount`.
      const legacy = shopMoney(li.total_discount_set, li.total_discount);
      if (legacy && !legacy.eq(ZERO)) {
        discount = legacy;
        discounts.push({ amount: toMoneyString(legacy, currency), lineNo });
      }
    }
    const tax = taxOf(li.tax_lines);
    // A negative quantity (a return line) makes the whole amount negative.
    const unsigned = quantity.abs().times(unitPrice).minus(discount);
    const amount = quantity.lt(ZERO) ? unsigned.neg() : unsigned;
    lineTotal = lineTotal.plus(amount);
    return {
      lineNo,
      sku: skuOf(li),
      description: descriptionOf(li),
      quantity: toDecimalString(quantity),
      unitPrice: toMoneyString(unitPrice, currency),
      amount: toMoneyString(amount, currency),
      discount: toMoneyString(discount, currency),
      tax: tax ? toMoneyString(tax, currency) : null,
    };
  });

  // Order-level discounts: discount codes appear in `discount_applications` too, and their amounts are
  // already allocated to the lines, so `discount_codes` only count for orders that predate applications.
  let orderDiscount = ZERO;
  if (!apps.length) {
    for (const dc of o.discount_codes ?? []) {
      const amount = dec(dc.amount);
      if (amount.eq(ZERO)) continue;
      if (dc.type !== 'shipping') orderDiscount = orderDiscount.plus(amount);
      const codeDiscount: Discount = { amount: toMoneyString(amount, currency) };
      if (dc.code) codeDiscount.code = dc.code;
      discounts.push(codeDiscount);
    }
  }

  const charges: Charge[] = [];
  for (const sl of o.shipping_lines ?? []) {
    if (sl.is_removed) continue;
    const tax = taxOf(sl.tax_lines);
    const shipping: Charge = { type: 'shipping', amount: toMoneyString(shopMoney(sl.price_set, sl.price) ?? ZERO, currency) };
    if (tax) shipping.tax = toMoneyString(tax, currency);
    if (sl.title) shipping.description = sl.title;
    charges.push(shipping);
    for (const a of sl.discount_allocations ?? []) {
      const amount = shopMoney(a.amount_set, a.amount) ?? ZERO;
      if (amount.eq(ZERO)) continue;
      const app = a.discount_application_index == null ? undefined : apps[a.discount_application_index];
      discounts.push(discountOf(toMoneyString(amount, currency), undefined, app));
    }
  }
  const tip = o.total_tip_received == null ? null : dec(o.total_tip_received);
  if (tip && !tip.eq(ZERO)) charges.push({ type: 'tip', amount: toMoneyString(tip, currency) });

  const stated = shopMoney(o.subtotal_price_set, o.subtotal_price);
  if (stated) {
    const expected = lineTotal.minus(orderDiscount);
    if (!expected.eq(stated)) {
      // Only a mismatch is worded with the lines' gross.
      const gross = sum(o.line_items.map((li) => dec(li.quantity).times(shopMoney(li.price_set, li.price) ?? ZERO)));
      findings.push(
        finding(
          'source.shopify.subtotal_mismatch',
          'error',
          `${base}/subtotal_price`,
          `line items come to ${toMoneyString(gross, currency)} before and ${toMoneyString(expected, currency)} after discounts, ` +
            `but the order states subtotal_price ${toMoneyString(stated, currency)}`,
        ),
      );
    }
  }

  const price = shopMoney(o.total_price_set, o.total_price) ?? ZERO;
  const cashRounding = shopMoney(o.total_cash_rounding_payment_adjustment_set, null) ?? ZERO;
  if (!cashRounding.eq(ZERO)) {
    charges.push({ type: 'rounding', amount: toMoneyString(cashRounding, currency), description: 'cash rounding' });
  }
  const total = price.plus(cashRounding);
  const taxTotal = shopMoney(o.total_tax_set, o.total_tax) ?? taxOf(o.tax_lines);

  const paid = (o.transactions ?? []).filter(
    (t) => (t.kind === 'sale' || t.kind === 'capture') && (t.status ?? 'success') === 'success',
  );
  let tenders: Tender[];
  if (paid.length) {
    tenders = paymentTenders(paid, price, cashRounding, currency);
  } else {
    const gateways = (o.payment_gateway_names ?? []).filter((g) => g.trim() !== '');
    const gateway = o.gateway || gateways[0];
    let method = tenderMethod(gateway, o.payment_details);
    if (gateways.length > 1) {
      method = 'other';
      findings.push(
        finding(
          'source.shopify.gateway_split_unknown',
          'warning',
          `${base}/payment_gateway_names`,
          `paid through ${gateways.join(', ')} without transactions: the split between them is unknown`,
        ),
      );
    }
    const status = ownValue(FINANCIAL_STATUS, o.financial_status ?? '');
    tenders =
      gateway || !total.eq(ZERO)
        ? [tenderOf(method, toMoneyString(total, currency), o.payment_details, status)]
        : [];
  }

  if (o.test) {
    findings.push(finding('source.shopify.test_order', 'warning', `${base}/test`, 'test order: no real money moved'));
  }

  const tx = buildTransaction({
    source: 'shopify',
    sourceKey: idString(o.id) ?? '',
    kind: o.cancelled_at ? 'void' : 'sale',
    channel: channelOf(o.source_name),
    storeId: idString(o.location_id) ?? ctx.storeId ?? null,
    registerId: idString(o.device_id),
    operatorId: idString(o.user_id),
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: toMoneyString(total, currency),
    taxTotal: taxTotal ? toMoneyString(taxTotal, currency) : null,
    discounts,
    lines,
    tenders,
    charges,
    customer: customerRefs(ctx, 'shopify', {
      id: idString(o.customer?.id) ?? undefined,
      email: o.email || o.customer?.email,
      phone: o.phone || o.customer?.phone,
    }),
    originalRef: null,
    findings,
  });
  return { transactions: [tx], findings: [] };
}

function fromRefund(raw: unknown, payloadCtx: SourceContext, base: string): AdapterResult {
  const parsed = safeParseFast(ShopifyRefund, raw);
  if (!parsed.success) return rejected(parsed.error, base);
  const r: ShopifyRefund = parsed.data;
  const findings: Finding[] = [];
  const refunded = (r.transactions ?? []).filter(
    (t) => t.kind === 'refund' && (t.status ?? 'success') === 'success',
  );
  const ctx = forStore(payloadCtx, idString(refunded[0]?.location_id) ?? payloadCtx.storeId);
  const currency = resolveCurrency(
    refunded[0]?.currency ?? r.refund_line_items?.[0]?.subtotal_set?.shop_money.currency_code,
    ctx,
    `${base}/transactions`,
    findings,
  );
  const time = resolveTime(r.processed_at || r.created_at, ctx, `${base}/created_at`, findings);
  const discounts: Discount[] = [];
  let knownTax: Big | null = null;

  let lineTotal = ZERO;
  const lines: Line[] = (r.refund_line_items ?? []).map((rli, i) => {
    const lineNo = i + 1;
    const quantity = dec(rli.quantity).abs();
    const unitPrice = shopMoney(rli.line_item.price_set, rli.line_item.price) ?? ZERO;
    const gross = quantity.times(unitPrice);
    // `subtotal` is what the refunded units cost after their share of discounts: the gap is the discount.
    const net = shopMoney(rli.subtotal_set, rli.subtotal) ?? gross;
    const discount = gross.gt(net) ? gross.minus(net) : ZERO;
    if (discount.gt(ZERO)) discounts.push({ amount: toMoneyString(discount, currency), lineNo });
    const tax = shopMoney(rli.total_tax_set, rli.total_tax);
    if (tax) knownTax = (knownTax ?? ZERO).minus(tax);
    const refundedAmount = net.neg();
    lineTotal = lineTotal.plus(refundedAmount);
    return {
      lineNo,
      sku: skuOf(rli.line_item),
      description: descriptionOf(rli.line_item),
      quantity: toDecimalString(quantity.neg()),
      unitPrice: toMoneyString(unitPrice, currency),
      amount: toMoneyString(refundedAmount, currency),
      discount: toMoneyString(discount, currency),
      tax: tax ? toMoneyString(tax.neg(), currency) : null,
    };
  });

  // Adjustments (refunded shipping, refund discrepancies) arrive negative and exclusive of tax.
  let chargeTotal = ZERO;
  const charges: Charge[] = (r.order_adjustments ?? []).map((a) => {
    const tax = shopMoney(a.tax_amount_set, a.tax_amount);
    if (tax) knownTax = (knownTax ?? ZERO).plus(tax);
    const amount = shopMoney(a.amount_set, a.amount) ?? ZERO;
    chargeTotal = chargeTotal.plus(amount);
    const charge: Charge = { type: a.kind === 'shipping_refund' ? 'shipping' : 'other', amount: toMoneyString(amount, currency) };
    if (tax) charge.tax = toMoneyString(tax, currency);
    if (a.reason || a.kind) charge.description = (a.reason || a.kind) as string;
    return charge;
  });

  const taxTotal: Big | null = knownTax;
  const components = lineTotal.plus(chargeTotal).plus(taxTotal ?? ZERO);
  const roundings = refunded.map(roundingOf);
  let total = components;
  if (refunded.length) {
    // Compared before rounding: the refunded parts are unrounded amounts too.
    total = sum(refunded.map((t) => dec(t.amount).abs())).neg();
    if (!total.eq(components)) {
      findings.push(
        finding(
          'source.shopify.refund_total_mismatch',
          'warning',
          `${base}/transactions`,
          `refund transactions total ${toMoneyString(total, currency)} but lines, adjustments and tax come to ${toMoneyString(components, currency)}`,
        ),
      );
    }
    // Paying back 10.00 in cash for 10.02 is a rounding of -0.02 on the refund, +0.02 on the negative total.
    const cashRounding = sum(roundings.map((r) => r ?? ZERO));
    if (!cashRounding.eq(ZERO)) {
      charges.push({ type: 'rounding', amount: toMoneyString(cashRounding.neg(), currency), description: 'cash rounding' });
      total = total.minus(cashRounding);
    }
  }

  const location = idString(refunded[0]?.location_id);
  const tx = buildTransaction({
    source: 'shopify',
    sourceKey: `refund:${idString(r.id) ?? ''}`,
    kind: 'return',
    // A refund carries no sales channel; a transaction processed at a location was refunded in a store.
    channel: location ? 'store' : 'unknown',
    storeId: location ?? ctx.storeId ?? null,
    registerId: idString(refunded[0]?.device_id),
    operatorId: idString(r.user_id),
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: toMoneyString(total, currency),
    taxTotal: taxTotal ? toMoneyString(taxTotal, currency) : null,
    discounts,
    lines,
    tenders: refunded.map((t, i) => tenderFromTransaction(t, -1, currency, roundings[i] ?? null)),
    charges,
    customer: null,
    originalRef: { sourceKey: idString(r.order_id) ?? '' },
    findings,
  });
  return { transactions: [tx], findings: [] };
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  if (!isPlainObject(payload)) {
    return rejected([finding('payload.schema', 'error', '', 'expected a Shopify order or refund object')]);
  }
  if (isPlainObject(payload.order)) return fromOrder(payload.order, ctx, '/order');
  if (isPlainObject(payload.refund)) return fromRefund(payload.refund, ctx, '/refund');
  if ('refund_line_items' in payload || ('order_id' in payload && !('line_items' in payload))) {
    return fromRefund(payload, ctx, '');
  }
  return fromOrder(payload, ctx, '');
}

/** One Shopify order or refund to canonical transactions; never throws. */
export const toCanonical = guardAdapter('shopify', convert);

export const shopifyAdapter: SourceAdapter = { name: 'shopify', parse: parseJson, toCanonical };
