// shared/orchestration/workBlob.ts: what one activity hands the next: JSON in the work container,
// named by batch and stage, so orchestration inputs and outputs stay small references. Rewriting a
// stage (an activity that ran twice) writes the same name with the same content.
import type { ContainerClient } from '@azure/storage-blob';
import { blobBytes } from '../lake/blobBytes';
import type { CanonicalTransaction, Finding } from '../model';
import { serializeTransactions } from '../pipeline/transformPayload';

export interface WorkBatch {
  batchId: string;
  transactions: CanonicalTransaction[];
  /** Findings about the body as a whole. */
  findings: Finding[];
}

export function workBlobName(batchId: string, stage: string): string {
  return `batches/${batchId}/${stage}.json`;
}

export async function writeWork(container: ContainerClient, stage: string, batch: WorkBatch): Promise<string> {
  const name = workBlobName(batch.batchId, stage);
  // serializeTransactions scans the output for card numbers once more: nothing written carries one.
  const body = Buffer.from(serializeTransactions(batch), 'utf8');
  await container.getBlockBlobClient(name).uploadData(body, { blobHTTPHeaders: { blobContentType: 'application/json' } });
  return name;
}

export async function readWork(container: ContainerClient, name: string): Promise<WorkBatch> {
  // One GET: downloadToBuffer would ask for the blob's size (a HEAD) first, on every stage of every batch.
  const found = await blobBytes(container.getBlobClient(name));
  if (!found) throw new Error(`work blob ${name} is missing`);
  return JSON.parse(found.bytes.toString('utf8')) as WorkBatch;
}
