// Acceptance: 50,000 rows loaded into the stand-in while it throttles (429 0x80072322), none lost or
// duplicated. In its own file: on two shared cores the load alone takes most of a minute.
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';
import { createDataverseClient, lineKey, toDataverseRow, upsertRows } from '../../shared/dataverse';
import { salesOverStores } from '../support/canonical';

let dv: DataverseStandIn | undefined;
afterAll(async () => {
  await dv?.stop();
});

test('50,000 rows load under throttling with none lost or duplicated', async () => {
  const service = await startDataverseStandIn({ limits: { requestsPerWindow: 30, windowMs: 1000, maxConcurrent: 52, dopHint: 16 } });
  dv = service;
  const client = createDataverseClient({ environmentUrl: service.url });
  const txs = salesOverStores(9_996); // 20 stores + 9,996 transactions + 39,984 lines = 50,000 rows
  const rows = txs.flatMap((tx) => {
    const mapped = toDataverseRow(tx);
    if (!mapped.ok) throw new Error('mapping failed');
    return mapped.rows;
  });
  // Spend the window's allowance first (as another job of the same user would), so the load starts
  // throttled whatever pace this shared machine allows it afterwards.
  await Promise.all(Array.from({ length: 30 }, () => fetch(`${service.url}/api/data/v9.2/pos_stores?$top=1`, { headers: { Authorization: 'Bearer local-dev' } })));
  const result = await upsertRows(client, rows);

  expect(result.failures).toEqual([]);
  expect(result.upserted).toBe(50_000);
  expect(result.merged).toBe(9_976); // the store rows of 9,996 transactions, merged into 20
  const stores = service.rows('pos_stores');
  const transactions = service.rows('pos_transactions');
  const lines = service.rows('pos_transactionlines');
  expect(stores.length + transactions.length + lines.length).toBe(50_000);
  const txKeys = transactions.map((r) => r.pos_hubid);
  expect(new Set(txKeys).size).toBe(9_996);
  expect(txKeys.sort()).toEqual(txs.map((t) => t.id).sort());
  const lineKeys = lines.map((r) => r.pos_hublineid);
  expect(new Set(lineKeys).size).toBe(39_984);
  expect(lineKeys.sort()).toEqual(txs.flatMap((t) => [1, 2, 3, 4].map((n) => lineKey(t.id, n))).sort());
  expect(new Set(stores.map((r) => r.pos_hubstoreid)).size).toBe(20);

  const served = service.stats();
  expect(served.throttled['0x80072322']).toBeGreaterThan(0);
  expect(served.throttled['0x80072326']).toBeUndefined();
  expect(client.stats().throttled['0x80072322']).toBe(served.throttled['0x80072322']);
  expect(served.maxInFlight).toBeLessThanOrEqual(52);
}, 60_000);

