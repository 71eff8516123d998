// shared/orchestration/loadLakeBatch.ts: activity `loadLake`: the protected batch into the curated and
// quarantine zones, idempotent by batch id (shared/lake/loadBatch).
import type { ContainerClient } from '@azure/storage-blob';
import { loadBatch } from '../lake/loadBatch';
import { readWork } from './workBlob';

export interface LakeLoadOutput {
  curated: number;
  quarantined: number;
}

export async function loadLakeBatch(deps: { lake: ContainerClient; work: ContainerClient }, input: { batchId: string; ref: string }): Promise<LakeLoadOutput> {
  const batch = await readWork(deps.work, input.ref);
  const result = await loadBatch(deps.lake, { batchId: input.batchId, transactions: batch.transactions });
  return { curated: result.curated, quarantined: result.quarantined };
}
