// shared/orchestration/transformBatch.ts: activity `transform`: the raw blob (already scrubbed) through
// the pure pipeline to canonical transactions, written to the work container.
import type { ContainerClient } from '@azure/storage-blob';
import type { IngestBatchInput } from '../ingest/acceptBatch';
import { blobBytes } from '../lake/blobBytes';
import { transformPayload } from '../pipeline/transformPayload';
import { adapterFor } from '../sources/registry';
import type { SourceContext } from '../sources/types';
import { writeWork } from './workBlob';

export interface TransformDeps {
  lake: ContainerClient;
  work: ContainerClient;
  sourceContext(headers: Readonly<Record<string, string>>): SourceContext;
  now?: () => number;
}

export interface StageResult {
  ref: string;
  transactions: number;
  /** Transactions with error findings so far (bound for quarantine). */
  invalid: number;
  findings: number;
}

export async function transformBatch(deps: TransformDeps, input: IngestBatchInput): Promise<StageResult> {
  const adapter = adapterFor(input.source);
  if (!adapter) throw new Error(`batch ${input.batchId}: no adapter for source ${input.source}`);
  const raw = await blobBytes(deps.lake.getBlobClient(input.rawBlobName));
  if (!raw) throw new Error(`batch ${input.batchId}: raw blob ${input.rawBlobName} is missing`);
  const text = raw.bytes.toString('utf8');
  const result = transformPayload(adapter, text, deps.sourceContext(input.headers), deps.now?.() ?? Date.now());
  const ref = await writeWork(deps.work, 'transformed', { batchId: input.batchId, transactions: result.transactions, findings: result.findings });
  return {
    ref,
    transactions: result.transactions.length,
    invalid: result.transactions.filter((t) => t.findings.some((f) => f.severity === 'error')).length,
    findings: result.findings.length,
  };
}
