// shared/sources/toast/checkFiguresFast.ts: `checkFigures` in integer arithmetic on Numbers. Toast sends
// money in major units as JSON numbers, nearly always with at most two places: read as integer counts
// of 10^-4 (money and quantities alike) they are exact (numberUnits), and sums and products of safe
// integers are exact too, so only the roundings need care (halfUpQuotient). Text is written once
// (unitsText), the way toMoneyString/toDecimalString write the same decimal.
import Big from 'big.js';
import { minorUnits } from '../../model/money';
import { halfUpQuotient } from '../../model/units/halfUpQuotient';
import { numberUnits } from '../../model/units/numberUnits';
import { POW10 } from '../../model/units/pow10';
import { safe, UNSURE } from '../../model/units/safe';
import { unitsText } from '../../model/units/unitsText';
import { UNIT_PRICE_DECIMALS, type ChargeFigures, type Check, type CheckFigures, type LineFigures } from './checkFigures';
import { movedMoney, paymentStatus } from './paymentStatus';

/** Money in 10^-4 units; unit prices divided out of a total are rounded to 4 places, so they fit too. */
const MONEY = UNIT_PRICE_DECIMALS;
/** Quantities in 10^-4 units. */
const QTY = 4;

/**
 * An amount in `scale` units; anything but a number with at most `scale` places is left to big.js
 * (a string amount too: the big.js path alone reads Toast's strings).
 */
function units(value: number | string, scale: number): number {
  if (typeof value !== 'number') throw UNSURE;
  return numberUnits(value, scale);
}

/** An optional amount in money units; absent is zero, as `d()` reads it. */
function money(value: number | string | null | undefined): number {
  return value === null || value === undefined ? 0 : units(value, MONEY);
}

/**
 * The figures paymentFigures and saleFigures give (without `basis`; of a voided check only the payment
 * figures mean anything), or undefined where an amount is a string, has more than four places, or a
 * figure would leave the safe integers: the caller then asks big.js. Where this answers, every amount
 * the big.js path reads is a finite number, which it reads without fail: nothing it would throw is lost.
 */
export function checkFiguresFast(check: Check, inclusive: boolean, voided: boolean, currency: string | null): CheckFigures | undefined {
  // dec() hands numbers to big.js itself in strict mode (which refuses them), and the roundings below
  // are big.js's defaults (half-up, division to 20 places): other settings are big.js's to answer.
  if (Big.strict || Big.RM !== Big.roundHalfUp || Big.DP < 20) return undefined;
  const digits = minorUnits(currency);
  if (digits > MONEY) return undefined;
  try {
    return figures(check, inclusive, voided, digits);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

const NONE: readonly never[] = [];

function figures(check: Check, inclusive: boolean, voided: boolean, digits: number): CheckFigures {
  // At least the currency's digits, more where the value has them: toMoneyString.
  const text = (n: number) => unitsText(n, MONEY, digits);
  /** |qty|·unit (10^-8 units) rounded half-up to the currency's digits, back in money units. */
  const roundedProduct = (absQty: number, unit: number) =>
    safe(halfUpQuotient(safe(absQty * unit), POW10[QTY + MONEY - digits]!) * POW10[MONEY - digits]!);

  const tenders: string[] = [];
  const tips: (string | null)[] = [];
  let tipTotal = 0;
  for (const p of check.payments ?? NONE) {
    const tip = money(p.tipAmount);
    tenders.push(text(safe(units(p.amount, MONEY) + tip)));
    if (movedMoney(paymentStatus(p)) && tip !== 0) {
      tipTotal = safe(tipTotal + tip);
      tips.push(text(tip));
    } else {
      tips.push(null);
    }
  }
  if (voided) {
    return { tenders, tips, lines: [], checkDiscounts: [], charges: [], taxTotal: '0', total: '0', totalComputed: false };
  }

  const lines: (LineFigures | null)[] = [];
  let lineTotal = 0;
  let lineTax: number | null = 0;
  for (const s of check.selections) {
    if (s.voided) {
      lines.push(null);
      continue;
    }
    const qty = units(s.quantity, QTY);
    const absQty = qty < 0 ? -qty : qty;
    const itemInclusive = s.taxInclusion === 'INCLUDED';
    const netPartsOnly = itemInclusive && !inclusive;
    let discount = 0;
    const discounts: (string | null)[] = [];
    for (const a of s.appliedDiscounts ?? NONE) {
      const whole = money(a.discountAmount);
      const nonTax = a.nonTaxDiscountAmount === null || a.nonTaxDiscountAmount === undefined ? whole : units(a.nonTaxDiscountAmount, MONEY);
      const amount = netPartsOnly ? nonTax : whole;
      discount = safe(discount + amount);
      discounts.push(amount === 0 ? null : text(amount));
    }
    const preDiscount = s.preDiscountPrice === null || s.preDiscountPrice === undefined ? null : units(s.preDiscountPrice, MONEY);
    let unitPrice: number;
    if (s.receiptLinePrice === null || s.receiptLinePrice === undefined) {
      unitPrice = quotient(preDiscount ?? 0, absQty);
    } else {
      let modifiers = 0;
      for (const m of s.modifiers ?? NONE) {
        if (m.voided) continue;
        const price = money(m.receiptLinePrice);
        // A whole number of modifiers keeps the unit price in money units; a fraction is big.js's.
        const count = m.quantity === null || m.quantity === undefined ? 1 : units(m.quantity, 0);
        modifiers = safe(modifiers + safe(price * count));
      }
      unitPrice = safe(units(s.receiptLinePrice, MONEY) + modifiers);
    }
    let amount: number;
    if (inclusive) {
      amount = safe(roundedProduct(absQty, unitPrice) - discount);
    } else if (itemInclusive) {
      const net = preDiscount ?? 0;
      unitPrice = quotient(net, absQty);
      amount = safe(net - discount);
    } else {
      amount = safe((preDiscount ?? roundedProduct(absQty, unitPrice)) - discount);
    }
    const tax = s.tax === null || s.tax === undefined ? null : units(s.tax, MONEY);
    lineTotal = safe(lineTotal + amount);
    lineTax = tax === null || lineTax === null ? null : safe(lineTax + tax);
    lines.push({
      quantity: unitsText(qty, QTY, 0),
      unitPrice: text(unitPrice),
      amount: text(amount),
      discount: text(discount),
      tax: tax === null ? null : text(tax),
      discounts,
    });
  }

  const checkDiscounts: (string | null)[] = [];
  let checkDiscount = 0;
  for (const a of check.appliedDiscounts ?? NONE) {
    const amount = money(a.discountAmount);
    checkDiscount = safe(checkDiscount + amount);
    checkDiscounts.push(amount === 0 ? null : text(amount));
  }

  const charges: (ChargeFigures | null)[] = [];
  let chargeTotal = 0;
  let chargeTax = 0;
  for (const sc of check.appliedServiceCharges ?? NONE) {
    const base = money(sc.chargeAmount);
    let tax = 0;
    for (const t of sc.appliedTaxes ?? NONE) tax = safe(tax + money(t.taxAmount));
    if (base === 0 && tax === 0) {
      charges.push(null);
      continue;
    }
    const amount = inclusive ? safe(base + tax) : base;
    chargeTotal = safe(chargeTotal + amount);
    chargeTax = safe(chargeTax + tax);
    charges.push({ amount: text(amount), tax: text(tax) });
  }

  const taxTotal =
    check.taxAmount !== null && check.taxAmount !== undefined
      ? units(check.taxAmount, MONEY)
      : lineTax === null
        ? null
        : safe(lineTax + chargeTax);
  let beforeTips: number;
  let totalComputed = false;
  if (check.totalAmount !== null && check.totalAmount !== undefined) beforeTips = units(check.totalAmount, MONEY);
  else if (check.amount !== null && check.amount !== undefined && taxTotal !== null) beforeTips = safe(units(check.amount, MONEY) + taxTotal);
  else {
    totalComputed = true;
    beforeTips = safe(safe(safe(lineTotal - checkDiscount) + chargeTotal) + (inclusive || taxTotal === null ? 0 : taxTotal));
  }
  return {
    tenders,
    tips,
    lines,
    checkDiscounts,
    charges,
    taxTotal: taxTotal === null ? null : text(taxTotal),
    total: text(safe(beforeTips + tipTotal)),
    totalComputed,
  };
}

/**
 * `total.div(|qty|).round(4)` in money units (4 places), and `total` itself for a zero quantity (as
 * checkFigures). The exact quotient total/|qty| (both in 10^-4 units) rounded half-up at 4 places is
 * halfUpQuotient(total·10^4, |qty|). big.js first rounds the quotient to Big.DP >= 20 places, moving it
 * by at most half of 10^-20; that never puts it onto or across a half at the 4th place: a quotient not
 * exactly on one lies at least 1/(2·|qty|) units of 10^-4 from it, more than half of 10^-20 since
 * |qty| < 2^53 < 10^16 (and one exactly on it has 5 places, which the first rounding keeps).
 */
function quotient(total: number, absQty: number): number {
  if (absQty === 0) return total;
  return halfUpQuotient(safe(total * POW10[MONEY]!), absQty);
}
