// shared/sources/clover/orderFigures.ts: the money an order's transactions state, as text, computed with
// big.js: the reference the integer fast path (orderFiguresFast.ts) must agree with, and the path for
// orders that one cannot take.
import Big from 'big.js';
import { dec, sum, toDecimalString, toMoneyString, ZERO } from '../../model/money';
import type { CloverOrder } from '../clover';
import { minorToMajor } from '../fast/minorToMajor';

type CloverDiscount = CloverOrder['discounts'][number];
type CloverPayment = CloverOrder['payments'][number];

export interface LineFigures {
  /** Units (Clover's thousandths as a decimal). */
  quantity: string;
  unitPrice: string;
  amount: string;
  discount: string;
  hasDiscount: boolean;
  /** Null while an order-wide discount keeps the line's taxable base unknown. */
  tax: string | null;
}

export interface RefundFigures {
  /** Negated amount less tax (tax-exclusive orders): the charge a refund without lines is booked as. */
  goods: string;
  /** Negated tip, null when there is none. */
  tip: string | null;
  /** Negated amount plus tip. */
  total: string;
  tax: string | null;
}

export interface OrderFigures {
  lines: LineFigures[];
  /** Per order-wide discount: its amount, null when it comes to nothing. */
  orderDiscounts: (string | null)[];
  /** Per payment (counted or not): amount plus tip. */
  tenders: string[];
  /** Tips of the counted payments, null when there are none. */
  tips: string | null;
  tax: string | null;
  /** Order total plus tips, and whether it is below zero (a return). */
  total: string;
  totalNegative: boolean;
  refunds: RefundFigures[];
}

const HUNDRED = new Big(100);
const ONE = new Big(1);

/** Discount in cents: a fixed amount (Clover stores it negative) or a percentage of `base`, half-up. */
function discountCents(d: CloverDiscount, base: Big): Big {
  if (d.amount !== null && d.amount !== undefined) return dec(d.amount).abs();
  if (d.percentage !== null && d.percentage !== undefined) {
    return base.times(dec(d.percentage)).div(HUNDRED).round(0, Big.roundHalfUp);
  }
  return ZERO;
}

/**
 * The order's figures with big.js, in the currency's major units (`digits` minor digits). Throws where
 * big.js does (a VAT order whose tax rates add up to -100%).
 */
export function orderFigures(
  order: CloverOrder,
  counted: readonly CloverPayment[],
  currency: string | null,
  digits: number,
): OrderFigures {
  const cents = (v: Big) => minorToMajor(v, digits);
  const money = (v: Big) => toMoneyString(cents(v), currency);
  const isVat = order.isVat === true;
  // Tax per line can only be derived while no order-wide discount reshapes the taxable base.
  const lineTaxKnown = order.discounts.length === 0;
  const lines: LineFigures[] = [];
  let subtotal: Big = ZERO;
  // Line taxes by line id: a line item id that repeats counts once, with its last line's tax.
  const taxById = new Map<string, Big>();
  for (const li of order.lineItems) {
    const quantity = li.unitQty === null || li.unitQty === undefined ? ONE : minorToMajor(dec(li.unitQty), 3);
    const unit = dec(li.price).plus(sum(li.modifications.map((m) => dec(m.amount ?? 0))));
    const gross = unit.times(quantity);
    const discount = sum(li.discounts.map((d) => discountCents(d, gross)));
    const amount = gross.minus(discount);
    const fraction = minorToMajor(sum(li.taxRates.map((r) => dec(r.rate))), 7);
    const taxCents = lineTaxKnown
      ? (isVat ? amount.minus(amount.div(fraction.plus(ONE))) : amount.times(fraction)).round(0, Big.roundHalfUp)
      : null;
    subtotal = subtotal.plus(amount);
    if (taxCents !== null) taxById.set(li.id, taxCents);
    lines.push({
      quantity: toDecimalString(quantity),
      unitPrice: money(unit),
      amount: money(amount),
      discount: money(discount),
      hasDiscount: discount.gt(ZERO),
      tax: taxCents === null ? null : money(taxCents),
    });
  }
  const orderDiscounts = order.discounts.map((d) => {
    const c = discountCents(d, subtotal);
    return c.gt(ZERO) ? money(c) : null;
  });
  const tenders = order.payments.map((p) => money(dec(p.amount).plus(dec(p.tipAmount ?? 0))));
  const tips = sum(counted.map((p) => dec(p.tipAmount ?? 0)));
  const statedTax = counted.filter((p) => p.taxAmount !== null && p.taxAmount !== undefined);
  const tax = statedTax.length ? sum(statedTax.map((p) => dec(p.taxAmount!))) : lineTaxKnown ? sum(taxById.values()) : null;
  const total = cents(dec(order.total).plus(tips));
  const refunds = order.refunds.map((r) => {
    const amount = dec(r.amount).abs();
    const refundTax = r.taxAmount === null || r.taxAmount === undefined ? null : dec(r.taxAmount).abs();
    const tip = dec(r.tipAmount ?? 0).abs();
    const goods = isVat || refundTax === null ? amount : amount.minus(refundTax);
    return {
      goods: toMoneyString(cents(goods).neg(), currency),
      tip: tip.gt(ZERO) ? toMoneyString(cents(tip).neg(), currency) : null,
      total: toMoneyString(cents(amount.plus(tip)).neg(), currency),
      tax: refundTax === null ? null : toMoneyString(cents(refundTax).neg(), currency),
    };
  });
  return {
    lines,
    orderDiscounts,
    tenders,
    tips: tips.gt(ZERO) ? money(tips) : null,
    tax: tax === null ? null : money(tax),
    total: toMoneyString(total, currency),
    totalNegative: total.lt(ZERO),
    refunds,
  };
}
