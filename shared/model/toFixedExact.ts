// shared/model/toFixedExact.ts: big.js's toFixed for the case money text always is: at least as many
// places as the value has, so nothing is rounded. big.js copies the value, rounds it and pads its
// digit array before writing it; this writes the digits directly.
import type Big from 'big.js';

/**
 * `value.toFixed(dp)` for an integer `dp` no smaller than the value's own decimal places (the caller
 * checks). Like big.js, a zero is written without its sign.
 */
export function toFixedExact(value: Big, dp: number): string {
  const c = value.c;
  const e = value.e;
  const n = c.length;
  let int: string;
  let frac = '';
  if (e < 0) {
    int = '0';
    frac = '0'.repeat(-e - 1);
    for (let i = 0; i < n; i++) frac += c[i];
  } else {
    int = '';
    const intDigits = e + 1;
    for (let i = 0; i < n; i++) {
      if (i < intDigits) int += c[i];
      else frac += c[i];
    }
    if (intDigits > n) int += '0'.repeat(intDigits - n);
  }
  if (dp > frac.length) frac += '0'.repeat(dp - frac.length);
  const text = dp > 0 ? `${int}.${frac}` : int;
  return value.s < 0 && c[0] !== 0 ? '-' + text : text;
}
