// Loading batches into the curated and quarantine zones of a real Azurite, read back by DuckDB.
import Big from 'big.js';
import path from 'node:path';
import type { ContainerClient } from '@azure/storage-blob';
import { sale, line } from '../support/canonical';
import type { CanonicalTransaction } from '../../shared/model';
import { loadBatch, readPartition, readManifest, partitionDir, quarantineBlobName } from '../../shared/lake';
import { downloadLive, fileList, listing, query, startLake, type Lake } from './lakeFixture';

let lake: Lake;
beforeAll(async () => {
  lake = await startLake();
}, 60_000);
afterAll(async () => {
  await lake?.stop();
});

const sum = (values: Iterable<string>) => [...values].reduce((s, v) => s.plus(v), new Big(0));

/** Five valid transactions over three partitions, one with an error finding, one Parquet cannot hold exactly. */
function batchOne(): CanonicalTransaction[] {
  return [
    sale({ sourceKey: 'S042/R1/2026-11-30/1' }),
    sale({
      sourceKey: 'S042/R1/2026-11-30/2',
      total: '43.20',
      taxTotal: '3.20',
      lines: [line(), line({ lineNo: 2, sku: 'SKU-2', quantity: '0.425', unitPrice: '47.06', amount: '20.00' })],
      tenders: [
        { method: 'cash', amount: '40.00' },
        { method: 'card', amount: '3.20', cardBrand: 'visa', last4: '4242' },
      ],
    }),
    sale({
      sourceKey: 'S042/R1/2026-11-30/3',
      kind: 'return',
      total: '-21.60',
      taxTotal: '-1.60',
      lines: [line({ quantity: '-2', amount: '-20.00', tax: '-1.60' })],
      tenders: [{ method: 'card', amount: '-21.60' }],
      originalRef: { sourceKey: 'S042/R1/2026-11-29/9' },
    }),
    // The largest DECIMAL(18,6) short of 10^11: with the other totals (64.80) the sum needs 18 significant digits.
    sale({ sourceKey: 'S043/R2/2026-11-30/1', storeId: 'S043', total: '99999999999.999999', taxTotal: null }),
    sale({
      sourceKey: 'web/5001',
      storeId: null,
      channel: 'online',
      businessDate: '2026-12-01',
      occurredAt: '2026-12-01T00:30:00.000Z',
      findings: [{ code: 'placeholder.sku', severity: 'warning', path: '/lines/0/sku', message: 'looks like a placeholder' }],
    }),
    sale({
      sourceKey: 'S042/R1/2026-11-30/bad',
      findings: [{ code: 'totals.mismatch', severity: 'error', path: '/total', message: 'total 21.60 != lines 20.00' }],
    }),
    sale({ sourceKey: 'S042/R1/2026-11-30/too-precise', total: '21.6000005' }),
  ];
}
const VALID = 5;

describe('loadBatch', () => {
  let container: ContainerClient;
  let firstListing: Awaited<ReturnType<typeof listing>>;
  beforeAll(async () => {
    container = await lake.fresh();
  });

  test('writes one Parquet file per table and partition, in Hive folders, with a manifest each', async () => {
    const result = await loadBatch(container, { batchId: 'b1', transactions: batchOne() });
    expect(result.curated).toBe(VALID);
    expect(result.quarantined).toBe(2);
    firstListing = await listing(container);
    const names = firstListing.map((b) => b.name.replace(/-[0-9a-f]{12}\.parquet$/, '-N.parquet'));
    expect(names).toEqual([
      'curated/_batches/batch-b1.json',
      ...['tenders', 'transaction_lines', 'transactions'].flatMap((t) => [
        `curated/${t}/business_date=2026-11-30/store_id=S042/_manifest.json`,
        `curated/${t}/business_date=2026-11-30/store_id=S042/batch-b1-N.parquet`,
        `curated/${t}/business_date=2026-11-30/store_id=S043/_manifest.json`,
        `curated/${t}/business_date=2026-11-30/store_id=S043/batch-b1-N.parquet`,
        `curated/${t}/business_date=2026-12-01/store_id=__HIVE_DEFAULT_PARTITION__/_manifest.json`,
        `curated/${t}/business_date=2026-12-01/store_id=__HIVE_DEFAULT_PARTITION__/batch-b1-N.parquet`,
      ]),
      'quarantine/business_date=2026-11-30/source=canonical/batch-b1.ndjson',
    ]);
  });

  test('column types are explicit: DECIMAL(18,6), TIMESTAMP(UTC, MILLIS), DATE, STRING', async () => {
    const [file] = await downloadLive(lake, container, 'transactions');
    const schema = await query(
      lake,
      `SELECT name, type, converted_type, scale, precision, logical_type, duckdb_type FROM parquet_schema('${file}') WHERE name IN ('transaction_id', 'business_date', 'occurred_at', 'total', 'tax_total', 'line_count')`,
    );
    const byName = Object.fromEntries(schema.map((r) => [r.name, r]));
    expect(byName.total).toEqual({
      name: 'total',
      type: 'INT64',
      converted_type: 'DECIMAL',
      scale: '6',
      precision: '18',
      logical_type: 'DecimalType(scale=6, precision=18)',
      duckdb_type: 'DECIMAL(18,6)',
    });
    expect(byName.tax_total?.logical_type).toBe('DecimalType(scale=6, precision=18)');
    expect(byName.occurred_at).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', duckdb_type: 'TIMESTAMP WITH TIME ZONE' });
    expect(byName.occurred_at?.logical_type).toBe('TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=MilliSeconds(), MICROS=<null>, NANOS=<null>))');
    expect(byName.business_date).toMatchObject({ type: 'INT32', converted_type: 'DATE', logical_type: 'DateType()', duckdb_type: 'DATE' });
    expect(byName.transaction_id).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: 'StringType()', duckdb_type: 'VARCHAR' });
    expect(byName.line_count).toMatchObject({ type: 'INT32', duckdb_type: 'INTEGER' });
  });

  test('row counts and exact sums equal the canonical input, for all three tables', async () => {
    const input = batchOne().slice(0, VALID);
    const tx = await downloadLive(lake, container, 'transactions');
    const [agg] = await query(lake, `SELECT count(*)::INT AS n, sum(total)::VARCHAR AS s FROM read_parquet(${fileList(tx)})`);
    // 100000000064.799999 has 18 significant digits: a double could not even hold it.
    expect(agg).toEqual({ n: VALID, s: '100000000064.799999' });
    expect(sum(input.map((t) => t.total)).toFixed(6)).toBe('100000000064.799999');
    // The same sum from every value as read, added with big.js.
    const totals = await query(lake, `SELECT total::VARCHAR AS t FROM read_parquet(${fileList(tx)})`);
    expect(sum(totals.map((r) => String(r.t))).eq(sum(input.map((t) => t.total)))).toBe(true);

    const lines = await downloadLive(lake, container, 'transaction_lines');
    const [l] = await query(lake, `SELECT count(*)::INT AS n, sum(amount)::VARCHAR AS s, sum(quantity)::VARCHAR AS q FROM read_parquet(${fileList(lines)})`);
    expect(l).toEqual({ n: 6, s: sum(input.flatMap((t) => t.lines.map((x) => x.amount))).toFixed(6), q: '6.425000' }); // 2 + 2 + 0.425 - 2 + 2 + 2

    const tenders = await downloadLive(lake, container, 'tenders');
    const [t] = await query(lake, `SELECT count(*)::INT AS n, sum(amount)::VARCHAR AS s FROM read_parquet(${fileList(tenders)})`);
    expect(t).toEqual({ n: 6, s: sum(input.flatMap((x) => x.tenders.map((y) => y.amount))).toFixed(6) });
  });

  test('one row per transaction with the values as stated; Hive partition values read back by an engine', async () => {
    const files = await downloadLive(lake, container, 'transactions');
    const rows = await query(
      lake,
      `SELECT source_key, store_id, business_date::VARCHAR AS d, occurred_at = TIMESTAMPTZ '2026-12-01 00:30:00+00' AS at_half_past,
              kind, total::VARCHAR AS total, tax_total::VARCHAR AS tax, original_source_key, warnings IS NOT NULL AS warned
       FROM read_parquet(${fileList(files)}) ORDER BY source_key`,
    );
    expect(rows).toEqual([
      { source_key: 'S042/R1/2026-11-30/1', store_id: 'S042', d: '2026-11-30', at_half_past: false, kind: 'sale', total: '21.600000', tax: '1.600000', original_source_key: null, warned: false },
      { source_key: 'S042/R1/2026-11-30/2', store_id: 'S042', d: '2026-11-30', at_half_past: false, kind: 'sale', total: '43.200000', tax: '3.200000', original_source_key: null, warned: false },
      { source_key: 'S042/R1/2026-11-30/3', store_id: 'S042', d: '2026-11-30', at_half_past: false, kind: 'return', total: '-21.600000', tax: '-1.600000', original_source_key: 'S042/R1/2026-11-29/9', warned: false },
      { source_key: 'S043/R2/2026-11-30/1', store_id: 'S043', d: '2026-11-30', at_half_past: false, kind: 'sale', total: '99999999999.999999', tax: null, original_source_key: null, warned: false },
      { source_key: 'web/5001', store_id: null, d: '2026-12-01', at_half_past: true, kind: 'sale', total: '21.600000', tax: '1.600000', original_source_key: null, warned: true },
    ]);
    const root = files[0]!.slice(0, files[0]!.indexOf('/curated/'));
    const parts = await query(
      lake,
      `SELECT business_date::VARCHAR AS d, store_id, count(*)::INT AS n
       FROM read_parquet('${path.join(root, 'curated/transactions/*/*/*.parquet')}', hive_partitioning = true)
       GROUP BY ALL ORDER BY d, store_id NULLS LAST`,
    );
    expect(parts).toEqual([
      { d: '2026-11-30', store_id: 'S042', n: 3 },
      { d: '2026-11-30', store_id: 'S043', n: 1 },
      { d: '2026-12-01', store_id: null, n: 1 },
    ]);
  });

  test('quarantine holds the rejected transactions with their findings, as NDJSON', async () => {
    const name = quarantineBlobName('2026-11-30', 'canonical', 'b1');
    const text = (await container.getBlobClient(name).downloadToBuffer()).toString('utf8');
    const entries = text.trimEnd().split('\n').map((l) => JSON.parse(l) as CanonicalTransaction);
    expect(entries.map((e) => [e.sourceKey, e.findings.map((f) => `${f.severity}:${f.code}`)])).toEqual([
      ['S042/R1/2026-11-30/bad', ['error:totals.mismatch']],
      ['S042/R1/2026-11-30/too-precise', ['error:lake.unstorable_value']],
    ]);
    expect(entries[1]!.findings[0]!.message).toBe('transactions.total: 21.6000005 has more than 6 decimals and cannot be stored exactly in DECIMAL(18,6)');
    expect(entries[1]!.total).toBe('21.6000005');
  });

  test('loading the same batch again leaves the lake exactly as it was', async () => {
    const again = await loadBatch(container, { batchId: 'b1', transactions: batchOne() });
    expect(again.partitions.map((p) => p.status)).toEqual(Array(9).fill('unchanged'));
    expect(again.quarantine.map((q) => q.status)).toEqual(['unchanged']);
    expect(await listing(container)).toEqual(firstListing);
  });
});

describe('a transaction id loaded by two batches', () => {
  const a = sale({ sourceKey: 'A' });
  const b = sale({ sourceKey: 'B', total: '10.00', tenders: [{ method: 'cash', amount: '10.00' }] });
  const dir = partitionDir('transactions', { businessDate: '2026-11-30', storeId: 'S042' });

  test('the later load wins and the earlier file is rewritten without it', async () => {
    const container = await lake.fresh();
    await loadBatch(container, { batchId: 'b1', transactions: [a, b] });
    const aNew = { ...a, total: '25.00', tenders: [{ method: 'card' as const, amount: '25.00' }] };
    const r2 = await loadBatch(container, { batchId: 'b2', transactions: [aNew] });
    expect(r2.partitions.find((p) => p.table === 'transactions')?.replaced).toEqual([expect.stringMatching(/^batch-b1-[0-9a-f]{12}\.parquet$/)]);

    const live = await readPartition(container, 'transactions', { businessDate: '2026-11-30', storeId: 'S042' });
    expect(live.rows.map((r) => [r.source_key, r.total, r.batch_id]).sort()).toEqual([
      ['A', '25.000000', 'b2'],
      ['B', '10.000000', 'b1'],
    ]);
    expect(live.files.map((f) => f.name.replace(/-[0-9a-f]{12}/, ''))).toEqual(['rewrite.parquet', 'batch-b2.parquet']);
    const tenders = await readPartition(container, 'tenders', { businessDate: '2026-11-30', storeId: 'S042' });
    expect(tenders.rows.map((r) => [r.transaction_id === a.id ? 'A' : 'B', r.amount]).sort()).toEqual([
      ['A', '25.000000'],
      ['B', '10.000000'],
    ]);
    // The replaced file is gone: only live files and the manifest remain in the folder.
    const names = (await listing(container, dir + '/')).map((x) => x.name.slice(dir.length + 1));
    expect(names.sort()).toEqual([...live.files.map((f) => f.name), '_manifest.json'].sort());

    // A retried old load (same content) does not bring the stale version back...
    const before = await listing(container);
    const retry = await loadBatch(container, { batchId: 'b1', transactions: [a, b] });
    expect(retry.partitions.every((p) => p.status === 'unchanged')).toBe(true);
    expect(await listing(container)).toEqual(before);
    // ...but a reload of b1 with new content replaces b1's rows and takes A back (last write wins).
    const aThird = { ...a, total: '30.00', tenders: [{ method: 'card' as const, amount: '30.00' }] };
    await loadBatch(container, { batchId: 'b1', transactions: [aThird] });
    const after = await readPartition(container, 'transactions', { businessDate: '2026-11-30', storeId: 'S042' });
    expect(after.rows.map((r) => [r.source_key, r.total, r.batch_id]).sort()).toEqual([['A', '30.000000', 'b1']]);
    const manifest = (await readManifest(container, dir))!.manifest;
    expect(manifest.files.map((f) => f.batches)).toEqual([{ b1: [a.id] }]);
  });

  test('a reload that no longer has a partition or a quarantine entry clears them', async () => {
    const container = await lake.fresh();
    const other = sale({ sourceKey: 'C', storeId: 'S099' });
    const bad = sale({ sourceKey: 'D', findings: [{ code: 'x', severity: 'error', path: '', message: 'bad' }] });
    await loadBatch(container, { batchId: 'b9', transactions: [a, other, bad] });
    const r = await loadBatch(container, { batchId: 'b9', transactions: [a] });
    expect(r.partitions.filter((p) => p.status === 'cleared').map((p) => p.dir).sort()).toEqual([
      'curated/tenders/business_date=2026-11-30/store_id=S099',
      'curated/transaction_lines/business_date=2026-11-30/store_id=S099',
      'curated/transactions/business_date=2026-11-30/store_id=S099',
    ]);
    expect((await readPartition(container, 'transactions', { businessDate: '2026-11-30', storeId: 'S099' })).rows).toEqual([]);
    expect(await container.getBlobClient(quarantineBlobName('2026-11-30', 'canonical', 'b9')).exists()).toBe(false);
    const names = (await listing(container)).map((x) => x.name);
    expect(names.filter((n) => n.includes('S099'))).toEqual([
      'curated/tenders/business_date=2026-11-30/store_id=S099/_manifest.json',
      'curated/transaction_lines/business_date=2026-11-30/store_id=S099/_manifest.json',
      'curated/transactions/business_date=2026-11-30/store_id=S099/_manifest.json',
    ]);
  });
});

describe('bad input', () => {
  test('a batch id that cannot be part of a blob name is refused before anything is written', async () => {
    const container = await lake.fresh();
    await expect(loadBatch(container, { batchId: '../x', transactions: [sale()] })).rejects.toThrow('batch id "../x" must match');
    expect(await listing(container)).toEqual([]);
  });

  test('something that is not a canonical transaction is quarantined with schema findings, not dropped', async () => {
    const container = await lake.fresh();
    const junk = { id: 'j1', source: 'shopify', businessDate: '2026-11-30', total: 12 };
    const r = await loadBatch(container, { batchId: 'junk', transactions: [junk, 'text'] });
    expect(r).toMatchObject({ curated: 0, quarantined: 2 });
    const q1 = (await container.getBlobClient('quarantine/business_date=2026-11-30/source=shopify/batch-junk.ndjson').downloadToBuffer()).toString();
    const entry = JSON.parse(q1) as { id: string; findings: Array<{ code: string; message: string }> };
    expect(entry.id).toBe('j1');
    expect(entry.findings.every((f) => f.code === 'schema.invalid')).toBe(true);
    expect(entry.findings.map((f) => f.message)).toContain('/total: Invalid input: expected string, received number');
    const q2 = (await container.getBlobClient('quarantine/business_date=__HIVE_DEFAULT_PARTITION__/source=__HIVE_DEFAULT_PARTITION__/batch-junk.ndjson').downloadToBuffer()).toString();
    expect(JSON.parse(q2)).toMatchObject({ value: 'text' });
  });

  test('a store id with path characters stays one Hive folder and reads back unchanged', async () => {
    const container = await lake.fresh();
    await loadBatch(container, { batchId: 'esc', transactions: [sale({ storeId: 'A/B=C%' })] });
    const names = (await listing(container, 'curated/transactions/')).map((x) => x.name);
    expect(names[0]).toBe('curated/transactions/business_date=2026-11-30/store_id=A%2FB%3DC%25/_manifest.json');
    const live = await readPartition(container, 'transactions', { businessDate: '2026-11-30', storeId: 'A/B=C%' });
    expect(live.rows.map((r) => r.store_id)).toEqual(['A/B=C%']);
  });
});
