// shared/sources/json.ts: JSON that keeps vendor ids exact. Shopify and others send integer ids
// beyond 2^53; JSON.parse would silently round them, so such numbers are kept as strings.
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import type { ParseResult } from './types';

/** A JSON number token of 16 or more digits may exceed 2^53; only then pay for the lossless parser. */
export const LONG_NUMBER = /[:,[\s]-?\d{16,}/;
const LONG_DIGITS = 16;
const BEFORE_NUMBER = /^[:,[\s]$/;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether the digit run starting at `start` follows `[:,[\s]` or `[:,[\s]-`, as LONG_NUMBER needs. */
function followsNumberStart(text: string, start: number): boolean {
  if (start >= 1 && BEFORE_NUMBER.test(text.charAt(start - 1))) return true;
  return start >= 2 && text.charCodeAt(start - 1) === 45 && BEFORE_NUMBER.test(text.charAt(start - 2));
}

/**
 * Same answer as `LONG_NUMBER.test(text)`, which tries every position of the text. The 16 digits of a
 * match start a maximal run of digits (a non-digit comes before them), and a run of 16 or more covers
 * one of the positions 15, 31, 47, …: only those are looked at. A run that long through position q
 * also holds q - 8 or q + 8, which turns down the short numbers of a payload (amounts, dates) at once.
 */
export function hasLongNumber(text: string): boolean {
  const n = text.length;
  for (let q = LONG_DIGITS - 1; q < n; q += LONG_DIGITS) {
    if (!isDigitCode(text.charCodeAt(q))) continue;
    if (!isDigitCode(text.charCodeAt(q - 8)) && !isDigitCode(text.charCodeAt(q + 8))) continue;
    let start = q;
    while (start > 0 && isDigitCode(text.charCodeAt(start - 1))) start--;
    let end = q + 1;
    while (end < n && isDigitCode(text.charCodeAt(end))) end++;
    if (end - start >= LONG_DIGITS && followsNumberStart(text, start)) return true;
    // Go on at the first sampled position after the run.
    while (q + LONG_DIGITS < end) q += LONG_DIGITS;
  }
  return false;
}

function reviveNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text;
}

/** Parses JSON text; numbers that a double cannot hold exactly come back as their decimal text. */
export function parseJson(text: string): ParseResult {
  try {
    const value = hasLongNumber(text) ? parseLossless(text, null, reviveNumber) : JSON.parse(text);
    return { ok: true, value };
  } catch (err) {
    return {
      ok: false,
      finding: {
        code: 'payload.malformed_json',
        severity: 'error',
        path: '',
        message: `malformed JSON: ${(err as Error).message}`,
      },
    };
  }
}
