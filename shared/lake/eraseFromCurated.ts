// shared/lake/eraseFromCurated.ts: GDPR erasure in the curated zone. The sale stays (reporting needs it);
// the link to the person goes: on every row whose customer references include one of the subject's,
// all four customer reference columns become null. Copy on write, as loads and compaction do: each file
// holding such a row is rewritten as a new file (same rows, same order, same values otherwise), the
// manifest is swapped to it with the ETag condition (replanned on conflict, so a file a concurrent load
// added is kept), and the replaced file is deleted right after the swap. A reader still following the
// old manifest finds that file gone and re-reads the manifest (readPartition does), exactly as after a
// compaction. Only `transactions` holds customer references (lines and tenders have none).
import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { matchesSubject, type ErasureOptions } from '../privacy/erasureSubject';
import { putParquet, readListedFile } from './applyBatchToPartition';
import { deleteQuietly } from './blobBytes';
import { CURATED_TABLES, type CuratedRow } from './curatedTables';
import { partitionDir, type CuratedPartition } from './hivePartition';
import { mapLimit } from './mapLimit';
import { updateManifest, type ManifestFile } from './partitionManifest';
import { listPartitions } from './readPartition';
import { sweepUnlisted } from './sweepUnlisted';
import { toParquetBuffer } from './toParquetBuffer';

export interface CuratedErasure {
  partitionsScanned: number;
  partitionsChanged: number;
  /** Rows of `transactions` whose customer reference columns were (dry run: would be) set to null. */
  transactions: number;
  /** Files replaced by a rewritten copy (dry run: that would be). */
  filesRewritten: number;
  /**
   * Replaced files whose deletion failed (blob names). No manifest lists them any more; the next run of
   * this function (or compactPartition) deletes them once they are older than the grace period.
   */
  leftovers: string[];
  /** Unlisted blobs older than the grace period deleted from the scanned partitions (dry run: that would be). */
  orphansDeleted: string[];
}

export interface CuratedErasureOptions extends ErasureOptions {
  /** Partitions processed at once (default 4). */
  concurrency?: number;
  /** Unlisted blobs younger than this may belong to a load about to swap its manifest (default 1 hour). */
  orphanGraceMs?: number;
  now?: () => Date;
}

/** The columns of `transactions` that hold a customer's pseudonymized references (docs/lake.md). */
export const CUSTOMER_REF_COLUMNS = ['customer_ref', 'customer_email_ref', 'customer_phone_ref', 'customer_loyalty_ref'] as const;

const table = CURATED_TABLES.transactions;

const text = (v: CuratedRow[string] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Whether the row's customer is the subject; the same test every other zone applies. */
function isSubjectRow(row: CuratedRow, refs: ReadonlySet<string>): boolean {
  return matchesSubject(
    {
      ref: text(row.customer_ref),
      emailRef: text(row.customer_email_ref),
      phoneRef: text(row.customer_phone_ref),
      loyaltyRef: text(row.customer_loyalty_ref),
    },
    refs,
  );
}

const NO_REFS: CuratedRow = Object.fromEntries(CUSTOMER_REF_COLUMNS.map((c) => [c, null]));

interface PartitionErasure {
  transactions: number;
  replaced: string[];
}

/** A file's rows with the subject's references removed, or null when it holds none of them. */
async function erasedRows(container: ContainerClient, dir: string, file: ManifestFile, refs: ReadonlySet<string>): Promise<{ rows: CuratedRow[]; hits: number } | null> {
  const rows = await readListedFile(container, dir, file.name);
  let hits = 0;
  const out = rows.map((row) => {
    if (!isSubjectRow(row, refs)) return row;
    hits++;
    return { ...row, ...NO_REFS };
  });
  if (!hits) return null;
  // Rewriting through the table definition keeps only its columns: refuse rather than drop one.
  const known = new Set(table.columns.map((c) => c.name));
  const unknown = Object.keys(rows[0] ?? {}).filter((name) => !known.has(name));
  if (unknown.length) throw new Error(`${dir}/${file.name} has columns the transactions table does not define (${unknown.join(', ')}); not rewritten`);
  return { rows: out, hits };
}

async function erasePartition(container: ContainerClient, partition: CuratedPartition, refs: ReadonlySet<string>, dryRun: boolean): Promise<PartitionErasure> {
  const dir = partitionDir(table.name, partition);
  const outcome = await updateManifest<PartitionErasure>(container, dir, async (current) => {
    const result: PartitionErasure = { transactions: 0, replaced: [] };
    if (!current) return { next: null, result };
    const files: ManifestFile[] = [];
    const created: string[] = [];
    const discard = async () => {
      await Promise.all(created.map((n) => deleteQuietly(container.getBlobClient(`${dir}/${n}`))));
    };
    try {
      for (const f of current.files) {
        const erased = await erasedRows(container, dir, f, refs);
        if (!erased) {
          files.push(f);
          continue;
        }
        result.transactions += erased.hits;
        result.replaced.push(f.name);
        if (dryRun) continue;
        // A neutral copy-on-write name, as loads use: the name should not tell that an erasure happened.
        const name = `rewrite-${randomBytes(6).toString('hex')}.parquet`;
        created.push(name);
        const bytes = await putParquet(container, dir, name, await toParquetBuffer(table, erased.rows));
        // Same rows and transaction ids as the file it replaces: only name and size change.
        files.push({ ...f, name, bytes });
      }
    } catch (err) {
      // A file of this manifest was already gone (a newer swap): the plan is redone, without our copies.
      await discard();
      throw err;
    }
    // A dry run plans on the same manifest version as a real run would, but never swaps.
    if (dryRun || !created.length) return { next: null, result };
    return { next: { ...current, files }, result, discard };
  });
  return outcome.result;
}

/** Deletes a replaced file, trying a few times: until it is gone, a glob reader can still read the old references. */
async function deleteReplaced(container: ContainerClient, blobName: string): Promise<boolean> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await deleteQuietly(container.getBlobClient(blobName)))) return true;
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
  return false;
}

/**
 * Sets the customer reference columns to null on every curated `transactions` row that carries one of
 * `refs`, in every partition. Idempotent: a second run finds no such row and reports 0.
 */
export async function eraseFromCurated(container: ContainerClient, refs: ReadonlySet<string>, options: CuratedErasureOptions): Promise<CuratedErasure> {
  const report: CuratedErasure = { partitionsScanned: 0, partitionsChanged: 0, transactions: 0, filesRewritten: 0, leftovers: [], orphansDeleted: [] };
  const partitions = await listPartitions(container, table.name);
  await mapLimit(partitions, options.concurrency ?? 4, async (partition) => {
    const dir = partitionDir(table.name, partition);
    const erased = refs.size ? await erasePartition(container, partition, refs, options.dryRun) : { transactions: 0, replaced: [] };
    report.partitionsScanned++;
    if (erased.replaced.length) report.partitionsChanged++;
    report.transactions += erased.transactions;
    report.filesRewritten += erased.replaced.length;
    if (!options.dryRun) {
      for (const name of erased.replaced) if (!(await deleteReplaced(container, `${dir}/${name}`))) report.leftovers.push(`${dir}/${name}`);
    }
    // What an earlier run (or another writer) failed to delete is no longer listed, so the scan above
    // cannot find it: the grace-period sweep is what ends its life.
    const swept = await sweepUnlisted(container, dir, { graceMs: options.orphanGraceMs, now: options.now, dryRun: options.dryRun });
    report.orphansDeleted.push(...swept.map((n) => `${dir}/${n}`).filter((n) => !report.leftovers.includes(n)));
  });
  report.leftovers.sort();
  report.orphansDeleted.sort();
  return report;
}
