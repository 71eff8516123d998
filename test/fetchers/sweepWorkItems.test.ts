// Retention of the `workItems` table against real Azurite: which settled rows the hourly sweep deletes,
// that pending rows (and rows set back to pending after they were read) always stay, that a sweep with
// more to do than its limit goes on in the next run, and that a Square redelivery that arrives after
// its rows were deleted cannot make them again (the delivery ledger and the 72-hour age window).
import { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { sweepWorkItems, type SweepDeps } from '../../shared/fetchers/sweepWorkItems';
import { MIN_WORK_ITEM_RETENTION_DAYS } from '../../shared/platform/settings';
import type { WorkItem } from '../../shared/sources/types';
import { createDeliveryLedger } from '../../shared/webhooks/deliveryLedger';
import { handleWebhook, type WebhookDeps } from '../../shared/webhooks/handleWebhook';
import { tableKey } from '../../shared/webhooks/tableKey';
import {
  createWorkItemQueue,
  createWorkItemStore,
  type WorkItemQueue,
  type WorkItemStatus,
} from '../../shared/webhooks/workItemStore';
import { squareSignature } from '../webhooks/signDelivery';

const DAY = 24 * 60 * 60_000;
const HOUR = 60 * 60_000;

let azurite: AzuriteInstance;
let tableNo = 0;

beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
});

const tableClient = (name: string) =>
  TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });

function setup() {
  const table = tableClient(`sweep${++tableNo}t${Date.now()}`);
  const store = createWorkItemStore(table);
  const queue = createWorkItemQueue(table);
  const clock = { now: new Date('2026-11-30T12:00:00.000Z') };
  const deps: SweepDeps = {
    queue,
    retention: { retentionDays: 7, failedRetentionDays: 30 },
    now: () => clock.now,
  };
  /**
   * A row received `daysAgo` (null: now), and settled a minute later unless pending; `settledAt` also on
   * a pending row when `withSettledAt` (a failed row an operator set back to pending keeps it).
   */
  const put = async (
    objectId: string,
    status: WorkItemStatus,
    daysAgo: number | null,
    withSettledAt = status !== 'pending',
  ) => {
    const receivedAt = new Date(clock.now.getTime() - (daysAgo ?? 0) * DAY);
    const item: WorkItem = {
      kind: 'fetch_needed',
      vendor: 'square',
      objectType: 'order',
      objectId,
      eventId: `ev-${objectId}`,
    };
    await store.recordPending([item], receivedAt);
    const row = (await rows()).find((r) => r.objectId === objectId)!;
    const settledAt = new Date(receivedAt.getTime() + 60_000).toISOString();
    await table.updateEntity(
      {
        partitionKey: row.partitionKey!,
        rowKey: row.rowKey!,
        status,
        ...(withSettledAt ? { settledAt } : {}),
      },
      'Merge',
    );
  };
  const rows = async () => {
    const out: Record<string, string>[] = [];
    for await (const e of table.listEntities<Record<string, string>>()) out.push(e);
    return out;
  };
  const objectIds = async () =>
    (await rows())
      .filter((r) => r.objectId !== undefined)
      .map((r) => r.objectId!)
      .sort();
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { table, store, queue, clock, deps, put, rows, objectIds, advance };
}

test('deletes settled rows past their retention (failed rows kept longer), never a pending row, at most hourly', async () => {
  const t = setup();
  await t.put('fetched-8d', 'fetched', 8);
  await t.put('fetched-6d', 'fetched', 6);
  await t.put('gone-8d', 'gone', 8);
  await t.put('skipped-7d1h', 'skipped', 7 + 1 / 24);
  await t.put('failed-8d', 'failed', 8);
  await t.put('failed-31d', 'failed', 31);
  await t.put('pending-new', 'pending', null);
  // Received 40 days ago and still waiting (no token for it): old, but pending.
  await t.put('pending-40d', 'pending', 40);
  // A failed row an operator set back to pending: it keeps its old settledAt.
  await t.put('reset-40d', 'pending', 40, true);

  expect(await sweepWorkItems(t.deps)).toEqual({ swept: true, deleted: 4, kept: 0, more: false });
  expect(await t.objectIds()).toEqual(['failed-8d', 'fetched-6d', 'pending-40d', 'pending-new', 'reset-40d']);
  // The marker records the sweep; it has no status, so no query for work items returns it.
  expect((await t.rows()).filter((r) => r.objectId === undefined)).toMatchObject([
    { partitionKey: 'retention', rowKey: 'lastSweep', sweptAt: '2026-11-30T12:00:00.000Z' },
  ]);
  expect((await t.queue.listPending(100)).map((r) => r.objectId).sort()).toEqual([
    'pending-40d',
    'pending-new',
    'reset-40d',
  ]);

  // Within the hour nothing is read, even though a row has expired since.
  t.advance(59 * 60_000);
  await t.put('fetched-9d', 'fetched', 9);
  expect(await sweepWorkItems(t.deps)).toEqual({ swept: false, deleted: 0, kept: 0, more: false });
  expect(await t.objectIds()).toContain('fetched-9d');

  // An hour after the last sweep: the next one. fetched-6d, settled about 6 days and an hour ago, stays.
  t.advance(60_000);
  expect(await sweepWorkItems(t.deps)).toEqual({ swept: true, deleted: 1, kept: 0, more: false });
  expect(await t.objectIds()).toEqual(['failed-8d', 'fetched-6d', 'pending-40d', 'pending-new', 'reset-40d']);

  // Other retention settings: the failed row goes once it is older than the failed retention.
  t.advance(HOUR);
  const short = { ...t.deps, retention: { retentionDays: 30, failedRetentionDays: 8 } };
  expect(await sweepWorkItems(short)).toMatchObject({ deleted: 1 });
  expect(await t.objectIds()).toEqual(['fetched-6d', 'pending-40d', 'pending-new', 'reset-40d']);
});

test('a table that was never made: nothing to sweep, no error', async () => {
  const t = setup();
  expect(await sweepWorkItems(t.deps)).toEqual({ swept: true, deleted: 0, kept: 0, more: false });
  await expect(t.table.getEntity('retention', 'lastSweep')).rejects.toMatchObject({ statusCode: 404 });
});

test('more expired rows than one run deletes: the next run goes on without waiting an hour', async () => {
  const t = setup();
  for (let i = 0; i < 7; i++) await t.put(`old-${i}`, 'fetched', 10);
  await t.put('pending', 'pending', null);
  const limited = { ...t.deps, limits: { maxDeleted: 3, concurrency: 2 } };

  expect(await sweepWorkItems(limited)).toEqual({ swept: true, deleted: 3, kept: 0, more: true });
  expect(
    await t.table.getEntity('retention', 'lastSweep').catch((e: { statusCode: number }) => e.statusCode),
  ).toBe(404);
  t.advance(60_000);
  expect(await sweepWorkItems(limited)).toEqual({ swept: true, deleted: 3, kept: 0, more: true });
  t.advance(60_000);
  expect(await sweepWorkItems(limited)).toEqual({ swept: true, deleted: 1, kept: 0, more: false });
  expect(await t.objectIds()).toEqual(['pending']);
  t.advance(60_000);
  expect(await sweepWorkItems(limited)).toMatchObject({ swept: false });
});

test('a row set back to pending after the sweep read it is not deleted (ETag)', async () => {
  const t = setup();
  await t.put('failed-40d', 'failed', 40);
  await t.put('fetched-10d', 'fetched', 10);
  // The operator retries the failed row between the sweep's query and its deletes.
  const racing: WorkItemQueue = {
    ...t.queue,
    async listExpired(cutoffs, max) {
      const expired = await t.queue.listExpired(cutoffs, max);
      const row = expired.find((r) => r.objectId === 'failed-40d')!;
      await t.table.updateEntity(
        { partitionKey: row.partitionKey, rowKey: row.rowKey, status: 'pending', attempts: 0 },
        'Merge',
      );
      return expired;
    },
  };
  expect(await sweepWorkItems({ ...t.deps, queue: racing })).toEqual({
    swept: true,
    deleted: 1,
    kept: 1,
    more: false,
  });
  expect((await t.rows()).filter((r) => r.objectId).map((r) => [r.objectId, r.status])).toEqual([
    ['failed-40d', 'pending'],
  ]);
});

test('a Square redelivery after its rows were deleted makes no row: the ledger answers it, and without the ledger entry it is stale', async () => {
  const t = setup();
  const ledgerTable = tableClient(`deliveries${tableNo}t${Date.now()}`);
  const ledger = createDeliveryLedger(ledgerTable);
  const url = 'https://hub.example.com/api/v1/webhooks/square';
  const webhookDeps: WebhookDeps = {
    webhooks: {
      shopifySecrets: [],
      squareSignatureKeys: ['square-key'],
      squareWebhookUrl: url,
      cloverAuthCodes: [],
      lightspeedSecrets: [],
    },
    maxBodyBytes: 64 * 1024,
    deliveries: ledger,
    workItems: t.store,
    accept: () => Promise.reject(new Error('a notification-only webhook is not ingested')),
    now: () => t.clock.now,
  };
  // Sent 5 minutes "ahead" of the hub's clock, the latest a delivery is accepted: the longest it stays valid.
  const body = Buffer.from(
    JSON.stringify({
      merchant_id: 'MLX4T9W1QZ3B8',
      type: 'order.updated',
      event_id: 'b3f1c7a2-retention',
      created_at: new Date(t.clock.now.getTime() + 5 * 60_000).toISOString(),
      data: { type: 'order_updated', id: 'ORDER-R1', object: { order_updated: { order_id: 'ORDER-R1' } } },
    }),
  );
  const deliver = () =>
    handleWebhook(webhookDeps, {
      vendor: 'square',
      rawBody: body,
      headers: { 'x-square-hmacsha256-signature': squareSignature('square-key', url, body) },
      url,
    });
  expect(await deliver()).toMatchObject({ kind: 'fetch_needed', workItems: 1 });
  // Worked off at once: settled the minute it arrived.
  const [row] = await t.queue.listPending(10);
  expect(
    await t.queue.update(row!, { status: 'fetched', settledAt: t.clock.now.toISOString() }),
  ).not.toBeNull();

  // The shortest retention allowed (4 days) still outlasts every redelivery the hub accepts: at the last
  // moment one is accepted (72 h after its sent time) the row is still there, and the sweep keeps it.
  const shortest = {
    ...t.deps,
    retention: {
      retentionDays: MIN_WORK_ITEM_RETENTION_DAYS,
      failedRetentionDays: MIN_WORK_ITEM_RETENTION_DAYS,
    },
  };
  t.advance(72 * HOUR + 5 * 60_000);
  expect(await sweepWorkItems(shortest)).toMatchObject({ swept: true, deleted: 0 });
  expect(await t.objectIds()).toEqual(['ORDER-R1']);

  t.advance(MIN_WORK_ITEM_RETENTION_DAYS * DAY - (72 * HOUR + 5 * 60_000) + 1);
  expect(await sweepWorkItems(shortest)).toMatchObject({ swept: true, deleted: 1 });
  expect(await t.objectIds()).toEqual([]);

  // The ledger answers the redelivery: no row.
  expect(await deliver()).toMatchObject({ kind: 'duplicate', workItems: 1 });
  // A process that died between the rows and the ledger entry left no entry: the redelivery is now
  // past the age window and refused, still no row.
  await ledgerTable.deleteEntity('square', tableKey('b3f1c7a2-retention'));
  expect(await deliver()).toMatchObject({
    kind: 'problem',
    problem: { status: 400, type: 'urn:pos-hub:problem:stale-delivery' },
  });
  expect(await t.objectIds()).toEqual([]);
});
