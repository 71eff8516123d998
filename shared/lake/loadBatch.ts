// shared/lake/loadBatch.ts: loads one batch of canonical transactions into the lake: curated Parquet for
// the valid ones (three tables, Hive partitions by business date and store), quarantine NDJSON for the
// rest. Safe to run any number of times (Durable activities may run twice): see docs/lake.md.
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { CanonicalTransaction, type Finding } from '../model';
import { routeOf } from '../quality/validate';
import { applyBatchToPartition, type PartitionLoadResult } from './applyBatchToPartition';
import { blobBytes, deleteQuietly } from './blobBytes';
import { CURATED_TABLE_NAMES, CURATED_TABLES, type CuratedRow, type CuratedTableName } from './curatedTables';
import { parsePartitionDir, partitionDir, type CuratedPartition } from './hivePartition';
import { mapLimit } from './mapLimit';
import { unstorableCells } from './toParquetBuffer';
import { quarantineBlobName, writeQuarantine, type QuarantineWriteResult } from './writeQuarantine';

/** Batch ids become part of blob names; keep them to characters every engine and path API accepts. */
export const BATCH_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface LakeBatch {
  batchId: string;
  transactions: readonly unknown[];
}

export interface LoadBatchOptions {
  /** Parallel partition updates (each is a few blob requests). */
  concurrency?: number;
  now?: () => Date;
}

export interface LoadBatchResult {
  batchId: string;
  curated: number;
  quarantined: number;
  partitions: PartitionLoadResult[];
  quarantine: QuarantineWriteResult[];
  /** Blobs that were replaced but could not be deleted (harmless; compaction removes them). */
  leftovers: string[];
}

/** Which partitions and quarantine blobs a batch wrote, so a reload with other content can clear them. */
interface BatchIndex {
  batchId: string;
  curated: Record<string, string[]>;
  quarantine: string[];
}

export function batchIndexBlobName(batchId: string): string {
  return `curated/_batches/batch-${batchId}.json`;
}

const lakeFinding = (code: string, message: string): Finding => ({ code, severity: 'error', path: '', message });

interface Routed {
  curated: CanonicalTransaction[];
  quarantined: unknown[];
}

/** Splits a batch: error findings, a shape the model rejects, a value Parquet cannot hold, or a repeated id all go to quarantine. */
function route(batchId: string, transactions: readonly unknown[]): Routed {
  const curated: CanonicalTransaction[] = [];
  const quarantined: unknown[] = [];
  const seen = new Set<string>();
  for (const input of transactions) {
    const parsed = CanonicalTransaction.safeParse(input);
    if (!parsed.success) {
      const findings = parsed.error.issues.slice(0, 10).map((i) => lakeFinding('schema.invalid', `/${i.path.map(String).join('/')}: ${i.message}`));
      const base = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : { value: input };
      const prior = Array.isArray(base.findings) ? (base.findings as unknown[]) : [];
      quarantined.push({ ...base, findings: [...prior, ...findings] });
      continue;
    }
    const tx = parsed.data;
    if (routeOf(tx) === 'quarantine') {
      quarantined.push(tx);
      continue;
    }
    const problems = CURATED_TABLE_NAMES.flatMap((t) => unstorableCells(CURATED_TABLES[t], CURATED_TABLES[t].rowsOf(tx, batchId)));
    if (problems.length) {
      quarantined.push({ ...tx, findings: [...tx.findings, ...problems.slice(0, 10).map((p) => lakeFinding('lake.unstorable_value', p))] });
      continue;
    }
    if (seen.has(tx.id)) {
      quarantined.push({ ...tx, findings: [...tx.findings, lakeFinding('duplicate.in_batch', `${tx.sourceKey} appears twice in batch ${batchId}`)] });
      continue;
    }
    seen.add(tx.id);
    curated.push(tx);
  }
  return { curated, quarantined };
}

async function readBatchIndex(container: ContainerClient, batchId: string): Promise<BatchIndex | null> {
  const found = await blobBytes(container.getBlobClient(batchIndexBlobName(batchId)));
  return found ? (JSON.parse(found.bytes.toString('utf8')) as BatchIndex) : null;
}

async function writeBatchIndex(container: ContainerClient, index: BatchIndex, previous: BatchIndex | null): Promise<void> {
  const body = JSON.stringify(index);
  if (previous && JSON.stringify(previous) === body) return;
  await container.getBlockBlobClient(batchIndexBlobName(index.batchId)).upload(body, Buffer.byteLength(body), {
    blobHTTPHeaders: { blobContentType: 'application/json' },
  });
}

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

export async function loadBatch(container: ContainerClient, batch: LakeBatch, options: LoadBatchOptions = {}): Promise<LoadBatchResult> {
  const { batchId } = batch;
  if (!BATCH_ID_RE.test(batchId)) throw new RangeError(`batch id ${JSON.stringify(batchId)} must match ${BATCH_ID_RE}`);
  if (!Array.isArray(batch.transactions)) throw new TypeError('transactions must be an array');
  const loadedAt = (options.now?.() ?? new Date()).toISOString();
  const { curated, quarantined } = route(batchId, batch.transactions);

  // Curated: group by partition (same partition for all three tables of a transaction).
  const groups = new Map<string, { partition: CuratedPartition; txs: CanonicalTransaction[] }>();
  for (const tx of curated) {
    const partition = { businessDate: tx.businessDate, storeId: tx.storeId };
    const key = partitionDir('', partition);
    const group = groups.get(key) ?? { partition, txs: [] };
    group.txs.push(tx);
    groups.set(key, group);
  }
  // Quarantine: group by business date and source.
  const qGroups = new Map<string, unknown[]>();
  for (const entry of quarantined) {
    const e = entry as { businessDate?: unknown; source?: unknown };
    const name = quarantineBlobName(
      typeof e.businessDate === 'string' ? e.businessDate : null,
      typeof e.source === 'string' && e.source !== '' ? e.source : null,
      batchId,
    );
    const list = qGroups.get(name);
    if (list) list.push(entry);
    else qGroups.set(name, [entry]);
  }

  const index: BatchIndex = { batchId, curated: {}, quarantine: [...qGroups.keys()].sort() };
  for (const t of CURATED_TABLE_NAMES) index.curated[t] = [...groups.values()].map((g) => partitionDir(t, g.partition)).sort();

  // Record where this load writes before writing, merged with the last load's places: if this load dies
  // half way, a reload with different content still knows every partition to clear.
  const previous = await readBatchIndex(container, batchId);
  const pending: BatchIndex = {
    batchId,
    curated: Object.fromEntries(
      CURATED_TABLE_NAMES.map((t) => [t, [...new Set([...(index.curated[t] ?? []), ...(previous?.curated[t] ?? [])])].sort()]),
    ),
    quarantine: [...new Set([...index.quarantine, ...(previous?.quarantine ?? [])])].sort(),
  };
  await writeBatchIndex(container, pending, previous);

  const jobs: Array<{ table: CuratedTableName; partition: CuratedPartition; txs: CanonicalTransaction[] }> = [];
  for (const table of CURATED_TABLE_NAMES) {
    for (const g of groups.values()) jobs.push({ table, partition: g.partition, txs: g.txs });
    for (const dir of pending.curated[table] ?? []) {
      const parsed = parsePartitionDir(dir);
      if (parsed && !(index.curated[table] ?? []).includes(dir)) jobs.push({ table, partition: parsed.partition, txs: [] });
    }
  }
  const partitions = await mapLimit(jobs, options.concurrency ?? 8, async ({ table, partition, txs }) => {
    const def = CURATED_TABLES[table];
    const rows: CuratedRow[] = txs.flatMap((tx) => def.rowsOf(tx, batchId));
    const transactionIds = txs.map((tx) => tx.id);
    return applyBatchToPartition(container, {
      table: def,
      partition,
      batchId,
      transactionIds,
      rows,
      contentHash: sha256({ transactionIds, rows }),
      loadedAt,
    });
  });

  const quarantine = await mapLimit([...qGroups], options.concurrency ?? 8, ([name, entries]) => writeQuarantine(container, name, batchId, entries));
  const stale = pending.quarantine.filter((n) => !qGroups.has(n));
  const staleFailures = await Promise.all(stale.map((n) => deleteQuietly(container.getBlobClient(n))));

  await writeBatchIndex(container, index, pending);
  return {
    batchId,
    curated: curated.length,
    quarantined: quarantined.length,
    partitions,
    quarantine,
    leftovers: [
      ...partitions.flatMap((p) => p.leftovers.map((n) => `${p.dir}/${n}`)),
      ...stale.filter((_, i) => staleFailures[i]),
    ],
  };
}
