// shared/orchestration/recordBatch.ts: activity `recordBatch`: the outcome of a run in the batch ledger:
// status, counts, and the findings about the body as a whole (read from the transform's work blob).
import type { ContainerClient } from '@azure/storage-blob';
import type { BatchCounts, BatchLedger } from '../stores/batchLedger';
import { readWork } from './workBlob';

export interface RecordBatchInput {
  batchId: string;
  /** For the outcome event; absent in the histories of runs started before it was passed. */
  source?: string;
  status: 'completed' | 'failed';
  counts: BatchCounts | null;
  /** The transform's work blob, when the run got that far. */
  transformedRef: string | null;
  /** Why the run failed (an activity's error message). */
  error?: string;
}

export async function recordBatch(deps: { ledger: BatchLedger; work: ContainerClient; now?: () => Date }, input: RecordBatchInput): Promise<void> {
  const findings = input.transformedRef ? (await readWork(deps.work, input.transformedRef)).findings : [];
  if (input.error) findings.push({ code: 'batch.failed', severity: 'error', path: '', message: input.error.slice(0, 500) });
  await deps.ledger.recordOutcome(input.batchId, { status: input.status, counts: input.counts, findings }, deps.now?.() ?? new Date());
}
