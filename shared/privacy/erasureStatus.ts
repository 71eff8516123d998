// shared/privacy/erasureStatus.ts: GET /api/v1/admin/erasures/{erasureId}: where an erasure stands and,
// once it has finished, what it erased (counts and blob and row names, never a clear identifier).
import { problem, type Problem } from '../ingest/problem';
import type { ErasureReport } from '../orchestration/eraseSubjectOrchestration';
import { statusOrNull, type DurableClientLike } from '../orchestration/orchestrationControl';
import { ERASURE_ID_RE } from './startErasure';

export interface ErasureStatus {
  erasureId: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  report: ErasureReport | null;
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

export async function erasureStatus(client: DurableClientLike, erasureId: string): Promise<{ ok: true; status: ErasureStatus } | { ok: false; problem: Problem }> {
  const unknown = { ok: false as const, problem: problem('unknown-erasure', `no erasure ${JSON.stringify(erasureId.slice(0, 80))}`) };
  if (!ERASURE_ID_RE.test(erasureId)) return unknown;
  const found = await statusOrNull(client, erasureId);
  if (!found) return unknown;
  const status = STATUSES[found.runtimeStatus] ?? 'running';
  return { ok: true, status: { erasureId, status, report: status === 'completed' ? ((found.output ?? null) as ErasureReport | null) : null } };
}
