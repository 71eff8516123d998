// shared/sources/signature.ts: checking a webhook's signature (or shared code) against every secret
// that is valid at the moment, so that a secret can be rotated without rejecting deliveries in flight.
import { timingSafeEqual } from 'node:crypto';

/**
 * True when `given` equals `expected(secret)` for at least one non-empty secret. Each comparison is
 * constant-time, and there is no early return, so every secret costs the same whichever one matches.
 */
export function matchesAnySecret(
  expected: (secret: string) => Buffer,
  given: Buffer,
  secrets: readonly string[],
): boolean {
  let matched = false;
  for (const secret of secrets) {
    if (!secret) continue;
    const candidate = expected(secret);
    // timingSafeEqual throws on different lengths; a length mismatch is simply no match.
    if (candidate.length === given.length && timingSafeEqual(candidate, given)) matched = true;
  }
  return matched;
}
