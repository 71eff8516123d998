// bench/lake.ts: lake write throughput. Rows per second loaded into the curated zone (three Parquet
// tables with manifests, through loadBatch) as a ratio to writing the same rows as NDJSON blobs on the
// same Azurite in the same run, with the same partitioning and the same number of data blobs.
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite } from '../local/azurite';
import { CURATED_TABLE_NAMES, CURATED_TABLES, loadBatch, partitionDir } from '../shared/lake';
import { mapLimit } from '../shared/lake/mapLimit';
import { transactionId, type CanonicalTransaction } from '../shared/model';
import { median, type BenchEntry } from './results';
import { createRng } from './rng';

const TRANSACTIONS = Number(process.env.BENCH_LAKE_TX ?? 4000);
const BATCHES = Number(process.env.BENCH_LAKE_BATCHES ?? 8);
const ROUNDS = Number(process.env.BENCH_LAKE_ROUNDS ?? 3);
const CONCURRENCY = 8;

function generate(count: number): CanonicalTransaction[] {
  const rng = createRng(7);
  const stores = ['S001', 'S002', 'S003', 'S004', null];
  const dates = ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'];
  return Array.from({ length: count }, (_, i) => {
    const nLines = rng.int(1, 5);
    let cents = 0;
    const lines = Array.from({ length: nLines }, (_, j) => {
      const qty = rng.int(1, 4);
      const price = rng.int(99, 9999);
      cents += qty * price;
      return {
        lineNo: j + 1,
        sku: `SKU-${rng.int(1, 5000)}`,
        description: `Item ${rng.int(1, 5000)}`,
        quantity: String(qty),
        unitPrice: (price / 100).toFixed(2),
        amount: ((qty * price) / 100).toFixed(2),
        discount: '0',
        tax: null,
      };
    });
    const total = (cents / 100).toFixed(2);
    const storeId = rng.pick(stores);
    const businessDate = rng.pick(dates);
    const sourceKey = `${storeId ?? 'web'}/${businessDate}/${i}`;
    return {
      schemaVersion: 1,
      id: transactionId('canonical', sourceKey),
      source: 'canonical',
      sourceKey,
      kind: 'sale',
      channel: storeId ? 'store' : 'online',
      storeId,
      registerId: storeId ? `R${rng.int(1, 4)}` : null,
      operatorId: null,
      businessDate,
      occurredAt: `${businessDate}T${String(rng.int(10, 20))}:${String(rng.int(10, 59))}:00.000Z`,
      currency: 'USD',
      total,
      taxTotal: null,
      discountTotal: '0',
      discounts: [],
      lines,
      tenders: rng.bool(0.3)
        ? [
            { method: 'cash', amount: '1.00' },
            { method: 'card', amount: ((cents - 100) / 100).toFixed(2) },
          ]
        : [{ method: 'card', amount: total }],
      customer: null,
      originalRef: null,
      findings: [],
    };
  });
}

/** The baseline: the same rows, partitioned the same way, one NDJSON blob per batch, table and partition. */
async function writeNdjson(container: ContainerClient, batches: CanonicalTransaction[][]): Promise<number> {
  let blobs = 0;
  for (const [b, txs] of batches.entries()) {
    const groups = new Map<string, CanonicalTransaction[]>();
    for (const tx of txs) {
      const key = JSON.stringify([tx.businessDate, tx.storeId]);
      groups.set(key, [...(groups.get(key) ?? []), tx]);
    }
    const jobs = CURATED_TABLE_NAMES.flatMap((t) => [...groups.values()].map((g) => [t, g] as const));
    await mapLimit(jobs, CONCURRENCY, async ([table, group]) => {
      const def = CURATED_TABLES[table];
      const rows = group.flatMap((tx) => def.rowsOf(tx, `bench-${b}`));
      const body = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
      const dir = partitionDir(table, { businessDate: group[0]!.businessDate, storeId: group[0]!.storeId });
      await container.getBlockBlobClient(`${dir}/batch-bench-${b}.ndjson`).uploadData(Buffer.from(body), {
        blobHTTPHeaders: { blobContentType: 'application/x-ndjson' },
      });
      blobs++;
    });
  }
  return blobs;
}

async function writeParquet(container: ContainerClient, batches: CanonicalTransaction[][]): Promise<number> {
  let files = 0;
  for (const [b, txs] of batches.entries()) {
    const r = await loadBatch(container, { batchId: `bench-${b}`, transactions: txs }, { concurrency: CONCURRENCY });
    files += r.partitions.filter((p) => p.status === 'written').length;
  }
  return files;
}

async function timed(fn: () => Promise<number>): Promise<{ seconds: number; blobs: number }> {
  const t0 = process.hrtime.bigint();
  const blobs = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, blobs };
}

export async function lakeBench(): Promise<Record<string, BenchEntry>> {
  const txs = generate(TRANSACTIONS);
  const per = Math.ceil(txs.length / BATCHES);
  const batches = Array.from({ length: BATCHES }, (_, i) => txs.slice(i * per, (i + 1) * per));
  const rows = txs.reduce((n, tx) => n + 1 + tx.lines.length + tx.tenders.length, 0);
  const azurite = await startAzurite();
  try {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const fresh = async (name: string) => {
      const c = service.getContainerClient(name);
      await c.create();
      return c;
    };
    // Warm up both paths (module loading, connections) on a small slice.
    await writeParquet(await fresh('warm-parquet'), [batches[0]!.slice(0, 50)]);
    await writeNdjson(await fresh('warm-ndjson'), [batches[0]!.slice(0, 50)]);
    const parquet: number[] = [];
    const ndjson: number[] = [];
    let blobCounts = { parquet: 0, ndjson: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so neither side always runs on a warmer (or more cluttered) Azurite.
      const order = round % 2 === 0 ? (['parquet', 'ndjson'] as const) : (['ndjson', 'parquet'] as const);
      for (const kind of order) {
        const container = await fresh(`${kind}-${round}`);
        const r = await timed(() => (kind === 'parquet' ? writeParquet(container, batches) : writeNdjson(container, batches)));
        (kind === 'parquet' ? parquet : ndjson).push(rows / r.seconds);
        blobCounts = { ...blobCounts, [kind]: r.blobs };
      }
    }
    if (blobCounts.parquet !== blobCounts.ndjson) {
      throw new Error(`benchmark is unfair: ${blobCounts.parquet} Parquet files vs ${blobCounts.ndjson} NDJSON blobs`);
    }
    const value = median(parquet);
    const baseline = median(ndjson);
    return {
      lake: {
        value,
        unit: 'rows/s',
        baseline,
        ratio: value / baseline,
        // No target in the issue. Each Parquet file costs three requests (manifest read, file write,
        // ETag-conditioned manifest write) where the NDJSON baseline makes one, and the storage service, not
        // the encoder, is the bottleneck: one third is the ceiling this design can reach, so it is the target.
        target: 0.33,
        notes:
          `${TRANSACTIONS} transactions = ${rows} rows (transactions + lines + tenders) in ${BATCHES} batches, ` +
          `${blobCounts.parquet} data blobs per side, median of ${ROUNDS} rounds on Azurite (in memory), ` +
          `${CONCURRENCY} parallel requests on both sides. Parquet side = loadBatch: validation, Parquet encoding, ` +
          `and per file a manifest read plus an ETag-conditioned manifest write (3 requests where NDJSON makes 1). ` +
          `Target 1/3 is that request ratio; 1.0 is out of reach for an idempotent, manifest-consistent writer.`,
        transactions: TRANSACTIONS,
        rows,
        blobsPerSide: blobCounts.parquet,
        parquetRuns: parquet,
        ndjsonRuns: ndjson,
      },
    };
  } finally {
    await azurite.stop();
  }
}

if (require.main === module) {
  lakeBench()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
