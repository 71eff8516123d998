// shared/lake/sweepUnlisted.ts: deletes the blobs of a partition folder that its manifest does not list
// and that are older than a grace period: replaced files whose deletion failed after a swap, and files
// of writes that lost their race and died before cleaning up. Younger unlisted blobs are left alone:
// they may belong to a load that has written its file and not yet swapped the manifest. This is the
// rule compactPartition applies at its end.
import type { ContainerClient } from '@azure/storage-blob';
import { deleteQuietly } from './blobBytes';
import { MANIFEST_NAME, readManifest } from './partitionManifest';

export interface SweepOptions {
  /** Default 1 hour, as in compactPartition. */
  graceMs?: number;
  now?: () => Date;
  /** List what would be deleted, delete nothing. */
  dryRun?: boolean;
}

/** Names (relative to `dir`) of the unlisted blobs deleted (or, in a dry run, that would be). */
export async function sweepUnlisted(container: ContainerClient, dir: string, options: SweepOptions = {}): Promise<string[]> {
  const version = await readManifest(container, dir);
  // No manifest: nothing says which blobs are live, so nothing is garbage.
  if (!version) return [];
  const live = new Set(version.manifest.files.map((f) => f.name));
  const cutoff = (options.now?.() ?? new Date()).getTime() - (options.graceMs ?? 3_600_000);
  const swept: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: `${dir}/` })) {
    const name = blob.name.slice(dir.length + 1);
    if (name === MANIFEST_NAME || name.includes('/') || live.has(name)) continue;
    if (blob.properties.lastModified.getTime() > cutoff) continue;
    if (options.dryRun || !(await deleteQuietly(container.getBlobClient(blob.name)))) swept.push(name);
  }
  return swept;
}
