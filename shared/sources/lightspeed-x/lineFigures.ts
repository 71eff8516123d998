// shared/sources/lightspeed-x/lineFigures.ts: the money texts of an X-Series sale, in exact decimals on
// big.js. The reference for the integer path (lineFiguresFast.ts) and its fallback wherever that path
// cannot be sure (a value with more than the register's 5 decimals, an exponent, a figure past the safe
// integers). Vendor rules in ../lightspeed-x.ts.
import Big from 'big.js';
import { absOf, isNegative, isPositive } from '../../model/bigSigns';
import { dec, minorUnits, toDecimalString, toMoneyString, ZERO } from '../../model/money';
import type { LightspeedXLineItem } from '../lightspeed-x';

type Item = LightspeedXLineItem;
type Amount = string | number;

/** Decimals Lightspeed keeps for prices and taxes. */
export const REGISTER_DECIMALS = 5;

/** The texts of one kept line, and whether its discount is above zero (it then becomes a Discount). */
export interface LineFigures {
  quantity: string;
  unitPrice: string;
  amount: string;
  discount: string;
  tax: string | null;
  hasDiscount: boolean;
}

/** The sale's `total` and `taxTotal` texts, and whether the total is below zero (a return). */
export interface SaleTotals {
  total: string;
  taxTotal: string;
  negative: boolean;
}

/**
 * The register's line figure when the line states it, else quantity x unit value at the register's
 * precision. The unit value is read only when it is needed (dec hands a Big back as it is).
 */
function lineFigure(stated: Amount | null | undefined, quantity: Big, unit: Amount | Big): Big {
  if (stated !== null && stated !== undefined) return dec(stated);
  return quantity.times(dec(unit)).round(REGISTER_DECIMALS, Big.roundHalfUp);
}

/** The figures of a line that is not voided. */
export function lineFigures(item: Item, currency: string | null): LineFigures {
  const quantity = dec(item.quantity);
  const price = dec(item.price);
  const unitDiscount = item.discount === null || item.discount === undefined ? ZERO : absOf(dec(item.discount));
  const lineDiscount = absOf(lineFigure(item.discount_total, absOf(quantity), unitDiscount));
  return {
    quantity: toDecimalString(quantity),
    unitPrice: toMoneyString(price.plus(unitDiscount), currency),
    // `price` is already net of the unit discount, so quantity x price is the signed net amount.
    amount: toMoneyString(lineFigure(item.price_total, quantity, price), currency),
    discount: toMoneyString(lineDiscount, currency),
    tax:
      item.tax === null || item.tax === undefined
        ? item.tax_total === null || item.tax_total === undefined
          ? null
          : toMoneyString(dec(item.tax_total), currency)
        : toMoneyString(lineFigure(item.tax_total, quantity, item.tax), currency),
    hasDiscount: isPositive(lineDiscount),
  };
}

/** The register charges the 5-decimal sum rounded to the currency's minor unit. */
export function saleTotals(totalPrice: Amount, totalTax: Amount, currency: string | null): SaleTotals {
  const taxTotal = dec(totalTax);
  const total = dec(totalPrice).plus(taxTotal).round(minorUnits(currency), Big.roundHalfUp);
  return {
    total: toMoneyString(total, currency),
    taxTotal: toMoneyString(taxTotal, currency),
    negative: isNegative(total),
  };
}

/** A payment amount as money text. */
export function amountText(amount: Amount, currency: string | null): string {
  return toMoneyString(dec(amount), currency);
}
