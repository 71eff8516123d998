// shared/lake/blobBytes.ts: whole-blob reads with the ETag they were read at, and the status checks the
// lake's conditional writes rely on.
import { RestError, type BlobClient } from '@azure/storage-blob';

export interface BlobBytes {
  bytes: Buffer;
  etag: string;
  metadata: Record<string, string>;
}

/** The blob's content and ETag, or null when it does not exist. */
export async function blobBytes(blob: BlobClient): Promise<BlobBytes | null> {
  try {
    const res = await blob.download();
    const chunks: Buffer[] = [];
    for await (const chunk of res.readableStreamBody!) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), etag: res.etag!, metadata: res.metadata ?? {} };
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

export function isStatus(err: unknown, ...statuses: number[]): boolean {
  return err instanceof RestError && err.statusCode !== undefined && statuses.includes(err.statusCode);
}

/** Deletes a blob that may already be gone; a failure is returned, not thrown (leftovers are harmless). */
export async function deleteQuietly(blob: BlobClient): Promise<Error | null> {
  try {
    await blob.deleteIfExists();
    return null;
  } catch (err) {
    return err as Error;
  }
}
