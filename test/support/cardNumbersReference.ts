// test/support/cardNumbersReference.ts: the card data scrubber as it was before it was optimized, kept
// verbatim (apart from this header) as the straightforward reference for the differential test in
// test/privacy/cardNumbersReference.test.ts. Only tests use it; do not optimize it.
// One deliberate change since: the hex identifier rule (a digits-only run inside a hex string of 32 or
// more characters is no card number), written the plain way in findCardSpans, as the scrubber has it.
//
// shared/privacy/cardNumbers.ts: PCI-DSS card data detection and masking on raw payload text, before
// anything is written anywhere. A card number is 13-19 digits (optionally grouped by spaces or dashes)
// that passes Luhn AND starts with an issuer prefix of a card scheme of that length. The prefix check is
// what keeps Luhn-valid order ids and loyalty numbers (1 in 10 of any digit string) from being destroyed.

/** Card scheme of a digit string by its issuer identification number and length, if any. */
export function cardBrandOf(digits: string): string | undefined {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (n === 16 && ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099))) return 'mastercard';
  if (n === 15 && (p2 === 34 || p2 === 37)) return 'amex';
  if (n >= 16 && n <= 19 && (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649))) return 'discover';
  if (n >= 16 && n <= 19 && p4 >= 3528 && p4 <= 3589) return 'jcb';
  if (n >= 14 && n <= 19 && ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39)) return 'diners';
  if (n >= 16 && n <= 19 && p2 === 62) return 'unionpay';
  if (n >= 16 && n <= 19 && p4 >= 2200 && p4 <= 2204) return 'mir';
  if (n >= 12 && n <= 19 && [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].includes(p4)) return 'maestro';
  return undefined;
}

export function isLuhnValid(digits: string): boolean {
  let total = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
    double = !double;
  }
  return digits.length > 0 && total % 10 === 0;
}

/** True when `digits` (digits only) is a card number. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && cardBrandOf(digits) !== undefined && isLuhnValid(digits);
}

/** PCI DSS display masking: at most the first six and the last four digits stay visible. */
export function maskCardNumber(digits: string): string {
  const keepFirst = digits.length >= 15 ? 6 : 0;
  return digits.slice(0, keepFirst) + '*'.repeat(digits.length - keepFirst - 4) + digits.slice(-4);
}

interface Span {
  start: number;
  end: number;
  masked: string;
}

// Runs of at least 13 digits, separated by at most one space or dash between digits.
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){11,}(?!\d)/g;

/** Card numbers inside one run of grouped digits ("4111 1111 1111 1111 2031" holds one). */
function cardSpansInRun(run: string, offset: number, out: Span[]): void {
  const groups: { start: number; end: number }[] = [];
  const g = /\d+/g;
  for (let m = g.exec(run); m; m = g.exec(run)) groups.push({ start: m.index, end: m.index + m[0].length });
  let i = 0;
  while (i < groups.length) {
    let found = false;
    let digits = '';
    for (let j = i; j < groups.length; j++) {
      digits += run.slice(groups[j]!.start, groups[j]!.end);
      if (digits.length > 19) break;
      if (digits.length >= 12 && isCardNumber(digits)) {
        const start = groups[i]!.start;
        const end = groups[j]!.end;
        out.push({ start: offset + start, end: offset + end, masked: maskGrouped(run.slice(start, end), digits) });
        i = j + 1;
        found = true;
        break;
      }
    }
    if (!found) i++;
  }
}

/** Masks the digits of a grouped card number in place, keeping its separators. */
function maskGrouped(text: string, digits: string): string {
  const masked = maskCardNumber(digits);
  let k = 0;
  let out = '';
  for (const ch of text) out += ch >= '0' && ch <= '9' ? masked[k++] : ch;
  return out;
}

// A UUID (8-4-4-4-12 hex) is an identifier, never card data: its all-digit groups joined by dashes read
// like a dashed card number (Toast's guid `5dfcce5e-ac76-4381-8074-96302f504eee` holds `4381-8074-96302`,
// a Luhn-valid Visa length). Not glued to more hex on either side, so a longer hex string is not cut up.
const UUID = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])/g;
// Cheap test before the UUID search: it starts only at a dash, where the UUID pattern starts at every
// hex character of the text.
const UUID_HINT = /-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-/;

function findCardSpans(text: string): Span[] {
  const spans: Span[] = [];
  DIGIT_RUN.lastIndex = 0;
  let m = DIGIT_RUN.exec(text);
  // Most texts have no run of 12 digits at all; only those that do pay for the UUID search.
  if (!m) return spans;
  let scan = text;
  if (UUID_HINT.test(text)) {
    UUID.lastIndex = 0;
    // Same length, so positions stay valid; `_` ends a digit run like any non-digit.
    scan = text.replace(UUID, (u) => '_'.repeat(u.length));
    if (scan !== text) {
      DIGIT_RUN.lastIndex = 0;
      m = DIGIT_RUN.exec(scan);
    }
  }
  for (; m; m = DIGIT_RUN.exec(scan)) if (!inHexId(text, m[0], m.index)) cardSpansInRun(m[0], m.index, spans);
  return spans;
}

function inHexId(text: string, run: string, at: number): boolean {
  if (!/^\d+$/.test(run)) return false;
  const before = /[0-9A-Fa-f]*$/.exec(text.slice(0, at))![0].length;
  const after = /^[0-9A-Fa-f]*/.exec(text.slice(at + run.length))![0].length;
  return before + run.length + after >= 32 && before + after > 0;
}

/** True when the text contains a card number anywhere. */
export function containsCardNumber(text: string): boolean {
  return findCardSpans(text).length > 0;
}

/** For JSON text: whether each position is inside a string literal (one left-to-right scan). */
function jsonStringStates(text: string, positions: number[]): boolean[] {
  const states: boolean[] = [];
  let inString = false;
  let p = 0;
  for (let i = 0; i < text.length && p < positions.length; i++) {
    while (p < positions.length && positions[p] === i) {
      states.push(inString);
      p++;
    }
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
  }
  while (states.length < positions.length) states.push(inString);
  return states;
}

export type TextFormat = 'json' | 'xml' | 'text';

export interface ScrubResult {
  text: string;
  /** Card numbers masked. */
  cardNumbers: number;
  /** Expiry dates, security codes and track data removed. */
  sensitiveFields: number;
}

// Field names that carry card expiry or security codes in the formats we receive (JSON keys, XML
// elements, URL-encoded pairs such as Adyen's AdditionalResponse). Matched case-insensitively.
const SENSITIVE_NAMES =
  'expiry|expirydate|expiry_date|expirationdate|expiration_date|expiration|exp_month|exp_year|expmonth|expyear|expirymonth|expiryyear|cardexpirydate|cardexpiry|cvv|cvv2|cvc|cvc2|cid|cardsecuritycode|securitycode|security_code|card_security_code|track1|track2|track3|trackdata|track_data|track1data|track2data';
const SENSITIVE_HINT = /expir|exp_|expm|expy|cvv|cvc|\bcid\b|securitycode|security_code|track/i;
const JSON_FIELD = new RegExp(`("(?:${SENSITIVE_NAMES})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?)`, 'gi');
const XML_FIELD = new RegExp(
  `(<((?:[\\w.-]+:)?(?:${SENSITIVE_NAMES}))(?:\\s[^>]*)?>)([^<]*)(</\\2\\s*>)`,
  'gi',
);
const XML_ATTR = new RegExp(`(\\s(?:${SENSITIVE_NAMES})\\s*=\\s*)("[^"]*"|'[^']*')`, 'gi');
const PAIR_FIELD = new RegExp(`(^|[?&;\\s"'])((?:${SENSITIVE_NAMES})=)([^&\\s"'<]*)`, 'gi');
// Magnetic stripe: track 1 `%B<pan>^NAME^YYMM...?`, track 2 `;<pan>=YYMM...?`.
const TRACK1 = /%?B\d{12,19}\^[^^\n]{0,26}\^\d{4}[^?\s"<]*\??/g;
const TRACK2 = /;?\d{12,19}=\d{4}\d*\??/g;

/**
 * Whether some `=` has at least 12 digits right before it: the only texts TRACK2 can match. A scan of
 * the (usually few) `=` signs, where TRACK2 itself starts a 12-19 digit attempt at every digit.
 */
function hasDigitsBeforeEquals(text: string): boolean {
  for (let eq = text.indexOf('='); eq !== -1; eq = text.indexOf('=', eq + 1)) {
    if (eq < 12) continue;
    let k = eq - 1;
    while (k >= eq - 12) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) break;
      k--;
    }
    if (k < eq - 12) return true;
  }
  return false;
}

function removeSensitiveFields(text: string, format: TextFormat): { text: string; count: number } {
  let count = 0;
  // Prefilters: track 1 needs a `^`, track 2 twelve digits before a `=`; payloads rarely have either.
  let out = text.includes('^') ? text.replace(TRACK1, () => (count++, '[track data removed]')) : text;
  if (hasDigitsBeforeEquals(out)) out = out.replace(TRACK2, (m) => {
    // Only a track if the account number part is a card number; `a=b` pairs of ids are left alone.
    if (!isCardNumber(m.replace(/^;/, '').split('=')[0]!)) return m;
    count++;
    return '[track data removed]';
  });
  if (!SENSITIVE_HINT.test(out)) return { text: out, count };
  if (format === 'json') {
    out = out.replace(JSON_FIELD, (_m, key: string, value: string) => {
      count++;
      return key + (value.startsWith('"') ? '""' : '0');
    });
  }
  if (format === 'xml') {
    out = out.replace(XML_FIELD, (_m, open: string, _name: string, _v: string, close: string) => {
      count++;
      return open + close;
    });
    out = out.replace(XML_ATTR, (_m, key: string, value: string) => {
      count++;
      return key + value[0] + value[0];
    });
  }
  out = out.replace(PAIR_FIELD, (_m, lead: string, key: string) => {
    count++;
    return lead + key;
  });
  return { text: out, count };
}

/**
 * Masks every card number and removes expiry dates, security codes and track data from a payload's
 * text, keeping it well-formed: inside strings digits become `*`; a card number written as a bare JSON
 * number becomes a JSON string, since `*` is not a digit.
 */
export function scrubCardData(text: string, format: TextFormat): ScrubResult {
  const removed = removeSensitiveFields(text, format);
  text = removed.text;
  const spans = findCardSpans(text);
  if (spans.length === 0) return { text, cardNumbers: 0, sensitiveFields: removed.count };
  const inString = format === 'json' ? jsonStringStates(text, spans.map((s) => s.start)) : [];
  let out = '';
  let last = 0;
  spans.forEach((s, k) => {
    let end = s.end;
    let replacement = s.masked;
    if (format === 'json' && !inString[k]) {
      // Digits after a decimal point or in an exponent are part of a float, not a card number.
      if (/[.eE+-]/.test(text[s.start - 1] ?? '')) return;
      // A bare JSON number: swallow a fraction or exponent that belongs to it, then quote it.
      const tail = /^[.eE+\-\d]*/.exec(text.slice(end))![0];
      end += tail.length;
      replacement = `"${s.masked}"`;
    }
    out += text.slice(last, s.start) + replacement;
    last = end;
  });
  out += text.slice(last);
  return { text: out, cardNumbers: spans.length, sensitiveFields: removed.count };
}
