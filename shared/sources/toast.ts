// shared/sources/toast.ts: Toast Orders API `Order` objects to canonical transactions.
//
// Accepted: one Order, or a JSON array of Orders (what /ordersBulk returns). Each order is checked
// on its own, so one bad order loses none of the others.
//
// Decisions:
// - One canonical transaction per CHECK, not per order: a check is what one guest pays (an order
//   split between guests has several checks, each with its own payments). sourceKey is
//   `<orderGuid>/<checkGuid>`. Deleted checks (combined into another order) produce nothing.
// - A voided order or check is kind `void` with total "0": no lines, discounts or charges (the voided
//   selections are left out), its payments kept with their status.
// - Refunds (payments[].refundStatus PARTIAL/FULL with `refund`) produce a second transaction per
//   check, kind `return`, sourceKey `<orderGuid>/<checkGuid>/refund`, originalRef the check: lines
//   from selections' `refundDetails`, negative; tip refunds as a negative tip charge.
// - The restaurant is not in the body: Toast scopes every call by the `Toast-Restaurant-External-ID`
//   header, so storeId is that header (ctx.headers), else ctx.storeId. Currency is not in the body
//   either (it is restaurant configuration): ctx.currency.
// - Money: Toast sends major units as JSON numbers; they are read by their shortest text (dec), never
//   added as floats. `total` is Toast's `totalAmount` (after discounts, with tax and service charges)
//   plus the tips on the payments that moved money.
// - Tax inclusion: a selection with `taxInclusion: INCLUDED` is priced with tax (`receiptLinePrice`
//   includes it; `preDiscountPrice` and `price` do not). When every item of a check is tax-inclusive
//   the lines keep tax-inclusive prices (unitPrice = receiptLinePrice). Otherwise the lines are net
//   of tax (amount = preDiscountPrice - discount) and any tax-inclusive item in such a mixed check is
//   re-expressed net of tax with a warning, so that one totals identity holds for the whole check.
// - Line amounts come from Toast's own rounded figures; unitPrice is receiptLinePrice plus priced
//   modifiers (read as per unit of the parent), so |quantity| x unitPrice can differ from the amount by
//   Toast's rounding on weighed items.
// - Customer: only pseudonymized references (guest guid, email, phone, loyalty id); names are dropped.
//   Card data: only cardType and last4Digits; first6Digits is never copied.
//
// Finding codes (stable):
// - payload.schema (error), payload.adapter_error (error); time.*, currency.*: see common.ts
// - source.toast.deleted_check (warning): a deleted check produced no transaction
// - source.toast.voided_selection (warning): a voided selection was left out
// - source.toast.mixed_tax_inclusion (warning): tax-inclusive items re-expressed net of tax
// - source.toast.restaurant_missing (warning): no restaurant header and no configured store
// - source.toast.total_missing (warning): no totalAmount; the total is computed from the parts
// - source.toast.partial_item_refund (warning): an item refunded for less than it was sold for; the
//   difference is shown as the return line's discount
import { z } from 'zod';
import type { CanonicalTransaction, Charge, Discount, Finding, Line, Tender, TenderMethod } from '../model';
import { dec, isDecimal, minorUnits, sum, toDecimalString, toMoneyString, ZERO, type Decimal } from '../model/money';
import {
  buildTransaction,
  customerRefs,
  finding,
  guardAdapter,
  idString,
  resolveCurrency,
  resolveTime,
  schemaFindings,
  type TransactionDraft,
  ownValue,
} from './common';
import { forStore } from './forStore';
import { safeParseFast } from './fast/parseAsFast';
import { parseJson } from './json';
import { paymentFigures, saleFigures, type RefundBasis, type SaleFigures } from './toast/checkFigures';
import { checkFiguresFast } from './toast/checkFiguresFast';
import { paymentStatus } from './toast/paymentStatus';
import type { AdapterResult, SourceAdapter, SourceContext } from './types';

const Num = z.union([z.number(), z.string().refine((s) => isDecimal(s), 'decimal number')]);
const Guid = z.union([z.string().min(1), z.number()]);
const Ref = z.object({ guid: Guid.nullish() }).nullish();
const DateText = z.string().nullish();
/** yyyyMMdd as an integer (20261130); tolerated as a string of 8 digits. */
const BusinessDateInt = z.union([z.number().int(), z.string().regex(/^\d{8}$/)]).nullish();

export const ToastAppliedDiscount = z.object({
  guid: Guid.nullish(),
  name: z.string().nullish(),
  discountAmount: Num.nullish(),
  nonTaxDiscountAmount: Num.nullish(),
  discount: Ref,
  appliedPromoCode: z.string().nullish(),
});

const RefundDetails = z.object({ refundAmount: Num.nullish(), taxRefundAmount: Num.nullish() }).nullish();

const Modifier = z.object({
  displayName: z.string().nullish(),
  quantity: Num.nullish(),
  receiptLinePrice: Num.nullish(),
  voided: z.boolean().nullish(),
});

export const ToastSelection = z.object({
  guid: Guid.nullish(),
  item: Ref,
  plu: z.string().nullish(),
  displayName: z.string().nullish(),
  quantity: Num,
  unitOfMeasure: z.string().nullish(),
  receiptLinePrice: Num.nullish(),
  preDiscountPrice: Num.nullish(),
  price: Num.nullish(),
  tax: Num.nullish(),
  taxInclusion: z.enum(['INCLUDED', 'NOT_INCLUDED', 'INHERITED']).nullish(),
  voided: z.boolean().nullish(),
  appliedDiscounts: z.array(ToastAppliedDiscount).nullish(),
  modifiers: z.array(Modifier).nullish(),
  refundDetails: RefundDetails,
});

export const ToastServiceCharge = z.object({
  guid: Guid.nullish(),
  name: z.string().nullish(),
  chargeAmount: Num.nullish(),
  gratuity: z.boolean().nullish(),
  serviceChargeCategory: z.string().nullish(),
  appliedTaxes: z.array(z.object({ taxAmount: Num.nullish() })).nullish(),
  refundDetails: RefundDetails,
});

export const ToastPayment = z.object({
  guid: Guid.nullish(),
  type: z.string(),
  amount: Num,
  tipAmount: Num.nullish(),
  cardType: z.string().nullish(),
  last4Digits: z.string().nullish(),
  paymentStatus: z.string().nullish(),
  paidDate: DateText,
  refundStatus: z.string().nullish(),
  refund: z
    .object({
      refundAmount: Num.nullish(),
      tipRefundAmount: Num.nullish(),
      refundDate: DateText,
      refundBusinessDate: BusinessDateInt,
    })
    .nullish(),
});

export const ToastCheck = z.object({
  guid: Guid,
  displayNumber: z.string().nullish(),
  selections: z.array(ToastSelection),
  appliedDiscounts: z.array(ToastAppliedDiscount).nullish(),
  appliedServiceCharges: z.array(ToastServiceCharge).nullish(),
  payments: z.array(ToastPayment).nullish(),
  amount: Num.nullish(),
  taxAmount: Num.nullish(),
  totalAmount: Num.nullish(),
  voided: z.boolean().nullish(),
  voidDate: DateText,
  voidBusinessDate: BusinessDateInt,
  deleted: z.boolean().nullish(),
  openedDate: DateText,
  closedDate: DateText,
  paidDate: DateText,
  createdDevice: z.object({ id: z.string().nullish() }).nullish(),
  openedBy: Ref,
  customer: z
    .object({ guid: Guid.nullish(), email: z.string().nullish(), phone: z.string().nullish() })
    .nullish(),
  appliedLoyaltyInfo: z.object({ loyaltyIdentifier: z.string().nullish() }).nullish(),
});

export const ToastOrder = z.object({
  guid: Guid,
  checks: z.array(ToastCheck).min(1),
  source: z.string().nullish(),
  businessDate: BusinessDateInt,
  voided: z.boolean().nullish(),
  voidDate: DateText,
  voidBusinessDate: BusinessDateInt,
  deleted: z.boolean().nullish(),
  openedDate: DateText,
  closedDate: DateText,
  paidDate: DateText,
  createdDate: DateText,
  server: Ref,
  createdDevice: z.object({ id: z.string().nullish() }).nullish(),
});

type Order = z.infer<typeof ToastOrder>;
type Check = z.infer<typeof ToastCheck>;
type Selection = z.infer<typeof ToastSelection>;
type Payment = z.infer<typeof ToastPayment>;
type Amount = z.infer<typeof Num>;

const CHANNELS: Record<string, CanonicalTransaction['channel']> = {
  'In Store': 'store',
  Kiosk: 'store',
  'Order-and-Pay-at-Table': 'store',
  'Toast Pay': 'store',
  'Caller Id': 'store',
  Online: 'online',
  'Branded Online Ordering': 'online',
  'eCommerce Online ordering': 'online',
  'Catering Online Ordering': 'online',
  Google: 'online',
  'Toast Local': 'online',
  Grubhub: 'online',
  'Toast Pickup App': 'mobile',
  'Branded Mobile App': 'mobile',
};

const METHODS: Record<string, TenderMethod> = {
  CASH: 'cash',
  CREDIT: 'card',
  GIFTCARD: 'gift_card',
  TOAST_SV: 'gift_card',
  REWARDCARD: 'voucher',
  LEVELUP: 'mobile',
};

const d = (value: Amount | null | undefined): Decimal => (value === null || value === undefined ? ZERO : dec(value));

// Comparisons are made with ZERO, not the literal 0: big.js would read a number argument through its
// text parser on every call, a Big it only copies.

/** Shared empty list for absent arrays; only read. */
const NONE: readonly never[] = [];

const FOUR_DIGITS = /^\d{4}$/;

const EIGHT_DIGITS = /^\d{8}$/;
// Checks of one order, and orders of one day, share their business date: the last one is remembered.
let lastDay: number | string | undefined;
let lastDayText = '';

function businessDateOf(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value === lastDay) return lastDayText;
  const s = String(value);
  lastDayText = EIGHT_DIGITS.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
  lastDay = value;
  return lastDayText;
}

function tenderOf(p: Payment, amount: string, status: string): Tender {
  const tender: Tender = { method: ownValue(METHODS, p.type) ?? 'other', amount, status };
  if (p.cardType) tender.cardBrand = p.cardType;
  if (p.last4Digits && FOUR_DIGITS.test(p.last4Digits)) tender.last4 = p.last4Digits;
  return tender;
}

function discountOf(a: z.infer<typeof ToastAppliedDiscount>, amount: string, lineNo?: number): Discount {
  const out: Discount = { amount };
  if (lineNo !== undefined) out.lineNo = lineNo;
  const promotionId = idString(a.discount?.guid);
  if (promotionId) out.promotionId = promotionId;
  if (a.appliedPromoCode) out.code = a.appliedPromoCode;
  if (a.name) out.description = a.name;
  return out;
}

function chargeType(c: z.infer<typeof ToastServiceCharge>): Charge['type'] {
  if (c.gratuity) return 'tip';
  if (c.serviceChargeCategory === 'CREDIT_CARD_SURCHARGE') return 'fee';
  if (c.serviceChargeCategory === 'CASH_ROUNDING') return 'rounding';
  return 'service';
}

interface Context {
  order: Order;
  check: Check;
  path: string;
  ctx: SourceContext;
  currency: string | null;
  /** Every kept item is tax-inclusive: lines carry tax-inclusive prices. */
  inclusive: boolean;
}

/** A sale line, with the decimals a refund of its check reads (only for checks with refunds). */
interface SaleLine {
  line: Line;
  selection: Selection;
  basis: RefundBasis;
}

/** The refunded service charges of a check, negative; in a tax-inclusive check with their tax. */
function refundedCharges(c: Context): Charge[] {
  const out: Charge[] = [];
  for (const sc of c.check.appliedServiceCharges ?? []) {
    const base = d(sc.refundDetails?.refundAmount);
    const tax = d(sc.refundDetails?.taxRefundAmount);
    if (base.eq(ZERO) && tax.eq(ZERO)) continue;
    const amount = c.inclusive ? base.plus(tax) : base;
    const charge: Charge = {
      type: chargeType(sc),
      amount: toMoneyString(amount.times(-1), c.currency),
      tax: toMoneyString(tax.times(-1), c.currency),
    };
    if (sc.name) charge.description = sc.name;
    out.push(charge);
  }
  return out;
}

/**
 * The transaction's fields shared by sale, void and return, with the kind-specific ones still empty:
 * filled in by assignment rather than spread into a new literal, which V8 builds field by field.
 */
function common(c: Context, findings: Finding[], sourceKey: string, kind: CanonicalTransaction['kind']): TransactionDraft {
  const storeId = c.ctx.headers?.['toast-restaurant-external-id'] ?? c.ctx.storeId ?? null;
  if (!storeId) {
    findings.push(
      finding('source.toast.restaurant_missing', 'warning', c.path, 'no Toast-Restaurant-External-ID header and no configured store'),
    );
  }
  const customer = c.check.customer ?? null;
  return {
    source: 'toast',
    sourceKey,
    kind,
    channel: c.order.source ? (ownValue(CHANNELS, c.order.source) ?? 'unknown') : 'unknown',
    storeId,
    registerId: c.check.createdDevice?.id ?? c.order.createdDevice?.id ?? null,
    operatorId: idString(c.check.openedBy?.guid) ?? idString(c.order.server?.guid) ?? null,
    businessDate: '',
    occurredAt: '',
    currency: c.currency,
    total: '0',
    taxTotal: null,
    discounts: [],
    lines: [],
    tenders: [],
    charges: undefined,
    customer: customerRefs(c.ctx, 'toast', {
      id: customer?.guid ?? undefined,
      email: customer?.email ?? undefined,
      phone: customer?.phone ?? undefined,
      loyalty: c.check.appliedLoyaltyInfo?.loyaltyIdentifier ?? undefined,
    }),
    originalRef: null,
    findings,
  };
}

/** The sale (or void) of a check, and for a sale with refunds its lines, which the refund reuses. */
function saleOrVoid(c: Context, sourceKey: string, refunded: boolean): { sale: CanonicalTransaction; lines: SaleLine[] } {
  const findings: Finding[] = [];
  const { order, check } = c;
  const voided = Boolean(order.voided || check.voided);
  const draft = common(c, findings, sourceKey, voided ? 'void' : 'sale');
  // Money in integers where that is exact (nearly always); big.js for the rest, and for a check with
  // refunds, whose return lines are judged against the sale lines' decimals.
  const fast = refunded ? undefined : checkFiguresFast(check, c.inclusive, voided, c.currency);
  const reference = fast === undefined ? paymentFigures(check, c.currency) : undefined;
  const paid = fast ?? reference!;
  const payments = check.payments ?? NONE;
  const tenders = draft.tenders;
  const tipCharges: Charge[] = [];
  for (let i = 0; i < payments.length; i++) {
    const p = payments[i]!;
    tenders.push(tenderOf(p, paid.tenders[i]!, paymentStatus(p)));
    const tip = paid.tips[i];
    if (tip !== null && tip !== undefined) tipCharges.push({ type: 'tip', amount: tip, description: 'tip' });
  }
  const timeText = voided
    ? (check.voidDate ?? order.voidDate ?? check.closedDate ?? order.closedDate)
    : (check.closedDate ?? check.paidDate ?? order.closedDate ?? order.paidDate ?? check.openedDate ?? order.openedDate ?? order.createdDate);
  const sourceDay = voided
    ? businessDateOf(check.voidBusinessDate ?? order.voidBusinessDate ?? order.businessDate)
    : businessDateOf(order.businessDate);
  const time = resolveTime(timeText, c.ctx, c.path, findings, sourceDay);
  draft.businessDate = time.businessDate;
  draft.occurredAt = time.occurredAt;
  if (voided) {
    draft.taxTotal = '0';
    return { sale: buildTransaction(draft), lines: [] };
  }
  const figures: SaleFigures = reference ? saleFigures(check, c.inclusive, c.currency, reference.tipTotal) : fast!;
  const discounts = draft.discounts;
  const lines = draft.lines;
  const sold: SaleLine[] = [];
  const selections = check.selections;
  for (let i = 0; i < selections.length; i++) {
    const s = selections[i]!;
    const f = figures.lines[i];
    if (!f) {
      const path = `${c.path}/selections/${i}`;
      findings.push(finding('source.toast.voided_selection', 'warning', path, `voided selection ${s.displayName ?? ''} left out`.trim()));
      continue;
    }
    const lineNo = i + 1;
    const applied = s.appliedDiscounts ?? NONE;
    for (let k = 0; k < applied.length; k++) {
      const amount = f.discounts[k];
      if (amount) discounts.push(discountOf(applied[k]!, amount, lineNo));
    }
    const line: Line = {
      lineNo,
      sku: idString(s.item?.guid) ?? s.plu ?? idString(s.guid) ?? '',
      description: s.displayName ?? '',
      quantity: f.quantity,
      unitPrice: f.unitPrice,
      amount: f.amount,
      discount: f.discount,
      tax: f.tax,
    };
    lines.push(line);
    const basis = figures.basis?.[i];
    if (basis) sold.push({ line, selection: s, basis });
  }
  const checkDiscounts = check.appliedDiscounts ?? NONE;
  for (let k = 0; k < checkDiscounts.length; k++) {
    const amount = figures.checkDiscounts[k];
    if (amount) discounts.push(discountOf(checkDiscounts[k]!, amount));
  }
  const service: Charge[] = [];
  const serviceCharges = check.appliedServiceCharges ?? NONE;
  for (let k = 0; k < serviceCharges.length; k++) {
    const f = figures.charges[k];
    if (!f) continue;
    const sc = serviceCharges[k]!;
    const charge: Charge = { type: chargeType(sc), amount: f.amount, tax: f.tax };
    if (sc.name) charge.description = sc.name;
    service.push(charge);
  }
  // Service charges first, then the tips.
  const charges = service.length === 0 ? tipCharges : service.concat(tipCharges);
  if (figures.totalComputed) {
    findings.push(finding('source.toast.total_missing', 'warning', `${c.path}/totalAmount`, 'no totalAmount: total computed from lines, discounts, charges and tax'));
  }
  draft.total = figures.total;
  draft.taxTotal = figures.taxTotal;
  draft.charges = charges;
  return { sale: buildTransaction(draft), lines: sold };
}

const isRefunded = (p: Payment): boolean => (p.refundStatus === 'PARTIAL' || p.refundStatus === 'FULL') && Boolean(p.refund);

function refundOf(c: Context, originalKey: string, sold: SaleLine[]): CanonicalTransaction | null {
  const payments = c.check.payments ?? NONE;
  // Most checks have no refund: looked for before any list is copied.
  if (!payments.some(isRefunded)) return null;
  const refunded = payments.filter(isRefunded);
  const findings: Finding[] = [];
  const draft = common(c, findings, `${originalKey}/refund`, 'return');
  const lines = draft.lines;
  let tax = ZERO;
  // The sale's lines; a return repeats none of the sale's discounts.
  for (const { line, selection, basis } of sold) {
    const { netOfTax, qty: soldQty, unitPrice } = basis;
    const refund = d(selection.refundDetails?.refundAmount);
    const refundTax = d(selection.refundDetails?.taxRefundAmount);
    if (refund.eq(ZERO) && refundTax.eq(ZERO)) continue;
    tax = tax.plus(refundTax);
    const money = c.inclusive ? refund.plus(refundTax) : refund;
    const qty = soldQty.abs();
    const gross = qty.times(unitPrice).round(minorUnits(c.currency));
    const gap = gross.minus(money);
    const discount = gap.lt(ZERO) ? ZERO : gap;
    if (refund.lt(netOfTax)) {
      findings.push(
        finding(
          'source.toast.partial_item_refund',
          'warning',
          `${c.path}/selections/${line.lineNo - 1}/refundDetails`,
          `${line.description} refunded ${toDecimalString(refund)} of ${toDecimalString(netOfTax)}`,
        ),
      );
    }
    lines.push({
      lineNo: line.lineNo,
      sku: line.sku,
      description: line.description,
      quantity: toDecimalString(qty.neg()),
      unitPrice: line.unitPrice,
      amount: toMoneyString(money.neg(), c.currency),
      discount: toMoneyString(discount, c.currency),
      tax: toMoneyString(refundTax.neg(), c.currency),
    });
  }
  const charges = refundedCharges(c);
  tax = tax.plus(sum((c.check.appliedServiceCharges ?? []).map((sc) => d(sc.refundDetails?.taxRefundAmount))));
  const tenders = draft.tenders;
  let returned = ZERO;
  let latest: Payment | undefined;
  for (const p of refunded) {
    const tip = d(p.refund?.tipRefundAmount);
    const back = d(p.refund?.refundAmount).plus(tip).neg();
    returned = returned.plus(back);
    tenders.push(tenderOf(p, toMoneyString(back, c.currency), 'refunded'));
    if (!tip.eq(ZERO)) {
      charges.push({ type: 'tip', amount: toMoneyString(tip.neg(), c.currency), description: 'tip refund' });
    }
    if (!latest || (p.refund?.refundDate ?? '') > (latest.refund?.refundDate ?? '')) latest = p;
  }
  const time = resolveTime(
    latest?.refund?.refundDate,
    c.ctx,
    `${c.path}/payments/refund/refundDate`,
    findings,
    businessDateOf(latest?.refund?.refundBusinessDate),
  );
  draft.businessDate = time.businessDate;
  draft.occurredAt = time.occurredAt;
  draft.total = toMoneyString(returned, c.currency);
  draft.taxTotal = toMoneyString(tax.neg(), c.currency);
  draft.charges = charges;
  draft.originalRef = { sourceKey: originalKey };
  return buildTransaction(draft);
}

function fromOrder(order: Order, path: string, ctx: SourceContext, top: Finding[]): CanonicalTransaction[] {
  const out: CanonicalTransaction[] = [];
  const orderGuid = idString(order.guid)!;
  for (let i = 0; i < order.checks.length; i++) {
    const check = order.checks[i]!;
    const checkPath = `${path}/checks/${i}`;
    const sourceKey = `${orderGuid}/${idString(check.guid)}`;
    if (order.deleted || check.deleted) {
      top.push(finding('source.toast.deleted_check', 'warning', checkPath, `deleted check ${sourceKey}: no transaction`));
      continue;
    }
    const findings: Finding[] = [];
    const currency = resolveCurrency(null, ctx, checkPath, findings);
    let keptCount = 0;
    let inclusiveCount = 0;
    for (const s of check.selections) {
      if (s.voided) continue;
      keptCount++;
      if (s.taxInclusion === 'INCLUDED') inclusiveCount++;
    }
    const inclusive = keptCount > 0 && inclusiveCount === keptCount;
    if (inclusiveCount > 0 && !inclusive) {
      findings.push(
        finding(
          'source.toast.mixed_tax_inclusion',
          'warning',
          `${checkPath}/selections`,
          'check mixes tax-inclusive and tax-exclusive items: all lines are expressed net of tax',
        ),
      );
    }
    const c: Context = { order, check, path: checkPath, ctx, currency, inclusive };
    const { sale, lines } = saleOrVoid(c, sourceKey, (check.payments ?? NONE).some(isRefunded));
    if (findings.length > 0) sale.findings.unshift(...findings);
    out.push(sale);
    if (sale.kind !== 'void') {
      const refund = refundOf(c, sourceKey, lines);
      if (refund) {
        refund.findings.unshift(...findings.filter((f) => f.code.startsWith('currency.')));
        out.push(refund);
      }
    }
  }
  return out;
}

function convert(payload: unknown, ctx: SourceContext): AdapterResult {
  const findings: Finding[] = [];
  const transactions: CanonicalTransaction[] = [];
  // The restaurant is the payload's (its header), as in `common`: its zone and currency for every check.
  const storeCtx = forStore(ctx, ctx.headers?.['toast-restaurant-external-id'] ?? ctx.storeId);
  const orders: unknown[] = Array.isArray(payload) ? payload : [payload];
  for (let i = 0; i < orders.length; i++) {
    const path = Array.isArray(payload) ? `/${i}` : '';
    const parsed = safeParseFast(ToastOrder, orders[i]);
    if (!parsed.success) {
      findings.push(...schemaFindings(parsed.error, path));
      continue;
    }
    for (const tx of fromOrder(parsed.data, path, storeCtx, findings)) transactions.push(tx);
  }
  return { transactions, findings };
}

/** Toast orders to canonical transactions, one per check (plus one per refunded check); never throws. */
export const toCanonical = guardAdapter('toast', convert);

export const toastAdapter: SourceAdapter = { name: 'toast', parse: parseJson, toCanonical };
