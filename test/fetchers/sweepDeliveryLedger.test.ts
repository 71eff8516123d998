// Retention of the webhook delivery ledger (`PosHubWebhookDeliveries`) against real Azurite: entries
// received longer ago than the retention are deleted at most hourly, younger ones and the sweep marker
// stay, an entry changed after it was read stays (ETag), a sweep with more to do than its limits goes on
// in the next run, and a redelivery is still answered from the ledger while its entry is young; after
// it was deleted, a redelivery is refused as stale or re-does the same batch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import {
  sweepDeliveryLedger,
  SWEPT_VENDORS,
  type DeliverySweepDeps,
} from '../../shared/fetchers/sweepDeliveryLedger';
import type { AcceptBatchRequest, AcceptBatchResult } from '../../shared/ingest/acceptBatch';
import { MIN_WORK_ITEM_RETENTION_DAYS } from '../../shared/platform/settings';
import {
  createDeliveryLedger,
  createDeliveryRetention,
  type DeliveryRetention,
} from '../../shared/webhooks/deliveryLedger';
import { handleWebhook, type WebhookDeps } from '../../shared/webhooks/handleWebhook';
import { createWorkItemStore } from '../../shared/webhooks/workItemStore';
import { formBody, lightspeedSignature, squareSignature } from '../webhooks/signDelivery';

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
  const table = tableClient(`deliveries${++tableNo}t${Date.now()}`);
  const ledger = createDeliveryLedger(table);
  const retention = createDeliveryRetention(table);
  const clock = { now: new Date('2026-11-30T12:00:00.000Z') };
  const deps: DeliverySweepDeps = { ledger: retention, retentionDays: 7, now: () => clock.now };
  /** A delivery of `vendor` received `daysAgo`, recorded as handleWebhook records it. */
  const put = (vendor: string, eventId: string, daysAgo: number) =>
    ledger.record({
      vendor,
      eventId,
      outcome: 'accepted',
      batchId: `${vendor}:${eventId}`,
      workItems: 0,
      receivedAt: new Date(clock.now.getTime() - daysAgo * DAY).toISOString(),
    });
  const rows = async () => {
    const out: Record<string, string>[] = [];
    for await (const e of table.listEntities<Record<string, string>>()) out.push(e);
    return out;
  };
  const eventIds = async () =>
    (await rows())
      .filter((r) => r.eventId !== undefined)
      .map((r) => r.eventId!)
      .sort();
  const marker = async () =>
    table.getEntity<{ sweptAt: string }>('retention', 'lastSweep').then(
      (e) => e.sweptAt,
      (e: { statusCode: number }) => e.statusCode,
    );
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { table, ledger, retention, clock, deps, put, rows, eventIds, marker, advance };
}

test('deletes entries received before the retention, of every vendor; keeps younger ones; at most hourly', async () => {
  const t = setup();
  await t.put('square', 'sq-8d', 8);
  await t.put('lightspeed', 'ls-10d', 10);
  await t.put('shopify', 'sh-7d1h', 7 + 1 / 24);
  await t.put('clover', 'cl-40d', 40);
  await t.put('clover', 'cl-6d', 6);
  await t.put('shopify', 'sh-6d23h30', 7 - 1 / 48);
  await t.put('square', 'sq-new', 0);

  expect(await sweepDeliveryLedger(t.deps)).toEqual({ swept: true, deleted: 4, kept: 0, more: false });
  expect(await t.eventIds()).toEqual(['cl-6d', 'sh-6d23h30', 'sq-new']);
  expect(await t.marker()).toBe('2026-11-30T12:00:00.000Z');
  // What is left is still what answers a redelivery.
  expect(await t.ledger.find('clover', 'cl-6d')).toMatchObject({
    outcome: 'accepted',
    batchId: 'clover:cl-6d',
  });
  expect(await t.ledger.find('square', 'sq-8d')).toBeNull();

  // Within the hour nothing is read, even though an entry has expired since (sh-6d23h30, 7 days and 29 min old).
  t.advance(59 * 60_000);
  await t.put('square', 'sq-9d', 9);
  expect(await sweepDeliveryLedger(t.deps)).toEqual({ swept: false, deleted: 0, kept: 0, more: false });
  expect(await t.eventIds()).toEqual(['cl-6d', 'sh-6d23h30', 'sq-9d', 'sq-new']);

  // An hour after the last sweep: the next one.
  t.advance(60_000);
  expect(await sweepDeliveryLedger(t.deps)).toEqual({ swept: true, deleted: 2, kept: 0, more: false });
  expect(await t.eventIds()).toEqual(['cl-6d', 'sq-new']);
  expect(await t.marker()).toBe('2026-11-30T13:00:00.000Z');

  // A longer retention keeps what a shorter one would delete.
  t.advance(HOUR);
  expect(await sweepDeliveryLedger({ ...t.deps, retentionDays: 30 })).toMatchObject({
    swept: true,
    deleted: 0,
  });
  expect(await t.eventIds()).toEqual(['cl-6d', 'sq-new']);
});

test('the sweep marker is never an expired entry, and a partition that is not a webhook vendor is never swept', async () => {
  const t = setup();
  await t.put('square', 'sq-8d', 8);
  // Not something the hub writes, but a partition the sweep was not told about must stay.
  await t.table.createEntity({
    partitionKey: 'toast',
    rowKey: 'x',
    eventId: 'toast-90d',
    receivedAt: '2026-09-01T00:00:00.000Z',
  });
  expect(await sweepDeliveryLedger(t.deps)).toMatchObject({ swept: true, deleted: 1 });
  expect(await t.marker()).toBe('2026-11-30T12:00:00.000Z');

  // However far the cutoff, and even when asked for its partition, the query never returns the marker.
  const farFuture = '9999-12-31T23:59:59.999Z';
  expect(await t.retention.listExpired(SWEPT_VENDORS, farFuture, 100)).toEqual([]);
  expect(await t.retention.listExpired(['retention', ...SWEPT_VENDORS], farFuture, 100)).toEqual([]);
  expect(SWEPT_VENDORS).toEqual(['shopify', 'square', 'clover', 'lightspeed']);

  // Sweeps a year on: the marker is rewritten, never deleted, and the foreign partition stays.
  for (let i = 0; i < 3; i++) {
    t.advance(365 * DAY);
    expect(await sweepDeliveryLedger(t.deps)).toEqual({ swept: true, deleted: 0, kept: 0, more: false });
  }
  expect(await t.marker()).toBe('2029-11-29T12:00:00.000Z');
  expect(await t.eventIds()).toEqual(['toast-90d']);
});

test('a ledger table that was never made: nothing to sweep, no error, no table made', async () => {
  const t = setup();
  expect(await sweepDeliveryLedger(t.deps)).toEqual({ swept: true, deleted: 0, kept: 0, more: false });
  expect(await t.marker()).toBe(404);
});

test('more expired entries than one run deletes: the next run goes on without waiting an hour', async () => {
  const t = setup();
  for (let i = 0; i < 7; i++) await t.put(SWEPT_VENDORS[i % 4]!, `old-${i}`, 10);
  await t.put('square', 'young', 1);
  const limited = { ...t.deps, limits: { maxDeleted: 3, concurrency: 2 } };

  expect(await sweepDeliveryLedger(limited)).toEqual({ swept: true, deleted: 3, kept: 0, more: true });
  expect(await t.marker()).toBe(404);
  t.advance(60_000);
  expect(await sweepDeliveryLedger(limited)).toEqual({ swept: true, deleted: 3, kept: 0, more: true });
  t.advance(60_000);
  expect(await sweepDeliveryLedger(limited)).toEqual({ swept: true, deleted: 1, kept: 0, more: false });
  expect(await t.eventIds()).toEqual(['young']);
  expect(await t.marker()).toBe('2026-11-30T12:02:00.000Z');
  t.advance(60_000);
  expect(await sweepDeliveryLedger(limited)).toMatchObject({ swept: false });
});

test('a spent time budget starts no delete; the next run goes on', async () => {
  const t = setup();
  await t.put('square', 'old-1', 10);
  await t.put('clover', 'old-2', 10);
  expect(await sweepDeliveryLedger({ ...t.deps, limits: { budgetMs: 0 } })).toEqual({
    swept: true,
    deleted: 0,
    kept: 0,
    more: true,
  });
  expect(await t.eventIds()).toEqual(['old-1', 'old-2']);
  expect(await t.marker()).toBe(404);
  expect(await sweepDeliveryLedger(t.deps)).toEqual({ swept: true, deleted: 2, kept: 0, more: false });
  expect(await t.eventIds()).toEqual([]);
});

test('an entry changed after the sweep read it is not deleted (ETag)', async () => {
  const t = setup();
  await t.put('square', 'sq-old', 10);
  await t.put('lightspeed', 'ls-old', 10);
  const racing: DeliveryRetention = {
    ...t.retention,
    async listExpired(vendors, cutoff, max) {
      const expired = await t.retention.listExpired(vendors, cutoff, max);
      const row = expired.find((r) => r.partitionKey === 'lightspeed')!;
      // Rewritten between the sweep's query and its deletes (an operator, say).
      await t.table.updateEntity(
        { partitionKey: row.partitionKey, rowKey: row.rowKey, note: 'keep' },
        'Merge',
      );
      return expired;
    },
  };
  expect(await sweepDeliveryLedger({ ...t.deps, ledger: racing })).toEqual({
    swept: true,
    deleted: 1,
    kept: 1,
    more: false,
  });
  expect((await t.rows()).filter((r) => r.eventId).map((r) => [r.eventId, r.note])).toEqual([
    ['ls-old', 'keep'],
  ]);
});

describe('redeliveries and the sweep', () => {
  const squareUrl = 'https://hub.example.com/api/v1/webhooks/square';
  const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));

  function hub(t: ReturnType<typeof setup>) {
    const accepted: AcceptBatchRequest[] = [];
    // The batch ledger's answer, by Idempotency-Key: a resend lands on the batch the key made first.
    const batches = new Map<string, string>();
    const deps: WebhookDeps = {
      webhooks: {
        shopifySecrets: [],
        squareSignatureKeys: ['square-key'],
        squareWebhookUrl: squareUrl,
        cloverAuthCodes: [],
        lightspeedSecrets: ['ls-secret'],
      },
      maxBodyBytes: 256 * 1024,
      deliveries: t.ledger,
      workItems: createWorkItemStore(tableClient(`workitems${tableNo}t${Date.now()}`)),
      accept: async (req): Promise<AcceptBatchResult> => {
        accepted.push(req);
        const key = req.idempotencyKey!;
        const duplicate = batches.has(key);
        if (!duplicate) batches.set(key, `batch-${batches.size + 1}`);
        return { ok: true, batchId: batches.get(key)!, duplicate, rawBlobName: 'raw/x' };
      },
      now: () => t.clock.now,
    };
    return { deps, accepted };
  }

  test('a Square redelivery after a sweep that kept its young entry is answered from the ledger; once deleted, it is stale', async () => {
    const t = setup();
    const { deps } = hub(t);
    // Sent 5 minutes "ahead" of the hub's clock, the latest a delivery is accepted: the longest it stays valid.
    const body = Buffer.from(
      JSON.stringify({
        merchant_id: 'MLX4T9W1QZ3B8',
        type: 'order.updated',
        event_id: 'c41e9d0a-ledger-retention',
        created_at: new Date(t.clock.now.getTime() + 5 * 60_000).toISOString(),
        data: { type: 'order_updated', id: 'ORDER-L1', object: { order_updated: { order_id: 'ORDER-L1' } } },
      }),
    );
    const deliver = () =>
      handleWebhook(deps, {
        vendor: 'square',
        rawBody: body,
        headers: { 'x-square-hmacsha256-signature': squareSignature('square-key', squareUrl, body) },
        url: squareUrl,
      });
    expect(await deliver()).toMatchObject({ kind: 'fetch_needed', workItems: 1 });
    const shortest = { ...t.deps, retentionDays: MIN_WORK_ITEM_RETENTION_DAYS };

    // The last moment the redelivery is still accepted by age: the sweep has kept the entry, which answers it.
    t.advance(72 * HOUR + 5 * 60_000);
    expect(await sweepDeliveryLedger(shortest)).toEqual({ swept: true, deleted: 0, kept: 0, more: false });
    expect(await deliver()).toEqual({
      kind: 'duplicate',
      batchId: null,
      workItems: 1,
      eventId: 'c41e9d0a-ledger-retention',
    });

    // Past the retention the entry goes; the redelivery is past the age window by then.
    t.advance(MIN_WORK_ITEM_RETENTION_DAYS * DAY - (72 * HOUR + 5 * 60_000) + 1);
    expect(await sweepDeliveryLedger(shortest)).toMatchObject({ swept: true, deleted: 1 });
    expect(await t.eventIds()).toEqual([]);
    expect(await deliver()).toMatchObject({
      kind: 'problem',
      problem: { status: 400, type: 'urn:pos-hub:problem:stale-delivery' },
    });
    expect(await t.eventIds()).toEqual([]);
  });

  test('a Lightspeed redelivery (no sent time) after its entry was deleted lands on the same batch', async () => {
    const t = setup();
    const { deps, accepted } = hub(t);
    const payload = JSON.parse(
      fixture('lightspeed-x/webhook-sale-update.payload.json').toString(),
    ) as unknown;
    const form = Buffer.from(formBody(payload));
    const deliver = () =>
      handleWebhook(deps, {
        vendor: 'lightspeed',
        rawBody: form,
        headers: { 'x-signature': lightspeedSignature('ls-secret', form) },
        url: 'https://hub.example.com/api/v1/webhooks/lightspeed',
      });
    const first = await deliver();
    expect(first).toMatchObject({ kind: 'accepted', batchId: 'batch-1' });

    // Young: the ledger answers, acceptBatch is not asked.
    t.advance(2 * DAY);
    expect(await sweepDeliveryLedger(t.deps)).toMatchObject({ swept: true, deleted: 0 });
    expect(await deliver()).toMatchObject({ kind: 'duplicate', batchId: 'batch-1' });
    expect(accepted).toHaveLength(1);

    // Deleted: the redelivery is handled again, under the same Idempotency-Key, so the same batch.
    t.advance(6 * DAY);
    expect(await sweepDeliveryLedger(t.deps)).toMatchObject({ swept: true, deleted: 1 });
    expect(await deliver()).toMatchObject({ kind: 'accepted', batchId: 'batch-1' });
    expect(accepted).toHaveLength(2);
    expect(accepted[1]!.idempotencyKey).toBe(accepted[0]!.idempotencyKey);
    expect(accepted[1]!.body.equals(accepted[0]!.body)).toBe(true);
    // The new entry answers the redeliveries after that.
    expect(await t.eventIds()).toHaveLength(1);
    expect(await deliver()).toMatchObject({ kind: 'duplicate', batchId: 'batch-1' });
    expect(accepted).toHaveLength(2);
  });
});
