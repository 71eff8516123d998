// shared/privacy/rewriteGuarded.ts: read a blob, change it, write it back only if nobody wrote it in
// between (If-Match on the ETag read). On a conflict the blob is read again and the change made on what
// the other writer left, so an erasure never overwrites a concurrent writer's content with an old copy.
import type { BlockBlobClient } from '@azure/storage-blob';
import { blobBytes, isStatus, type BlobBytes } from '../lake/blobBytes';

export interface BlobEdit {
  body: Buffer;
  metadata: Record<string, string>;
  contentType: string;
  /** How many entries the edit erased (counted in reports). */
  erased: number;
}

const ATTEMPTS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies `edit` to the blob's current content. `edit` returns null when there is nothing to change
 * (then nothing is written); a dry run computes the edit and writes nothing. The result is the edit
 * written (or that would be), or null for none (the blob is gone or holds nothing to erase).
 */
export async function rewriteGuarded(blob: BlockBlobClient, edit: (found: BlobBytes) => BlobEdit | null, dryRun: boolean): Promise<BlobEdit | null> {
  for (let attempt = 1; ; attempt++) {
    const found = await blobBytes(blob);
    if (!found) return null;
    const change = edit(found);
    if (!change || dryRun) return change;
    try {
      await blob.uploadData(change.body, {
        conditions: { ifMatch: found.etag },
        blobHTTPHeaders: { blobContentType: change.contentType },
        metadata: change.metadata,
      });
      return change;
    } catch (err) {
      // 412: written since the read; 404: deleted since (the next read says so).
      if (!isStatus(err, 412, 404) || attempt >= ATTEMPTS) throw err;
      await sleep(Math.random() * 50 * attempt);
    }
  }
}
