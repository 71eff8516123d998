// The fetcher as Azure runs it: functions/index.ts in the local runtime, a signed Square order.updated
// and a Clover notification posted to the webhook endpoint, then the fetchWorkItems timer started
// through the admin API. The orders come from the fake vendor API, go through the real ingestBatch
// orchestration and end up in the lake's curated zone.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Runtime } from '../../local/runtime';
import { startFakeVendorApi, type FakeVendorApi } from '../support/fakeVendorApi';
import { curatedTransactions, lakeOf, settledBatch, startHub, tableRows } from '../webhooks/hubRuntime';
import { squareSignature } from '../webhooks/signDelivery';

const fixtureJson = (p: string) =>
  JSON.parse(readFileSync(path.join(__dirname, '../fixtures', p), 'utf8')) as Record<string, unknown>;
const SQUARE_URL = 'https://hub.example.com/api/v1/webhooks/square';
const SQUARE_TOKEN = 'EAAAl-runtime-square-token-31c0';
const CLOVER_TOKEN = 'clover-runtime-token-8d42';
const MERCHANT = 'SJ925KWR8K6S2';
const SQUARE_ORDER_ID = 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY';
const CLOVER_ORDER_ID = '3ZSQ4F0B1H8Q2';

let runtime: Runtime;
let api: FakeVendorApi;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  api = await startFakeVendorApi({ squareToken: SQUARE_TOKEN, cloverTokens: { [MERCHANT]: CLOVER_TOKEN } });
  api.squareOrders.set(
    SQUARE_ORDER_ID,
    (fixtureJson('square/order-created-full.json').data as { object: { order: unknown } }).object.order,
  );
  api.cloverOrders.set(`${MERCHANT}/${CLOVER_ORDER_ID}`, fixtureJson('clover/order-split-tender.json'));
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-fetcher-'));
  runtime = await startHub(
    dataDir,
    {
      SQUARE_WEBHOOK_SIGNATURE_KEYS: 'square-key',
      SQUARE_WEBHOOK_URL: SQUARE_URL,
      CLOVER_AUTH_CODES: 'clover-code',
      SQUARE_ACCESS_TOKEN: SQUARE_TOKEN,
      SQUARE_API_BASE_URL: api.baseUrl,
      CLOVER_API_TOKENS: JSON.stringify({ [MERCHANT]: CLOVER_TOKEN }),
      CLOVER_API_BASE_URL: api.baseUrl,
      // Once a year: the test starts the run itself.
      POS_HUB_FETCH_SCHEDULE: '0 0 0 1 1 *',
    },
    logs,
  );
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(vendor: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/webhooks/${vendor}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Row = {
  partitionKey: string;
  vendor: string;
  objectType: string;
  objectId: string;
  status: string;
  batchId?: string;
  sweptAt?: string;
};

async function settledRows(timeoutMs = 30_000): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The work items, without the retention sweep's marker row.
    const rows = (await tableRows<Row>(runtime, 'workItems')).filter((r) => r.partitionKey !== 'retention');
    if (rows.length > 0 && rows.every((r) => r.status !== 'pending')) return rows;
    if (Date.now() > deadline) throw new Error(`work items still pending:\n${logs.slice(-20).join('\n')}`);
    await sleep(200);
  }
}

test('notification-only webhooks -> fetchWorkItems -> the orders are curated, once', async () => {
  const event = fixtureJson('square/order-updated.json');
  const square = JSON.stringify({
    ...event,
    event_id: `ev-${randomUUID()}`,
    created_at: new Date().toISOString(),
  });
  const squareAnswer = await post('square', square, {
    'content-type': 'application/json',
    'x-square-hmacsha256-signature': squareSignature('square-key', SQUARE_URL, square),
  });
  expect([squareAnswer.status, squareAnswer.body.status]).toEqual([200, 'fetch_needed']);
  const ts = Date.now() - 1_000;
  const clover = JSON.stringify({
    appId: 'DRKVJT2ZRRRSC',
    merchants: {
      [MERCHANT]: [
        { objectId: `O:${CLOVER_ORDER_ID}`, type: 'UPDATE', ts },
        { objectId: 'P:JZ4SN1G6M2QKE', type: 'CREATE', ts },
      ],
    },
  });
  const cloverAnswer = await post('clover', clover, {
    'content-type': 'application/json',
    'x-clover-auth': 'clover-code',
  });
  expect([cloverAnswer.status, cloverAnswer.body]).toMatchObject([
    200,
    { status: 'fetch_needed', workItems: 2 },
  ]);

  const run = await fetch(`${runtime.baseUrl}/admin/functions/fetchWorkItems`, {
    method: 'POST',
    headers: { 'x-functions-key': runtime.functionKey, 'content-type': 'application/json' },
    body: JSON.stringify({ input: '' }),
  });
  expect(run.status).toBe(202);
  const rows = await settledRows();
  expect(rows.map((r) => `${r.vendor} ${r.objectType} ${r.status}`).sort()).toEqual([
    'clover order fetched',
    'clover payment skipped',
    'square order fetched',
  ]);
  expect(api.requests.map((r) => [r.pathname, r.authorized]).sort()).toEqual([
    [`/v2/orders/${SQUARE_ORDER_ID}`, true],
    [`/v3/merchants/${MERCHANT}/orders/${CLOVER_ORDER_ID}`, true],
  ]);

  // The run's outcome event (docs/operations.md); summed over lines, in case the schedule ran too.
  // The rows settle before the run writes its event: wait for the event too.
  const outcomesOf = () => logs.filter((l) => l.includes('pos-hub.fetch-outcome '));
  const total = (key: string) => outcomesOf().reduce((n, l) => n + Number(new RegExp(`\\b${key}=(\\d+)`).exec(l)?.[1] ?? NaN), 0);
  for (let i = 0; i < 100 && !(total('fetched') >= 2); i++) await sleep(100);
  const outcomes = outcomesOf();
  expect(outcomes.every((l) => l.startsWith('[fetchWorkItems] information: '))).toBe(true);
  expect(['fetched', 'gone', 'skipped', 'failed', 'waiting'].map(total)).toEqual([2, 0, 1, 0, 0]);

  const batches = rows.filter((r) => r.status === 'fetched').map((r) => r.batchId!);
  for (const batchId of batches) {
    expect(await settledBatch(runtime, batchId, logs)).toMatchObject({
      status: 'completed',
      transactions: 1,
    });
  }
  // Each order is in curated once, from its fetch batch.
  const curated = await curatedTransactions(lakeOf(runtime));
  const fromFetches = [...curated].filter(([, ids]) => ids.some((id) => batches.includes(id)));
  expect(fromFetches.map(([, ids]) => ids.length)).toEqual([1, 1]);
  // The run swept the table after its work (nothing had expired yet: every row is still there).
  const deadline = Date.now() + 10_000;
  let marker: Row | undefined;
  while (!marker && Date.now() < deadline) {
    marker = (await tableRows<Row>(runtime, 'workItems')).find((r) => r.partitionKey === 'retention');
    if (!marker) await sleep(100);
  }
  expect(marker?.sweptAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect((await tableRows<Row>(runtime, 'workItems')).filter((r) => r.objectId).length).toBe(rows.length);
  // And the webhook delivery ledger after it, in the same run: its marker, and both deliveries kept.
  let ledger: (Row & { eventId?: string })[] = [];
  while (Date.now() < deadline) {
    ledger = await tableRows<Row & { eventId?: string }>(runtime, 'PosHubWebhookDeliveries');
    if (ledger.some((r) => r.partitionKey === 'retention')) break;
    await sleep(100);
  }
  expect(ledger.find((r) => r.partitionKey === 'retention')?.sweptAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(
    ledger
      .filter((r) => r.eventId)
      .map((r) => r.partitionKey)
      .sort(),
  ).toEqual(['clover', 'square']);
  expect(logs.join('\n')).not.toContain(SQUARE_TOKEN);
  expect(logs.join('\n')).not.toContain(CLOVER_TOKEN);
}, 60_000);
