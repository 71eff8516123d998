// shared/sources/square.ts: Square webhooks (payment, refund, order events) and Square Order, Payment
// and PaymentRefund objects to canonical transactions, and the webhook signature check.
//
// Accepted payloads: a webhook event `{ merchant_id, type, event_id, created_at, data: { type, id,
// object } }`; a bare Order object (as posted to ingest); `{ order }`, `{ payment }` or `{ refund }`
// (Square API answers).
//
// Square money is `{ amount, currency }` in minor units; timestamps are RFC 3339 with up to nine
// fractional digits (truncated to milliseconds).
//
// Finding codes (stable; see docs/canonical.md for the generic `payload.*`, `time.*`, `currency.*`):
// - source.square.unsupported_event (warning): a webhook event type that carries no sale, payment or
//   refund (e.g. `customer.created`); acknowledged, nothing created.
// - source.square.currency_mismatch (error): an amount in another currency than the transaction's.
// - source.square.order_not_completed (warning): an OPEN or DRAFT order; its tenders may still change.
// - source.square.mixed_tax_types (warning): ADDITIVE and INCLUSIVE taxes in one order; the canonical
//   model has a single notion of tax-inclusive prices, so the totals identity may not hold.
// - source.square.discount_unattributed (warning): a line's discount cannot be told apart from its share
//   of order-level discounts (no `applied_discounts`); it is left to the order-level discounts.
// - source.square.total_missing (error): an order without `total_money`; the total is computed.
import { createHmac } from 'node:crypto';
import type Big from 'big.js';
import { z } from 'zod';
import type { Channel, Charge, Discount, Finding, Line, Tender, TenderMethod } from '../model';
import { dec, fromMinorUnits, minorUnits, sum, toDecimalString, toMoneyString, ZERO } from '../model/money';
import {
  buildTransaction,
  customerRefs,
  finding,
  guardAdapter,
  isPlainObject,
  rejected,
  resolveCurrency,
  resolveTime,
  ownValue,
} from './common';
import { forStore } from './forStore';
import { parseAsFast } from './fast/parseAsFast';
import { parseJson } from './json';
import { matchesAnySecret } from './signature';
import { isNegative, isZero } from '../model/bigSigns';
import type { AdapterResult, SourceAdapter, SourceContext, WorkItem } from './types';

/**
 * Checks `x-square-hmacsha256-signature`: base64 HMAC-SHA256 with the subscription's signature key over
 * the notification URL followed by the raw body bytes. Several keys are accepted so that a key can be
 * rotated without rejecting deliveries in flight.
 */
export function verifySquareSignature(
  rawBody: Buffer,
  notificationUrl: string,
  header: string | undefined,
  keys: string[],
): boolean {
  if (typeof header !== 'string' || header.trim() === '') return false;
  const expected = (key: string) =>
    Buffer.from(createHmac('sha256', key).update(notificationUrl, 'utf8').update(rawBody).digest('base64'), 'utf8');
  return matchesAnySecret(expected, Buffer.from(header.trim(), 'utf8'), keys);
}

const Text = z.string().nullish();
/** Minor units; big amounts arrive as digit strings from parseJson. */
const Money = z.object({
  amount: z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer amount')]),
  currency: z.string().min(1),
});
type Money = z.infer<typeof Money>;
const Quantity = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal quantity');

/** Brand and last four only: expiry, fingerprint and BIN are not read, so they cannot leak. */
const CardDetails = z.object({
  status: Text,
  entry_method: Text,
  card: z.object({ card_brand: Text, last_4: Text }).nullish(),
});
type CardDetails = z.infer<typeof CardDetails>;

export const SquarePayment = z.object({
  id: z.string().min(1),
  created_at: Text,
  status: Text,
  source_type: Text,
  amount_money: Money,
  tip_money: Money.nullish(),
  total_money: Money.nullish(),
  card_details: CardDetails.nullish(),
  external_details: z.object({ type: Text }).nullish(),
  location_id: Text,
  order_id: Text,
  customer_id: Text,
  buyer_email_address: Text,
  team_member_id: Text,
  employee_id: Text,
  device_details: z.object({ device_id: Text }).nullish(),
  application_details: z.object({ square_product: Text }).nullish(),
});
type SquarePayment = z.infer<typeof SquarePayment>;

export const SquareRefund = z.object({
  id: z.string().min(1),
  status: Text,
  amount_money: Money,
  payment_id: Text,
  order_id: Text,
  location_id: Text,
  created_at: Text,
  team_member_id: Text,
  destination_type: Text,
  destination_details: z.object({ card_details: CardDetails.nullish() }).nullish(),
});
type SquareRefund = z.infer<typeof SquareRefund>;

const AppliedDiscount = z.object({ discount_uid: Text, applied_money: Money.nullish() });
const OrderLineItem = z.object({
  uid: Text,
  name: Text,
  variation_name: Text,
  catalog_object_id: Text,
  quantity: Quantity,
  base_price_money: Money.nullish(),
  gross_sales_money: Money.nullish(),
  total_tax_money: Money.nullish(),
  total_discount_money: Money.nullish(),
  applied_discounts: z.array(AppliedDiscount).nullish(),
  modifiers: z.array(z.object({ base_price_money: Money.nullish(), quantity: Quantity.nullish() })).nullish(),
});
type OrderLineItem = z.infer<typeof OrderLineItem>;
const ReturnLineItem = z.object({
  uid: Text,
  name: Text,
  variation_name: Text,
  catalog_object_id: Text,
  quantity: Quantity,
  base_price_money: Money.nullish(),
  gross_return_money: Money.nullish(),
  total_tax_money: Money.nullish(),
  total_discount_money: Money.nullish(),
});
const OrderTender = z.object({
  id: Text,
  type: z.string(),
  amount_money: Money.nullish(),
  card_details: CardDetails.nullish(),
});
type OrderTender = z.infer<typeof OrderTender>;
const MoneyAmounts = z.object({ total_money: Money.nullish(), tax_money: Money.nullish() }).nullish();

export const SquareOrder = z.object({
  id: z.string().min(1),
  location_id: Text,
  state: Text,
  created_at: Text,
  closed_at: Text,
  customer_id: Text,
  line_items: z.array(OrderLineItem).nullish(),
  taxes: z.array(z.object({ uid: Text, type: Text, scope: Text })).nullish(),
  discounts: z
    .array(
      z.object({
        uid: Text,
        name: Text,
        catalog_object_id: Text,
        scope: Text,
        applied_money: Money.nullish(),
      }),
    )
    .nullish(),
  service_charges: z
    .array(
      z.object({
        name: Text,
        amount_money: Money.nullish(),
        applied_money: Money.nullish(),
        total_tax_money: Money.nullish(),
      }),
    )
    .nullish(),
  fulfillments: z.array(z.object({ type: Text })).nullish(),
  tenders: z.array(OrderTender).nullish(),
  refunds: z.array(z.object({ tender_id: Text, amount_money: Money, status: Text })).nullish(),
  returns: z
    .array(z.object({ source_order_id: Text, return_line_items: z.array(ReturnLineItem).nullish() }))
    .nullish(),
  return_amounts: MoneyAmounts,
  net_amounts: MoneyAmounts,
  rounding_adjustment: z.object({ amount_money: Money.nullish() }).nullish(),
  total_money: Money.nullish(),
  total_tax_money: Money.nullish(),
  total_tip_money: Money.nullish(),
});
type SquareOrder = z.infer<typeof SquareOrder>;

export const SquareEvent = z.object({
  merchant_id: Text,
  type: z.string().min(1),
  event_id: z.string().min(1),
  created_at: Text,
  data: z.object({
    type: Text,
    id: Text,
    object: z.record(z.string(), z.unknown()).nullish(),
  }),
});
type SquareEvent = z.infer<typeof SquareEvent>;

/**
 * Reads minor-unit amounts of one transaction, noting any amount in a foreign currency. The finding's
 * path is `path` + `field`, joined only when there is a finding (most amounts are in the transaction's
 * currency, and their paths would be built for nothing).
 */
function moneyReader(currency: string | null, findings: Finding[]) {
  return (m: Money | null | undefined, path: string, field = ''): Big | null => {
    if (!m) return null;
    const cur = m.currency.toUpperCase();
    if (currency && cur !== currency) {
      findings.push(
        finding('source.square.currency_mismatch', 'error', path + field, `amount in ${cur}, transaction in ${currency}`),
      );
    }
    return fromMinorUnits(m.amount, cur);
  };
}
type MoneyRead = ReturnType<typeof moneyReader>;

// Compiled once, not per tender.
const FOUR_DIGITS = /^\d{4}$/;

/**
 * A tender with the card's brand and last four (card and gift card tenders only) and the status where
 * there is one: fields set in place, in canonical order, rather than spread from partial objects.
 */
function tenderOf(
  method: TenderMethod,
  amount: string,
  details: CardDetails | null | undefined,
  status: string | undefined,
): Tender {
  const tender: Tender = { method, amount };
  if (method === 'card' || method === 'gift_card') {
    const card = details?.card;
    if (card?.card_brand) tender.cardBrand = card.card_brand;
    const last4 = card?.last_4;
    if (last4 && FOUR_DIGITS.test(last4)) tender.last4 = last4;
  }
  if (status) tender.status = status;
  return tender;
}

/** A discount with its line, promotion and description where there are any, keys in canonical order. */
function discountOf(
  amount: string,
  lineNo: number | undefined,
  promotionId: string | null | undefined,
  description: string | null | undefined,
): Discount {
  const discount: Discount = { amount };
  if (lineNo !== undefined) discount.lineNo = lineNo;
  if (promotionId) discount.promotionId = promotionId;
  if (description) discount.description = description;
  return discount;
}

const CARD_STATUS: Record<string, string> = {
  AUTHORIZED: 'authorized',
  CAPTURED: 'approved',
  VOIDED: 'voided',
  FAILED: 'declined',
};
const PAYMENT_STATUS: Record<string, string> = {
  APPROVED: 'authorized',
  PENDING: 'pending',
  COMPLETED: 'approved',
  CANCELED: 'voided',
  FAILED: 'declined',
};
const REFUND_STATUS: Record<string, string> = {
  PENDING: 'pending',
  COMPLETED: 'approved',
  REJECTED: 'declined',
  FAILED: 'declined',
};

/** Square gift cards are paid "by card" with the brand SQUARE_GIFT_CARD. */
function cardMethod(details: CardDetails | null | undefined): TenderMethod {
  return details?.card?.card_brand === 'SQUARE_GIFT_CARD' ? 'gift_card' : 'card';
}

const EXTERNAL_METHOD: Record<string, TenderMethod> = {
  CARD: 'card',
  OTHER_GIFT_CARD: 'gift_card',
  FOOD_VOUCHER: 'voucher',
  EMONEY: 'mobile',
  SQUARE_CASH: 'mobile',
};

function paymentMethod(p: SquarePayment): TenderMethod {
  switch (p.source_type) {
    case 'CARD':
      return cardMethod(p.card_details);
    case 'CASH':
      return 'cash';
    case 'WALLET':
      return 'mobile';
    case 'EXTERNAL':
      return ownValue(EXTERNAL_METHOD, p.external_details?.type ?? '') ?? 'other';
    default:
      return 'other';
  }
}

function tenderMethod(t: OrderTender): TenderMethod {
  switch (t.type) {
    case 'CARD':
    case 'THIRD_PARTY_CARD':
      return cardMethod(t.card_details);
    case 'CASH':
      return 'cash';
    case 'SQUARE_GIFT_CARD':
      return 'gift_card';
    case 'WALLET':
      return 'mobile';
    default:
      return 'other';
  }
}

const IN_PERSON_ENTRY = new Set(['EMV', 'SWIPED', 'CONTACTLESS']);
const STORE_PRODUCTS = new Set(['SQUARE_POS', 'RETAIL', 'RESTAURANTS', 'TERMINAL_API', 'APPOINTMENTS']);
const ONLINE_PRODUCTS = new Set(['ONLINE_STORE', 'ECOMMERCE_API', 'INVOICES']);

function paymentChannel(p: SquarePayment): Channel {
  const product = p.application_details?.square_product ?? '';
  if (STORE_PRODUCTS.has(product)) return 'store';
  if (ONLINE_PRODUCTS.has(product)) return 'online';
  if (p.source_type === 'CASH' || IN_PERSON_ENTRY.has(p.card_details?.entry_method ?? '')) return 'store';
  return 'unknown';
}

function orderChannel(o: SquareOrder): Channel {
  if (o.fulfillments?.some((f) => f.type === 'SHIPMENT' || f.type === 'DELIVERY')) return 'online';
  const inPerson = (t: OrderTender) => t.type === 'CASH' || IN_PERSON_ENTRY.has(t.card_details?.entry_method ?? '');
  return o.tenders?.some(inPerson) ? 'store' : 'unknown';
}

function fromPayment(p: SquarePayment, payloadCtx: SourceContext, base: string): AdapterResult {
  const findings: Finding[] = [];
  const ctx = forStore(payloadCtx, p.location_id || payloadCtx.storeId);
  const currency = resolveCurrency(p.amount_money.currency, ctx, `${base}/amount_money/currency`, findings);
  const read = moneyReader(currency, findings);
  const time = resolveTime(p.created_at, ctx, `${base}/created_at`, findings);
  const amount = read(p.amount_money, base, '/amount_money') ?? ZERO;
  const tip = read(p.tip_money, base, '/tip_money');
  const total = read(p.total_money, base, '/total_money') ?? amount.plus(tip ?? ZERO);
  const method = paymentMethod(p);
  const status = ownValue(PAYMENT_STATUS, p.status ?? '');
  const totalText = toMoneyString(total, currency);
  const tx = buildTransaction({
    source: 'square',
    sourceKey: p.id,
    // A canceled or failed payment moved no money: it is recorded, as a void.
    kind: p.status === 'CANCELED' || p.status === 'FAILED' ? 'void' : 'payment',
    channel: paymentChannel(p),
    storeId: p.location_id || ctx.storeId || null,
    registerId: p.device_details?.device_id || null,
    operatorId: p.team_member_id || p.employee_id || null,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: totalText,
    taxTotal: null,
    discounts: [],
    lines: [],
    tenders: [tenderOf(method, totalText, p.card_details, status)],
    charges: tip && !isZero(tip) ? [{ type: 'tip', amount: toMoneyString(tip, currency) }] : [],
    customer: customerRefs(ctx, 'square', { id: p.customer_id || undefined, email: p.buyer_email_address || undefined }),
    originalRef: null,
    findings,
  });
  return { transactions: [tx], findings: [] };
}

function fromRefund(r: SquareRefund, payloadCtx: SourceContext, base: string): AdapterResult {
  const findings: Finding[] = [];
  const ctx = forStore(payloadCtx, r.location_id || payloadCtx.storeId);
  const currency = resolveCurrency(r.amount_money.currency, ctx, `${base}/amount_money/currency`, findings);
  const read = moneyReader(currency, findings);
  const time = resolveTime(r.created_at, ctx, `${base}/created_at`, findings);
  const total = (read(r.amount_money, base, '/amount_money') ?? ZERO).abs().neg();
  const card = r.destination_details?.card_details;
  const method: TenderMethod =
    r.destination_type === 'CARD' ? cardMethod(card) : r.destination_type === 'CASH' ? 'cash' : 'other';
  const totalText = toMoneyString(total, currency);
  const tx = buildTransaction({
    source: 'square',
    sourceKey: r.id,
    kind: r.status === 'REJECTED' || r.status === 'FAILED' ? 'void' : 'return',
    channel: 'unknown',
    storeId: r.location_id || ctx.storeId || null,
    registerId: null,
    operatorId: r.team_member_id || null,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: totalText,
    taxTotal: null,
    discounts: [],
    lines: [],
    tenders: [tenderOf(method, totalText, card, ownValue(REFUND_STATUS, r.status ?? ''))],
    customer: null,
    originalRef: r.payment_id ? { sourceKey: r.payment_id } : null,
    findings,
  });
  return { transactions: [tx], findings: [] };
}

function describeLine(li: { name?: string | null; variation_name?: string | null }): string {
  const { name, variation_name: variation } = li;
  if (name && variation) return `${name} - ${variation}`;
  return name || variation || '';
}

/** Price of one unit: the variation's price plus its modifiers (modifier quantity per unit). */
function unitPriceOf(li: OrderLineItem, read: MoneyRead, path: string): Big {
  let unit = read(li.base_price_money, path, '/base_price_money') ?? ZERO;
  const modifiers = li.modifiers;
  if (!modifiers) return unit;
  for (let j = 0; j < modifiers.length; j++) {
    const m = modifiers[j]!;
    const price = read(m.base_price_money, `${path}/modifiers/${j}/base_price_money`) ?? ZERO;
    unit = unit.plus(price.times(dec(m.quantity ?? '1')));
  }
  return unit;
}

function fromOrder(o: SquareOrder, payloadCtx: SourceContext, base: string): AdapterResult {
  const findings: Finding[] = [];
  const ctx = forStore(payloadCtx, o.location_id || payloadCtx.storeId);
  const currency = resolveCurrency(
    o.total_money?.currency ?? o.line_items?.[0]?.base_price_money?.currency,
    ctx,
    `${base}/total_money/currency`,
    findings,
  );
  const read = moneyReader(currency, findings);
  const digits = minorUnits(currency);
  const time = resolveTime(o.closed_at || o.created_at, ctx, `${base}/created_at`, findings);
  type OrderDiscount = NonNullable<SquareOrder['discounts']>[number];
  const orderDiscounts: OrderDiscount[] = [];
  const orderScoped = new Set<string>();
  const discountByUid = new Map<string | null | undefined, OrderDiscount>();
  for (const d of o.discounts ?? []) {
    if (d.scope === 'ORDER') {
      orderDiscounts.push(d);
      if (d.uid) orderScoped.add(d.uid);
    }
    discountByUid.set(d.uid, d);
  }
  const discounts: Discount[] = [];
  const lines: Line[] = [];

  const lineItems = o.line_items ?? [];
  for (let i = 0; i < lineItems.length; i++) {
    const li = lineItems[i]!;
    const path = `${base}/line_items/${i}`;
    const lineNo = lines.length + 1;
    const quantity = dec(li.quantity);
    const unitPrice = unitPriceOf(li, read, path);
    // Square rounds each line's gross to the minor unit (weighed items): its figure is what was
    // charged, so it wins over quantity times unit price.
    const gross =
      read(li.gross_sales_money, path, '/gross_sales_money') ?? quantity.times(unitPrice).round(digits, 1);
    let discount = ZERO;
    if (li.applied_discounts?.length) {
      // Square apportions ORDER-scoped discounts to every line; those are listed once, order-level.
      for (let j = 0; j < li.applied_discounts.length; j++) {
        const a = li.applied_discounts[j]!;
        if (a.discount_uid && orderScoped.has(a.discount_uid)) continue;
        const amount = read(a.applied_money, `${path}/applied_discounts/${j}/applied_money`) ?? ZERO;
        if (isZero(amount)) continue;
        discount = discount.plus(amount);
        const d = a.discount_uid ? discountByUid.get(a.discount_uid) : undefined;
        discounts.push(discountOf(toMoneyString(amount, currency), lineNo, d?.catalog_object_id, d?.name));
      }
    } else {
      const stated = read(li.total_discount_money, path, '/total_discount_money') ?? ZERO;
      if (!isZero(stated) && orderDiscounts.length) {
        findings.push(
          finding(
            'source.square.discount_unattributed',
            'warning',
            `${path}/total_discount_money`,
            'line discount without applied_discounts in an order with order-level discounts: counted order-level',
          ),
        );
      } else if (!isZero(stated)) {
        discount = stated;
        discounts.push({ amount: toMoneyString(stated, currency), lineNo });
      }
    }
    const tax = read(li.total_tax_money, path, '/total_tax_money');
    lines.push({
      lineNo,
      sku: li.catalog_object_id || li.uid || '',
      description: describeLine(li),
      quantity: toDecimalString(quantity),
      unitPrice: toMoneyString(unitPrice, currency),
      amount: toMoneyString(gross.minus(discount), currency),
      discount: toMoneyString(discount, currency),
      tax: tax ? toMoneyString(tax, currency) : null,
    });
  }

  // Returned items are negative lines; their discounts (order-level shares included) stay on the line.
  (o.returns ?? []).forEach((ret, r) => {
    (ret.return_line_items ?? []).forEach((li, i) => {
      const path = `${base}/returns/${r}/return_line_items/${i}`;
      const lineNo = lines.length + 1;
      const quantity = dec(li.quantity);
      const unitPrice = read(li.base_price_money, path, '/base_price_money') ?? ZERO;
      const gross =
        read(li.gross_return_money, path, '/gross_return_money') ?? quantity.times(unitPrice).round(digits, 1);
      const discount = read(li.total_discount_money, path, '/total_discount_money') ?? ZERO;
      if (!isZero(discount)) discounts.push({ amount: toMoneyString(discount, currency), lineNo });
      const tax = read(li.total_tax_money, path, '/total_tax_money');
      lines.push({
        lineNo,
        sku: li.catalog_object_id || li.uid || '',
        description: describeLine(li),
        quantity: toDecimalString(quantity.neg()),
        unitPrice: toMoneyString(unitPrice, currency),
        amount: toMoneyString(gross.minus(discount).neg(), currency),
        discount: toMoneyString(discount, currency),
        tax: tax ? toMoneyString(tax.neg(), currency) : null,
      });
    });
  });

  orderDiscounts.forEach((d, j) => {
    const applied =
      read(d.applied_money, `${base}/discounts/${j}/applied_money`) ??
      sum(
        (o.line_items ?? []).flatMap((li) =>
          (li.applied_discounts ?? [])
            .filter((a) => a.discount_uid === d.uid)
            .map((a) => fromMinorUnits(a.applied_money?.amount ?? 0, currency)),
        ),
      );
    if (isZero(applied)) return;
    discounts.push(discountOf(toMoneyString(applied, currency), undefined, d.catalog_object_id, d.name));
  });

  const charges: Charge[] = [];
  (o.service_charges ?? []).forEach((sc, j) => {
    const path = `${base}/service_charges/${j}`;
    const amount = read(sc.applied_money ?? sc.amount_money, path, '/applied_money') ?? ZERO;
    const tax = read(sc.total_tax_money, path, '/total_tax_money');
    const charge: Charge = { type: 'service', amount: toMoneyString(amount, currency) };
    if (tax) charge.tax = toMoneyString(tax, currency);
    if (sc.name) charge.description = sc.name;
    charges.push(charge);
  });
  const tip = read(o.total_tip_money, base, '/total_tip_money');
  if (tip && !isZero(tip)) charges.push({ type: 'tip', amount: toMoneyString(tip, currency) });
  const rounding = read(o.rounding_adjustment?.amount_money, base, '/rounding_adjustment/amount_money');
  if (rounding && !isZero(rounding)) charges.push({ type: 'rounding', amount: toMoneyString(rounding, currency) });

  const taxTypes = new Set((o.taxes ?? []).map((t) => t.type));
  if (taxTypes.has('ADDITIVE') && taxTypes.has('INCLUSIVE')) {
    findings.push(
      finding('source.square.mixed_tax_types', 'warning', `${base}/taxes`, 'order mixes ADDITIVE and INCLUSIVE taxes'),
    );
  }

  // With returns, the order's own totals cover only its sales; the net amounts are sales minus returns.
  const hasReturns = (o.returns ?? []).length > 0;
  const returned = read(o.return_amounts?.total_money, base, '/return_amounts/total_money') ?? ZERO;
  const returnedTax = read(o.return_amounts?.tax_money, base, '/return_amounts/tax_money') ?? ZERO;
  const saleTotal = read(o.total_money, base, '/total_money');
  const saleTax = read(o.total_tax_money, base, '/total_tax_money');
  let total = hasReturns
    ? (read(o.net_amounts?.total_money, base, '/net_amounts/total_money') ?? (saleTotal ?? ZERO).minus(returned))
    : saleTotal;
  const taxTotal = hasReturns
    ? (read(o.net_amounts?.tax_money, base, '/net_amounts/tax_money') ?? (saleTax ?? ZERO).minus(returnedTax))
    : saleTax;
  if (!total) {
    const additiveTax = taxTypes.has('INCLUSIVE') && !taxTypes.has('ADDITIVE') ? ZERO : (taxTotal ?? ZERO);
    total = sum(lines.map((l) => dec(l.amount)))
      .minus(sum(discounts.filter((d) => d.lineNo === undefined).map((d) => dec(d.amount))))
      .plus(sum(charges.map((c) => dec(c.amount))))
      .plus(additiveTax);
    findings.push(
      finding('source.square.total_missing', 'error', `${base}/total_money`, 'order has no total_money: computed from its parts'),
    );
  }

  const tenderById = new Map((o.tenders ?? []).map((t) => [t.id, t]));
  const tenders: Tender[] = [];
  (o.tenders ?? []).forEach((t, j) => {
    if (t.type === 'NO_SALE') return; // opens the drawer, moves no money
    const method = tenderMethod(t);
    const amount = read(t.amount_money, `${base}/tenders/${j}/amount_money`) ?? ZERO;
    const status = method === 'cash' ? 'approved' : ownValue(CARD_STATUS, t.card_details?.status ?? '');
    tenders.push(tenderOf(method, toMoneyString(amount, currency), t.card_details, status));
  });
  (o.refunds ?? []).forEach((rf, j) => {
    const original = rf.tender_id ? tenderById.get(rf.tender_id) : undefined;
    const amount = (read(rf.amount_money, `${base}/refunds/${j}/amount_money`) ?? ZERO).abs().neg();
    // No card fields on a refund tender, whatever its method.
    const refund: Tender = { method: original ? tenderMethod(original) : 'other', amount: toMoneyString(amount, currency) };
    const status = ownValue(REFUND_STATUS, rf.status ?? '');
    if (status) refund.status = status;
    tenders.push(refund);
  });

  if (o.state === 'OPEN' || o.state === 'DRAFT') {
    findings.push(
      finding('source.square.order_not_completed', 'warning', `${base}/state`, `order state is ${o.state}`),
    );
  }
  const onlyReturns = hasReturns && !(o.line_items ?? []).length;
  const sourceOrder = o.returns?.find((r) => r.source_order_id)?.source_order_id;
  const tx = buildTransaction({
    source: 'square',
    sourceKey: o.id,
    kind: o.state === 'CANCELED' ? 'void' : onlyReturns || isNegative(total) ? 'return' : 'sale',
    channel: orderChannel(o),
    storeId: o.location_id || ctx.storeId || null,
    registerId: null,
    operatorId: null,
    businessDate: time.businessDate,
    occurredAt: time.occurredAt,
    currency,
    total: toMoneyString(total, currency),
    taxTotal: taxTotal ? toMoneyString(taxTotal, currency) : null,
    discounts,
    lines,
    tenders,
    charges,
    customer: customerRefs(ctx, 'square', { id: o.customer_id || undefined }),
    originalRef: sourceOrder ? { sourceKey: sourceOrder } : null,
    findings,
  });
  return { transactions: [tx], findings: [] };
}

/** Event types whose object is only a notification: the order itself must be fetched from Square. */
const NOTIFICATION_ONLY = new Set(['order.updated', 'order.fulfillment.updated', 'order.created']);

function fromEvent(e: SquareEvent, ctx: SourceContext): AdapterResult {
  const object = e.data.object ?? {};
  const objectId = e.data.id ?? '';
  const workItem = (kind: WorkItem['kind'], objectType: string, accountId?: string | null): AdapterResult => ({
    transactions: [],
    findings: [],
    workItems: [{ kind, vendor: 'square', objectType, objectId, eventId: e.event_id, ...(accountId ? { accountId } : {}) }],
  });
  if (e.type === 'webhooks.test_notification') return workItem('test_notification', e.data.type || 'webhooks');
  if (e.type.startsWith('payment.') && 'payment' in object) {
    return parseAsFast(SquarePayment, object.payment, '/data/object/payment', (p) => fromPayment(p, ctx, '/data/object/payment'));
  }
  if (e.type.startsWith('refund.') && 'refund' in object) {
    return parseAsFast(SquareRefund, object.refund, '/data/object/refund', (r) => fromRefund(r, ctx, '/data/object/refund'));
  }
  if (e.type.startsWith('order.') && 'order' in object) {
    return parseAsFast(SquareOrder, object.order, '/data/object/order', (o) => fromOrder(o, ctx, '/data/object/order'));
  }
  if (NOTIFICATION_ONLY.has(e.type)) {
    if (!objectId) {
      return rejected([finding('payload.schema', 'error', '/data/id', `${e.type} event without the order id`)]);
    }
    // The seller: each is fetched with its own token where one is configured (shared/fetchers/fetchPlanFor.ts).
    return workItem('fetch_needed', 'order', e.merchant_id);
  }
  if (['payment.', 'refund.'].some((p) => e.type.startsWith(p))) {
    return rejected([finding('payload.schema', 'error', '/data/object', `${e.type} event without its object`)]);
  }
  return {
    transactions: [],
    findings: [
      finding('source.square.unsupported_event', 'warning', '/type', `event type ${e.type} carries no transaction`),
    ],
  };
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  if (!isPlainObject(payload)) {
    return rejected([finding('payload.schema', 'error', '', 'expected a Square webhook event, order, payment or refund')]);
  }
  if (typeof payload.type === 'string' && 'event_id' in payload) {
    return parseAsFast(SquareEvent, payload, '', (e) => fromEvent(e, ctx));
  }
  if (isPlainObject(payload.order)) return parseAsFast(SquareOrder, payload.order, '/order', (o) => fromOrder(o, ctx, '/order'));
  if (isPlainObject(payload.payment)) {
    return parseAsFast(SquarePayment, payload.payment, '/payment', (p) => fromPayment(p, ctx, '/payment'));
  }
  if (isPlainObject(payload.refund)) {
    return parseAsFast(SquareRefund, payload.refund, '/refund', (r) => fromRefund(r, ctx, '/refund'));
  }
  return parseAsFast(SquareOrder, payload, '', (o) => fromOrder(o, ctx, ''));
}

/** One Square payload to canonical transactions and work items; never throws. */
export const toCanonical = guardAdapter('square', convert);

export const squareAdapter: SourceAdapter = { name: 'square', parse: parseJson, toCanonical };
