// shared/privacy/eraseWorkBlobs.ts: the orchestration scratch's part of an erasure. A batch's stages
// (`batches/<batchId>/<stage>.json` in the work container) are not deleted when the batch ends: a
// lifecycle rule removes them days later (runtimeStorage.bicep). They hold the batch's canonical
// transactions (pseudonymized), so until then the subject's transactions lose their customer there as
// in quarantine. Rewritten rather than deleted: a batch still running reads them.
import type { ContainerClient } from '@azure/storage-blob';
import type { CustomerRefs } from '../model';
import type { BlobBytes } from '../lake/blobBytes';
import type { WorkBatch } from '../orchestration/workBlob';
import { serializeTransactions } from '../pipeline/transformPayload';
import { matchesSubject, type ErasureOptions } from './erasureSubject';
import { forEachLimit } from './forEachLimit';
import { rewriteGuarded, type BlobEdit } from './rewriteGuarded';

export interface WorkErasure {
  scanned: number;
  /** Work blob names rewritten (or that would be). */
  rewritten: string[];
}

function eraseWorkText(found: BlobBytes, refs: ReadonlySet<string>): BlobEdit | null {
  let batch: WorkBatch;
  try {
    batch = JSON.parse(found.bytes.toString('utf8')) as WorkBatch;
  } catch {
    return null;
  }
  if (!Array.isArray(batch?.transactions)) return null;
  let erased = 0;
  const transactions = batch.transactions.map((t) => {
    if (!matchesSubject(t?.customer as CustomerRefs | null | undefined, refs)) return t;
    erased++;
    return { ...t, customer: null };
  });
  if (erased === 0) return null;
  // Serialized as writeWork serializes it.
  return { body: Buffer.from(serializeTransactions({ ...batch, transactions }), 'utf8'), metadata: found.metadata, contentType: 'application/json', erased };
}

export async function eraseWorkBlobs(work: ContainerClient, refs: ReadonlySet<string>, options: ErasureOptions & { concurrency?: number }): Promise<WorkErasure> {
  const out: WorkErasure = { scanned: 0, rewritten: [] };
  await forEachLimit(work.listBlobsFlat({ prefix: 'batches/' }), options.concurrency ?? 4, async (item) => {
    out.scanned++;
    const change = await rewriteGuarded(work.getBlockBlobClient(item.name), (found) => eraseWorkText(found, refs), options.dryRun);
    if (change) out.rewritten.push(item.name);
  });
  out.rewritten.sort();
  return out;
}
