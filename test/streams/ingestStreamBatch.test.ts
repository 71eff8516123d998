// ingestStreamBatch with the real acceptBatch on Azurite (orchestration starts recorded): a trigger batch
// delivered twice (a crash before the checkpoint) lands on the same batches and stores nothing new; a
// group whose acceptance keeps failing is dead-lettered event by event; when not even a dead letter can
// be written, the invocation throws so that the host's retry policy runs it again.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../local/azurite';
import { acceptBatch, type AcceptBatchDeps } from '../../shared/ingest/acceptBatch';
import { BATCH_LEDGER_TABLE, createBatchLedger } from '../../shared/stores/batchLedger';
import type { StreamTriggerBatch } from '../../shared/streams/groupStreamEvents';
import { ingestStreamBatch, type StreamIngestDeps } from '../../shared/streams/ingestStreamBatch';
import { blobNames } from '../webhooks/hubRuntime';

const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));
let azurite: AzuriteInstance;
let lake: ContainerClient;
let acceptDeps: AcceptBatchDeps;
const started: string[] = [];
const logs: string[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  lake = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lake');
  await lake.createIfNotExists();
  acceptDeps = {
    lake,
    ledger: createBatchLedger(TableClient.fromConnectionString(azurite.connectionString, BATCH_LEDGER_TABLE, { allowInsecureConnection: true })),
    maxBodyBytes: 64 * 1024,
    orchestrationStatus: async (id) => (started.includes(id) ? 'Completed' : null),
    startOrchestration: async (id) => {
      started.push(id);
    },
  };
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
});

const deps = (over: Partial<StreamIngestDeps> = {}): StreamIngestDeps => ({
  lake,
  maxBodyBytes: 64 * 1024,
  accept: (req) => acceptBatch(acceptDeps, req),
  log: (m) => logs.push(m),
  retryDelaysMs: [1, 1],
  ...over,
});

const triggerBatch = (partitionId: string, first: number): StreamTriggerBatch => ({
  eventHub: 'pos-transactions',
  consumerGroup: '$Default',
  partitionId,
  events: [
    { body: fixture('square/payment-created.json'), properties: { source: 'square' }, sequenceNumber: first, offset: '0', enqueuedTimeUtc: '2026-11-30T10:00:00.000Z' },
    { body: fixture('shopify/order.json'), properties: { source: 'shopify' }, sequenceNumber: first + 1, offset: '1', enqueuedTimeUtc: '2026-11-30T10:00:00.000Z' },
    { body: fixture('square/refund-created.json'), properties: { source: 'square' }, sequenceNumber: first + 2, offset: '2', enqueuedTimeUtc: '2026-11-30T10:00:00.000Z' },
    { body: Buffer.from('not json'), properties: { source: 'square' }, sequenceNumber: first + 3, offset: '3', enqueuedTimeUtc: '2026-11-30T10:00:00.000Z' },
  ],
});

test('a trigger batch seen twice lands on the same batches: no new raw blob, no new start, one dead letter', async () => {
  const first = await ingestStreamBatch(deps(), triggerBatch('0', 10), new Date('2026-11-30T10:00:01Z'));
  const blobsAfterFirst = await blobNames(lake, '');
  const again = await ingestStreamBatch(deps(), triggerBatch('0', 10), new Date('2026-11-30T10:05:00Z'));
  expect(first.batches.map((b) => [b.source, b.events, b.duplicate])).toEqual([
    ['square', 2, false],
    ['shopify', 1, false],
  ]);
  expect(again.batches).toEqual(first.batches.map((b) => ({ ...b, duplicate: true })));
  expect(first.deadLettered).toEqual([{ blobName: 'deadletter/eventhubs/2026-11-30/0-13.json', code: 'malformed-body', source: 'square' }]);
  expect(again.deadLettered).toEqual(first.deadLettered);
  expect(await blobNames(lake, '')).toEqual(blobsAfterFirst);
  expect(blobsAfterFirst.filter((n) => n.startsWith('raw/'))).toHaveLength(2);
  expect(started).toEqual(first.batches.map((b) => b.batchId));
  // Another position of the stream (even with the same bodies) is another batch.
  const later = await ingestStreamBatch(deps(), triggerBatch('0', 20), new Date('2026-11-30T10:06:00Z'));
  expect(later.batches.every((b, i) => b.batchId !== first.batches[i]!.batchId && !b.duplicate)).toBe(true);
});

test('acceptance failing after its retries: the group is dead-lettered event by event, nothing lost', async () => {
  let calls = 0;
  const out = await ingestStreamBatch(
    deps({
      accept: async () => {
        calls++;
        throw new Error('table service unavailable');
      },
    }),
    triggerBatch('3', 40),
    new Date(),
  );
  expect(calls).toBe(6); // two groups, three attempts each
  expect(out.batches).toEqual([]);
  expect(out.deadLettered.map((d) => [d.blobName, d.code])).toEqual([
    ['deadletter/eventhubs/2026-11-30/3-43.json', 'malformed-body'],
    ['deadletter/eventhubs/2026-11-30/3-40.json', 'accept-failed'],
    ['deadletter/eventhubs/2026-11-30/3-42.json', 'accept-failed'],
    ['deadletter/eventhubs/2026-11-30/3-41.json', 'accept-failed'],
  ]);
  const doc = JSON.parse((await lake.getBlobClient('deadletter/eventhubs/2026-11-30/3-41.json').downloadToBuffer()).toString()) as Record<string, unknown>;
  expect(doc.error).toEqual({ code: 'accept-failed', message: 'table service unavailable' });
  expect(doc.body).toBe(fixture('shopify/order.json').toString());
});

test('when neither acceptance nor the dead letter works, the invocation throws (the host retries it)', async () => {
  const broken = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('no-such-container');
  await expect(
    ingestStreamBatch(deps({ lake: broken, accept: async () => Promise.reject(new Error('down')) }), triggerBatch('2', 60), new Date()),
  ).rejects.toThrow(/container/i);
});

test("a producer's storeId property travels as the store hint: kept with the raw blob and given to the orchestration; a malformed one dead-letters its events", async () => {
  const at = '2026-11-30T10:00:00.000Z';
  const inputs: Array<{ id: string; headers: Record<string, string> }> = [];
  const recording = deps({
    accept: (req) =>
      acceptBatch(
        { ...acceptDeps, startOrchestration: async (id, input) => void inputs.push({ id, headers: input.headers }) },
        req,
      ),
  });
  const out = await ingestStreamBatch(
    recording,
    {
      eventHub: 'pos-transactions',
      consumerGroup: '$Default',
      partitionId: '5',
      events: [
        { body: fixture('adyen/payment-success.json'), properties: { source: 'adyen', storeId: 'S042' }, sequenceNumber: 1, offset: '0', enqueuedTimeUtc: at },
        { body: fixture('adyen/reversal.json'), properties: { source: 'adyen', storeId: '../etc' }, sequenceNumber: 2, offset: '1', enqueuedTimeUtc: at },
      ],
    },
    new Date(at),
  );
  expect(out.batches.map((b) => [b.source, b.events])).toEqual([['adyen', 1]]);
  expect(inputs).toEqual([{ id: out.batches[0]!.batchId, headers: { 'x-pos-hub-store-id': 'S042' } }]);
  const raw = (await blobNames(lake, 'raw/source=adyen/'))[0]!;
  expect((await lake.getBlobClient(raw).getProperties()).metadata).toMatchObject({ h_x_pos_hub_store_id: 'S042' });
  expect(out.deadLettered).toEqual([{ blobName: 'deadletter/eventhubs/2026-11-30/5-2.json', code: 'invalid-store-id', source: 'adyen' }]);
});
