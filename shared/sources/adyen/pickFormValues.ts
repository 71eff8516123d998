// shared/sources/adyen/pickFormValues.ts: the values of a few named keys of URL-encoded text.
import { decodePlain, readFormPairs } from './readFormPairs';

/** A value with nothing for URLSearchParams to do but '+' and ASCII escapes (see readFormPairs). */
const PLAIN_VALUE = /^(?:[\x20-\x24\x26-\x7e]|%[0-7][0-9A-Fa-f])*$/;
const QUESTION = 0x3f;
/** Printable ASCII but '%' and '+' (names that decode to themselves) and '&' and '=' (which split). */
const PLAIN_NAME = /^[\x20-\x24\x27-\x2a\x2c-\x3c\x3e-\x7e]*$/;

/**
 * The values of `names` in URL-encoded text, exactly as `readFormPairs(text).get(name)` gives them
 * (the last of a repeated key winning), without decoding the keys and values nobody asked for.
 * `names` must be printable ASCII without '%', '+', '&' and '=' (names that are read as written).
 *
 * Why reading only some pairs is the same: URLSearchParams splits on '&' and the first '=' before it
 * decodes anything, so every pair is decoded on its own. A key without '%' or '+' decodes to itself
 * (ASCII) or to something that is not ASCII (an unpaired surrogate becomes U+FFFD): it is one of
 * `names` exactly when it is spelled as one. A key with '%' or '+' might decode to a name, so such
 * text, a leading '?' (which URLSearchParams drops) and a wanted value that needs UTF-8 decoding are
 * read by readFormPairs as a whole, which is rare and never so for Adyen's own responses.
 */
export function pickFormValues(text: string, names: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  if (text.charCodeAt(0) === QUESTION) return pickFromAll(text, names);
  const byLength = namesByLength(names);
  const length = text.length;
  // The next '=', '%' and '+' at or after `start`, kept across pairs: each is looked for again only
  // once `start` has passed it, so the text is scanned once for each, and no key is sliced unless it
  // has the length of a name.
  let eq = -1;
  let percent = -1;
  let plus = -1;
  let start = 0;
  while (start < length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = length;
    if (end > start) {
      if (eq < start) eq = nextOf(text, '=', start);
      const keyEnd = eq < end ? eq : end;
      const name = nameAt(text, start, keyEnd, byLength);
      if (name !== undefined) {
        const value = keyEnd < end ? text.slice(keyEnd + 1, end) : '';
        if (isLiteral(value)) out.set(name, value);
        else if (PLAIN_VALUE.test(value)) out.set(name, decodePlain(value));
        else return pickFromAll(text, names);
      } else {
        if (percent < start) percent = nextOf(text, '%', start);
        if (plus < start) plus = nextOf(text, '+', start);
        if (percent < keyEnd || plus < keyEnd) return pickFromAll(text, names);
      }
    }
    start = end + 1;
  }
  return out;
}

/**
 * Printable ASCII without '%' and '+': URLSearchParams gives such a value back as written. Most wanted
 * values are of this kind (digits, a currency code, a brand); a loop over their few characters costs
 * less than the PLAIN_VALUE regex and decodePlain's searches, which the others still take.
 */
function isLiteral(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x25 || c === 0x2b) return false;
  }
  return true;
}

/** The index of `c` at or after `from`, or the text's length when there is none. */
function nextOf(text: string, c: string, from: number): number {
  const at = text.indexOf(c, from);
  return at === -1 ? text.length : at;
}

/** The name spelled by text[start, end), if any. */
function nameAt(text: string, start: number, end: number, byLength: readonly (readonly string[] | undefined)[]): string | undefined {
  const candidates = byLength[end - start];
  if (candidates === undefined) return undefined;
  for (const name of candidates) if (text.startsWith(name, start)) return name;
  return undefined;
}

const byLengthOf = new WeakMap<ReadonlySet<string>, (string[] | undefined)[]>();

/** The names grouped by length (so that most keys are told apart by their length alone), per set. */
function namesByLength(names: ReadonlySet<string>): readonly (readonly string[] | undefined)[] {
  let table = byLengthOf.get(names);
  if (table === undefined) {
    table = [];
    for (const name of names) {
      // Such a name would not be spelled as it reads (a '+' is a space), so it could not be matched by its spelling.
      if (!PLAIN_NAME.test(name)) throw new RangeError(`not a plain form key: ${name}`);
      (table[name.length] ??= []).push(name);
    }
    byLengthOf.set(names, table);
  }
  return table;
}

function pickFromAll(text: string, names: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of readFormPairs(text, new Map())) if (names.has(k)) out.set(k, v);
  return out;
}
