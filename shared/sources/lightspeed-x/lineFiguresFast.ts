// shared/sources/lightspeed-x/lineFiguresFast.ts: lineFigures.ts in integer arithmetic on Numbers.
// Every amount is read as a count of 10^-5 (the register's precision, readUnits), so sums are exact
// safe integers, products of two are exact counts of 10^-10, and the half-up roundings are exact integer
// divisions. Text is written once per figure, as toMoneyString writes the same decimal. big.js stays
// the reference (lineFigures.ts) and takes every value this path is not sure of.
import { halfUpQuotient } from '../../model/units/halfUpQuotient';
import { POW10 } from '../../model/units/pow10';
import { readUnits } from '../../model/units/readUnits';
import { safe, UNSURE } from '../../model/units/safe';
import { unitsText } from '../../model/units/unitsText';
import type { LightspeedXLineItem } from '../lightspeed-x';
import { REGISTER_DECIMALS, type LineFigures, type SaleTotals } from './lineFigures';

type Amount = string | number;
const UNITS = REGISTER_DECIMALS; // the register's decimals, as the big.js figures round to
const PER_UNIT = POW10[UNITS]!;

/**
 * Money text of n units: the value's own places (trailing zeros dropped, as a Big has none) and at
 * least the currency's `digits`, which callers keep at or below 5: what toMoneyString writes.
 */
const money = (n: number, digits: number): string => unitsText(n, UNITS, digits);

/** An amount in register units, exactly as dec reads it (a JSON number or a plain decimal string), or UNSURE. */
const registerUnits = (value: Amount): number => readUnits(value, UNITS);

/** Quantity x unit value rounded half-up to the register's 5 decimals (the product is in 10^-10). */
const times = (quantity: number, unit: number): number => halfUpQuotient(safe(quantity * unit), PER_UNIT);

/** The register's line figure when the line states it, else quantity x unit value. */
function lineFigure(stated: Amount | null | undefined, quantity: number, unit: number): number {
  return stated === null || stated === undefined ? times(quantity, unit) : registerUnits(stated);
}

/** `lineFigures(item, currency)` for a currency of `digits` minor digits, or undefined where unsure. */
export function lineFiguresFast(item: LightspeedXLineItem, digits: number): LineFigures | undefined {
  if (digits > UNITS) return undefined;
  try {
    const quantity = registerUnits(item.quantity);
    const price = registerUnits(item.price);
    const unitDiscount = item.discount === null || item.discount === undefined ? 0 : Math.abs(registerUnits(item.discount));
    const lineDiscount = Math.abs(lineFigure(item.discount_total, Math.abs(quantity), unitDiscount));
    // The unit tax is read only when the line states no tax_total, as lineFigures reads it.
    let tax: string | null = null;
    if (item.tax_total !== null && item.tax_total !== undefined) tax = money(registerUnits(item.tax_total), digits);
    else if (item.tax !== null && item.tax !== undefined) tax = money(times(quantity, registerUnits(item.tax)), digits);
    return {
      quantity: unitsText(quantity, UNITS, 0),
      unitPrice: money(safe(price + unitDiscount), digits),
      amount: money(lineFigure(item.price_total, quantity, price), digits),
      discount: money(lineDiscount, digits),
      tax,
      hasDiscount: lineDiscount > 0,
    };
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

/** `saleTotals(totalPrice, totalTax, currency)` for `digits` minor digits, or undefined where unsure. */
export function saleTotalsFast(totalPrice: Amount, totalTax: Amount, digits: number): SaleTotals | undefined {
  if (digits > UNITS) return undefined;
  try {
    const taxTotal = registerUnits(totalTax);
    // Rounded to the minor unit (a count of 10^-digits), then back in register units for the text.
    const minor = POW10[UNITS - digits]!;
    const total = halfUpQuotient(safe(registerUnits(totalPrice) + taxTotal), minor);
    return {
      total: money(safe(total * minor), digits),
      taxTotal: money(taxTotal, digits),
      negative: total < 0,
    };
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

/** `amountText(amount, currency)` for `digits` minor digits, or undefined where unsure. */
export function amountTextFast(amount: Amount, digits: number): string | undefined {
  if (digits > UNITS) return undefined;
  try {
    return money(registerUnits(amount), digits);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}
