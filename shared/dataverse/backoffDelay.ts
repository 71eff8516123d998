// shared/dataverse/backoffDelay.ts: how long to wait before retrying a transient failure.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(max, base * 2^attempt)). The jitter
 * spreads the retries of many parallel requests that failed together, so they do not fail together again.
 * `attempt` counts from 0 (the first retry).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds from a `Retry-After` header: delta-seconds (what Dataverse sends) or an HTTP date.
 * Null when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
