// shared/sources/clover.ts: Clover REST orders (GET /v3/merchants/{mId}/orders/{id}?expand=lineItems,
// lineItems.discounts,lineItems.modifications,lineItems.taxRates,payments,payments.tender,
// payments.cardTransaction,refunds,refunds.lineItems,customers,discounts) to canonical transactions, and
// Clover's notification-only webhooks to work items.
//
// Vendor rules this file relies on (docs.clover.com):
// - Money is integer minor units (cents); `taxRates[].rate` is in 1/100,000 of a percent (825000 = 8.25%);
//   `unitQty` of a line priced per unit (weighed) is in thousandths (1250 = 1.25 lb) and `price` is per
//   unit. A line without `unitQty` is one unit (Clover repeats line items for quantities).
// - Times are epoch milliseconds, often sent as strings; the business day comes from the store's zone.
// - `isVat: true` orders are tax-inclusive: tax is already inside the prices and the total.
// - `order.total` includes tax but not tips; each payment carries its `tipAmount` and `taxAmount`.
// - Line and order discounts are `amount` (negative cents) or `percentage`; percentages are computed here
//   and rounded half-up to the cent, as the register does.
// - Refunds are separate objects on the order (positive `amount` including `taxAmount`); each becomes a
//   `return` transaction keyed `<orderId>/refunds/<refundId>` linked to the order.
// - Webhooks carry no order data, only `{ appId, merchants: { mId: [{ objectId: "O:id", type, ts }] } }`
//   with an `X-Clover-Auth` header; the first request is `{ verificationCode }`. Each object becomes one
//   fetch_needed work item whose accountId is the merchant id (the order API is scoped by merchant).
//
// Finding codes (stable):
//   source.clover.order_open            warning  order not paid yet: no transaction
//   source.clover.refund_without_lines  warning  refund names no line items: booked as a non-merchandise charge
//   source.clover.refund_line_unknown   warning  refund names a line item the order does not have
//   source.clover.unknown_object_type   warning  webhook object id with a prefix this adapter does not know
//   source.clover.service_charge        warning  service charge present: not split out of the total
import { z } from 'zod';
import type { Charge, Discount, Finding, Line, Tender, TenderMethod } from '../model';
import { minorUnits } from '../model/money';
import { negateText } from '../model/units/negateText';
import {
  buildTransaction,
  convertEach,
  customerRefs,
  finding,
  guardAdapter,
  resolveCurrency,
  resolveTime,
  schemaFindings,
  ownValue,
} from './common';
import { orderFigures } from './clover/orderFigures';
import { orderFiguresFast } from './clover/orderFiguresFast';
import { forStore } from './forStore';
import { parseAsFast } from './fast/parseAsFast';
import { parseJson } from './json';
import { matchesAnySecret } from './signature';
import type { AdapterResult, SourceAdapter, SourceContext, WorkItem } from './types';

const SOURCE = 'clover' as const;

const Cents = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'integer minor units')]);
const EpochMs = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/, 'epoch milliseconds')])
  .transform(Number);
const Ref = z.object({ id: z.string() });
/** Clover wraps every expanded collection as `{ elements: [...] }`. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .object({ elements: z.array(item).nullish() })
    .nullish()
    .transform((v) => (v?.elements ?? []) as z.infer<T>[]);

const CloverDiscount = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  amount: Cents.nullish(),
  percentage: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)]).nullish(),
});

export const CloverLineItem = z.object({
  id: z.string(),
  name: z.string().nullish(),
  itemCode: z.string().nullish(),
  item: Ref.nullish(),
  price: Cents,
  unitQty: Cents.nullish(),
  unitName: z.string().nullish(),
  discounts: list(CloverDiscount),
  modifications: list(z.object({ name: z.string().nullish(), amount: Cents.nullish() })),
  taxRates: list(z.object({ name: z.string().nullish(), rate: Cents })),
});

export const CloverPayment = z.object({
  id: z.string(),
  amount: Cents,
  tipAmount: Cents.nullish(),
  taxAmount: Cents.nullish(),
  result: z.string().nullish(),
  tender: z.object({ label: z.string().nullish(), labelKey: z.string().nullish() }).nullish(),
  cardTransaction: z.object({ cardType: z.string().nullish(), last4: z.string().nullish() }).nullish(),
});

export const CloverRefund = z.object({
  id: z.string(),
  amount: Cents,
  taxAmount: Cents.nullish(),
  tipAmount: Cents.nullish(),
  createdTime: EpochMs.nullish(),
  payment: Ref.nullish(),
  lineItems: list(Ref),
});

export const CloverOrder = z.object({
  id: z.string().min(1),
  href: z.string().nullish(),
  merchant: Ref.nullish(),
  currency: z.string().nullish(),
  total: Cents,
  isVat: z.boolean().nullish(),
  state: z.string().nullish(),
  paymentState: z.string().nullish(),
  createdTime: EpochMs,
  clientCreatedTime: EpochMs.nullish(),
  employee: Ref.nullish(),
  device: Ref.nullish(),
  serviceCharge: z.object({ name: z.string().nullish() }).nullish(),
  customers: list(
    z.object({
      id: z.string().nullish(),
      emailAddresses: list(z.object({ emailAddress: z.string().nullish() })),
      phoneNumbers: list(z.object({ phoneNumber: z.string().nullish() })),
    }),
  ),
  lineItems: list(CloverLineItem),
  discounts: list(CloverDiscount),
  payments: list(CloverPayment),
  refunds: list(CloverRefund),
});
export type CloverOrder = z.infer<typeof CloverOrder>;

const CloverNotification = z.object({
  appId: z.string(),
  merchants: z.record(z.string(), z.array(z.object({ objectId: z.string(), type: z.string(), ts: EpochMs }))),
});
const CloverVerification = z.object({ verificationCode: z.string() });

/** Webhook object-id prefixes (Clover "event type keys"). */
const OBJECT_TYPES: Record<string, string> = {
  O: 'order',
  P: 'payment',
  C: 'customer',
  I: 'item',
  IC: 'category',
  IG: 'modifier_group',
  IM: 'modifier',
  E: 'employee',
  CA: 'cash_adjustment',
  A: 'app',
  M: 'merchant',
};

/** Payment results that moved money; anything else is listed with its status but not counted. */
const COUNTED = new Set(['SUCCESS', 'AUTH', 'AUTH_COMPLETED']);
const STATUS: Record<string, string> = {
  SUCCESS: 'approved',
  AUTH: 'authorized',
  AUTH_COMPLETED: 'approved',
  FAIL: 'declined',
  VOIDED: 'voided',
};

// Compiled once, not per payment.
const GIFT = /gift/;
const CASH = /cash/;
const CARD = /credit_card|debit_card|card/;
const MOBILE = /apple|google|wallet|mobile/;
const VOUCHER = /voucher|coupon|store credit/;
const FOUR_DIGITS = /^\d{4}$/;
const MERCHANT_IN_HREF = /\/merchants\/([^/]+)\//;

function tenderMethod(labelKey: string, label: string, hasCard: boolean): TenderMethod {
  const k = `${labelKey} ${label}`.toLowerCase();
  if (GIFT.test(k)) return 'gift_card';
  if (CASH.test(k)) return 'cash';
  if (hasCard || CARD.test(k)) return 'card';
  if (MOBILE.test(k)) return 'mobile';
  if (VOUCHER.test(k)) return 'voucher';
  return 'other';
}

/** A tender with the card's brand and last four digits where there are any, keys in canonical order. */
function tenderOf(
  method: TenderMethod,
  amount: string,
  card: { cardType?: string | null; last4?: string | null } | null | undefined,
  status?: string,
): Tender {
  const tender: Tender = { method, amount };
  if (card?.cardType) tender.cardBrand = card.cardType;
  if (card?.last4 && FOUR_DIGITS.test(card.last4)) tender.last4 = card.last4;
  if (status !== undefined) tender.status = status;
  return tender;
}

function convertOrder(order: CloverOrder, payloadCtx: SourceContext, base: string): AdapterResult {
  const findings: Finding[] = [];
  const storeId =
    order.merchant?.id ?? MERCHANT_IN_HREF.exec(order.href ?? '')?.[1] ?? payloadCtx.storeId ?? null;
  // The merchant's configured zone (business dates of its epoch times) and currency.
  const ctx = forStore(payloadCtx, storeId);
  const payments = order.payments;
  const counted = payments.filter((p) => !p.result || COUNTED.has(p.result.toUpperCase()));
  if (
    (order.paymentState ?? '').toUpperCase() === 'OPEN' ||
    (!order.paymentState && !counted.length && order.state === 'open')
  ) {
    return {
      transactions: [],
      findings: [
        finding(
          'source.clover.order_open',
          'warning',
          `${base}/paymentState`,
          `order ${order.id} is not paid yet`,
        ),
      ],
    };
  }
  const currency = resolveCurrency(order.currency, ctx, `${base}/currency`, findings);
  const digits = minorUnits(currency);
  const time = resolveTime(
    order.clientCreatedTime ?? order.createdTime,
    ctx,
    `${base}/createdTime`,
    findings,
  );
  if (order.serviceCharge) {
    findings.push(
      finding(
        'source.clover.service_charge',
        'warning',
        `${base}/serviceCharge`,
        'service charge is inside the total, not split out',
      ),
    );
  }

  // Integer cents where every figure stays a safe integer (all real orders); big.js otherwise.
  const figures = orderFiguresFast(order, counted, digits) ?? orderFigures(order, counted, currency, digits);
  const lines: Line[] = [];
  const discounts: Discount[] = [];
  const lineItems = order.lineItems;
  for (let i = 0; i < lineItems.length; i++) {
    const li = lineItems[i]!;
    const f = figures.lines[i]!;
    const lineNo = i + 1;
    lines.push({
      lineNo,
      sku: li.itemCode || li.item?.id || '',
      description: li.name ?? '',
      quantity: f.quantity,
      unitPrice: f.unitPrice,
      amount: f.amount,
      discount: f.discount,
      tax: f.tax,
    });
    if (f.hasDiscount) {
      const lineDiscount: Discount = { amount: f.discount, lineNo };
      const name = li.discounts[0]?.name;
      if (name) lineDiscount.description = name;
      discounts.push(lineDiscount);
    }
  }
  for (let k = 0; k < order.discounts.length; k++) {
    const amount = figures.orderDiscounts[k];
    const name = order.discounts[k]!.name;
    if (amount !== null && amount !== undefined) discounts.push(name ? { amount, description: name } : { amount });
  }

  const tenders: Tender[] = [];
  for (let k = 0; k < payments.length; k++) {
    const p = payments[k]!;
    const card = p.cardTransaction;
    const method = tenderMethod(p.tender?.labelKey ?? '', p.tender?.label ?? '', Boolean(card));
    const result = (p.result ?? 'SUCCESS').toUpperCase();
    tenders.push(tenderOf(method, figures.tenders[k]!, card, ownValue(STATUS, result) ?? result.toLowerCase()));
  }
  const charges: Charge[] = figures.tips === null ? [] : [{ type: 'tip', amount: figures.tips }];

  const buyer = order.customers[0];
  const customer = buyer
    ? customerRefs(ctx, SOURCE, {
        id: buyer.id ?? undefined,
        email: buyer.emailAddresses.find((e) => e.emailAddress)?.emailAddress ?? undefined,
        phone: buyer.phoneNumbers.find((p) => p.phoneNumber)?.phoneNumber ?? undefined,
      })
    : null;
  // Listed in each literal rather than spread from a shared object, which V8 copies field by field:
  // the spread cost about 15% of Clover's pipeline time (bench/pipeline.ts, measured 2026-11-30).
  const registerId = order.device?.id ?? null;
  const operatorId = order.employee?.id ?? null;
  const transactions = [
    buildTransaction({
      source: SOURCE,
      channel: 'store',
      storeId,
      registerId,
      operatorId,
      currency,
      customer,
      sourceKey: order.id,
      kind: figures.totalNegative ? 'return' : 'sale',
      businessDate: time.businessDate,
      occurredAt: time.occurredAt,
      total: figures.total,
      taxTotal: figures.tax,
      discounts,
      lines,
      tenders,
      charges,
      originalRef: null,
      findings,
    }),
  ];
  if (!order.refunds.length) return { transactions, findings: [] };

  // Refunded lines by line item id (a repeated id names its last line).
  const lineById = new Map<string, Line>();
  for (let i = 0; i < lineItems.length; i++) lineById.set(lineItems[i]!.id, lines[i]!);
  order.refunds.forEach((r, j) => {
    const path = `${base}/refunds/elements/${j}`;
    const rf: Finding[] = [];
    const rt = resolveTime(r.createdTime ?? order.createdTime, ctx, `${path}/createdTime`, rf);
    const rfig = figures.refunds[j]!;
    const refundLines: Line[] = [];
    r.lineItems.forEach((ref, k) => {
      const l = lineById.get(ref.id);
      if (!l) {
        rf.push(
          finding(
            'source.clover.refund_line_unknown',
            'warning',
            `${path}/lineItems/elements/${k}`,
            `no line item ${ref.id} on the order`,
          ),
        );
        return;
      }
      // The original line negated: the same digits and places, the other sign.
      refundLines.push({
        lineNo: refundLines.length + 1,
        sku: l.sku,
        description: l.description,
        quantity: negateText(l.quantity),
        unitPrice: l.unitPrice,
        amount: negateText(l.amount),
        discount: l.discount,
        tax: l.tax === null ? null : negateText(l.tax),
      });
    });
    const refundCharges: Charge[] = [];
    if (!refundLines.length) {
      rf.push(finding('source.clover.refund_without_lines', 'warning', path, 'refund names no line items'));
      refundCharges.push({ type: 'other', amount: rfig.goods, description: 'refund without line items' });
    }
    if (rfig.tip !== null) refundCharges.push({ type: 'tip', amount: rfig.tip });
    const paid = payments.find((p) => p.id === r.payment?.id);
    const card = paid?.cardTransaction;
    transactions.push(
      buildTransaction({
        source: SOURCE,
        channel: 'store',
        storeId,
        registerId,
        operatorId,
        currency,
        customer,
        sourceKey: `${order.id}/refunds/${r.id}`,
        kind: 'return',
        businessDate: rt.businessDate,
        occurredAt: rt.occurredAt,
        total: rfig.total,
        taxTotal: rfig.tax,
        discounts: [],
        lines: refundLines,
        tenders: [
          tenderOf(
            paid ? tenderMethod(paid.tender?.labelKey ?? '', paid.tender?.label ?? '', Boolean(card)) : 'other',
            rfig.total,
            card,
          ),
        ],
        charges: refundCharges,
        originalRef: { sourceKey: order.id },
        findings: rf,
      }),
    );
  });
  return { transactions, findings: [] };
}

function notificationToWorkItems(n: z.infer<typeof CloverNotification>): AdapterResult {
  const findings: Finding[] = [];
  const workItems: WorkItem[] = [];
  const seen = new Set<string>();
  for (const [merchantId, events] of Object.entries(n.merchants)) {
    events.forEach((e, i) => {
      const colon = e.objectId.indexOf(':');
      const prefix = colon > 0 ? e.objectId.slice(0, colon) : '';
      const id = colon > 0 ? e.objectId.slice(colon + 1) : e.objectId;
      const objectType = ownValue(OBJECT_TYPES, prefix);
      if (!objectType) {
        findings.push(
          finding(
            'source.clover.unknown_object_type',
            'warning',
            `/merchants/${merchantId}/${i}/objectId`,
            `unknown object prefix in ${e.objectId}`,
          ),
        );
      }
      // Several events for one object (CREATE then UPDATEs) need one fetch of its current state.
      const key = `${merchantId}/${e.objectId}`;
      if (seen.has(key)) return;
      seen.add(key);
      workItems.push({
        kind: 'fetch_needed',
        vendor: SOURCE,
        objectType: objectType ?? 'unknown',
        objectId: id,
        accountId: merchantId,
        // Clover events have no id of their own: the first event for the object names it.
        eventId: `${e.objectId}:${e.type}:${e.ts}`,
      });
    });
  }
  return { transactions: [], findings, workItems };
}

function one(raw: unknown, ctx: SourceContext, base: string): AdapterResult {
  return parseAsFast(CloverOrder, raw, base, (order) => convertOrder(order, ctx, base));
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    if ('verificationCode' in payload) {
      const v = CloverVerification.safeParse(payload);
      if (!v.success) return { transactions: [], findings: schemaFindings(v.error) };
      return {
        transactions: [],
        findings: [],
        workItems: [
          {
            kind: 'test_notification',
            vendor: SOURCE,
            objectType: 'webhook_verification',
            objectId: 'webhook',
          },
        ],
      };
    }
    if ('merchants' in payload) {
      const n = CloverNotification.safeParse(payload);
      if (!n.success) return { transactions: [], findings: schemaFindings(n.error) };
      return notificationToWorkItems(n.data);
    }
    // A list response: { elements: [orders], href }.
    if ('elements' in payload && !('id' in payload)) {
      const elements = (payload as { elements: unknown }).elements;
      if (Array.isArray(elements)) return convertEach(elements, '/elements', (o, path) => one(o, ctx, path));
    }
  }
  return one(payload, ctx, '');
}

/** One Clover payload (order, order list, webhook notification or verification) to canonical; never throws. */
export const toCanonical = guardAdapter(SOURCE, convert);

/**
 * Checks the `X-Clover-Auth` header of a webhook request against the app's auth codes (several while a
 * code is being rotated). Clover sends the code itself, not a signature; compared in constant time.
 */
export function verifyCloverAuth(header: string | undefined, codes: string[]): boolean {
  if (!header) return false;
  return matchesAnySecret((code) => Buffer.from(code, 'utf8'), Buffer.from(header.trim(), 'utf8'), codes);
}

export const cloverAdapter: SourceAdapter = {
  name: SOURCE,
  parse: parseJson,
  toCanonical,
};
