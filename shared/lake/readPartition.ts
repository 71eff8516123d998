// shared/lake/readPartition.ts: what other modules (reconciliation, stockout timers, tests) read: the
// live rows of a curated partition, through its manifest. Files a manifest no longer lists are never
// read, so leftovers and half-finished writes stay invisible.
import type { ContainerClient } from '@azure/storage-blob';
import type { CuratedRow, CuratedTableName } from './curatedTables';
import { partitionDir, parsePartitionDir, type CuratedPartition } from './hivePartition';
import { MANIFEST_NAME, readManifest, type ManifestFile } from './partitionManifest';
import { readListedFile } from './applyBatchToPartition';
import { StaleManifestError } from './partitionManifest';

export interface PartitionRows {
  dir: string;
  /** The manifest version the rows come from (null when the partition does not exist). */
  etag: string | null;
  files: ManifestFile[];
  rows: CuratedRow[];
}

/** Live rows of one partition, all from one manifest version (re-read if a swap deleted a file under us). */
export async function readPartition(
  container: ContainerClient,
  table: CuratedTableName,
  partition: CuratedPartition,
  options: { maxAttempts?: number } = {},
): Promise<PartitionRows> {
  const dir = partitionDir(table, partition);
  for (let attempt = 1; ; attempt++) {
    const version = await readManifest(container, dir);
    if (!version) return { dir, etag: null, files: [], rows: [] };
    try {
      const perFile = await Promise.all(version.manifest.files.map((f) => readListedFile(container, dir, f.name)));
      return { dir, etag: version.etag, files: version.manifest.files, rows: perFile.flat() };
    } catch (err) {
      if (!(err instanceof StaleManifestError) || attempt >= (options.maxAttempts ?? 10)) throw err;
    }
  }
}

/** Partitions of a table that have a manifest, optionally only those of one business date. */
export async function listPartitions(
  container: ContainerClient,
  table: CuratedTableName,
  options: { businessDate?: string } = {},
): Promise<CuratedPartition[]> {
  const prefix = options.businessDate ? `curated/${table}/business_date=${options.businessDate}/` : `curated/${table}/`;
  const found: CuratedPartition[] = [];
  for await (const blob of container.listBlobsFlat({ prefix })) {
    if (!blob.name.endsWith(`/${MANIFEST_NAME}`)) continue;
    const parsed = parsePartitionDir(blob.name.slice(0, -MANIFEST_NAME.length - 1));
    if (parsed && parsed.table === table) found.push(parsed.partition);
  }
  return found;
}
