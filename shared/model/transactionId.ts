import { createHash } from 'node:crypto';

/**
 * The hub id of a transaction: deterministic from source and the vendor's key, so a resend or a
 * replay produces the same id and every sink can upsert on it.
 */
export function transactionId(source: string, sourceKey: string): string {
  return createHash('sha256').update(source).update('\u0000').update(sourceKey).digest('hex').slice(0, 32);
}
