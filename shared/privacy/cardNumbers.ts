// shared/privacy/cardNumbers.ts: PCI-DSS card data detection and masking on raw payload text, before
// anything is written anywhere. A card number is 12-19 digits (optionally grouped by spaces or dashes)
// that passes Luhn AND starts with an issuer prefix of a card scheme of that length. The prefix check is
// what keeps Luhn-valid order ids and loyalty numbers (1 in 10 of any digit string) from being destroyed.
import { firstHintIndex } from './scan/firstHintIndex';
import { replaceFrom } from './scan/replaceFrom';

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

interface Range {
  start: number;
  end: number;
}

// A digit run is at least 12 digits, each separated from the next by at most one space or dash: the
// matches of /(?<!\d)\d(?:[ -]?\d){11,}(?!\d)/g.
const MIN_RUN = 12;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isRunCode(c: number): boolean {
  return isDigitCode(c) || c === 32 || c === 45;
}

/** A digit run; `digitsOnly` when it has no space or dash (one group), which spares rescanning it. */
interface Run extends Range {
  digitsOnly: boolean;
}

/**
 * Every digit run in `text`. A run is at least 12 characters long, so it covers one of the positions
 * 11, 23, 35, …: only those are looked at, and around a digit, space or dash there, the stretch of such
 * characters that holds it. About twice as fast as the regex, which looks at every character.
 */
function digitRuns(text: string): Run[] {
  const runs: Run[] = [];
  for (let q = MIN_RUN - 1; q < text.length; q += MIN_RUN) {
    if (!isRunCode(text.charCodeAt(q))) continue;
    // A stretch of 12 or more through q also holds q - 6 or q + 6 (if it starts after q - 6, it ends
    // after q + 6): most sampled digits are in short numbers, turned down here without walking them.
    if (!isRunCode(text.charCodeAt(q - 6)) && !isRunCode(text.charCodeAt(q + 6))) continue;
    let start = q;
    while (start > 0 && isRunCode(text.charCodeAt(start - 1))) start--;
    let end = q + 1;
    while (end < text.length && isRunCode(text.charCodeAt(end))) end++;
    if (end - start >= MIN_RUN) runsInStretch(text, start, end, runs);
    // Go on at the first sampled position after the stretch.
    while (q + MIN_RUN < end) q += MIN_RUN;
  }
  return runs;
}

/** The digit runs in text[start, end), which holds only digits, spaces and dashes. */
function runsInStretch(text: string, start: number, end: number, runs: Run[]): void {
  let i = start;
  while (i < end) {
    if (!isDigitCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const runStart = i;
    let digits = 0;
    for (;;) {
      while (i < end && isDigitCode(text.charCodeAt(i))) {
        i++;
        digits++;
      }
      // One space or dash between two digits keeps the run going.
      if (i + 1 < end && isDigitCode(text.charCodeAt(i + 1))) i++;
      else break;
    }
    if (digits >= MIN_RUN) runs.push({ start: runStart, end: i, digitsOnly: digits === i - runStart });
  }
}

/** Card numbers among the digit groups of a run ("4111 1111 1111 1111 2031" holds one). */
function cardSpansInRun(text: string, run: Run, out: Span[]): void {
  const runStart = run.start;
  const runEnd = run.end;
  // Without a space or dash a run is one group, and cards start at group starts: a run of ids or
  // timestamps, the usual ones, whose first digit starts no card holds none.
  if (run.digitsOnly && !mayStartCard(text.charCodeAt(runStart))) return;
  const groups: Range[] = [];
  if (run.digitsOnly) groups.push({ start: runStart, end: runEnd });
  // Inside a run, groups are separated by exactly one space or dash.
  else
    for (let k = runStart; k < runEnd; k++) {
      const start = k;
      while (k < runEnd && isDigitCode(text.charCodeAt(k))) k++;
      groups.push({ start, end: k });
    }
  for (let i = 0; i < groups.length; ) {
    const card = mayStartCard(text.charCodeAt(groups[i]!.start)) ? cardFromGroup(text, groups, i) : undefined;
    if (!card) {
      i++;
      continue;
    }
    const start = groups[i]!.start;
    const end = groups[card.last]!.end;
    out.push({ start, end, masked: maskGrouped(text.slice(start, end), card.digits) });
    i = card.last + 1;
  }
}

/**
 * Every issuer prefix in cardBrandOf starts with 2-6, so digits starting otherwise are no card number.
 * Timestamps and most ids, the usual long digit runs, start with another digit and are skipped at once.
 */
function mayStartCard(firstDigit: number): boolean {
  return firstDigit >= 50 && firstDigit <= 54;
}

/** The card number made of groups `first` to `last` for the first `last` that makes one, if any. */
function cardFromGroup(text: string, groups: Range[], first: number): { last: number; digits: string } | undefined {
  let digits = '';
  for (let last = first; last < groups.length; last++) {
    digits += text.slice(groups[last]!.start, groups[last]!.end);
    if (digits.length > 19) return undefined;
    if (digits.length >= 12 && isCardNumber(digits)) return { last, digits };
  }
  return undefined;
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
// Sticky: it is tried only at the few places where a UUID could overlap a digit run.
const UUID_AT = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])/y;
const UUID_LENGTH = 36;
const DASH = 45;

/** Start of each UUID overlapping the digit run text[start, end), in order. */
function uuidsOverlapping(text: string, start: number, end: number, digitsOnly: boolean): number[] {
  const found: number[] = [];
  // Starting before the run, a UUID holds the character before it, which is no digit (the run would
  // start earlier): a hex letter or a dash.
  if (isHexLetterOrDashCode(text.charCodeAt(start - 1))) {
    for (let p = Math.max(0, start - UUID_LENGTH + 1); p < start; p++) if (isUuidAt(text, p)) found.push(p);
  }
  // Starting inside, it starts at a digit that follows no hex digit: the first, or one after a space or dash.
  if (isUuidAt(text, start)) found.push(start);
  if (digitsOnly) return found;
  for (let p = start + 1; p < end; p++) {
    if (!isDigitCode(text.charCodeAt(p - 1)) && isUuidAt(text, p)) found.push(p);
  }
  return found;
}

function isUuidAt(text: string, p: number): boolean {
  // The dashes at fixed offsets rule out almost every position before the regex is tried.
  if (text.charCodeAt(p + 8) !== DASH || text.charCodeAt(p + 23) !== DASH) return false;
  UUID_AT.lastIndex = p;
  return UUID_AT.test(text);
}

function isHexLetterOrDashCode(c: number): boolean {
  const lower = c | 0x20;
  return (lower >= 97 && lower <= 102) || c === DASH;
}

/**
 * The digit runs of text[start, end) once the UUIDs in it are taken out. Digits of a UUID are no part of
 * any run, and a UUID ends a run like any non-digit ("4111111111111111-5dfcce5e-…" keeps its card).
 * UUIDs never overlap one another (one starting inside another would need a hex digit where the other
 * has a dash, or would follow a hex digit), so `uuids` are apart and in order.
 */
function runsOutsideUuids(text: string, start: number, end: number, uuids: number[]): Run[] {
  let part = '';
  let at = start;
  for (const u of uuids) {
    const from = Math.max(u, start);
    const to = Math.min(u + UUID_LENGTH, end);
    part += text.slice(at, from) + '_'.repeat(to - from);
    at = to;
  }
  part += text.slice(at, end);
  // The run is maximal in `text`, so its neighbours are no digits and the runs of `part` are those of
  // the whole text with its UUIDs blanked out.
  return digitRuns(part).map((r) => ({ start: start + r.start, end: start + r.end, digitsOnly: r.digitsOnly }));
}

// A hex string of 32 or more characters (our own transaction ids, GUIDs without dashes, MD5/SHA hashes)
// is an identifier: about one 32-character hex id in a thousand holds a Luhn-valid run with a card
// prefix ("…377465170195481…"), and masking it would corrupt the id in every sink. A real card number
// would need 13 or more hex letters glued to it to be taken for one.
const HEX_ID_LENGTH = 32;

function isHexCode(c: number): boolean {
  const lower = c | 0x20;
  return (c >= 48 && c <= 57) || (lower >= 97 && lower <= 102);
}

/** Whether the digits-only run text[start, end) is part of a hex identifier. */
function insideHexId(text: string, start: number, end: number): boolean {
  let from = start;
  while (from > 0 && isHexCode(text.charCodeAt(from - 1))) from--;
  let to = end;
  while (to < text.length && isHexCode(text.charCodeAt(to))) to++;
  return to - from >= HEX_ID_LENGTH && (from < start || to > end);
}

/**
 * The card numbers of a run, unless the run is digits glued into a hex identifier. The hex check only
 * takes cards away, so it is made only for the rare run that holds one.
 */
function cardSpansOutsideHexIds(text: string, run: Run, spans: Span[]): void {
  const before = spans.length;
  cardSpansInRun(text, run, spans);
  if (spans.length > before && run.digitsOnly && insideHexId(text, run.start, run.end)) spans.length = before;
}

function findCardSpans(text: string): Span[] {
  const spans: Span[] = [];
  // A UUID can only change the runs it overlaps, so it is looked for only around them.
  for (const run of digitRuns(text)) {
    const uuids = uuidsOverlapping(text, run.start, run.end, run.digitsOnly);
    if (uuids.length === 0) cardSpansOutsideHexIds(text, run, spans);
    else for (const r of runsOutsideUuids(text, run.start, run.end, uuids)) cardSpansOutsideHexIds(text, r, spans);
  }
  return spans;
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
// Each name holds a hint, a match of SENSITIVE_HINT /expir|exp_|expm|expy|cvv|cvc|securitycode|security_code|track/i
// or CID_HINT /\bcid\b/i, found by scan/firstHintIndex: texts without one have no field to cut.
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

// Every sensitive name holds a hint at most 5 characters after its start (`card_security_code`; the
// name cid is one for CID_HINT, between a quote or PAIR_FIELD lead and a quote or `=`), and a
// JSON_FIELD or PAIR_FIELD match starts at most 1 character before its name.
const MAX_MATCH_TO_HINT = 6;

/**
 * Where JSON_FIELD and PAIR_FIELD can first match: 6 characters before the first hint, or -1 when the
 * text has none. Big payloads often hold a hint only far in (Adyen's expiry fields), and the field
 * patterns need not try the text before it. This holds for PAIR_FIELD after the JSON fields are cut
 * too: cutting starts at a value, after a `"name":` that starts at this position or later, so the text
 * before the first hint is the same and still holds no hint (what is cut in is `""` or `0`, no letters,
 * and a `cid=` before it would have been a hint).
 */
function firstFieldStart(text: string): number {
  const first = firstHintIndex(text);
  return first === -1 ? -1 : Math.max(0, first - MAX_MATCH_TO_HINT);
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
  if (format !== 'xml') {
    const from = firstFieldStart(out);
    if (from === -1) return { text: out, count };
    if (format === 'json') {
      const cut = replaceFrom(out, JSON_FIELD, from, (m) => m[1]! + (m[2]!.startsWith('"') ? '""' : '0'));
      out = cut.text;
      count += cut.count;
    }
    const cut = replaceFrom(out, PAIR_FIELD, from, (m) => m[1]! + m[2]!);
    return { text: cut.text, count: count + cut.count };
  }
  // An XML element may carry a namespace prefix of any length before its name, so XML fields are
  // looked for in the whole text.
  if (firstHintIndex(out) === -1) return { text: out, count };
  out = out.replace(XML_FIELD, (_m, open: string, _name: string, _v: string, close: string) => {
    count++;
    return open + close;
  });
  out = out.replace(XML_ATTR, (_m, key: string, value: string) => {
    count++;
    return key + value[0] + value[0];
  });
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
