// POS_HUB_STORES end to end on the real local runtime: a CSV export from two stores in different zones,
// local times without offset, ingested over HTTP; the curated rows hold each store's UTC instant and
// business date, an unconfigured store's rows the default zone's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Runtime } from '../../local/runtime';
import { listPartitions, readPartition } from '../../shared/lake';
import { lakeOf, quarantinedTransactions, settledBatch, startHub } from '../webhooks/hubRuntime';

jest.setTimeout(80_000);

let runtime: Runtime | undefined;
let dataDir: string;
const logs: string[] = [];
const CSV = readFileSync(path.join(__dirname, '../fixtures/csv/two-stores.csv'), 'utf8');

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-stores-'));
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const asIso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Curated transaction rows: source key -> [store, occurred_at (ISO), business_date, currency]. */
async function curatedRows(): Promise<Record<string, unknown[]>> {
  const lake = lakeOf(runtime!);
  const out: Record<string, unknown[]> = {};
  for (const partition of await listPartitions(lake, 'transactions')) {
    for (const row of (await readPartition(lake, 'transactions', partition)).rows) {
      const at = asIso(row.occurred_at);
      const day = row.business_date;
      out[String(row.source_key)] = [row.store_id, at, day, row.currency];
    }
  }
  return out;
}

test("a two-store CSV export lands at each store's instants and business dates", async () => {
  runtime = await startHub(
    dataDir,
    {
      POS_HUB_DEFAULT_TIMEZONE: 'Europe/Stockholm',
      POS_HUB_DEFAULT_CURRENCY: 'EUR',
      POS_HUB_STORES: JSON.stringify({ S001: { timeZone: 'America/New_York' }, S042: { timeZone: 'America/Los_Angeles', currency: 'USD' } }),
    },
    logs,
  );
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/csv`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'text/csv' },
    body: CSV,
  });
  expect(res.status).toBe(202);
  const { batchId } = (await res.json()) as { batchId: string };
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', transactions: 5, accepted: 5, quarantined: 0 });
  expect([...(await quarantinedTransactions(lakeOf(runtime))).keys()]).toEqual([]);
  expect(await curatedRows()).toEqual({
    // 23:30 in Los Angeles: 07:30 UTC the next day, business date 30 November; the store's currency.
    T2001: ['S042', '2026-12-01T07:30:00.000Z', '2026-11-30', 'USD'],
    T2002: ['S001', '2026-12-01T04:30:00.000Z', '2026-11-30', 'USD'],
    // Not configured: the default zone (Stockholm) and currency.
    T2003: ['S099', '2026-11-30T22:30:00.000Z', '2026-11-30', 'EUR'],
    // The file's offset wins over the store's zone.
    T2004: ['S042', '2026-12-01T04:30:00.000Z', '2026-11-30', 'USD'],
    T2005: ['S042', '2026-12-01T09:15:00.000Z', '2026-11-30', 'CAD'],
  });
});
