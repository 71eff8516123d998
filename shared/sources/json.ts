// shared/sources/json.ts: JSON that keeps vendor ids exact. Shopify and others send integer ids
// beyond 2^53; JSON.parse would silently round them, so such numbers are kept as strings.
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import type { ParseResult } from './types';

/** A JSON number token of 16 or more digits may exceed 2^53; only then pay for the lossless parser. */
const LONG_NUMBER = /[:,[\s]-?\d{16,}/;

function reviveNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text;
}

/** Parses JSON text; numbers that a double cannot hold exactly come back as their decimal text. */
export function parseJson(text: string): ParseResult {
  try {
    const value = LONG_NUMBER.test(text) ? parseLossless(text, null, reviveNumber) : JSON.parse(text);
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
