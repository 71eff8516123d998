// shared/privacy/pseudonymize.ts: keyed pseudonymization (GDPR). Equal inputs give equal references,
// across sources, and nobody without the key (kept in Key Vault) can reverse or recompute them.
import { createHmac, createSecretKey } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { boundedMemo, type BoundedMemo } from '../model/boundedMemo';
import { boundedScopedMemo } from '../model/boundedScopedMemo';

export interface Pseudonymizer {
  /** Reference for an email address, normalized (trimmed, lower-cased). */
  email(value: string): string | undefined;
  /** Reference for a phone number normalized to E.164; undefined when it is not a phone number. */
  phone(value: string, defaultCountry?: string): string | undefined;
  /** Reference for a loyalty card / member id. */
  loyalty(value: string): string | undefined;
  /** Reference for a person's name (case, accents' composition and spacing normalized). */
  name(value: string): string | undefined;
  /** Reference for a vendor's customer id, scoped by source. */
  customer(source: string, id: string): string | undefined;
}

export function normalizeEmail(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : undefined;
}

function parsePhone(text: string, defaultCountry: string | undefined): string | undefined {
  const parsed = parsePhoneNumberFromString(text, (defaultCountry as CountryCode | undefined) ?? undefined);
  return parsed && parsed.isValid() ? parsed.number : undefined;
}

/**
 * normalizePhone over a memo of its results. libphonenumber's parse and validation cost more than
 * everything else in a customer's references, and customers come back: the same number, written the
 * same way, in the same default country, is the same result.
 */
export function memoizedPhoneNormalizer(
  memo: BoundedMemo<string | undefined>,
): (value: string, defaultCountry?: string) => string | undefined {
  return (value, defaultCountry) => {
    const text = value.trim();
    // Only a two-letter country (or none) goes into a key: then country and number cannot run together.
    // Only phone-sized text is kept, so the memo's bytes stay bounded, not just its entries.
    if (text.length > MAX_MEMO_PHONE_LENGTH || (defaultCountry !== undefined && !/^[A-Za-z]{2}$/.test(defaultCountry))) {
      return parsePhone(text, defaultCountry);
    }
    const key = `${defaultCountry ?? ''}\u0000${text}`;
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known;
    return memo.set(key, parsePhone(text, defaultCountry));
  };
}

/** Phone numbers remembered, each at most this long: about 1 MB when full, whatever the number of records. */
const PHONE_MEMO_LIMIT = 8192;
const MAX_MEMO_PHONE_LENGTH = 64;

/** E.164 form of a phone number, or undefined when the text is not a valid number. */
export const normalizePhone = memoizedPhoneNormalizer(boundedMemo(PHONE_MEMO_LIMIT));

export function normalizeLoyalty(value: string): string | undefined {
  const v = value.replace(/[\s-]/g, '').toUpperCase();
  return v.length > 0 ? v : undefined;
}

export function normalizeName(value: string): string | undefined {
  const v = value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return v.length > 0 ? v : undefined;
}

/**
 * References remembered per pseudonymizer, for inputs at most this long: about 1.5 MB when full. The
 * memo fills and empties in turn (a vendor's customer ids are mostly new), so this is also the swing
 * it adds to the heap; the pipeline benchmark's memory figure allows 10% of about 20 MB.
 */
const REF_MEMO_LIMIT = 10_000;
const MAX_MEMO_INPUT_LENGTH = 256;
/** Sources whose customer scope is kept made (there are about ten). */
const MAX_CUSTOMER_SCOPES = 64;

/**
 * Builds a pseudonymizer around a secret key. References are `<kind>_<base64url of HMAC-SHA-256>`
 * truncated to 128 bits: the kind prefix keeps an email and a loyalty id that happen to be equal
 * strings from colliding.
 *
 * References are remembered (up to `refMemoLimit` of them) by kind and normalized value: the HMAC of
 * the same input under the same key is the same, and returning customers are common. The memo lives
 * and dies with the pseudonymizer and its key; it is never logged or exposed.
 */
export function createPseudonymizer(
  key: string | Buffer,
  defaultCountry?: string,
  refMemoLimit = REF_MEMO_LIMIT,
): Pseudonymizer {
  if (key.length < 16) throw new Error('pseudonymization key must be at least 16 bytes');
  const refMemo = boundedScopedMemo<string>(refMemoLimit);
  // One KeyObject for the pseudonymizer's life: createHmac with a string or Buffer key imports the key
  // again on every call (several per transaction). Same key bytes (a string as UTF-8), same HMACs.
  const secret = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  /**
   * The reference of kind `kind` for `prefix` + `normalized`. Remembered by scope (the kind, or kind and
   * source for customer ids) and value, so equal values of different kinds or sources stay apart and a
   * lookup hashes the value as it came, not a longer string joined from it; only id-sized inputs are
   * remembered, so the memo's bytes stay bounded.
   */
  const ref = (kind: string, normalized: string | undefined, scope = kind, prefix = '') => {
    if (normalized === undefined) return undefined;
    const kept = kind.length + 1 + prefix.length + normalized.length <= MAX_MEMO_INPUT_LENGTH;
    const known = kept ? refMemo.get(scope, normalized) : undefined;
    if (known !== undefined) return known;
    // The HMAC's input: the same UTF-8 bytes as kind, NUL and value given one by one.
    const input = `${kind}\u0000${prefix}${normalized}`;
    const made = `${kind}_${createHmac('sha256', secret).update(input).digest('base64url').slice(0, 22)}`;
    return kept ? refMemo.set(scope, normalized, made) : made;
  };
  // A source's scope and prefix, made once: a scope joined anew on every call is a new string that the
  // memo's Map has to flatten and hash in full before each lookup. Sources are a handful of names; an
  // unknown one is joined as before rather than kept, so this stays small.
  const customerScopes = new Map<string, { scope: string; prefix: string }>();
  const customerScopeOf = (source: string) => {
    let known = customerScopes.get(source);
    if (known === undefined) {
      // The scope has a NUL, which no kind has: a source cannot share a scope with a kind.
      known = { scope: `cu\u0000${source}`, prefix: `${source}:` };
      if (customerScopes.size < MAX_CUSTOMER_SCOPES) customerScopes.set(source, known);
    }
    return known;
  };
  return {
    email: (v) => ref('em', normalizeEmail(v)),
    phone: (v, country) => ref('ph', normalizePhone(v, country ?? defaultCountry)),
    loyalty: (v) => ref('ly', normalizeLoyalty(v)),
    name: (v) => ref('nm', normalizeName(v)),
    customer: (source, id) => {
      const trimmed = id.trim();
      if (!trimmed) return undefined;
      const { scope, prefix } = customerScopeOf(source);
      return ref('cu', trimmed, scope, prefix);
    },
  };
}
