// shared/lake/applyBatchToPartition.ts: one batch's rows of one curated table into one partition, as one
// new file plus one manifest swap. Idempotent, and never two live rows for one transaction id:
// - the batch's rows go to a new file `batch-<batchId>-<nonce>.parquet`;
// - every live row of the transactions it carries is taken out of the other files (last write wins),
//   and so is every row this batch wrote here before (a reload replaces the batch's own rows);
// - a file that loses only some rows is rewritten without them (copy on write), so any file listed in
//   the manifest holds live rows only and an engine reading the listed files needs no delete logic;
// - a reload whose content hash equals the one recorded for the batch changes nothing at all.
import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { blobBytes, deleteQuietly } from './blobBytes';
import type { CuratedRow, CuratedTable } from './curatedTables';
import { fromParquetBuffer } from './fromParquetBuffer';
import { partitionDir, type CuratedPartition } from './hivePartition';
import { idsOfFile, StaleManifestError, updateManifest, type ManifestFile, type PartitionManifest } from './partitionManifest';
import { toParquetBuffer } from './toParquetBuffer';

export interface PartitionLoad {
  table: CuratedTable;
  partition: CuratedPartition;
  batchId: string;
  /** Every transaction of the batch that belongs to this partition, even those with no row in this table. */
  transactionIds: readonly string[];
  rows: CuratedRow[];
  contentHash: string;
  loadedAt: string;
}

export interface PartitionLoadResult {
  table: string;
  dir: string;
  /** written: a new file is live; cleared: the batch's earlier rows were removed; unchanged: nothing to do. */
  status: 'written' | 'cleared' | 'unchanged';
  rows: number;
  file: string | null;
  /** Files taken out of the manifest (deleted after the swap). */
  replaced: string[];
  /** Replaced files that could not be deleted: harmless leftovers that compaction removes later. */
  leftovers: string[];
}

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

const nonce = () => randomBytes(6).toString('hex');

export function emptyManifest(table: string, partition: CuratedPartition): PartitionManifest {
  return { schemaVersion: 1, table, businessDate: partition.businessDate, storeId: partition.storeId, files: [], batches: {} };
}

/** Writes a Parquet blob under `dir` and returns its size. */
export async function putParquet(container: ContainerClient, dir: string, name: string, bytes: Uint8Array): Promise<number> {
  await container.getBlockBlobClient(`${dir}/${name}`).uploadData(bytes, {
    blobHTTPHeaders: { blobContentType: PARQUET_CONTENT_TYPE },
  });
  return bytes.byteLength;
}

/** Rows of a file listed in a manifest; a missing one means that manifest version is already outdated. */
export async function readListedFile(container: ContainerClient, dir: string, name: string): Promise<CuratedRow[]> {
  const found = await blobBytes(container.getBlobClient(`${dir}/${name}`));
  if (!found) throw new StaleManifestError(`${dir}/${name} is gone`);
  return fromParquetBuffer(found.bytes);
}

export async function applyBatchToPartition(container: ContainerClient, load: PartitionLoad): Promise<PartitionLoadResult> {
  const { table, partition, batchId, rows } = load;
  const dir = partitionDir(table.name, partition);
  const fileName = rows.length ? `batch-${batchId}-${nonce()}.parquet` : null;
  const rowIds = [...new Set(rows.map((r) => String(r.transaction_id)))];
  let fileBytes: number | null = null;

  type Planned = { status: PartitionLoadResult['status']; replaced: string[] };
  const outcome = await updateManifest<Planned>(container, dir, async (current) => {
    const unchanged = { next: null, result: { status: 'unchanged' as const, replaced: [] as string[] } };
    if (current?.batches[batchId]?.contentHash === load.contentHash) return unchanged;
    if (!current && rows.length === 0) return unchanged;
    const m = current ?? emptyManifest(table.name, partition);

    const remove = new Set(load.transactionIds);
    for (const f of m.files) for (const id of f.batches[batchId] ?? []) remove.add(id);

    const files: ManifestFile[] = [];
    const replaced: string[] = [];
    const created: string[] = [];
    for (const f of m.files) {
      const ids = idsOfFile(f);
      const hits = [...ids].filter((id) => remove.has(id)).length;
      if (hits === 0) {
        files.push(f);
        continue;
      }
      replaced.push(f.name);
      if (hits === ids.size) continue;
      const keep = (await readListedFile(container, dir, f.name)).filter((r) => !remove.has(String(r.transaction_id)));
      const name = `rewrite-${nonce()}.parquet`;
      created.push(name);
      const bytes = await putParquet(container, dir, name, await toParquetBuffer(table, keep));
      const batches: Record<string, string[]> = {};
      for (const [b, list] of Object.entries(f.batches)) {
        const left = list.filter((id) => !remove.has(id));
        if (left.length) batches[b] = left;
      }
      files.push({ name, rows: keep.length, bytes, batches });
    }
    if (fileName) {
      // Written once per call and reused by a retried attempt: its content does not depend on the manifest.
      fileBytes ??= await putParquet(container, dir, fileName, await toParquetBuffer(table, rows));
      files.push({ name: fileName, rows: rows.length, bytes: fileBytes, batches: { [batchId]: rowIds } });
    }
    const next: PartitionManifest = {
      ...m,
      files,
      batches: { ...m.batches, [batchId]: { contentHash: load.contentHash, loadedAt: load.loadedAt } },
    };
    return {
      next,
      result: { status: fileName ? 'written' : 'cleared', replaced },
      discard: async () => {
        await Promise.all(created.map((n) => deleteQuietly(container.getBlobClient(`${dir}/${n}`))));
      },
    };
  });

  const { status, replaced } = outcome.result;
  if (status === 'unchanged' && fileName && fileBytes !== null) {
    // An attempt wrote the file, lost the race, and the winner turned out to be this same content.
    await deleteQuietly(container.getBlobClient(`${dir}/${fileName}`));
  }
  // Only after the swap: until then a reader of the old manifest may still need these files.
  const failures = await Promise.all(replaced.map((n) => deleteQuietly(container.getBlobClient(`${dir}/${n}`))));
  return {
    table: table.name,
    dir,
    status,
    rows: status === 'written' ? rows.length : 0,
    file: status === 'written' ? fileName : null,
    replaced,
    leftovers: replaced.filter((_, i) => failures[i]),
  };
}
