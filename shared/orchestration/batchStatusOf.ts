// shared/orchestration/batchStatusOf.ts: GET /api/v1/batches/{batchId}: where a batch is, from its
// orchestration (pending/running/failed) and the ledger (final counts, payload-level findings).
import type { Finding } from '../model';
import type { OrchestrationRuntimeStatus } from '../ingest/acceptBatch';
import type { BatchLedger } from '../stores/batchLedger';

export interface BatchStatus {
  batchId: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  /** Transactions loaded to the curated zone. */
  accepted: number;
  /** Transactions in the quarantine zone. */
  quarantined: number;
  /** Findings about the body as a whole. */
  findings: Finding[];
  /** Transactions the body produced, and how the Dataverse load went (valid transactions only). */
  transactions: number;
  dataverse: { loaded: number; quarantined: number };
  receivedAt: string;
  source: string;
}

function statusOf(orchestration: OrchestrationRuntimeStatus | null, ledgerStatus: string): BatchStatus['status'] {
  switch (orchestration) {
    case 'Running':
    case 'ContinuedAsNew':
    case 'Suspended':
      return 'running';
    case 'Completed':
      // The last activity writes the ledger, so a completed instance has recorded its outcome.
      return ledgerStatus === 'failed' ? 'failed' : 'completed';
    case 'Failed':
    case 'Terminated':
    case 'Canceled':
      return 'failed';
    case 'Pending':
      return 'pending';
    default:
      // No instance (history purged, or not started yet after a crash): the ledger knows.
      return ledgerStatus === 'completed' ? 'completed' : ledgerStatus === 'failed' ? 'failed' : 'pending';
  }
}

export async function batchStatusOf(
  deps: { ledger: BatchLedger; orchestrationStatus(instanceId: string): Promise<OrchestrationRuntimeStatus | null> },
  batchId: string,
): Promise<BatchStatus | null> {
  // The instance first, then the ledger: the last activity records the outcome before the instance
  // completes, so a completed instance's outcome is always in the ledger read after it (read the other
  // way round, an instance completing in between was answered "completed" with no counts).
  const orchestration = await deps.orchestrationStatus(batchId);
  const record = await deps.ledger.get(batchId);
  if (!record) return null;
  const status = statusOf(orchestration, record.status);
  const counts = status === 'completed' ? record.counts : null;
  return {
    batchId,
    status,
    accepted: counts?.accepted ?? 0,
    quarantined: counts?.quarantined ?? 0,
    findings: status === 'completed' || status === 'failed' ? record.findings : [],
    transactions: counts?.transactions ?? 0,
    dataverse: { loaded: counts?.dataverseLoaded ?? 0, quarantined: counts?.dataverseFailed ?? 0 },
    receivedAt: record.receivedAt,
    source: record.source,
  };
}
