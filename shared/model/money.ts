// shared/model/money.ts: exact decimal money on big.js. Never binary floats for amounts.
import Big from 'big.js';
import { bigFromNumber } from './bigFromNumber';
import { boundedMemo } from './boundedMemo';
import { parsePlainDecimal } from './parsePlainDecimal';
import { toFixedExact } from './toFixedExact';

export type Decimal = Big;
export const ZERO = new Big(0);
/** The most decimal places big.js's toFixed accepts. */
const MAX_DP = 1e6;

/**
 * A decimal from a vendor value. Strings are taken as written; JSON numbers are taken by their
 * shortest round-trip text, which for the decimals a POS sends is exactly what was on the wire.
 */
export function dec(value: string | number | bigint | Big): Big {
  if (value instanceof Big) return value;
  if (typeof value === 'bigint') return new Big(value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
    if (Big.strict) return new Big(value);
    return bigFromNumber(value) ?? new Big(value);
  }
  const text = withoutPlusSign(value.trim());
  return parsePlainDecimal(text) ?? new Big(text);
}

/**
 * `+3` is a decimal (`isDecimal` says so, and schemas accept it), but big.js refuses an explicit plus
 * sign: without this, an amount written `"+3"` failed the whole payload as an adapter error.
 */
function withoutPlusSign(text: string): string {
  if (text.charCodeAt(0) !== 43) return text;
  const next = text.charCodeAt(1);
  // Only a sign directly before the number; `+-3` or `+ 3` stay as they are, for big.js to refuse.
  return (next >= 48 && next <= 57) || next === 46 ? text.slice(1) : text;
}

/** True when `value` can be read as a decimal amount. */
export function isDecimal(value: unknown): value is string | number {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value);
}

/** Canonical decimal text: no exponent, no trailing-zero padding beyond `scale` when given. */
export function toDecimalString(value: Big, scale?: number): string {
  // Nothing to round (always so for money text): written directly, and never a negative zero, since
  // big.js signs only non-zero values.
  if (scale === undefined) return toFixedExact(value, decimalPlaces(value));
  if (Number.isInteger(scale) && scale <= MAX_DP && scale >= decimalPlaces(value)) return toFixedExact(value, scale);
  const s = value.toFixed(scale);
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
  if (digits === 0) return big;
  // Dividing by 10^digits only moves the decimal point: the same digits with a smaller exponent, and
  // a zero keeps its sign, as div gives them. div rounds beyond Big.DP places; such values take it.
  // (dec hands a Big back as it is: a caller's Big is not to be changed, so it takes div too.)
  if (decimalPlaces(big) + digits > Big.DP || big === (amount as unknown)) return big.div(10 ** digits);
  // A zero stays as it is (exponent 0, its sign kept), as div leaves it.
  if (big.c[0]) big.e -= digits;
  return big;
}

/** Tolerances by minor digits and component count; a handful of currencies and small counts. */
const tolerances = boundedMemo<Big>(4096);

/**
 * Tolerance for comparing totals: half of the currency's smallest unit per rounded component.
 * The result may be shared between calls: like every Big, it is never to be modified.
 */
export function roundingTolerance(currency: string | null | undefined, components = 1): Big {
  const digits = minorUnits(currency);
  const count = Math.max(1, components);
  if (!Number.isInteger(count)) return toleranceOf(digits, count);
  const key = `${digits}:${count}`;
  return tolerances.get(key) ?? tolerances.set(key, toleranceOf(digits, count));
}

function toleranceOf(digits: number, count: number): Big {
  return new Big(1).div(10 ** digits).times(count).div(2);
}
