// shared/orchestration/ingestBatchOrchestration.ts: the `ingestBatch` orchestration, written against a
// small interface so it stays framework-free (functions/ingestBatch.ts binds it to durable-functions).
// transform -> validate -> protect, then the two loads in parallel, each retried, then the ledger.
// Inputs and outputs are references and counts; the payload lives in blobs. The code must stay
// deterministic: it is replayed from history (no clock, no randomness, no I/O here).
import type { IngestBatchInput } from '../ingest/acceptBatch';
import type { BatchCounts } from '../stores/batchLedger';
import type { DataverseLoadOutput } from './loadDataverseBatch';
import type { LakeLoadOutput } from './loadLakeBatch';
import type { RecordBatchInput } from './recordBatch';
import type { StageResult } from './transformBatch';

export const INGEST_BATCH = 'ingestBatch';
export const ACTIVITIES = {
  transform: 'transform',
  validate: 'validate',
  protect: 'protect',
  loadLake: 'loadLake',
  loadDataverse: 'loadDataverse',
  recordBatch: 'recordBatch',
} as const;

/** Custom status: where the batch is, for the status endpoint and operators. */
export interface IngestProgress {
  stage: 'transform' | 'validate' | 'protect' | 'load' | 'record' | 'completed' | 'failed';
  transactions: number;
  quarantined: number;
}

export interface IngestBatchOutput extends BatchCounts {
  batchId: string;
}

/** What the orchestration needs of the Durable context; T is the library's task type. */
export interface OrchestrationSteps<T> {
  input: IngestBatchInput;
  /** callActivityWithRetry with the app's retry policy. */
  call(activity: string, input: unknown): T;
  all(tasks: T[]): T;
  setStatus(status: IngestProgress): void;
}

export function* ingestBatchOrchestration<T>(steps: OrchestrationSteps<T>): Generator<T, IngestBatchOutput, unknown> {
  const { batchId, source } = steps.input;
  let progress: IngestProgress = { stage: 'transform', transactions: 0, quarantined: 0 };
  let transformedRef: string | null = null;
  steps.setStatus(progress);
  try {
    const transformed = (yield steps.call(ACTIVITIES.transform, steps.input)) as StageResult;
    transformedRef = transformed.ref;
    progress = { stage: 'validate', transactions: transformed.transactions, quarantined: transformed.invalid };
    steps.setStatus(progress);
    const validated = (yield steps.call(ACTIVITIES.validate, { batchId, ref: transformed.ref })) as StageResult;
    progress = { ...progress, stage: 'protect', quarantined: validated.invalid };
    steps.setStatus(progress);
    const protectedBatch = (yield steps.call(ACTIVITIES.protect, { batchId, ref: validated.ref })) as StageResult;
    progress = { ...progress, stage: 'load', quarantined: protectedBatch.invalid };
    steps.setStatus(progress);

    const ref = protectedBatch.ref;
    let lake: LakeLoadOutput;
    let dataverse: DataverseLoadOutput;
    try {
      [lake, dataverse] = (yield steps.all([
        steps.call(ACTIVITIES.loadLake, { batchId, ref }),
        steps.call(ACTIVITIES.loadDataverse, { batchId, ref }),
      ])) as [LakeLoadOutput, DataverseLoadOutput];
    } catch {
      // A load failed after all its retries. Both are idempotent, so run them again one by one: the
      // lake load is a no-op if it had succeeded (and fails the batch if it fails again); the final
      // Dataverse attempt quarantines what still cannot be delivered, so no accepted transaction is
      // left without a place.
      lake = (yield steps.call(ACTIVITIES.loadLake, { batchId, ref })) as LakeLoadOutput;
      dataverse = (yield steps.call(ACTIVITIES.loadDataverse, { batchId, ref, final: true })) as DataverseLoadOutput;
    }

    const counts: BatchCounts = {
      transactions: protectedBatch.transactions,
      accepted: lake.curated,
      quarantined: lake.quarantined,
      dataverseLoaded: dataverse.loaded,
      dataverseFailed: dataverse.quarantined,
    };
    progress = { stage: 'record', transactions: counts.transactions, quarantined: counts.quarantined };
    steps.setStatus(progress);
    yield steps.call(ACTIVITIES.recordBatch, { batchId, source, status: 'completed', counts, transformedRef } satisfies RecordBatchInput);
    steps.setStatus({ ...progress, stage: 'completed' });
    return { batchId, ...counts };
  } catch (err) {
    // Recorded, then rethrown: the instance ends Failed, and a resend of the batch may restart it.
    steps.setStatus({ ...progress, stage: 'failed' });
    const error = err instanceof Error ? err.message : String(err);
    yield steps.call(ACTIVITIES.recordBatch, { batchId, source, status: 'failed', counts: null, transformedRef, error } satisfies RecordBatchInput);
    throw err;
  }
}

