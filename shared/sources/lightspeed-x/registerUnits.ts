// shared/sources/lightspeed-x/registerUnits.ts: an X-Series amount as an integer count of 10^-5, the
// register's precision, so that the adapter's sums and products are exact on Numbers.

/** Thrown where a value or figure is not sure to be exact here; the caller then takes the big.js path. */
export const UNSURE = Symbol('unsure');

/** Units per 1 at the register's 5 decimals. */
const SCALE = 1e5;
/** Below this, reading a number back is exact (see bigFromNumber in shared/model). */
const LIMIT = 2 ** 50;
/** More digits than this might not be a safe integer. */
const MAX_DIGITS = 15;

/** 10^k for k = 0..22: products of exact integers, each exactly a double (10^22 is the last that is). */
export const POW10: readonly number[] = [1];
for (let k = 1; k <= 22; k++) (POW10 as number[]).push(POW10[k - 1]! * 10);

/** `x` when it is a safe integer, else UNSURE; sums and products checked by this are exact. */
export function safe(x: number): number {
  if (!Number.isSafeInteger(x)) throw UNSURE;
  return x;
}

/**
 * The amount's value in 10^-5 units, exactly the value `dec` reads, or UNSURE. A JSON number: dec
 * reads its shortest round-trip text; when |value|·10^5 < 2^50 and round(value·10^5)/10^5 is the
 * value again, that integer is the only decimal of at most 5 places that reads back as the value and
 * the shortest text is it (the argument of bigFromNumber, at 5 places). A string: only a plain
 * decimal ("-12.50", digits with at most 5 places and 15 digits in all); anything else (spaces,
 * exponents, ".5", more places) is left to big.js. A zero of either sign is 0: no text or comparison
 * here tells a negative zero apart, as big.js writes and compares zeros without their sign.
 */
export function registerUnits(value: string | number): number {
  if (typeof value === 'number') {
    const scaled = value * SCALE;
    if (!(scaled < LIMIT && scaled > -LIMIT)) throw UNSURE;
    const n = Math.round(scaled);
    if (n / SCALE !== value) throw UNSURE;
    return n === 0 ? 0 : n;
  }
  return plainUnits(value);
}

function plainUnits(text: string): number {
  const length = text.length;
  const start = length > 0 && text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let n = 0;
  let digits = 0;
  let places = -1; // digits after the point; -1 before it
  for (let j = start; j < length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 46) {
      // '.': once, with digits on both sides
      if (places >= 0 || digits === 0 || j === length - 1) throw UNSURE;
      places = 0;
    } else if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      digits++;
      if (places >= 0) places++;
    } else {
      throw UNSURE;
    }
  }
  if (digits === 0 || digits > MAX_DIGITS || places > 5) throw UNSURE;
  // At most 15 digits: every step above was exact, and so is this product of a safe integer and 10^k.
  const units = safe(n * POW10[5 - Math.max(places, 0)]!);
  return start === 1 && units !== 0 ? -units : units;
}
