// shared/lake/writeQuarantine.ts: a batch's transactions with error findings, one NDJSON blob per business
// date and source. The name depends only on the batch, so a reload overwrites its own blob, and a
// reload with the same content does not write at all.
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { isStatus } from './blobBytes';
import { escapePartitionValue } from './hivePartition';

export function quarantineBlobName(businessDate: string | null, source: string | null, batchId: string): string {
  const date = businessDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(businessDate) ? businessDate : null;
  return `quarantine/business_date=${escapePartitionValue(date)}/source=${escapePartitionValue(source)}/batch-${batchId}.ndjson`;
}

export interface QuarantineWriteResult {
  blobName: string;
  status: 'written' | 'unchanged';
  count: number;
}

/** The `contenthash` metadata of a quarantine blob's body: how a rewrite with the same content is recognized. */
export function quarantineContentHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Writes `entries` (canonical JSON including findings) as NDJSON to `blobName`, replacing what was there. */
export async function writeQuarantine(
  container: ContainerClient,
  blobName: string,
  batchId: string,
  entries: readonly unknown[],
): Promise<QuarantineWriteResult> {
  const body = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const contentHash = quarantineContentHash(body);
  const blob = container.getBlockBlobClient(blobName);
  try {
    const props = await blob.getProperties();
    if (props.metadata?.contenthash === contentHash) return { blobName, status: 'unchanged', count: entries.length };
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  await blob.uploadData(Buffer.from(body), {
    blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
    metadata: { batchid: batchId, contenthash: contentHash, count: String(entries.length) },
  });
  return { blobName, status: 'written', count: entries.length };
}
