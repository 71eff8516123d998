// Compaction: fewer files, the same answer, and old batches still replace rather than duplicate.
import Big from 'big.js';
import type { ContainerClient } from '@azure/storage-blob';
import { sale } from '../support/canonical';
import { compactPartition, loadBatch, partitionDir, readManifest, readPartition } from '../../shared/lake';
import { downloadLive, fileList, listing, query, startLake, type Lake } from './lakeFixture';

let lake: Lake;
beforeAll(async () => {
  lake = await startLake();
}, 60_000);
afterAll(async () => {
  await lake?.stop();
});

const P = { businessDate: '2026-11-30', storeId: 'S042' };
const dir = partitionDir('transactions', P);
const tx = (n: number, total = `${n}.25`) =>
  sale({ sourceKey: `S042/R1/2026-11-30/${n}`, total, tenders: [{ method: 'card', amount: total }] });

// The six batches' totals: 10.25 + 11.25 + 20.25 + ... + 61.25.
const ALL = [1, 2, 3, 4, 5, 6].flatMap((b) => [`${b * 10}.25`, `${b * 10 + 1}.25`]);
const sumOf = (values: string[]) => values.reduce((s, v) => s.plus(v), new Big(0)).toFixed(6);

async function answer(container: ContainerClient) {
  const files = await downloadLive(lake, container, 'transactions');
  const [row] = await query(lake, `SELECT count(*)::INT AS n, count(DISTINCT transaction_id)::INT AS ids, sum(total)::VARCHAR AS s FROM read_parquet(${fileList(files)})`);
  return { files: files.length, ...row };
}

describe('compactPartition', () => {
  let container: ContainerClient;
  beforeAll(async () => {
    container = await lake.fresh();
    for (let b = 1; b <= 6; b++) await loadBatch(container, { batchId: `b${b}`, transactions: [tx(b * 10), tx(b * 10 + 1)] });
  });

  test('merges the small files into one and the same query gives the same answer', async () => {
    expect(sumOf(ALL)).toBe('429.000000');
    expect(await answer(container)).toEqual({ files: 6, n: 12, ids: 12, s: sumOf(ALL) });
    const r = await compactPartition(container, 'transactions', P, { targetBytes: 1024 * 1024 });
    expect(r).toMatchObject({ filesBefore: 6, filesAfter: 1, leftovers: [] });
    expect(r.merged).toHaveLength(6);
    expect(await answer(container)).toEqual({ files: 1, n: 12, ids: 12, s: sumOf(ALL) });
    // The replaced files are deleted after the swap: the folder holds the manifest and the merged file.
    const names = (await listing(container, dir + '/')).map((b) => b.name.slice(dir.length + 1));
    expect(names).toEqual(['_manifest.json', r.created[0]]);
    const manifest = (await readManifest(container, dir))!.manifest;
    expect(Object.keys(manifest.files[0]!.batches).sort()).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
  });

  test('files at or above the target size are left alone, and a second run has nothing to do', async () => {
    const before = await listing(container);
    const r = await compactPartition(container, 'transactions', P, { targetBytes: 1024 * 1024 });
    expect(r).toMatchObject({ filesBefore: 1, filesAfter: 1, merged: [], created: [] });
    expect(await listing(container)).toEqual(before);
  });

  test('re-loading an old batch after compaction changes nothing; with new content it replaces its rows', async () => {
    const before = await listing(container);
    const same = await loadBatch(container, { batchId: 'b3', transactions: [tx(30), tx(31)] });
    expect(same.partitions.every((p) => p.status === 'unchanged')).toBe(true);
    expect(await listing(container)).toEqual(before);

    // b3 now carries 30 with another total and no longer 31: 31 leaves, 30 is replaced, nothing doubles.
    await loadBatch(container, { batchId: 'b3', transactions: [tx(30, '100.00')] });
    expect(await answer(container)).toEqual({ files: 2, n: 11, ids: 11, s: sumOf([...ALL.filter((v) => v !== '30.25' && v !== '31.25'), '100.00']) });
    const live = await readPartition(container, 'transactions', P);
    expect(live.rows.filter((r) => r.batch_id === 'b3').map((r) => [r.source_key, r.total])).toEqual([['S042/R1/2026-11-30/30', '100.000000']]);
  });

  test('unlisted leftovers are swept once past the grace period, never before', async () => {
    const stray = container.getBlockBlobClient(`${dir}/batch-lost-000000000000.parquet`);
    await stray.upload('not really parquet', 18);
    const young = await compactPartition(container, 'transactions', P, { targetBytes: 1 });
    expect(young.orphansDeleted).toEqual([]);
    expect(await stray.exists()).toBe(true);
    const old = await compactPartition(container, 'transactions', P, { targetBytes: 1, orphanGraceMs: 0, now: () => new Date(Date.now() + 1000) });
    expect(old.orphansDeleted).toEqual(['batch-lost-000000000000.parquet']);
    expect(await stray.exists()).toBe(false);
    expect(await answer(container)).toMatchObject({ n: 11, ids: 11 });
  });
});
