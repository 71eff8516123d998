import * as crypto from 'node:crypto';

// One-shot hashing (Node >= 20.12) skips the Hash object and its two extra update calls; older Nodes
// fall back to createHash. Both hash the UTF-8 bytes of the same string (lone surrogates become U+FFFD
// either way; test/model/transactionId.test.ts checks them against createHash).
const hashOnce: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (crypto as unknown as { hash: (a: string, d: string, e: 'hex') => string }).hash
    : undefined;

/** The reference: what ids have always been, and the fallback where crypto.hash is missing. */
export function transactionIdByCreateHash(source: string, sourceKey: string): string {
  return crypto.createHash('sha256').update(source).update('\u0000').update(sourceKey).digest('hex').slice(0, 32);
}

/**
 * The hub id of a transaction: deterministic from source and the vendor's key, so a resend or a
 * replay produces the same id and every sink can upsert on it.
 */
export function transactionId(source: string, sourceKey: string): string {
  if (hashOnce === undefined) return transactionIdByCreateHash(source, sourceKey);
  return hashOnce('sha256', source + '\u0000' + sourceKey, 'hex').slice(0, 32);
}
