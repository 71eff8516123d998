// cli/waitForBatches.ts: polls GET /api/v1/batches/{id} for each batch until it has settled (completed
// or failed), a few at a time, honouring the Retry-After the status answer carries while it runs.
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubTarget } from './hubTarget';
import { DEFAULT_RETRY, requestWithRetry, retryAfterMs, type RetryPolicy } from './requestWithRetry';

export interface SettledBatch {
  batchId: string;
  /** `completed` or `failed`; `unknown` when the status could not be read (then `error` says why). */
  status: 'completed' | 'failed' | 'unknown';
  transactions: number;
  accepted: number;
  quarantined: number;
  error?: string;
}

export interface WaitOptions {
  concurrency: number;
  retry?: RetryPolicy;
  /** Between polls of a running batch when the answer names no Retry-After. */
  pollIntervalMs?: number;
  /** A Retry-After longer than this is cut to it. */
  maxPollIntervalMs?: number;
}

async function settle(target: HubTarget, batchId: string, options: WaitOptions): Promise<SettledBatch> {
  const none = { batchId, transactions: 0, accepted: 0, quarantined: 0 };
  const url = new URL(`/api/v1/batches/${encodeURIComponent(batchId)}`, target.baseUrl).toString();
  for (;;) {
    const res = await requestWithRetry(url, { method: 'GET', headers: { 'x-functions-key': target.key } }, options.retry ?? DEFAULT_RETRY);
    if (!res.ok) return { ...none, status: 'unknown', error: `no answer (${res.error})` };
    if (res.status !== 200) return { ...none, status: 'unknown', error: `HTTP ${res.status}` };
    const s = JSON.parse(res.text) as { status: string; transactions?: number; accepted?: number; quarantined?: number };
    if (s.status === 'completed' || s.status === 'failed') {
      return { batchId, status: s.status, transactions: s.transactions ?? 0, accepted: s.accepted ?? 0, quarantined: s.quarantined ?? 0 };
    }
    const after = retryAfterMs(res.headers.get('retry-after'));
    await sleep(Math.min(after ?? options.pollIntervalMs ?? 1000, options.maxPollIntervalMs ?? 5000));
  }
}

/** Each distinct batch once, in the order given. */
export async function waitForBatches(target: HubTarget, batchIds: string[], options: WaitOptions): Promise<SettledBatch[]> {
  const ids = [...new Set(batchIds)];
  const results: SettledBatch[] = new Array<SettledBatch>(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      results[i] = await settle(target, ids[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, ids.length)) }, worker));
  return results;
}
