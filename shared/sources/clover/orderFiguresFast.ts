// shared/sources/clover/orderFiguresFast.ts: `orderFigures` in integer arithmetic on Numbers. Clover
// states money in integer cents and quantities in integer thousandths, so every figure is an integer
// count of cents or of thousandths of a cent (a weighed line's price times its quantity): sums and
// products of safe integers are exact, and only the half-up roundings need care (halfUpQuotient).
// Text is written once at the end (unitsText), the way the money helpers write the same decimal.
import { halfUpQuotient } from '../../model/units/halfUpQuotient';
import { POW10 } from '../../model/units/pow10';
import { readDecimal } from '../../model/units/readDecimal';
import { readUnits } from '../../model/units/readUnits';
import { safe, UNSURE } from '../../model/units/safe';
import { unitsText } from '../../model/units/unitsText';
import type { CloverOrder } from '../clover';
import type { LineFigures, OrderFigures, RefundFigures } from './orderFigures';

type CloverPayment = CloverOrder['payments'][number];
type CloverDiscount = CloverOrder['discounts'][number];

/** Integer minor units (a JSON integer or Clover's integer string) as a Number. */
const int = (v: number | string): number => readUnits(v, 0);

/** Places a percentage here may have: the product base·P/100 then has at most 3 + 10 + 2 < Big.DP places. */
const PERCENT_PLACES = 10;

/**
 * `percentage` % of `base` thousandths of a cent, in cents rounded half-up: base·P / (10^k·100·1000)
 * for the percentage P·10^-k. big.js reads a number percentage by its String(), so that is read here.
 * (big.js's division of the product by 100 is exact: at most 3 + 10 + 2 places, below Big.DP.)
 */
function percentOf(base: number, percentage: number | string): number {
  const p = readDecimal(typeof percentage === 'number' ? String(percentage) : percentage);
  if (p.scale > PERCENT_PLACES) throw UNSURE;
  return halfUpQuotient(safe(base * p.n), POW10[p.scale + 5]!);
}

/** Discount in cents: a fixed amount (Clover stores it negative) or a percentage of `base` (thousandths). */
function discountCents(d: CloverDiscount, base: number): number {
  if (d.amount !== null && d.amount !== undefined) return Math.abs(int(d.amount));
  if (d.percentage !== null && d.percentage !== undefined) return percentOf(base, d.percentage);
  return 0;
}

/**
 * The figures `orderFigures` gives, or undefined where a figure would leave the safe integers or a
 * percentage has more than 10 places: the caller then asks `orderFigures`. Throws nothing.
 */
export function orderFiguresFast(
  order: CloverOrder,
  counted: readonly CloverPayment[],
  digits: number,
): OrderFigures | undefined {
  try {
    return figures(order, counted, digits);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

function figures(order: CloverOrder, counted: readonly CloverPayment[], digits: number): OrderFigures {
  // Cents and thousandths of a cent as money text: at least the currency's digits, more where needed.
  const money = (c: number) => unitsText(c, digits, digits);
  const milliMoney = (m: number) => unitsText(m, digits + 3, digits);
  const isVat = order.isVat === true;
  const lineTaxKnown = order.discounts.length === 0;
  const lines: LineFigures[] = [];
  let subtotal = 0; // thousandths of a cent
  // A line item id that repeats counts once, with its last line's tax (as orderFigures does).
  const taxById = new Map<string, number>();
  for (const li of order.lineItems) {
    const thousandths = li.unitQty === null || li.unitQty === undefined ? 1000 : int(li.unitQty);
    let unit = int(li.price);
    for (const m of li.modifications) if (m.amount !== null && m.amount !== undefined) unit = safe(unit + int(m.amount));
    const gross = safe(unit * thousandths);
    let discount = 0;
    for (const d of li.discounts) discount = safe(discount + discountCents(d, gross));
    const amount = safe(gross - safe(discount * 1000));
    let rate = 0; // 1/10^7
    for (const r of li.taxRates) rate = safe(rate + int(r.rate));
    let tax: number | null = null;
    if (lineTaxKnown) {
      if (!isVat) {
        tax = halfUpQuotient(safe(amount * rate), 1e10);
      } else {
        // amount·f/(1+f) with f = rate/10^7. big.js rounds amount/(1+f) at 20 places first; that never
        // moves the result across a half cent: a tie is a quotient of at most 3 places, rounded
        // exactly, and any other result lies at least 1/(2·divisor) > 10^-20 from one.
        const divisor = safe(1000 * safe(1e7 + rate));
        if (divisor <= 0) throw UNSURE; // big.js divides by zero (throws) or by a negative
        tax = halfUpQuotient(safe(amount * rate), divisor);
      }
      taxById.set(li.id, tax);
    }
    subtotal = safe(subtotal + amount);
    lines.push({
      quantity: unitsText(thousandths, 3, 0),
      unitPrice: money(unit),
      amount: milliMoney(amount),
      discount: money(discount),
      hasDiscount: discount > 0,
      tax: tax === null ? null : money(tax),
    });
  }
  const orderDiscounts = order.discounts.map((d) => {
    const c = discountCents(d, subtotal);
    return c > 0 ? money(c) : null;
  });
  const tenders = order.payments.map((p) => money(safe(int(p.amount) + int(p.tipAmount ?? 0))));
  let tips = 0;
  let statedTax: number | null = null;
  for (const p of counted) {
    tips = safe(tips + int(p.tipAmount ?? 0));
    if (p.taxAmount !== null && p.taxAmount !== undefined) statedTax = safe((statedTax ?? 0) + int(p.taxAmount));
  }
  let tax = statedTax;
  if (tax === null && lineTaxKnown) {
    tax = 0;
    for (const t of taxById.values()) tax = safe(tax + t);
  }
  const total = safe(int(order.total) + tips);
  const refunds = order.refunds.map((r): RefundFigures => {
    const amount = Math.abs(int(r.amount));
    const refundTax = r.taxAmount === null || r.taxAmount === undefined ? null : Math.abs(int(r.taxAmount));
    const tip = Math.abs(int(r.tipAmount ?? 0));
    const goods = isVat || refundTax === null ? amount : safe(amount - refundTax);
    return {
      goods: money(-goods),
      tip: tip > 0 ? money(-tip) : null,
      total: money(-safe(amount + tip)),
      tax: refundTax === null ? null : money(-refundTax),
    };
  });
  return {
    lines,
    orderDiscounts,
    tenders,
    tips: tips > 0 ? money(tips) : null,
    tax: tax === null ? null : money(tax),
    total: money(total),
    totalNegative: total < 0,
    refunds,
  };
}
