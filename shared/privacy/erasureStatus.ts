// shared/privacy/erasureStatus.ts: GET /api/v1/admin/erasures/{erasureId}: where an erasure stands and,
// once it has finished, what it erased (counts and blob and row names, never a clear identifier). The
// daily purge (functions/purgeHistory.ts) deletes finished instances, report included; the lasting
// record each completed run wrote to the lake (erasureRecord.ts) still answers for them afterwards.
import type { ContainerClient } from '@azure/storage-blob';
import { problem, type Problem } from '../ingest/problem';
import type { ErasureReport } from '../orchestration/eraseSubjectOrchestration';
import { statusOrNull, type DurableClientLike } from '../orchestration/orchestrationControl';
import { newestErasureRecord, type ErasureRecord } from './erasureRecord';
import { ERASURE_ID_RE } from './startErasure';

export interface ErasureStatus {
  erasureId: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  /** The orchestration's report once completed; null otherwise, and once its history was purged. */
  report: ErasureReport | null;
  /**
   * Once completed, the lasting record of the erasure's newest run (counts only); null otherwise, or
   * when no record reads. After the purge it is the only account of what the erasure did.
   */
  record: ErasureRecord | null;
}

const STATUSES: Record<string, ErasureStatus['status']> = {
  Pending: 'pending',
  Running: 'running',
  ContinuedAsNew: 'running',
  Suspended: 'running',
  Completed: 'completed',
  Failed: 'failed',
  Terminated: 'failed',
  Canceled: 'failed',
};

/** `lake` is called only for a completed or unknown instance: a running erasure's status needs no lake. */
export async function erasureStatus(
  client: DurableClientLike,
  lake: () => Promise<ContainerClient>,
  erasureId: string,
): Promise<{ ok: true; status: ErasureStatus } | { ok: false; problem: Problem }> {
  const unknown = { ok: false as const, problem: problem('unknown-erasure', `no erasure ${JSON.stringify(erasureId.slice(0, 80))}`) };
  if (!ERASURE_ID_RE.test(erasureId)) return unknown;
  const found = await statusOrNull(client, erasureId);
  if (!found) {
    // Purged, or never run. Only a completed run writes a record, so one means the erasure completed
    // (as of its newest recorded run: a later run that failed and was purged too leaves no trace).
    const record = await newestErasureRecord(await lake(), erasureId);
    return record ? { ok: true, status: { erasureId, status: 'completed', report: null, record } } : unknown;
  }
  const status = STATUSES[found.runtimeStatus] ?? 'running';
  if (status !== 'completed') return { ok: true, status: { erasureId, status, report: null, record: null } };
  const record = await newestErasureRecord(await lake(), erasureId);
  return { ok: true, status: { erasureId, status, report: (found.output ?? null) as ErasureReport | null, record } };
}
