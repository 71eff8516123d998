// shared/model/money.ts: exact decimal money on big.js. Never binary floats for amounts.
import Big from 'big.js';

export type Decimal = Big;
export const ZERO = new Big(0);

/**
 * A decimal from a vendor value. Strings are taken as written; JSON numbers are taken by their
 * shortest round-trip text, which for the decimals a POS sends is exactly what was on the wire.
 */
export function dec(value: string | number | bigint | Big): Big {
  if (value instanceof Big) return value;
  if (typeof value === 'bigint') return new Big(value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
    return new Big(value);
  }
  return new Big(value.trim());
}

/** True when `value` can be read as a decimal amount. */
export function isDecimal(value: unknown): value is string | number {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value);
}

/** Canonical decimal text: no exponent, no trailing-zero padding beyond `scale` when given. */
export function toDecimalString(value: Big, scale?: number): string {
  const s = scale === undefined ? value.toFixed() : value.toFixed(scale);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}

/** Digits after the decimal point that `value` has (Big keeps no trailing zeros: 4.50 has 1). */
export function decimalPlaces(value: Big): number {
  return Math.max(0, value.c.length - value.e - 1);
}

/**
 * Money text: at least the currency's minor digits (and at least `minDecimals`), never fewer than the
 * value has, so nothing is rounded away: 4.5 USD is "4.50", 1.23456 USD "1.23456", 7 JPY "7". Vendors
 * that price to fractions of a cent (Lightspeed's 5 decimals) keep them; a missing currency pads to 2.
 */
export function toMoneyString(value: Big, currency: string | null, minDecimals = 0): string {
  return toDecimalString(value, Math.max(decimalPlaces(value), minorUnits(currency), minDecimals));
}

export function sum(values: Iterable<Big>): Big {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

const minorDigitsCache = new Map<string, number>();
/** Minor-unit digits of an ISO 4217 currency (2 for USD, 0 for JPY, 3 for KWD), from ICU. */
export function minorUnits(currency: string | null | undefined): number {
  if (!currency) return 2;
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits as number;
    } catch {
      digits = 2;
    }
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

let knownCurrencies: Set<string> | undefined;
/** True for a currency code ICU knows (ISO 4217, current and historic). */
export function isKnownCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

/** Converts an amount in minor units (cents) to a major-unit decimal. */
export function fromMinorUnits(amount: string | number | bigint, currency: string | null | undefined): Big {
  const digits = minorUnits(currency);
  const big = dec(amount);
  return digits === 0 ? big : big.div(10 ** digits);
}

/** Tolerance for comparing totals: half of the currency's smallest unit per rounded component. */
export function roundingTolerance(currency: string | null | undefined, components = 1): Big {
  const unit = new Big(1).div(10 ** minorUnits(currency));
  return unit.times(Math.max(1, components)).div(2);
}
