// shared/lake/compactPartition.ts: merges a partition's small files into larger ones, atomically for
// readers: the merged file is written first, the manifest is swapped with an ETag condition, and only
// then are the replaced files deleted. The merged file keeps the batch -> transaction ids map of what
// it absorbed, so a later reload of an old batch still finds (and replaces) its rows inside it.
import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { putParquet, readListedFile } from './applyBatchToPartition';
import { deleteQuietly } from './blobBytes';
import { CURATED_TABLES, type CuratedTableName } from './curatedTables';
import { partitionDir, type CuratedPartition } from './hivePartition';
import { readManifest, updateManifest, type ManifestFile } from './partitionManifest';
import { sweepUnlisted } from './sweepUnlisted';
import { toParquetBuffer } from './toParquetBuffer';

export interface CompactOptions {
  /** Files at or above this size are left alone; smaller ones are merged up to about this size. Default 128 MiB. */
  targetBytes?: number;
  /**
   * Blobs in the folder that no manifest lists are deleted once older than this (default 1 hour).
   * Younger ones may belong to a load that has written its file and not yet swapped the manifest.
   */
  orphanGraceMs?: number;
  now?: () => Date;
}

export interface CompactResult {
  dir: string;
  filesBefore: number;
  filesAfter: number;
  merged: string[];
  created: string[];
  orphansDeleted: string[];
  leftovers: string[];
}

/** Groups files (smallest first) into bins of at most `target` bytes; only bins of two or more are merged. */
function binsOf(files: ManifestFile[], target: number): ManifestFile[][] {
  const small = files.filter((f) => f.bytes < target).sort((a, b) => a.bytes - b.bytes || a.name.localeCompare(b.name));
  const bins: ManifestFile[][] = [];
  let bin: ManifestFile[] = [];
  let size = 0;
  for (const f of small) {
    if (bin.length && size + f.bytes > target) {
      bins.push(bin);
      bin = [];
      size = 0;
    }
    bin.push(f);
    size += f.bytes;
  }
  if (bin.length) bins.push(bin);
  return bins.filter((b) => b.length > 1);
}

export async function compactPartition(
  container: ContainerClient,
  table: CuratedTableName,
  partition: CuratedPartition,
  options: CompactOptions = {},
): Promise<CompactResult> {
  const def = CURATED_TABLES[table];
  const dir = partitionDir(table, partition);
  const target = options.targetBytes ?? 128 * 1024 * 1024;
  let filesBefore = 0;

  const outcome = await updateManifest(container, dir, async (current) => {
    filesBefore = current?.files.length ?? 0;
    const bins = current ? binsOf(current.files, target) : [];
    if (!current || !bins.length) return { next: null, result: { merged: [] as string[], created: [] as string[] } };
    const created: string[] = [];
    const mergedFiles: ManifestFile[] = [];
    for (const bin of bins) {
      const rows = (await Promise.all(bin.map((f) => readListedFile(container, dir, f.name)))).flat();
      const name = `compact-${randomBytes(6).toString('hex')}.parquet`;
      created.push(name);
      const bytes = await putParquet(container, dir, name, await toParquetBuffer(def, rows));
      const batches: Record<string, string[]> = {};
      for (const f of bin) for (const [b, ids] of Object.entries(f.batches)) batches[b] = [...(batches[b] ?? []), ...ids];
      mergedFiles.push({ name, rows: rows.length, bytes, batches });
    }
    const merged = bins.flat().map((f) => f.name);
    return {
      next: { ...current, files: [...current.files.filter((f) => !merged.includes(f.name)), ...mergedFiles] },
      result: { merged, created },
      discard: async () => {
        await Promise.all(created.map((n) => deleteQuietly(container.getBlobClient(`${dir}/${n}`))));
      },
    };
  });

  const failures = await Promise.all(outcome.result.merged.map((n) => deleteQuietly(container.getBlobClient(`${dir}/${n}`))));
  const leftovers = outcome.result.merged.filter((_, i) => failures[i]);

  // Sweep what earlier swaps or lost races left behind: unlisted blobs past the grace period.
  const orphansDeleted = await sweepUnlisted(container, dir, { graceMs: options.orphanGraceMs, now: options.now });
  const filesAfter = (await readManifest(container, dir))?.manifest.files.length ?? 0;
  return {
    dir,
    filesBefore,
    filesAfter,
    merged: outcome.result.merged,
    created: outcome.result.created,
    orphansDeleted,
    leftovers: leftovers.filter((n) => !orphansDeleted.includes(n)),
  };
}
