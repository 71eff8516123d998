// shared/lake/unscaledDecimal.ts: exact conversion between canonical decimal strings and the unscaled
// integers that Parquet DECIMAL columns store. Pure string and bigint work: a binary float never sees
// an amount, so 0.1 + 0.2 stays 0.3 all the way into the file and back.

/** Thrown when a value cannot be stored exactly in a DECIMAL(precision, scale) column. */
export class DecimalRangeError extends Error {
  override name = 'DecimalRangeError';
}

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The unscaled integer of `text` at `scale` ("21.6" at scale 6 is 21600000n). Extra fraction digits are
 * accepted only when they are zeros ("1.50000"); anything that would need rounding is refused, since
 * rounding would change an amount the source stated.
 */
export function toUnscaled(text: string, precision: number, scale: number): bigint {
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new DecimalRangeError(`not a decimal string: ${JSON.stringify(text)}`);
  const [, sign = '', intPart = '', fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > scale) {
    throw new DecimalRangeError(`${text} has more than ${scale} decimals and cannot be stored exactly in DECIMAL(${precision},${scale})`);
  }
  const digits = (intPart + frac.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > precision) {
    throw new DecimalRangeError(`${text} does not fit DECIMAL(${precision},${scale})`);
  }
  const unscaled = BigInt(digits);
  return sign === '-' ? -unscaled : unscaled;
}

/** The decimal string of an unscaled integer, with exactly `scale` decimals (21600000n at 6 is "21.600000"). */
export function fromUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
