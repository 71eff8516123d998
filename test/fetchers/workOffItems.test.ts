// The work-item fetcher against real Azurite (work items, batch ledger, lake blobs) and a fake Square and
// Clover API on loopback (test/support/fakeVendorApi.ts); acceptBatch is the real one, with the
// orchestration starter recorded (as in test/ingest/acceptBatch.test.ts). Work items are made the way
// the webhook endpoint makes them: the adapters' work items from the vendors' webhook fixtures, stored
// with the work item store.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { CLOVER_ORDER_EXPAND } from '../../shared/fetchers/fetchCloverOrder';
import { SQUARE_VERSION } from '../../shared/fetchers/fetchSquareOrder';
import { workOffItems, type WorkOffDeps, type WorkOffLimits } from '../../shared/fetchers/workOffItems';
import {
  acceptBatch,
  type AcceptBatchDeps,
  type IngestBatchInput,
  type OrchestrationRuntimeStatus,
} from '../../shared/ingest/acceptBatch';
import { batchIdOf } from '../../shared/ingest/batchIdOf';
import type { Settings } from '../../shared/platform/settings';
import { adapterFor } from '../../shared/sources/registry';
import type { WorkItem } from '../../shared/sources/types';
import { BATCH_LEDGER_TABLE, createBatchLedger, type BatchLedger } from '../../shared/stores/batchLedger';
import {
  createWorkItemQueue,
  createWorkItemStore,
  type WorkItemEntity,
} from '../../shared/webhooks/workItemStore';
import { withCheckDigit } from '../support/cards';
import { startFakeVendorApi, type FakeVendorApi } from '../support/fakeVendorApi';
import { newYorkStoreContext } from '../support/storeContext';

const fixtureJson = (p: string) =>
  JSON.parse(readFileSync(path.join(__dirname, '../fixtures', p), 'utf8')) as Record<string, unknown>;

const SQUARE_TOKEN = 'EAAAl-square-test-token-7f3a9c';
const CLOVER_MERCHANT = 'SJ925KWR8K6S2';
const OTHER_MERCHANT = '7XKQ1M3N5B8V0';
const CLOVER_TOKEN = 'clover-test-token-5b21e8';
const SQUARE_ORDER_ID = 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY';
/** The seller of the Square fixtures, and two more with tokens of their own. */
const SQUARE_SELLER = 'MLX4T9W1QZ3B8';
const SELLER_A = 'L88917AVBK2S5';
const SELLER_B = 'LQ4Z9V3E7N2MR';
const SELLER_A_TOKEN = 'EAAAl-seller-a-token-4e91';
const SELLER_B_TOKEN = 'EAAAl-seller-b-token-0c57';
const CLOVER_ORDER_ID = '3ZSQ4F0B1H8Q2';

/** The order Square's RetrieveOrder answers for the fixture's order.updated notification. */
const squareOrder = (
  fixtureJson('square/order-created-full.json').data as { object: { order: Record<string, unknown> } }
).object.order;
const cloverOrder = fixtureJson('clover/order-split-tender.json');

let azurite: AzuriteInstance;
let api: FakeVendorApi;
let lake: ContainerClient;
let ledger: BatchLedger;
let acceptDeps: AcceptBatchDeps;
const started: { id: string; input: IngestBatchInput }[] = [];
const statuses = new Map<string, OrchestrationRuntimeStatus>();
let tableNo = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  api = await startFakeVendorApi({
    squareToken: SQUARE_TOKEN,
    squareSellerTokens: { [SELLER_A]: SELLER_A_TOKEN, [SELLER_B]: SELLER_B_TOKEN },
    cloverTokens: { [CLOVER_MERCHANT]: CLOVER_TOKEN },
  });
  lake = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lake');
  await lake.createIfNotExists();
  ledger = createBatchLedger(
    TableClient.fromConnectionString(azurite.connectionString, BATCH_LEDGER_TABLE, {
      allowInsecureConnection: true,
    }),
  );
  acceptDeps = {
    lake,
    ledger,
    maxBodyBytes: 4 * 1024 * 1024,
    orchestrationStatus: async (id) => statuses.get(id) ?? null,
    startOrchestration: async (id, input) => {
      started.push({ id, input });
      statuses.set(id, 'Pending');
    },
  };
}, 30_000);

afterAll(async () => {
  await api?.close();
  await azurite?.stop();
});

beforeEach(() => {
  api.squareOrders.clear();
  api.squareSellerOrders.clear();
  api.cloverOrders.clear();
  api.requests.length = 0;
});

function fetcherSettings(over: Partial<Settings['fetcher']> = {}): Settings['fetcher'] {
  return {
    schedule: '0 */1 * * * *',
    squareAccessToken: SQUARE_TOKEN,
    squareAccessTokens: {},
    squareApiBaseUrl: api.baseUrl,
    cloverApiTokens: { [CLOVER_MERCHANT]: CLOVER_TOKEN },
    cloverApiBaseUrl: api.baseUrl,
    retentionDays: 7,
    failedRetentionDays: 30,
    deliveryRetentionDays: 7,
    ...over,
  };
}

/** A fresh `workItems` table per test, a clock the test moves, and the run's log lines. */
function setup(over: { fetcher?: Partial<Settings['fetcher']>; limits?: Partial<WorkOffLimits> } = {}) {
  const table = TableClient.fromConnectionString(
    azurite.connectionString,
    `workItems${++tableNo}t${Date.now()}`,
    { allowInsecureConnection: true },
  );
  const store = createWorkItemStore(table);
  const queue = createWorkItemQueue(table);
  const clock = { now: new Date('2026-11-30T12:00:00.000Z') };
  const logs: string[] = [];
  const deps: WorkOffDeps = {
    queue,
    fetcher: fetcherSettings(over.fetcher),
    accept: (req) => acceptBatch(acceptDeps, req),
    log: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    now: () => clock.now,
    limits: over.limits,
  };
  const rows = async (): Promise<WorkItemEntity[]> => {
    const out: WorkItemEntity[] = [];
    // Fields a row has only once the fetcher wrote them, read as the fetcher reads them.
    for await (const e of table.listEntities<Record<string, unknown>>())
      out.push({ attempts: 0, notBefore: '', leaseUntil: '', ...e } as unknown as WorkItemEntity);
    return out;
  };
  const rowOf = async (objectId: string) => (await rows()).find((r) => r.objectId === objectId)!;
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { table, store, queue, clock, logs, deps, rows, rowOf, advance };
}

/** The work items the webhook endpoint records for a fixture notification (adapter, then store). */
function workItemsOf(source: 'square' | 'clover', payload: unknown): WorkItem[] {
  const items = adapterFor(source)!.toCanonical(payload, newYorkStoreContext()).workItems ?? [];
  return items.filter((i) => i.kind === 'fetch_needed');
}
const squareNotification = (
  eventId = 'b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c',
  orderId = SQUARE_ORDER_ID,
  merchantId = SQUARE_SELLER,
) => {
  const event = fixtureJson('square/order-updated.json') as { data: Record<string, unknown> };
  return workItemsOf('square', {
    ...event,
    merchant_id: merchantId,
    event_id: eventId,
    data: { ...event.data, id: orderId },
  });
};
/** Clover's fixture notification; events have no id of their own, so `ts` (ms) tells two notifications apart. */
const cloverNotification = (tsShift = 0) => {
  const n = fixtureJson('clover/webhook-notification.json') as {
    merchants: Record<string, { ts: number | string }[]>;
  };
  const merchants = Object.fromEntries(
    Object.entries(n.merchants).map(([m, events]) => [
      m,
      events.map((e) => ({ ...e, ts: Number(e.ts) + tsShift })),
    ]),
  );
  return workItemsOf('clover', { ...n, merchants });
};

async function rawTextOf(batchId: string): Promise<string> {
  const record = await ledger.get(batchId);
  expect(record).not.toBeNull();
  return (await lake.getBlobClient(record!.rawBlobName).downloadToBuffer()).toString('utf8');
}

async function rawBlobCount(): Promise<number> {
  let n = 0;
  for await (const _ of lake.listBlobsFlat({ prefix: 'raw/' })) n++;
  return n;
}

/** What the adapter makes of a payload, in the shape compared (the pseudonymizer is the same test key). */
const transactionsOf = (source: 'square' | 'clover', payload: unknown) =>
  adapterFor(source)!.toCanonical(payload, newYorkStoreContext()).transactions;

test('a pending Square and Clover order become fetched, each in a batch whose raw body gives the adapter’s transactions; other Clover objects are skipped', async () => {
  const t = setup();
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  api.cloverOrders.set(`${CLOVER_MERCHANT}/${CLOVER_ORDER_ID}`, cloverOrder);
  await t.store.recordPending(
    [...squareNotification(), ...cloverNotification()],
    new Date('2026-11-30T11:59:00.000Z'),
  );
  // Clover's notification names an order, a payment (merchant SJ925...) and a customer (merchant 7XKQ...).
  expect(
    (await t.rows()).map((r) => [r.vendor, r.accountId, r.objectType, r.objectId, r.status].join(' ')).sort(),
  ).toEqual([
    `clover ${OTHER_MERCHANT} customer K9Y3B7M2QX4RT pending`,
    `clover ${CLOVER_MERCHANT} order ${CLOVER_ORDER_ID} pending`,
    `clover ${CLOVER_MERCHANT} payment JZ4SN1G6M2QKE pending`,
    `square ${SQUARE_SELLER} order ${SQUARE_ORDER_ID} pending`,
  ]);
  const startedBefore = started.length;

  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({
    fetched: 2,
    gone: 0,
    skipped: 2,
    failed: 0,
    retrying: 0,
    rateLimited: 0,
    waiting: 0,
    deferred: 0,
    problems: [],
  });

  // The vendor APIs were asked as documented: Square with its version header, Clover fully expanded.
  expect(api.requests.map((r) => [r.pathname, r.authorized])).toEqual(
    [
      [`/v3/merchants/${CLOVER_MERCHANT}/orders/${CLOVER_ORDER_ID}`, true],
      [`/v2/orders/${SQUARE_ORDER_ID}`, true],
    ].sort((a, b) => (a[0]! < b[0]! ? 1 : -1)),
  );
  expect(api.requests.find((r) => r.pathname.startsWith('/v2/'))!.squareVersion).toBe(SQUARE_VERSION);
  const expand = api.requests
    .find((r) => r.pathname.startsWith('/v3/'))!
    .query.get('expand')!
    .split(',');
  for (const field of [
    'lineItems',
    'lineItems.discounts',
    'lineItems.modifications',
    'payments.tender',
    'payments.cardTransaction',
    'customers.emailAddresses',
    'customers.phoneNumbers',
    'refunds',
  ]) {
    expect(expand).toContain(field);
  }
  expect(expand.join(',')).toBe(CLOVER_ORDER_EXPAND);

  const square = await t.rowOf(SQUARE_ORDER_ID);
  const clover = await t.rowOf(CLOVER_ORDER_ID);
  expect(square).toMatchObject({
    status: 'fetched',
    batchId: expect.stringMatching(/^square-k-[0-9a-f]{32}$/),
    settledAt: '2026-11-30T12:00:00.000Z',
    leaseUntil: '',
  });
  expect(clover).toMatchObject({
    status: 'fetched',
    batchId: expect.stringMatching(/^clover-k-[0-9a-f]{32}$/),
  });
  expect(report.batchIds.sort()).toEqual([square.batchId, clover.batchId].sort());
  expect(
    started
      .slice(startedBefore)
      .map((s) => [s.id, s.input.source])
      .sort(),
  ).toEqual([
    [clover.batchId, 'clover'],
    [square.batchId, 'square'],
  ]);

  // The raw zone holds what the API answered, and it gives exactly what the adapter makes of that order.
  const squareRaw = JSON.parse(await rawTextOf(square.batchId!)) as unknown;
  expect(squareRaw).toEqual({ order: squareOrder });
  const squareTx = transactionsOf('square', squareRaw);
  expect(squareTx.map((tx) => [tx.sourceKey, tx.kind, tx.total, tx.lines.length])).toEqual(
    transactionsOf('square', { order: squareOrder }).map((tx) => [
      tx.sourceKey,
      tx.kind,
      tx.total,
      tx.lines.length,
    ]),
  );
  expect(squareTx).toEqual(transactionsOf('square', { order: squareOrder }));
  expect(squareTx.map((tx) => tx.sourceKey)).toEqual([SQUARE_ORDER_ID]);
  const cloverRaw = JSON.parse(await rawTextOf(clover.batchId!)) as unknown;
  expect(transactionsOf('clover', cloverRaw)).toEqual(transactionsOf('clover', cloverOrder));
  expect(transactionsOf('clover', cloverRaw).map((tx) => [tx.sourceKey, tx.storeId, tx.total])).toEqual([
    [CLOVER_ORDER_ID, CLOVER_MERCHANT, '10.49'],
  ]);

  // The payment and the customer are recorded as skipped, with the reason, and never fetched.
  expect(await t.rowOf('JZ4SN1G6M2QKE')).toMatchObject({
    status: 'skipped',
    reason: 'clover payment objects are not fetched: only orders become transactions',
  });
  expect(await t.rowOf('K9Y3B7M2QX4RT')).toMatchObject({
    status: 'skipped',
    reason: 'clover customer objects are not fetched: only orders become transactions',
  });

  // A second run finds nothing to do: no request, no batch, no raw blob.
  const requests = api.requests.length;
  const blobs = await rawBlobCount();
  const startedAfter = started.length;
  t.advance(60_000);
  expect(await workOffItems(t.deps)).toMatchObject({
    fetched: 0,
    gone: 0,
    skipped: 0,
    failed: 0,
    retrying: 0,
    waiting: 0,
    deferred: 0,
    batchIds: [],
  });
  expect([api.requests.length, await rawBlobCount(), started.length]).toEqual([
    requests,
    blobs,
    startedAfter,
  ]);
});

test('several notifications of one order are answered by one fetch and one batch', async () => {
  const t = setup();
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  await t.store.recordPending(squareNotification('ev-created'), new Date('2026-11-30T11:58:00.000Z'));
  await t.store.recordPending(squareNotification('ev-updated-1'), new Date('2026-11-30T11:58:30.000Z'));
  await t.store.recordPending(squareNotification('ev-updated-2'), new Date('2026-11-30T11:59:00.000Z'));
  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({ fetched: 3, batchIds: [expect.any(String)] });
  expect(api.requests).toHaveLength(1);
  expect(new Set((await t.rows()).map((r) => `${r.status} ${r.batchId}`))).toEqual(
    new Set([`fetched ${report.batchIds[0]}`]),
  );
});

test('a run that died after ingesting lands on the same batch when the row is worked again', async () => {
  const t = setup();
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  await t.store.recordPending(squareNotification('ev-crash'), new Date('2026-11-30T11:59:00.000Z'));
  const first = await workOffItems(t.deps);
  const row = await t.rowOf(SQUARE_ORDER_ID);
  // As if the process had died between acceptBatch and the row's update.
  await t.table.updateEntity(
    { partitionKey: row.partitionKey, rowKey: row.rowKey, status: 'pending', batchId: '' },
    'Merge',
  );
  const blobs = await rawBlobCount();
  const startedBefore = started.length;

  const again = await workOffItems(t.deps);
  expect(again.batchIds).toEqual(first.batchIds);
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({ status: 'fetched', batchId: first.batchIds[0] });
  expect([await rawBlobCount(), started.length]).toEqual([blobs, startedBefore]);

  // And when the order changed in between, the first batch still answers that notification.
  await t.table.updateEntity(
    { partitionKey: row.partitionKey, rowKey: row.rowKey, status: 'pending', batchId: '' },
    'Merge',
  );
  api.squareOrders.set(SQUARE_ORDER_ID, { ...squareOrder, state: 'CANCELED' });
  const changed = await workOffItems(t.deps);
  expect(changed).toMatchObject({ fetched: 1, failed: 0 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({ status: 'fetched', batchId: first.batchIds[0] });
  expect([await rawBlobCount(), started.length]).toEqual([blobs, startedBefore]);
});

test('404: the row is gone, with the reason, and nothing is ingested', async () => {
  const t = setup();
  await t.store.recordPending(
    squareNotification('ev-deleted', 'NoSuchOrder1'),
    new Date('2026-11-30T11:59:00.000Z'),
  );
  const blobs = await rawBlobCount();
  expect(await workOffItems(t.deps)).toMatchObject({ gone: 1, fetched: 0 });
  expect(await t.rowOf('NoSuchOrder1')).toMatchObject({
    status: 'gone',
    reason: 'square answered HTTP 404: the order does not exist or the token cannot see it',
    settledAt: '2026-11-30T12:00:00.000Z',
  });
  expect(await rawBlobCount()).toBe(blobs);
});

test('500: attempts counted with a growing backoff, not retried before it, failed after the last attempt', async () => {
  const t = setup({ limits: { maxAttempts: 3 } });
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  await t.store.recordPending(squareNotification('ev-500'), new Date('2026-11-30T11:59:00.000Z'));
  const path500 = `/v2/orders/${SQUARE_ORDER_ID}`;
  api.script(
    path500,
    { status: 500, body: { errors: [{ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR' }] } },
    { status: 503 },
    { status: 502 },
  );

  expect(await workOffItems(t.deps)).toMatchObject({ retrying: 1, failed: 0 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({
    status: 'pending',
    attempts: 1,
    notBefore: '2026-11-30T12:01:00.000Z',
    lastError: 'HTTP 500',
    leaseUntil: '',
  });

  t.advance(59_000); // before the backoff: not asked
  expect(await workOffItems(t.deps)).toMatchObject({ retrying: 0, fetched: 0 });
  expect(api.requests).toHaveLength(1);

  t.advance(1_000); // 12:01:00
  expect(await workOffItems(t.deps)).toMatchObject({ retrying: 1 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({
    status: 'pending',
    attempts: 2,
    notBefore: '2026-11-30T12:03:00.000Z',
    lastError: 'HTTP 503',
  });

  t.advance(120_000); // 12:03:00
  expect(await workOffItems(t.deps)).toMatchObject({ failed: 1, retrying: 0 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({
    status: 'failed',
    attempts: 3,
    lastError: 'HTTP 502',
    settledAt: '2026-11-30T12:03:00.000Z',
  });
  expect(api.requests).toHaveLength(3);

  t.advance(3_600_000); // failed rows are not tried again
  await workOffItems(t.deps);
  expect(api.requests).toHaveLength(3);
});

test('a slow answer counts as a failed attempt (timeout), the row kept for a retry', async () => {
  const t = setup({ limits: { timeoutMs: 200 } });
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  api.script(`/v2/orders/${SQUARE_ORDER_ID}`, { status: 200, body: { order: squareOrder }, delayMs: 3_000 });
  await t.store.recordPending(squareNotification('ev-slow'), new Date('2026-11-30T11:59:00.000Z'));
  expect(await workOffItems(t.deps)).toMatchObject({ retrying: 1, fetched: 0 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({
    status: 'pending',
    attempts: 1,
    lastError: 'no answer within 200 ms',
  });
  t.advance(60_000);
  expect(await workOffItems(t.deps)).toMatchObject({ fetched: 1 });
});

test('429: the row waits for Retry-After, the rest of the vendor’s rows wait for the next run', async () => {
  const t = setup();
  const second = 'SecondOrder2';
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  api.squareOrders.set(second, { ...squareOrder, id: second });
  api.script(`/v2/orders/${SQUARE_ORDER_ID}`, {
    status: 429,
    headers: { 'retry-after': '120' },
    body: { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' }] },
  });
  await t.store.recordPending(squareNotification('ev-429-a'), new Date('2026-11-30T11:58:00.000Z'));
  await t.store.recordPending(squareNotification('ev-429-b', second), new Date('2026-11-30T11:59:00.000Z'));

  expect(await workOffItems(t.deps)).toMatchObject({ rateLimited: 1, deferred: 1, fetched: 0, retrying: 0 });
  expect(api.requests.map((r) => r.pathname)).toEqual([`/v2/orders/${SQUARE_ORDER_ID}`]);
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({
    status: 'pending',
    attempts: 0,
    notBefore: '2026-11-30T12:02:00.000Z',
  });
  expect(await t.rowOf(second)).toMatchObject({ status: 'pending', notBefore: '' });

  t.advance(60_000); // 12:01: the other order is fetched; the rate-limited one is not asked yet
  expect(await workOffItems(t.deps)).toMatchObject({ fetched: 1 });
  expect(api.requests.map((r) => r.pathname)).toEqual([
    `/v2/orders/${SQUARE_ORDER_ID}`,
    `/v2/orders/${second}`,
  ]);

  t.advance(60_000); // 12:02: Retry-After has passed
  expect(await workOffItems(t.deps)).toMatchObject({ fetched: 1 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({ status: 'fetched' });
});

test('401: rows stay pending, the run names the setting, and no log line holds a token', async () => {
  const wrongSquare = 'EAAAl-revoked-square-token-0000';
  const wrongClover = 'clover-revoked-token-1111';
  const t = setup({
    fetcher: { squareAccessToken: wrongSquare, cloverApiTokens: { [CLOVER_MERCHANT]: wrongClover } },
  });
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  api.squareOrders.set('SecondOrder2', { ...squareOrder, id: 'SecondOrder2' });
  await t.store.recordPending(
    [
      ...squareNotification('ev-401'),
      ...squareNotification('ev-401-b', 'SecondOrder2'),
      ...cloverNotification(2_000),
    ],
    new Date('2026-11-30T11:59:00.000Z'),
  );

  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({ fetched: 0, failed: 0, retrying: 0, waiting: 3, skipped: 2 });
  expect(report.problems).toEqual([
    expect.stringMatching(
      /^clover answered HTTP 401 to the CLOVER_API_TOKENS token of merchant SJ925KWR8K6S2: /,
    ),
    expect.stringMatching(
      /^square answered HTTP 401 to SQUARE_ACCESS_TOKEN: the token is wrong, revoked or lacks the orders read permission/,
    ),
  ]);
  // One request per token: the second Square order is not asked with a token already refused.
  expect(api.requests.map((r) => r.authorized)).toEqual([false, false]);
  for (const id of [SQUARE_ORDER_ID, 'SecondOrder2', CLOVER_ORDER_ID]) {
    expect(await t.rowOf(id)).toMatchObject({ status: 'pending', attempts: 0, leaseUntil: '' });
  }
  const text = t.logs.join('\n') + JSON.stringify(report) + JSON.stringify(await t.rows());
  for (const token of [wrongSquare, wrongClover, SQUARE_TOKEN, CLOVER_TOKEN])
    expect(text).not.toContain(token);

  // With the right tokens configured the same rows are fetched.
  const fixed = { ...t.deps, fetcher: fetcherSettings() };
  expect(await workOffItems(fixed)).toMatchObject({ fetched: 2 });
});

test('no token for a vendor or merchant: its rows stay pending and the run says so once', async () => {
  const t = setup({ fetcher: { squareAccessToken: null, cloverApiTokens: {} } });
  await t.store.recordPending(
    [
      ...squareNotification('ev-nt-1'),
      ...squareNotification('ev-nt-2', 'SecondOrder2'),
      ...cloverNotification(),
    ],
    new Date('2026-11-30T11:59:00.000Z'),
  );
  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({ waiting: 3, skipped: 2, fetched: 0 });
  expect(t.logs).toEqual([
    `fetchWorkItems: 1 clover work item(s) wait: CLOVER_API_TOKENS has no token for merchant(s) ${CLOVER_MERCHANT}`,
    `fetchWorkItems: 2 square work item(s) wait: SQUARE_ACCESS_TOKEN is not set and SQUARE_ACCESS_TOKENS has no token for merchant(s) ${SQUARE_SELLER}`,
  ]);
  expect(api.requests).toEqual([]);
  expect(
    (await t.rows())
      .filter((r) => r.status === 'pending')
      .map((r) => `${r.objectId} ${r.attempts}`)
      .sort(),
  ).toEqual([`${CLOVER_ORDER_ID} 0`, 'SecondOrder2 0', `${SQUARE_ORDER_ID} 0`]);
});

test('a fetched body with a card number is stored scrubbed: the raw blob holds no PAN', async () => {
  const t = setup();
  const pan = withCheckDigit('411111111111111'.slice(0, 15));
  const grouped = pan.replace(/(\d{4})(?=\d)/g, '$1 ');
  // A POS that wrote the full card number into a note and into a card field it should not have.
  const leaky = {
    ...cloverOrder,
    note: `paid with ${grouped}`,
    payments: {
      elements: [
        ...(cloverOrder.payments as { elements: Record<string, unknown>[] }).elements.map((p, i) =>
          i === 1 ? { ...p, cardTransaction: { ...(p.cardTransaction as object), cardNumber: pan } } : p,
        ),
      ],
    },
  };
  // Written by hand so the number is also once a bare JSON number, as some systems send it.
  const body = JSON.stringify(leaky).replace(/\}$/, `,"extra":${pan}}`);
  api.script(`/v3/merchants/${CLOVER_MERCHANT}/orders/${CLOVER_ORDER_ID}`, { status: 200, body });
  await t.store.recordPending(cloverNotification(1_000), new Date('2026-11-30T11:59:00.000Z'));

  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({ fetched: 1, batchIds: [expect.any(String)] });
  const raw = await rawTextOf(report.batchIds[0]!);
  expect(raw.replace(/[ -]/g, '')).not.toContain(pan);
  // Masked as everywhere in the hub: issuer prefix and last four kept.
  expect(raw).toContain('"cardNumber":"411111******1111"');
  expect(raw).toContain('"extra":"411111******1111"');
  // Scrubbed, the order still reads: the same transaction as the clean order.
  expect(transactionsOf('clover', JSON.parse(raw))).toEqual(transactionsOf('clover', cloverOrder));
});

test('an answer that is not the order is retried, a 400 fails at once, and two runs at once fetch each order once', async () => {
  const t = setup();
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  api.script(`/v2/orders/${SQUARE_ORDER_ID}`, {
    status: 200,
    body: '<html>maintenance</html>',
    headers: { 'content-type': 'text/html' },
  });
  api.script('/v2/orders/BadRequest1', {
    status: 400,
    body: { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'BAD_REQUEST' }] },
  });
  await t.store.recordPending(
    [...squareNotification('ev-html'), ...squareNotification('ev-400', 'BadRequest1')],
    new Date('2026-11-30T11:59:00.000Z'),
  );
  expect(await workOffItems(t.deps)).toMatchObject({ retrying: 1, failed: 1 });
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({
    status: 'pending',
    attempts: 1,
    lastError: 'unexpected answer: the answer is not a JSON object with an "order"',
  });
  expect(await t.rowOf('BadRequest1')).toMatchObject({
    status: 'failed',
    lastError: 'square answered HTTP 400',
  });

  t.advance(60_000);
  api.requests.length = 0;
  const [a, b] = await Promise.all([workOffItems(t.deps), workOffItems(t.deps)]);
  expect(a.fetched + b.fetched).toBe(1);
  expect(api.requests).toHaveLength(1);
  expect(await t.rowOf(SQUARE_ORDER_ID)).toMatchObject({ status: 'fetched' });
});

test('several Square sellers: each order is fetched with its seller’s token (else SQUARE_ACCESS_TOKEN) and ingested under a key naming the seller', async () => {
  const t = setup({
    fetcher: { squareAccessTokens: { [SELLER_A]: SELLER_A_TOKEN, [SELLER_B]: SELLER_B_TOKEN } },
  });
  const orderOf = (id: string) => ({ ...squareOrder, id });
  api.squareSellerOrders.set(`${SELLER_A}/OrderOfA1`, orderOf('OrderOfA1'));
  api.squareSellerOrders.set(`${SELLER_B}/OrderOfB1`, orderOf('OrderOfB1'));
  // The fixtures' seller has no token of its own: SQUARE_ACCESS_TOKEN serves it.
  api.squareOrders.set(SQUARE_ORDER_ID, squareOrder);
  // A row recorded before the seller was kept (no accountId): SQUARE_ACCESS_TOKEN as before.
  api.squareOrders.set('OrderNoSeller', orderOf('OrderNoSeller'));
  const [legacy] = squareNotification('ev-legacy', 'OrderNoSeller');
  await t.store.recordPending(
    [
      ...squareNotification('ev-a', 'OrderOfA1', SELLER_A),
      ...squareNotification('ev-b', 'OrderOfB1', SELLER_B),
      ...squareNotification('ev-default'),
      { ...legacy!, accountId: undefined },
    ],
    new Date('2026-11-30T11:59:00.000Z'),
  );
  expect((await t.rows()).map((r) => `${r.objectId} ${r.accountId}`).sort()).toEqual([
    `OrderNoSeller `,
    `OrderOfA1 ${SELLER_A}`,
    `OrderOfB1 ${SELLER_B}`,
    `${SQUARE_ORDER_ID} ${SQUARE_SELLER}`,
  ]);

  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({ fetched: 4, failed: 0, gone: 0, waiting: 0, problems: [] });
  // Each seller's order was asked with that seller's token (the fake answers another seller's order 404).
  expect(api.requests.map((r) => [r.pathname, r.squareSeller]).sort()).toEqual([
    ['/v2/orders/OrderNoSeller', ''],
    ['/v2/orders/OrderOfA1', SELLER_A],
    ['/v2/orders/OrderOfB1', SELLER_B],
    [`/v2/orders/${SQUARE_ORDER_ID}`, ''],
  ]);
  // The Idempotency-Key names the seller, as for Clover; the legacy row's key is the one it always had.
  for (const [orderId, key] of [
    ['OrderOfA1', `square:fetch:${SELLER_A}:OrderOfA1:ev-a`],
    ['OrderOfB1', `square:fetch:${SELLER_B}:OrderOfB1:ev-b`],
    [SQUARE_ORDER_ID, `square:fetch:${SQUARE_SELLER}:${SQUARE_ORDER_ID}:ev-default`],
    ['OrderNoSeller', 'square:fetch:OrderNoSeller:ev-legacy'],
  ]) {
    const row = await t.rowOf(orderId!);
    expect([orderId, row.status, row.batchId]).toEqual([orderId, 'fetched', batchIdOf('square', '', key)]);
    expect(
      transactionsOf('square', JSON.parse(await rawTextOf(row.batchId!))).map((tx) => tx.sourceKey),
    ).toEqual([orderId]);
  }
  const text = t.logs.join('\n') + JSON.stringify(report) + JSON.stringify(await t.rows());
  for (const token of [SQUARE_TOKEN, SELLER_A_TOKEN, SELLER_B_TOKEN]) expect(text).not.toContain(token);
});

test('a Square seller’s revoked token holds only that seller’s orders; a seller without a token waits when there is no SQUARE_ACCESS_TOKEN', async () => {
  const revoked = 'EAAAl-revoked-seller-a-9999';
  const t = setup({
    fetcher: {
      squareAccessToken: null,
      squareAccessTokens: { [SELLER_A]: revoked, [SELLER_B]: SELLER_B_TOKEN },
    },
  });
  api.squareSellerOrders.set(`${SELLER_A}/OrderOfA1`, { ...squareOrder, id: 'OrderOfA1' });
  api.squareSellerOrders.set(`${SELLER_A}/OrderOfA2`, { ...squareOrder, id: 'OrderOfA2' });
  api.squareSellerOrders.set(`${SELLER_B}/OrderOfB1`, { ...squareOrder, id: 'OrderOfB1' });
  await t.store.recordPending(
    [
      ...squareNotification('ev-a1', 'OrderOfA1', SELLER_A),
      ...squareNotification('ev-a2', 'OrderOfA2', SELLER_A),
      ...squareNotification('ev-b1', 'OrderOfB1', SELLER_B),
      ...squareNotification('ev-none'),
    ],
    new Date('2026-11-30T11:59:00.000Z'),
  );
  const report = await workOffItems(t.deps);
  expect(report).toMatchObject({ fetched: 1, failed: 0, waiting: 3 });
  expect(report.problems).toEqual([
    `1 square work item(s) wait: SQUARE_ACCESS_TOKEN is not set and SQUARE_ACCESS_TOKENS has no token for merchant(s) ${SQUARE_SELLER}`,
    expect.stringMatching(
      new RegExp(`^square answered HTTP 401 to the SQUARE_ACCESS_TOKENS token of merchant ${SELLER_A}: `),
    ),
  ]);
  // One request with the refused token, none more for that seller; seller B is not held up.
  expect(api.requests.map((r) => [r.pathname, r.authorized]).sort()).toEqual([
    ['/v2/orders/OrderOfA1', false],
    ['/v2/orders/OrderOfB1', true],
  ]);
  expect(await t.rowOf('OrderOfB1')).toMatchObject({ status: 'fetched' });
  for (const id of ['OrderOfA1', 'OrderOfA2', SQUARE_ORDER_ID])
    expect(await t.rowOf(id)).toMatchObject({ status: 'pending', attempts: 0, leaseUntil: '' });
  expect(t.logs.join('\n') + JSON.stringify(report)).not.toContain(revoked);
});
