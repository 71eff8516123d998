// shared/model/parsePlainDecimal.ts: big.js's constructor without its regex and string slicing, for
// the plain decimals vendors send ("12.50", "-3", "0.001"). dec() reads 15-25 amounts per
// transaction, and big.js's parse was about a tenth of an adapter's time.
import type Big from 'big.js';
import { plainBig } from './plainBig';

const ZERO_CODE = 48;
const NINE_CODE = 57;
const DOT_CODE = 46;
const MINUS_CODE = 45;

/**
 * The Big that `new Big(text)` makes (same sign, exponent and digits) when `text` is a plain decimal:
 * an optional '-', digits, and optionally '.' followed by digits. Undefined for anything else (".5",
 * "5.", exponents, spaces, ...), which the caller gives to big.js to accept or reject as it always did.
 */
export function parsePlainDecimal(text: string): Big | undefined {
  const n = text.length;
  const start = n > 0 && text.charCodeAt(0) === MINUS_CODE ? 1 : 0;
  let dot = -1;
  for (let j = start; j < n; j++) {
    const ch = text.charCodeAt(j);
    if (ch === DOT_CODE) {
      if (dot >= 0) return undefined;
      dot = j;
    } else if (ch < ZERO_CODE || ch > NINE_CODE) {
      return undefined;
    }
  }
  if (dot < 0) dot = n;
  if (dot === start || dot === n - 1) return undefined;

  let first = start;
  while (first < n && (text.charCodeAt(first) === ZERO_CODE || first === dot)) first++;
  if (first === n) return plainBig(start === 1 ? -1 : 1, 0, [0]);
  let last = n - 1;
  while (text.charCodeAt(last) === ZERO_CODE || last === dot) last--;
  const c: number[] = [];
  for (let j = first; j <= last; j++) if (j !== dot) c.push(text.charCodeAt(j) - ZERO_CODE);
  return plainBig(start === 1 ? -1 : 1, first < dot ? dot - first - 1 : dot - first, c);
}
