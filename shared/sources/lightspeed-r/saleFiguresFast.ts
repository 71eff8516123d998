// shared/sources/lightspeed-r/saleFiguresFast.ts: `saleFigures` in integer arithmetic on Numbers. R-Series
// sends every figure as a plain decimal string; read as an integer count of 10^-scale units (readDecimal)
// each sum, product and half-up rounding is exact while the integers stay safe, and the text is written
// once (unitsText) the way the money helpers write the same decimal. Anything else (a JSON number, an
// exponent, a value past the safe integers) makes it decline, and the caller takes big.js.
import { minorUnits } from '../../model/money';
import { halfUpQuotient } from '../../model/units/halfUpQuotient';
import { pow10 } from '../../model/units/pow10';
import { readDecimal } from '../../model/units/readDecimal';
import { safe, UNSURE } from '../../model/units/safe';
import { abs, negate, plus, type Scaled, SCALED_ZERO, times, unitsAt } from '../../model/units/scaled';
import { unitsText } from '../../model/units/unitsText';
import {
  type FiguresLine,
  type FiguresSale,
  type LineFigures,
  type NumIn,
  type SaleFigures,
  taxOff,
} from './saleFigures';

/**
 * A figure as R-Series sends it, a plain decimal string, read exactly; a missing value is zero, as the
 * adapter's `dec(v ?? 0)`. A JSON number is left to big.js (UNSURE).
 */
function readScaled(v: NumIn | null | undefined): Scaled {
  if (v === null || v === undefined) return SCALED_ZERO;
  if (typeof v !== 'string') throw UNSURE;
  return readDecimal(v);
}

/**
 * Money text of `x` with `digits` minor digits: at least `digits` places, more where the value has them
 * (toMoneyString). unitsText keeps the places up to the last non-zero one, padded to `digits`.
 */
function money(x: Scaled, digits: number): string {
  return x.scale >= digits ? unitsText(x.n, x.scale, digits) : unitsText(unitsAt(x, digits), digits, digits);
}

/** The figures `saleFigures` gives, or undefined where it cannot be sure of them. Throws nothing. */
export function saleFiguresFast(
  sale: FiguresSale,
  rawLines: readonly FiguresLine[],
  currency: string | null,
): SaleFigures | undefined {
  try {
    return figures(sale, rawLines, minorUnits(currency));
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

/** `moneyText` (toMoneyString of dec) for a plain decimal string, or undefined. */
export function moneyTextFast(amount: NumIn, currency: string | null): string | undefined {
  try {
    return money(readScaled(amount), minorUnits(currency));
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

function figures(sale: FiguresSale, rawLines: readonly FiguresLine[], digits: number): SaleFigures {
  const lines: LineFigures[] = [];
  const lineTaxes: Scaled[] = [];
  let transactionDiscount = SCALED_ZERO;
  for (const l of rawLines) {
    const quantity = readScaled(l.unitQuantity);
    const unitPrice = abs(readScaled(l.unitPrice));
    const lineDiscount = abs(readScaled(l.calcLineDiscount));
    const share = l.calcTransactionDiscount;
    if (share !== null && share !== undefined)
      transactionDiscount = plus(transactionDiscount, abs(readScaled(share)));
    // A return line (negative quantity) gives its discount back: quantity·price + discount.
    const gross = times(quantity, unitPrice);
    const amount = plus(gross, quantity.n < 0 ? lineDiscount : negate(lineDiscount));
    lineTaxes.push(taxOff(l.tax) ? SCALED_ZERO : plus(readScaled(l.calcTax1), readScaled(l.calcTax2)));
    lines.push({
      quantity: unitsText(quantity.n, quantity.scale, 0),
      unitPrice: money(unitPrice, digits),
      amount: money(amount, digits),
      discount: money(lineDiscount, digits),
      hasDiscount: lineDiscount.n > 0,
      tax: '',
    });
  }
  const taxTotal =
    sale.taxTotal !== undefined && sale.taxTotal !== null
      ? readScaled(sale.taxTotal)
      : plus(readScaled(sale.calcTax1), readScaled(sale.calcTax2));
  const taxes = roundToTotalScaled(lineTaxes, taxTotal, digits);
  for (let i = 0; i < lines.length; i++) lines[i]!.tax = unitsText(taxes[i]!, digits, digits);
  const total = readScaled(sale.calcTotal ?? sale.total);
  return {
    lines,
    transactionDiscount: transactionDiscount.n > 0 ? money(transactionDiscount, digits) : null,
    taxTotal: money(taxTotal, digits),
    total: money(total, digits),
    totalNegative: total.n < 0,
  };
}

/**
 * roundToTotal (shared/model/roundToTotal.ts) on integers: the parts rounded half-up to `digits` places
 * (as counts of 10^-digits), then the gap to the total, when it is a whole number of units, given to
 * the parts rounding moved most in the direction the gap undoes (ties by position). Every figure is
 * taken at the largest scale among parts, total and `digits`, so the comparisons are exact.
 */
function roundToTotalScaled(parts: readonly Scaled[], total: Scaled, digits: number): number[] {
  let scale = digits > total.scale ? digits : total.scale;
  for (const p of parts) if (p.scale > scale) scale = p.scale;
  const unit = pow10(scale - digits);
  const exact = parts.map((p) => unitsAt(p, scale));
  const rounded = exact.map((x) => halfUpQuotient(x, unit));
  let sum = 0;
  for (const r of rounded) sum = safe(sum + r);
  const gap = safe(unitsAt(total, scale) - safe(sum * unit));
  if (gap === 0 || gap % unit !== 0) return rounded;
  const steps = Math.abs(gap) / unit;
  const up = gap > 0;
  const candidates: { i: number; moved: number }[] = [];
  for (let i = 0; i < exact.length; i++) {
    const moved = exact[i]! - safe(rounded[i]! * unit); // under one unit
    if (moved !== 0) candidates.push({ i, moved });
  }
  candidates.sort((a, b) => (up ? cmp(b.moved, a.moved) : cmp(a.moved, b.moved)) || a.i - b.i);
  if (steps > candidates.length) return rounded;
  for (let k = 0; k < steps; k++) {
    const { i } = candidates[k]!;
    rounded[i] = up ? rounded[i]! + 1 : rounded[i]! - 1;
  }
  return rounded;
}

const cmp = (a: number, b: number): number => (a > b ? 1 : a < b ? -1 : 0);
