// cli/requestWithRetry.ts: one HTTP request, sent again with backoff while the answer says "later": a
// connection error (hub restarting, network blip), 408, 429 (after its Retry-After) or a 5xx. Resending
// is safe for the calls that use it: the ingest API answers the same body with the same batch, and the
// status poll reads. (bench/simulate/sendTraffic.ts retries the same way inside its paced sender, for
// string bodies and without Retry-After, and exports nothing reusable for a gzip body.)
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First backoff; doubled after each retry, up to maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it (a hub asking for an hour is not waited on blindly). */
  maxRetryAfterMs: number;
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000, attemptTimeoutMs: 60_000 };

export type RetryOutcome =
  | { ok: true; status: number; headers: Headers; text: string; attempts: number }
  /** Every attempt failed to connect, or the last still answered a retryable status. */
  | { ok: false; status: number | null; error: string; attempts: number };

const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function requestWithRetry(url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Buffer }, policy: RetryPolicy = DEFAULT_RETRY): Promise<RetryOutcome> {
  let last: { status: number | null; error: string };
  for (let attempt = 1; ; attempt++) {
    let wait = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    try {
      const res = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(policy.attemptTimeoutMs) });
      const text = await res.text();
      if (!retryable(res.status)) return { ok: true, status: res.status, headers: res.headers, text, attempts: attempt };
      last = { status: res.status, error: `HTTP ${res.status}` };
      const after = retryAfterMs(res.headers.get('retry-after'));
      if (after !== null) wait = Math.min(after, policy.maxRetryAfterMs);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      last = { status: null, error: cause ?? (e as Error).message };
    }
    if (attempt >= policy.attempts) return { ok: false, ...last, attempts: attempt };
    await sleep(wait);
  }
}
