// shared/privacy/pseudonymize.ts: keyed pseudonymization (GDPR). Equal inputs give equal references,
// across sources, and nobody without the key (kept in Key Vault) can reverse or recompute them.
import { createHmac, createSecretKey } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

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

/** E.164 form of a phone number, or undefined when the text is not a valid number. */
export function normalizePhone(value: string, defaultCountry?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(value.trim(), (defaultCountry as CountryCode | undefined) ?? undefined);
  return parsed && parsed.isValid() ? parsed.number : undefined;
}

export function normalizeLoyalty(value: string): string | undefined {
  const v = value.replace(/[\s-]/g, '').toUpperCase();
  return v.length > 0 ? v : undefined;
}

export function normalizeName(value: string): string | undefined {
  const v = value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
  return v.length > 0 ? v : undefined;
}

/**
 * Builds a pseudonymizer around a secret key. References are `<kind>_<base64url of HMAC-SHA-256>`
 * truncated to 128 bits: the kind prefix keeps an email and a loyalty id that happen to be equal
 * strings from colliding.
 */
export function createPseudonymizer(key: string | Buffer, defaultCountry?: string): Pseudonymizer {
  if (key.length < 16) throw new Error('pseudonymization key must be at least 16 bytes');
  // One KeyObject for the pseudonymizer's life: createHmac with a string or Buffer key imports the key
  // again on every call (several per transaction). Same key bytes (a string as UTF-8), same HMACs.
  const secret = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  const ref = (kind: string, normalized: string | undefined) =>
    normalized === undefined
      ? undefined
      : `${kind}_${createHmac('sha256', secret).update(kind).update('\u0000').update(normalized).digest('base64url').slice(0, 22)}`;
  return {
    email: (v) => ref('em', normalizeEmail(v)),
    phone: (v, country) => ref('ph', normalizePhone(v, country ?? defaultCountry)),
    loyalty: (v) => ref('ly', normalizeLoyalty(v)),
    name: (v) => ref('nm', normalizeName(v)),
    customer: (source, id) => (id.trim() ? ref('cu', `${source}:${id.trim()}`) : undefined),
  };
}
