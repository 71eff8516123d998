// shared/sources/adyen/readFormPairs.ts: every key=value pair of URL-encoded text, as URLSearchParams reads them.

/**
 * Printable ASCII whose escapes all stand for ASCII characters (%00-%7F), without a leading '?'
 * (which URLSearchParams drops): no UTF-8 to decode and nothing to replace, so it is read here,
 * without URLSearchParams and its passes. Adyen's own responses are of this kind.
 */
const PLAIN_FORM = /^(?!\?)(?:[\x20-\x24\x26-\x7e]|%[0-7][0-9A-Fa-f])*$/;

/** '+' as a space, then each %XX (all below 0x80 here) as its character, as URLSearchParams decodes. */
export function decodePlain(text: string): string {
  if (text.indexOf('%') === -1 && text.indexOf('+') === -1) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '+') out += ' ';
    else if (c === '%') {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += c;
  }
  return out;
}

/**
 * The key=value pairs of URL-encoded text into `out`, the last of a repeated key winning, exactly as
 * `new URLSearchParams(text)` reads them (test/sources/adyen.test.ts compares the two).
 */
export function readFormPairs(text: string, out: Map<string, string>): Map<string, string> {
  if (!PLAIN_FORM.test(text)) {
    for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
    return out;
  }
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      if (eq === -1 || eq >= end) out.set(decodePlain(text.slice(start, end)), '');
      else out.set(decodePlain(text.slice(start, eq)), decodePlain(text.slice(eq + 1, end)));
    }
    start = end + 1;
  }
  return out;
}
