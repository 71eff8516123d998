// shared/quality/textFormats.ts: the canonical model's string formats, read by character codes rather
// than the model's regexes (a regex test per decimal field was most of the shape check's time);
// test/quality/shapeFormats.test.ts compares each with the pattern from shared/model/canonical.ts on
// generated strings.

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i); // NaN past the end, which fails both comparisons
  return c >= 48 && c <= 57;
};

/** `/^-?\d+(\.\d+)?$/` (the model's DecimalString). */
export function isDecimalText(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const intStart = i;
  while (i < n && isDigitAt(s, i)) i++;
  if (i === intStart) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46) return false; // '.'
  const fracStart = ++i;
  while (i < n && isDigitAt(s, i)) i++;
  return i > fracStart && i === n;
}

/** `/^\d{4}-\d{2}-\d{2}/` on the first ten characters: YYYY-MM-DD. */
function isDatePrefix(s: string): boolean {
  return (
    isDigitAt(s, 0) &&
    isDigitAt(s, 1) &&
    isDigitAt(s, 2) &&
    isDigitAt(s, 3) &&
    s.charCodeAt(4) === 45 &&
    isDigitAt(s, 5) &&
    isDigitAt(s, 6) &&
    s.charCodeAt(7) === 45 &&
    isDigitAt(s, 8) &&
    isDigitAt(s, 9)
  );
}

/** `/^\d{4}-\d{2}-\d{2}$/` (the model's BusinessDate). */
export function isBusinessDateText(s: string): boolean {
  return s.length === 10 && isDatePrefix(s);
}

/** `/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/` (the model's UtcInstant). */
export function isUtcInstantText(s: string): boolean {
  return (
    s.length === 24 &&
    isDatePrefix(s) &&
    s.charCodeAt(10) === 84 && // 'T'
    isDigitAt(s, 11) &&
    isDigitAt(s, 12) &&
    s.charCodeAt(13) === 58 && // ':'
    isDigitAt(s, 14) &&
    isDigitAt(s, 15) &&
    s.charCodeAt(16) === 58 &&
    isDigitAt(s, 17) &&
    isDigitAt(s, 18) &&
    s.charCodeAt(19) === 46 && // '.'
    isDigitAt(s, 20) &&
    isDigitAt(s, 21) &&
    isDigitAt(s, 22) &&
    s.charCodeAt(23) === 90 // 'Z'
  );
}

const isUpperAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90;
};

/** `/^[A-Z]{3}$/` (the model's CurrencyCode). */
export function isCurrencyText(s: string): boolean {
  return s.length === 3 && isUpperAt(s, 0) && isUpperAt(s, 1) && isUpperAt(s, 2);
}

/** `/^\d{4}$/` (a tender's last4). */
export function isLast4Text(s: string): boolean {
  return s.length === 4 && isDigitAt(s, 0) && isDigitAt(s, 1) && isDigitAt(s, 2) && isDigitAt(s, 3);
}
