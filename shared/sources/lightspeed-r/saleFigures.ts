// shared/sources/lightspeed-r/saleFigures.ts: the money text of one R-Series sale in big.js, as the adapter
// always wrote it. This is the reference for saleFiguresFast (integer arithmetic) and the path it falls
// back on wherever it cannot be sure of its answer.
import type Big from 'big.js';
import { dec, minorUnits, sum, toDecimalString, toMoneyString, ZERO } from '../../model/money';
import { roundToTotal } from '../../model/roundToTotal';
import { absOf, isNegative, isPositive } from '../../model/bigSigns';
import { plusOf } from './bigShortcuts';

/** A vendor number as the schema accepts it: a decimal string or a finite JSON number. */
export type NumIn = string | number;

/** The line fields the figures read (`tax` raw, "true"/"false", or already a boolean). */
export interface FiguresLine {
  unitQuantity: NumIn;
  unitPrice: NumIn;
  calcLineDiscount?: NumIn | null;
  calcTransactionDiscount?: NumIn | null;
  calcTax1?: NumIn | null;
  calcTax2?: NumIn | null;
  tax?: boolean | string | null;
}

/** The sale fields the figures read. */
export interface FiguresSale {
  calcTotal?: NumIn | null;
  total?: NumIn | null;
  calcTax1?: NumIn | null;
  calcTax2?: NumIn | null;
  taxTotal?: NumIn | null;
}

export interface LineFigures {
  quantity: string;
  unitPrice: string;
  amount: string;
  discount: string;
  /** The line discount is above zero (a discount entry is due). */
  hasDiscount: boolean;
  /** Line tax rounded to the currency so the taxes add up to the sale's tax total. */
  tax: string;
}

export interface SaleFigures {
  lines: LineFigures[];
  /** The sale-wide discount (sum of the lines' shares), or null when it is not above zero. */
  transactionDiscount: string | null;
  taxTotal: string;
  total: string;
  totalNegative: boolean;
}

/** A line's tax flag is off: a boolean false from the schema's transform, or R-Series' own "false". */
export const taxOff = (tax: boolean | string | null | undefined): boolean => tax === false || tax === 'false';

/** `dec(v ?? 0)`, with the shared zero where the field is missing. */
const decOrZero = (v: NumIn | null | undefined): Big => (v === null || v === undefined ? ZERO : dec(v));

/** The figures in big.js: the reference. */
export function saleFigures(
  sale: FiguresSale,
  rawLines: readonly FiguresLine[],
  currency: string | null,
): SaleFigures {
  const lines: LineFigures[] = [];
  const lineTaxes: Big[] = [];
  let transactionDiscount: Big = ZERO;
  for (const l of rawLines) {
    const quantity = dec(l.unitQuantity);
    const unitPrice = absOf(dec(l.unitPrice));
    const lineDiscount =
      l.calcLineDiscount === null || l.calcLineDiscount === undefined ? ZERO : absOf(dec(l.calcLineDiscount));
    const share = l.calcTransactionDiscount;
    if (share !== null && share !== undefined)
      transactionDiscount = transactionDiscount.plus(absOf(dec(share)));
    // A return line (negative quantity) gives its discount back: the amount is quantity·price + discount.
    const returned = isNegative(quantity);
    const gross = quantity.times(unitPrice);
    const amount = returned ? gross.plus(lineDiscount) : gross.minus(lineDiscount);
    lineTaxes.push(taxOff(l.tax) ? ZERO : plusOf(decOrZero(l.calcTax1), decOrZero(l.calcTax2)));
    lines.push({
      quantity: toDecimalString(quantity),
      unitPrice: toMoneyString(unitPrice, currency),
      amount: toMoneyString(amount, currency),
      discount: toMoneyString(lineDiscount, currency),
      hasDiscount: isPositive(lineDiscount),
      tax: '',
    });
  }
  const taxTotal =
    sale.taxTotal !== undefined && sale.taxTotal !== null
      ? dec(sale.taxTotal)
      : sum([dec(sale.calcTax1 ?? 0), dec(sale.calcTax2 ?? 0)]);
  roundToTotal(lineTaxes, taxTotal, minorUnits(currency)).forEach((tax, i) => {
    lines[i]!.tax = toMoneyString(tax, currency);
  });
  const total = dec(sale.calcTotal ?? sale.total ?? 0);
  return {
    lines,
    transactionDiscount: isPositive(transactionDiscount)
      ? toMoneyString(transactionDiscount, currency)
      : null,
    taxTotal: toMoneyString(taxTotal, currency),
    total: toMoneyString(total, currency),
    totalNegative: isNegative(total),
  };
}

/** A payment amount's money text in big.js: the reference for moneyTextFast. */
export const moneyText = (amount: NumIn, currency: string | null): string =>
  toMoneyString(dec(amount), currency);
