// Event Hubs triggers: the fixture app's functions fed by the real consumer client from the local server,
// with checkpoints in Azurite blobs under the Functions host's layout.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite';
import { startEventHubsServer, type EventHubsServer } from '../../../local/eventhubs/server';
import { CHECKPOINT_CONTAINER, startEventHubTriggers } from '../../../local/eventhubs/trigger';
import { loadFunctionApp, type RegisteredFunction } from '../../../local/functionsCore';
import type * as FixtureApp from '../../fixtures/eventhubs-app';

// Loaded through the local functions-core (not imported statically, which would register nothing).
const FIXTURE_APP = path.join(__dirname, '../../fixtures/eventhubs-app/index.ts');
let recorded: typeof FixtureApp.recorded;
let inspected: typeof FixtureApp.inspected;

jest.setTimeout(60000);

const HUBS = [
  { name: 'pos-events', partitions: 4 },
  { name: 'inspect', partitions: 1 },
];
const HOST_JSON = { version: '2.0', extensions: { eventHubs: { maxEventBatchSize: 100, prefetchCount: 300 } } };

let azurite: AzuriteInstance;
let server: EventHubsServer;
let dataDir: string;
let functions: RegisteredFunction[];
const logs: string[] = [];
const log = (msg: string) => logs.push(msg);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'eventhubs-trigger-'));
  [azurite, server] = await Promise.all([startAzurite(), startEventHubsServer({ dataDir, hubs: HUBS })]);
  functions = loadFunctionApp(FIXTURE_APP);
  ({ recorded, inspected } = (await import(FIXTURE_APP)) as typeof FixtureApp);
});

afterAll(async () => {
  await Promise.all([server?.stop(), azurite?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

function only(name: string): RegisteredFunction[] {
  return functions.filter((f) => f.name === name);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; logs: ${logs.slice(-5).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function checkpoints(prefix: string): Promise<Record<string, Record<string, string>>> {
  const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CHECKPOINT_CONTAINER);
  const result: Record<string, Record<string, string>> = {};
  for await (const blob of container.listBlobsFlat({ prefix, includeMetadata: true })) result[blob.name] = blob.metadata ?? {};
  return result;
}

describe('inspectEvents (cardinality many)', () => {
  let triggers: { stop(): Promise<void> };
  let producer: EventHubProducerClient;

  beforeAll(async () => {
    producer = new EventHubProducerClient(server.connectionString, 'inspect');
    triggers = await startEventHubTriggers({
      functions: only('inspectEvents'),
      eventHubsConnectionString: server.connectionString,
      storageConnectionString: azurite.connectionString,
      hostJson: HOST_JSON,
      log,
    });
  });

  afterAll(async () => {
    await triggers.stop();
    await producer.close();
  });

  // The consumer may split events sent together over several invocations: compare what all
  // invocations so far saw, array by array.
  const all = (key: string) => inspected.flatMap((c) => c.triggerMetadata![key] as unknown[]);
  const inputs = () => inspected.flatMap((c) => c.input);

  test('the handler gets parsed bodies and the host trigger metadata', async () => {
    const batch = await producer.createBatch({ partitionKey: 'store-1' });
    batch.tryAdd({ body: { id: 'a', amount: '10.00' }, properties: { vendor: 'square' } });
    batch.tryAdd({ body: 'plain text' });
    await producer.sendBatch(batch);
    await waitFor(() => inputs().length === 2, 'both events');

    expect(inputs()).toEqual([{ id: 'a', amount: '10.00' }, 'plain text']);
    for (const call of inspected) {
      expect(call.triggerMetadata!.partitionContext).toEqual({
        fullyQualifiedNamespace: '127.0.0.1',
        eventHubName: 'inspect',
        consumerGroup: '$Default',
        partitionId: '0',
      });
    }
    expect(all('sequenceNumberArray')).toEqual([0, 1]);
    expect(all('partitionKeyArray')).toEqual(['store-1', 'store-1']);
    expect(all('propertiesArray')).toEqual([{ vendor: 'square' }, {}]);
    const offsets = all('offsetArray') as string[];
    expect(offsets[0]).toBe('0');
    expect(Number(offsets[1])).toBeGreaterThan(0);
    const times = all('enqueuedTimeUtcArray') as string[];
    expect(times.map((t) => new Date(t).toISOString())).toEqual(times);
    expect(all('systemPropertiesArray')[1]).toMatchObject({
      'x-opt-sequence-number': 1,
      'x-opt-offset': offsets[1],
      'x-opt-partition-key': 'store-1',
      sequenceNumber: 1,
      offset: offsets[1],
      partitionKey: 'store-1',
      enqueuedTimeUtc: times[1],
    });
  });

  test('a failing batch is logged, skipped and checkpointed; later events still arrive', async () => {
    const before = inspected.length;
    await producer.sendBatch([{ body: { id: 'bad', fail: true } }]);
    await waitFor(() => logs.some((l) => l.includes('poison event')), 'the failure log');
    await producer.sendBatch([{ body: { id: 'after' } }]);
    await waitFor(() => inputs().length === 4, 'the event after the failure');
    expect(inspected.slice(before).map((c) => c.input)).toEqual([[{ id: 'bad', fail: true }], [{ id: 'after' }]]);
    expect(logs.filter((l) => l.includes('poison event'))).toEqual([
      'inspectEvents: batch of 1 from partition 0 failed and is skipped: Error: poison event',
    ]);

    const lastOffset = (all('offsetArray') as string[])[3]!;
    const deadline = Date.now() + 10000;
    let found: Record<string, Record<string, string>> = {};
    while (Date.now() < deadline) {
      found = await checkpoints('127.0.0.1/inspect/$default/checkpoint/');
      if (found['127.0.0.1/inspect/$default/checkpoint/0']?.sequencenumber === '3') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toEqual({ '127.0.0.1/inspect/$default/checkpoint/0': { sequencenumber: '3', offset: lastOffset } });
  });
});

test('10,000 events over 4 partitions reach the function exactly once in effect, across a restart', async () => {
  const TOTAL = 10000;
  const FIRST = 6000; // sent before the restart; the rest after
  const events: EventData[] = Array.from({ length: TOTAL }, (_, i) => ({
    body: { id: `evt-${String(i).padStart(5, '0')}`, store: `store-${i % 37}`, amount: `${(i % 500) + 1}.99` },
    properties: { vendor: 'square' },
  }));

  async function sendAll(connectionString: string, slice: EventData[]): Promise<number> {
    const producer = new EventHubProducerClient(connectionString, 'pos-events');
    const started = Date.now();
    let batch = await producer.createBatch();
    const sends: Promise<void>[] = [];
    for (const e of slice) {
      if (!batch.tryAdd(e)) {
        sends.push(producer.sendBatch(batch));
        batch = await producer.createBatch();
        batch.tryAdd(e);
      }
      // Small batches spread round robin over the partitions, as many POS terminals would.
      if (batch.count === 250) {
        sends.push(producer.sendBatch(batch));
        batch = await producer.createBatch();
      }
    }
    if (batch.count > 0) sends.push(producer.sendBatch(batch));
    await Promise.all(sends);
    await producer.close();
    return slice.length / ((Date.now() - started) / 1000);
  }

  const startTriggers = (connectionString: string) =>
    startEventHubTriggers({
      functions: only('recordPosEvents'),
      eventHubsConnectionString: connectionString,
      storageConnectionString: azurite.connectionString,
      hostJson: HOST_JSON,
      log,
    });

  const sendRate1 = await sendAll(server.connectionString, events.slice(0, FIRST));
  let started = Date.now();
  let triggers = await startTriggers(server.connectionString);
  await waitFor(() => recorded.length >= 3000, '3000 deliveries');
  const rateBefore = recorded.length / ((Date.now() - started) / 1000);

  // Stop the trigger and the server mid-stream, then bring both back on the same data.
  await triggers.stop();
  const atStop = recorded.length;
  await server.stop();
  server = await startEventHubsServer({ dataDir, hubs: HUBS });
  started = Date.now();
  triggers = await startTriggers(server.connectionString);
  const sendRate2 = await sendAll(server.connectionString, events.slice(FIRST));
  try {
    await waitFor(() => new Set(recorded.map((r) => r.id)).size === TOTAL, 'all 10,000 ids', 45000);
  } finally {
    await triggers.stop();
  }
  const rateAfter = (recorded.length - atStop) / ((Date.now() - started) / 1000);

  const ids = recorded.map((r) => r.id);
  expect(new Set(ids).size).toBe(TOTAL);
  expect([...new Set(ids)].sort()).toEqual(events.map((e) => (e.body as { id: string }).id));
  // Duplicates can only come from the batch that was in flight per partition when the trigger stopped.
  const duplicates = ids.length - TOTAL;
  expect(duplicates).toBeLessThanOrEqual(4 * HOST_JSON.extensions.eventHubs.maxEventBatchSize);
  // Within a partition, events arrive in sequence order and every sequence number is seen.
  for (const p of ['0', '1', '2', '3']) {
    const seqs = [...new Set(recorded.filter((r) => r.partitionId === p).map((r) => r.sequenceNumber))];
    expect(seqs).toEqual(seqs.map((_, i) => i));
  }
  const cps = await checkpoints('127.0.0.1/pos-events/$default/checkpoint/');
  expect(Object.keys(cps).sort()).toEqual(['0', '1', '2', '3'].map((p) => `127.0.0.1/pos-events/$default/checkpoint/${p}`));
  const perPartition = ['0', '1', '2', '3'].map((p) => new Set(recorded.filter((r) => r.partitionId === p).map((r) => r.id)).size);
  expect(Object.values(cps).map((m) => Number(m.sequencenumber) + 1)).toEqual(perPartition);

  console.log(
    `10k events: send ${Math.round(sendRate1)} + ${Math.round(sendRate2)} events/s; trigger ${Math.round(rateBefore)} events/s ` +
      `before restart, ${Math.round(rateAfter)} events/s after; ${duplicates} duplicate deliveries; per partition ${perPartition.join('/')}`,
  );
});
