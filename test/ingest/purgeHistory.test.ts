// The daily history purge (functions/purgeHistory.ts) through the real app in the local runtime: a
// finished batch's orchestration history goes, the batch status still answers from the ledger with the
// same counts, and a resend of the batch is still the same batch and starts nothing. Only finished
// instances are asked for (running ones keep their history: the filter test).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { purgeFinishedHistory } from '../../shared/orchestration/purgeFinishedHistory';
import { startRuntime, type Runtime } from '../../local/runtime';

jest.setTimeout(60_000);

let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];
const order = readFileSync(path.join(__dirname, '../fixtures/shopify/order-web-discounts.json'));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-purge-'));
  runtime = await startRuntime({
    dataDir,
    entry: path.join(__dirname, '../../functions/index'),
    // 0 days: every finished instance is old enough, so the test need not wait a month.
    settings: { POS_HUB_HISTORY_RETENTION_DAYS: '0', POS_HUB_DEFAULT_TIMEZONE: 'America/New_York', POS_HUB_DEFAULT_CURRENCY: 'USD' },
    log: (m) => logs.push(m),
  });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const headers = () => ({ 'x-functions-key': runtime.functionKey });

async function ingest(body: Buffer) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/ingest/shopify`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body });
  return (await res.json()) as { batchId: string; statusUrl: string };
}

async function status(url: string) {
  return (await (await fetch(url, { headers: headers() })).json()) as { status: string; transactions: number; accepted: number; quarantined: number };
}

const instance = async (id: string) => (await fetch(`${runtime.baseUrl}/runtime/webhooks/durabletask/instances/${id}`)).status;

async function runPurge(): Promise<string> {
  const before = logs.length;
  expect((await fetch(`${runtime.baseUrl}/admin/functions/purgeHistory`, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: '{"input":""}' })).status).toBe(202);
  for (let i = 0; i < 100; i++) {
    const line = logs.slice(before).find((l) => l.includes('purgeHistory: purged'));
    if (line) return line;
    await sleep(100);
  }
  throw new Error(`the purge did not run:\n${logs.slice(-20).join('\n')}`);
}

test('a finished batch: its history is purged, its status and a resend still answer from the ledger', async () => {
  const batch = await ingest(order);
  let done = await status(batch.statusUrl);
  for (let i = 0; i < 200 && done.status !== 'completed'; i++) {
    await sleep(100);
    done = await status(batch.statusUrl);
  }
  expect(done).toMatchObject({ status: 'completed', transactions: 1, accepted: 1, quarantined: 0 });
  expect(await instance(batch.batchId)).toBe(200);

  expect(await runPurge()).toMatch(/purgeHistory: purged [1-9]\d* finished instance\(s\) created before /);
  expect(await instance(batch.batchId)).toBe(404);
  expect(await status(batch.statusUrl)).toEqual(done);

  // The resend is the same batch; the ledger says it completed, so no orchestration starts again.
  expect(await ingest(order)).toEqual(batch);
  await sleep(500);
  expect(await instance(batch.batchId)).toBe(404);
  expect(await status(batch.statusUrl)).toEqual(done);
});

test('the filter: finished instances only, created before the retention period', async () => {
  const calls: unknown[] = [];
  const client = {
    purgeInstanceHistoryBy: async (filter: unknown) => {
      calls.push(filter);
      return { instancesDeleted: 3 };
    },
  };
  const now = new Date('2026-11-30T03:15:00Z');
  expect(await purgeFinishedHistory(client, ['Completed', 'Failed', 'Terminated'], 30, now)).toEqual({ instancesDeleted: 3, createdBefore: new Date('2026-10-31T03:15:00Z') });
  expect(calls).toEqual([{ createdTimeFrom: new Date(0), createdTimeTo: new Date('2026-10-31T03:15:00Z'), runtimeStatus: ['Completed', 'Failed', 'Terminated'] }]);
});
