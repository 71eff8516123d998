// Concurrent writers on one partition: the ETag-conditioned manifest swap loses no update.
import Big from 'big.js';
import { sale } from '../support/canonical';
import { compactPartition, loadBatch, partitionDir, readManifest, readPartition } from '../../shared/lake';
import { listing, startLake, type Lake } from './lakeFixture';

let lake: Lake;
beforeAll(async () => {
  lake = await startLake();
}, 60_000);
afterAll(async () => {
  await lake?.stop();
});

const P = { businessDate: '2026-11-30', storeId: 'S042' };
const tx = (b: number, i: number) => sale({ sourceKey: `S042/R${b}/2026-11-30/${i}`, total: `${b}.0${i}`, tenders: [{ method: 'card', amount: `${b}.0${i}` }] });
const batch = (b: number) => ({ batchId: `c${b}`, transactions: [1, 2, 3].map((i) => tx(b, i)) });

test('two loads into the same partition at once both land', async () => {
  const container = await lake.fresh();
  const [r1, r2] = await Promise.all([loadBatch(container, batch(1)), loadBatch(container, batch(2))]);
  expect([r1.curated, r2.curated]).toEqual([3, 3]);
  const live = await readPartition(container, 'transactions', P);
  expect(live.rows.map((r) => r.source_key).sort()).toEqual([1, 2].flatMap((b) => [1, 2, 3].map((i) => `S042/R${b}/2026-11-30/${i}`)));
  const manifest = (await readManifest(container, partitionDir('transactions', P)))!.manifest;
  expect(Object.keys(manifest.batches).sort()).toEqual(['c1', 'c2']);
});

test('eight concurrent loads, one of them a duplicate of another, and a compaction racing them lose nothing', async () => {
  const container = await lake.fresh();
  const loads = [1, 2, 3, 4, 5, 6, 7, 1].map((b) => loadBatch(container, batch(b), { concurrency: 3 }));
  const compactions = [compactPartition(container, 'transactions', P, { targetBytes: 1 << 20 })];
  await Promise.all([...loads, ...compactions]);
  const live = await readPartition(container, 'transactions', P);
  expect(live.rows).toHaveLength(21);
  expect(new Set(live.rows.map((r) => r.transaction_id)).size).toBe(21);
  const expected = [1, 2, 3, 4, 5, 6, 7].flatMap((b) => [1, 2, 3].map((i) => new Big(`${b}.0${i}`))).reduce((s, v) => s.plus(v));
  expect(live.rows.reduce((s, r) => s.plus(String(r.total)), new Big(0)).eq(expected)).toBe(true);
  for (const table of ['transaction_lines', 'tenders'] as const) {
    expect((await readPartition(container, table, P)).rows).toHaveLength(21);
  }
  // Every parquet blob in the folder is one the manifest lists: losers of a race cleaned up after themselves.
  const dir = partitionDir('transactions', P);
  const inFolder = (await listing(container, dir + '/')).map((b) => b.name.slice(dir.length + 1)).filter((n) => n.endsWith('.parquet'));
  expect(inFolder.sort()).toEqual(live.files.map((f) => f.name).sort());
}, 60_000);
