// Values that mean "nobody filled this in": they break joins with master data and per-store reports.
import type { Finding } from '../../model';
import type { Rule } from '../types';

const PLACEHOLDERS = new Set(['', 'n/a', 'na', 'null', 'undefined', 'none', 'tbd', 'test', 'xxx', 'xxxx', '-', '?', '0', 'unknown', 'placeholder', 'dummy', 'default', '9999999', '0000000']);
/** No placeholder is longer, so longer text (after trimming) needs no lower-casing to rule it out. */
const LONGEST = Math.max(...[...PLACEHOLDERS].map((p) => p.length));

/** Whether `trim` keeps this code unit: every code unit it removes is 32 or below, or 0xA0 or above. */
const kept = (c: number) => c > 32 && c < 0xa0;

/** By ASCII code unit: whether some placeholder begins with that character lower-cased. */
const STARTS_ONE: readonly boolean[] = Array.from({ length: 128 }, (_, c) =>
  [...PLACEHOLDERS].some((p) => p.length > 0 && p[0] === String.fromCharCode(c).toLowerCase()),
);

/** The placeholders by length (index), for comparing short ASCII values without making lower-cased text. */
const BY_LENGTH: readonly (readonly string[])[] = Array.from({ length: LONGEST + 1 }, (_, n) =>
  [...PLACEHOLDERS].filter((p) => p.length === n),
);

/**
 * For a value whose ends `trim` keeps (so trimming returns it as it is): whether it lower-cases to a
 * placeholder, when it is all ASCII, where lower-casing is A-Z to a-z one unit for one; undefined for
 * other text (a non-ASCII unit may lower-case to ASCII, the Kelvin sign to k), which the set decides.
 */
function asciiPlaceholder(value: string): boolean | undefined {
  const n = value.length;
  for (let i = 0; i < n; i++) if (value.charCodeAt(i) >= 128) return undefined;
  const candidates = BY_LENGTH[n]!;
  next: for (let k = 0; k < candidates.length; k++) {
    const p = candidates[k]!;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== p.charCodeAt(i)) continue next;
    }
    return true;
  }
  return false;
}

export function isPlaceholder(value: string): boolean {
  // Most values (SKUs, descriptions) are longer than any placeholder: skip trimming and lower-casing
  // them. With both ends kept by `trim` it returns the value as is, and `toLowerCase` never shortens
  // a text (test/quality/validate.differential.test.ts checks that of every code point), so such a value can
  // only lower-case to text longer than every placeholder.
  const first = value.charCodeAt(0);
  if (kept(first) && kept(value.charCodeAt(value.length - 1))) {
    if (value.length > LONGEST) return false;
    // Short values (store, register and operator ids) the same way by their first character: untrimmed,
    // an ASCII one lower-cases to the first character of the lower-cased text, which begins no placeholder.
    if (first < 128 && !STARTS_ONE[first]) return false;
    const ascii = asciiPlaceholder(value);
    if (ascii !== undefined) return ascii;
  }
  return PLACEHOLDERS.has(value.trim().toLowerCase());
}

function placeholderFinding(value: string, path: string): Finding {
  return { code: 'value.placeholder', severity: 'warning', path, message: `placeholder value ${JSON.stringify(value)}` };
}

export const placeholders: Rule = (tx) => {
  const findings: Finding[] = [];
  if (tx.storeId !== null && isPlaceholder(tx.storeId)) findings.push(placeholderFinding(tx.storeId, '/storeId'));
  if (tx.registerId !== null && isPlaceholder(tx.registerId)) findings.push(placeholderFinding(tx.registerId, '/registerId'));
  if (tx.operatorId !== null && isPlaceholder(tx.operatorId)) findings.push(placeholderFinding(tx.operatorId, '/operatorId'));
  // The paths are built only for a finding: this runs on every line of every transaction.
  const lines = tx.lines;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.sku !== null && isPlaceholder(l.sku)) findings.push(placeholderFinding(l.sku, `/lines/${i}/sku`));
    if (l.description !== null && isPlaceholder(l.description)) findings.push(placeholderFinding(l.description, `/lines/${i}/description`));
  }
  if (tx.channel === 'store' && (tx.storeId === null || isPlaceholder(tx.storeId))) {
    findings.push({ code: 'store.missing', severity: 'error', path: '/storeId', message: 'an in-store transaction without a store' });
  }
  return findings;
};
