// shared/sources/toast/checkFigures.ts: the money figures of one Toast check's sale, as text, computed
// with big.js. This is the reference for checkFiguresFast (integer arithmetic) and the path wherever
// that declines, and the only path for a check with refunds (their lines need the sale's decimals).
import type { z } from 'zod';
import { dec, minorUnits, toDecimalString, toMoneyString, ZERO, type Decimal } from '../../model/money';
import type { ToastCheck } from '../toast';
import { movedMoney, paymentStatus } from './paymentStatus';

/** Places of a unit price divided out of a line total (Toast's own precision for prices). */
export const UNIT_PRICE_DECIMALS = 4;

export type Check = z.infer<typeof ToastCheck>;
type Selection = Check['selections'][number];
type Amount = Selection['quantity'];

export interface LineFigures {
  quantity: string;
  unitPrice: string;
  amount: string;
  discount: string;
  tax: string | null;
  /** Per applied discount of the selection: the amount it is listed with, or null when zero (not listed). */
  discounts: (string | null)[];
}

export interface ChargeFigures {
  amount: string;
  tax: string;
}

/** A sale line's decimals that a refund of the check reads. */
export interface RefundBasis {
  /** Amount of the sale line net of tax, for judging refunds. */
  netOfTax: Decimal;
  qty: Decimal;
  unitPrice: Decimal;
}

export interface PaymentFigures {
  /** Per payment: the tender amount (amount plus tip). */
  tenders: string[];
  /** Per payment: its tip when it moved money and the tip is not zero (a tip charge), else null. */
  tips: (string | null)[];
}

export interface SaleFigures {
  /** Per selection: null for a voided one (left out). Empty for a voided check. */
  lines: (LineFigures | null)[];
  /** Per check-level applied discount: the amount, or null when zero (not listed). */
  checkDiscounts: (string | null)[];
  /** Per applied service charge: null when both its amount and its tax are zero (left out). */
  charges: (ChargeFigures | null)[];
  taxTotal: string | null;
  total: string;
  /** Neither totalAmount nor amount with a known tax: the total was computed from the parts. */
  totalComputed: boolean;
  /** Per selection, as `lines`: only from this reference path. */
  basis?: (RefundBasis | null)[];
}

/** All figures of a check (checkFiguresFast gives them in one go). */
export type CheckFigures = PaymentFigures & SaleFigures;

const NONE: readonly never[] = [];

const d = (value: Amount | null | undefined): Decimal => (value === null || value === undefined ? ZERO : dec(value));

// Comparisons are made with ZERO, not the literal 0: big.js would read a number argument through its
// text parser on every call, a Big it only copies.

/** Unit price as the guest saw it: the item's receipt price plus priced modifiers (per unit). */
function unitPriceOf(s: Selection, qty: Decimal): Decimal {
  if (s.receiptLinePrice === null || s.receiptLinePrice === undefined) {
    return qty.eq(ZERO) ? d(s.preDiscountPrice) : d(s.preDiscountPrice).div(qty.abs()).round(UNIT_PRICE_DECIMALS);
  }
  let modifiers = ZERO;
  if (s.modifiers) {
    for (const m of s.modifiers) {
      if (!m.voided) modifiers = modifiers.plus(d(m.receiptLinePrice).times(m.quantity ?? 1));
    }
  }
  return dec(s.receiptLinePrice).plus(modifiers);
}

/**
 * The tenders and tip charges of a check, and the tips that count towards its total. Apart from the
 * rest of the sale (saleFigures) because toast.ts resolves the check's time in between, and an error
 * (a string amount big.js cannot read, a bad time zone) is to be the same one as ever.
 */
export function paymentFigures(check: Check, currency: string | null): PaymentFigures & { tipTotal: Decimal } {
  const tenders: string[] = [];
  const tips: (string | null)[] = [];
  let tipTotal = ZERO;
  for (const p of check.payments ?? NONE) {
    const tip = d(p.tipAmount);
    tenders.push(toMoneyString(dec(p.amount).plus(tip), currency));
    if (movedMoney(paymentStatus(p)) && !tip.eq(ZERO)) {
      tipTotal = tipTotal.plus(tip);
      tips.push(toMoneyString(tip, currency));
    } else {
      tips.push(null);
    }
  }
  return { tenders, tips, tipTotal };
}

/**
 * The figures of a (not voided) check's sale; `tipTotal` from paymentFigures. `inclusive`: every kept
 * item is tax-inclusive, so lines carry tax-inclusive prices (see toast.ts).
 */
export function saleFigures(check: Check, inclusive: boolean, currency: string | null, tipTotal: Decimal): SaleFigures {
  const lines: (LineFigures | null)[] = [];
  const basis: (RefundBasis | null)[] = [];
  let lineTotal = ZERO;
  let lineTax: Decimal | null = ZERO;
  for (const s of check.selections) {
    if (s.voided) {
      lines.push(null);
      basis.push(null);
      continue;
    }
    const qty = dec(s.quantity);
    const itemInclusive = s.taxInclusion === 'INCLUDED';
    // A discount on a tax-inclusive item also lowers its tax; net of tax only its non-tax part counts.
    const netPartsOnly = itemInclusive && !inclusive;
    let discount = ZERO;
    let nonTaxDiscount = ZERO;
    const discounts: (string | null)[] = [];
    for (const a of s.appliedDiscounts ?? NONE) {
      const whole = d(a.discountAmount);
      const nonTax = a.nonTaxDiscountAmount === null || a.nonTaxDiscountAmount === undefined ? whole : dec(a.nonTaxDiscountAmount);
      const amount = netPartsOnly ? nonTax : whole;
      discount = discount.plus(amount);
      nonTaxDiscount = nonTaxDiscount.plus(nonTax);
      discounts.push(amount.eq(ZERO) ? null : toMoneyString(amount, currency));
    }
    const preDiscount = s.preDiscountPrice === null || s.preDiscountPrice === undefined ? null : dec(s.preDiscountPrice);
    let unitPrice = unitPriceOf(s, qty);
    let amount: Decimal;
    if (inclusive) {
      amount = qty.abs().times(unitPrice).round(minorUnits(currency)).minus(discount);
    } else if (itemInclusive) {
      // receiptLinePrice includes tax here: the net unit price comes from Toast's net figure.
      const net = preDiscount ?? ZERO;
      unitPrice = qty.eq(ZERO) ? net : net.div(qty.abs()).round(UNIT_PRICE_DECIMALS);
      amount = net.minus(discount);
    } else {
      amount = (preDiscount ?? qty.abs().times(unitPrice).round(minorUnits(currency))).minus(discount);
    }
    const tax = s.tax === null || s.tax === undefined ? null : dec(s.tax);
    lineTotal = lineTotal.plus(amount);
    lineTax = tax === null || lineTax === null ? null : lineTax.plus(tax);
    basis.push({ netOfTax: (preDiscount ?? amount).minus(nonTaxDiscount), qty, unitPrice });
    lines.push({
      quantity: toDecimalString(qty),
      unitPrice: toMoneyString(unitPrice, currency),
      amount: toMoneyString(amount, currency),
      discount: toMoneyString(discount, currency),
      tax: tax === null ? null : toMoneyString(tax, currency),
      discounts,
    });
  }

  const checkDiscounts: (string | null)[] = [];
  let checkDiscount = ZERO;
  for (const a of check.appliedDiscounts ?? NONE) {
    const amount = d(a.discountAmount);
    checkDiscount = checkDiscount.plus(amount);
    checkDiscounts.push(amount.eq(ZERO) ? null : toMoneyString(amount, currency));
  }

  const charges: (ChargeFigures | null)[] = [];
  let chargeTotal = ZERO;
  let chargeTax = ZERO;
  for (const sc of check.appliedServiceCharges ?? NONE) {
    const base = d(sc.chargeAmount);
    let tax = ZERO;
    for (const t of sc.appliedTaxes ?? NONE) tax = tax.plus(d(t.taxAmount));
    if (base.eq(ZERO) && tax.eq(ZERO)) {
      charges.push(null);
      continue;
    }
    // In a tax-inclusive check the charge is counted with its tax, like the items.
    const amount = inclusive ? base.plus(tax) : base;
    chargeTotal = chargeTotal.plus(amount);
    chargeTax = chargeTax.plus(tax);
    charges.push({ amount: toMoneyString(amount, currency), tax: toMoneyString(tax, currency) });
  }

  // Tax from the lines and service charges (tips carry none) when Toast states none; unknown when a
  // line's tax is.
  const taxTotal =
    check.taxAmount !== null && check.taxAmount !== undefined ? dec(check.taxAmount) : lineTax === null ? null : lineTax.plus(chargeTax);
  let beforeTips: Decimal;
  let totalComputed = false;
  if (check.totalAmount !== null && check.totalAmount !== undefined) beforeTips = dec(check.totalAmount);
  else if (check.amount !== null && check.amount !== undefined && taxTotal) beforeTips = dec(check.amount).plus(taxTotal);
  else {
    totalComputed = true;
    beforeTips = lineTotal
      .minus(checkDiscount)
      .plus(chargeTotal)
      .plus(inclusive || !taxTotal ? ZERO : taxTotal);
  }
  return {
    lines,
    checkDiscounts,
    charges,
    taxTotal: taxTotal === null ? null : toMoneyString(taxTotal, currency),
    total: toMoneyString(beforeTips.plus(tipTotal), currency),
    totalComputed,
    basis,
  };
}
