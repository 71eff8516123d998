// shared/fetchers/getVendorObject.ts: one GET against a vendor's REST API, its answer sorted into what
// the fetcher does next. Node's own fetch with a timeout; the bearer token goes only into the request
// header, never into an answer, an error text or a log line.
import { parseRetryAfter } from '../dataverse/backoffDelay';

export type VendorAnswer =
  /** 2xx: the body as received (bytes, so ids beyond 2^53 stay exact). */
  | { kind: 'ok'; body: Buffer }
  /** 404 or 410: the object no longer exists (deleted, or never visible to this token). */
  | { kind: 'gone'; status: number }
  /** 401 or 403: the token is missing, wrong, revoked or lacks the scope; no row is at fault. */
  | { kind: 'unauthorized'; status: number }
  /** 429: wait `retryAfterMs` before asking this vendor again with this token. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** 408, 5xx, a timeout or a network error: worth another attempt later. */
  | { kind: 'transient'; error: string }
  /** Any other answer: asking again will not help. */
  | { kind: 'refused'; error: string };

export interface VendorRequest {
  url: string;
  token: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** Retry-After when a 429 carries none (or one that cannot be read), and the longest one obeyed. */
const DEFAULT_RETRY_AFTER_MS = 60_000;
const MAX_RETRY_AFTER_MS = 60 * 60_000;

export async function getVendorObject(
  req: VendorRequest,
  now: () => number = Date.now,
): Promise<VendorAnswer> {
  let res: Response;
  let body: Buffer;
  try {
    res = await fetch(req.url, {
      method: 'GET',
      headers: { accept: 'application/json', ...req.headers, authorization: `Bearer ${req.token}` },
      redirect: 'error',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    // The timeout covers the body too: a vendor that stalls mid-answer is a transient failure.
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError')
      return { kind: 'transient', error: `no answer within ${req.timeoutMs} ms` };
    return { kind: 'transient', error: `network error: ${e.cause?.code ?? e.name}` };
  }
  const status = res.status;
  if (status >= 200 && status < 300) return { kind: 'ok', body };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 401 || status === 403) return { kind: 'unauthorized', status };
  if (status === 429) {
    const wait = parseRetryAfter(res.headers.get('retry-after'), now()) ?? DEFAULT_RETRY_AFTER_MS;
    return { kind: 'rate_limited', retryAfterMs: Math.min(MAX_RETRY_AFTER_MS, Math.max(1000, wait)) };
  }
  if (status === 408 || status >= 500) return { kind: 'transient', error: `HTTP ${status}` };
  return { kind: 'refused', error: `HTTP ${status}` };
}
