// The local Event Hubs server, driven by the real @azure/event-hubs 6 producer and consumer clients.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EventHubConsumerClient,
  EventHubProducerClient,
  earliestEventPosition,
  type EventPosition,
  type ReceivedEventData,
} from '@azure/event-hubs';
import { startEventHubsServer, type EventHubsServer } from '../../../local/eventhubs/server';
import { partitionForKey } from '../../../local/eventhubs/partitionForKey';

const HUBS = ['meta', 'sends', 'reads', 'groups', 'limits'].map((name) => ({ name, partitions: 4 }));
let server: EventHubsServer;
const clients: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = await startEventHubsServer({ hubs: HUBS });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.stop();
});

function producer(hub: string, connectionString = server.connectionString): EventHubProducerClient {
  const client = new EventHubProducerClient(connectionString, hub, { retryOptions: { maxRetries: 0, timeoutInMs: 10000 } });
  clients.push(client);
  return client;
}

function consumer(hub: string, group = '$Default', connectionString = server.connectionString): EventHubConsumerClient {
  const client = new EventHubConsumerClient(group, connectionString, hub);
  clients.push(client);
  return client;
}

/** Receives exactly `count` events from one partition, starting at `startPosition`. */
async function receive(
  client: EventHubConsumerClient,
  partitionId: string,
  startPosition: EventPosition,
  count: number,
): Promise<ReceivedEventData[]> {
  const received: ReceivedEventData[] = [];
  await new Promise<void>((resolve, reject) => {
    const subscription = client.subscribe(
      partitionId,
      {
        processEvents: async (events) => {
          received.push(...events);
          if (received.length >= count) void subscription.close().then(resolve, reject);
        },
        processError: async (err) => reject(err),
      },
      { startPosition, maxBatchSize: 50, maxWaitTimeInSeconds: 1 },
    );
  });
  return received;
}

describe('management', () => {
  test('getEventHubProperties lists the configured partitions', async () => {
    const props = await producer('meta').getEventHubProperties();
    expect(props.name).toBe('meta');
    expect(props.partitionIds).toEqual(['0', '1', '2', '3']);
    expect(props.createdOn).toBeInstanceOf(Date);
  });

  test('getPartitionProperties of an empty partition, then after two events', async () => {
    const client = producer('meta');
    expect(await client.getPartitionProperties('1')).toEqual({
      eventHubName: 'meta',
      partitionId: '1',
      beginningSequenceNumber: 0,
      lastEnqueuedSequenceNumber: -1,
      lastEnqueuedOffset: '-1',
      lastEnqueuedOnUtc: new Date(0),
      isEmpty: true,
    });
    const before = Date.now();
    await client.sendBatch([{ body: 'a' }, { body: 'b' }], { partitionId: '1' });
    const props = await client.getPartitionProperties('1');
    expect(props).toMatchObject({ partitionId: '1', beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 1, isEmpty: false });
    const [first] = await receive(consumer('meta'), '1', earliestEventPosition, 2);
    expect(props.lastEnqueuedOffset).not.toBe(first!.offset);
    expect(props.lastEnqueuedOnUtc.getTime()).toBeGreaterThanOrEqual(before);
  });

  test('an unknown hub is reported as MessagingEntityNotFoundError', async () => {
    await expect(producer('no-such-hub').getEventHubProperties()).rejects.toMatchObject({
      name: 'MessagingError',
      code: 'MessagingEntityNotFoundError',
    });
  });
});

describe('send', () => {
  test('to a partition id, with a partition key, and round robin', async () => {
    const client = producer('sends');
    await client.sendBatch([{ body: { n: 1 } }, { body: { n: 2 } }], { partitionId: '2' });

    const keyed = await client.createBatch({ partitionKey: 'store-17' });
    expect(keyed.tryAdd({ body: { n: 3 } })).toBe(true);
    expect(keyed.tryAdd({ body: { n: 4 } })).toBe(true);
    await client.sendBatch(keyed);

    for (let i = 0; i < 4; i++) await client.sendBatch([{ body: { rr: i } }]);

    const keyedPartition = partitionForKey('store-17', 4);
    const counts = await Promise.all(['0', '1', '2', '3'].map(async (id) => (await client.getPartitionProperties(id)).lastEnqueuedSequenceNumber + 1));
    const expected = [1, 1, 1, 1];
    expected[2]! += 2;
    expected[keyedPartition]! += 2;
    expect(counts).toEqual(expected);

    const events = await receive(consumer('sends'), String(keyedPartition), earliestEventPosition, expected[keyedPartition]!);
    const keyedEvents = events.filter((e) => e.partitionKey === 'store-17').map((e) => e.body);
    expect(keyedEvents).toEqual([{ n: 3 }, { n: 4 }]);
  });
});

describe('receive', () => {
  const sent = Array.from({ length: 10 }, (_, i) => ({
    body: { id: `e${i}`, amount: '12.50' },
    properties: { vendor: 'square', attempt: i },
    contentType: 'application/json',
    messageId: `m-${i}`,
    correlationId: `c-${i}`,
  }));
  let all: ReceivedEventData[];
  let middleTime: Date;

  beforeAll(async () => {
    const client = producer('reads');
    await client.sendBatch(sent.slice(0, 5), { partitionId: '0' });
    await new Promise((r) => setTimeout(r, 20)); // so the two halves have distinct enqueued times
    await client.sendBatch(sent.slice(5), { partitionId: '0' });
    all = await receive(consumer('reads'), '0', earliestEventPosition, 10);
    middleTime = all[4]!.enqueuedTimeUtc;
  });

  test('from the earliest event, with body, properties and system properties as sent', () => {
    expect(all.map((e) => e.body)).toEqual(sent.map((s) => s.body));
    expect(all.map((e) => e.properties)).toEqual(sent.map((s) => s.properties));
    expect(all.map((e) => [e.contentType, e.messageId, e.correlationId])).toEqual(sent.map((s) => [s.contentType, s.messageId, s.correlationId]));
    expect(all.map((e) => e.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(all.every((e) => typeof e.offset === 'string')).toBe(true);
    expect(all[0]!.offset).toBe('0');
    const offsets = all.map((e) => Number(e.offset));
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(new Set(offsets).size).toBe(10);
    // The SDK surfaces the AMQP properties section here; the x-opt-* annotations became typed fields.
    expect(all[0]!.systemProperties).toEqual({ messageId: 'm-0', correlationId: 'c-0', contentType: 'application/json' });
  });

  test('by offset, exclusive and inclusive', async () => {
    const exclusive = await receive(consumer('reads'), '0', { offset: all[3]!.offset }, 6);
    expect(exclusive.map((e) => e.sequenceNumber)).toEqual([4, 5, 6, 7, 8, 9]);
    const inclusive = await receive(consumer('reads'), '0', { offset: all[3]!.offset, isInclusive: true }, 7);
    expect(inclusive.map((e) => e.sequenceNumber)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  test('by sequence number, exclusive and inclusive', async () => {
    const exclusive = await receive(consumer('reads'), '0', { sequenceNumber: 7 }, 2);
    expect(exclusive.map((e) => e.body)).toEqual([{ id: 'e8', amount: '12.50' }, { id: 'e9', amount: '12.50' }]);
    const inclusive = await receive(consumer('reads'), '0', { sequenceNumber: 7, isInclusive: true }, 3);
    expect(inclusive.map((e) => e.sequenceNumber)).toEqual([7, 8, 9]);
  });

  test('by enqueued time (events strictly after it)', async () => {
    const after = await receive(consumer('reads'), '0', { enqueuedOn: middleTime }, 5);
    expect(after.map((e) => e.sequenceNumber)).toEqual([5, 6, 7, 8, 9]);
  });

  test('from the latest position only events sent afterwards', async () => {
    const client = consumer('reads');
    const received = receive(client, '0', { offset: '@latest' }, 1);
    await new Promise((r) => setTimeout(r, 500)); // let the receiver attach before sending
    await producer('reads').sendBatch([{ body: 'late' }], { partitionId: '0' });
    expect((await received).map((e) => [e.sequenceNumber, e.body])).toEqual([[10, 'late']]);
  });
});

test('two consumer groups each see every event', async () => {
  await producer('groups').sendBatch([{ body: 1 }, { body: 2 }, { body: 3 }], { partitionId: '3' });
  const [a, b] = await Promise.all([
    receive(consumer('groups', '$Default'), '3', earliestEventPosition, 3),
    receive(consumer('groups', 'analytics'), '3', earliestEventPosition, 3),
  ]);
  expect(a.map((e) => e.body)).toEqual([1, 2, 3]);
  expect(b.map((e) => e.body)).toEqual([1, 2, 3]);
});

describe('limits', () => {
  test('the link advertises 1 MB, so createBatch refuses an oversized event', async () => {
    const batch = await producer('limits').createBatch();
    expect(batch.maxSizeInBytes).toBe(1048576);
    expect(batch.tryAdd({ body: Buffer.alloc(1048576) })).toBe(false);
    expect(batch.tryAdd({ body: Buffer.alloc(1000) })).toBe(true);
  });

  test('an event over 1 MB is rejected with the service error and nothing is stored', async () => {
    const client = producer('limits');
    await expect(client.sendBatch([{ body: Buffer.alloc(1048577) }], { partitionId: '0' })).rejects.toMatchObject({
      name: 'MessagingError',
      code: 'MessageTooLargeError',
      retryable: false,
    });
    expect((await client.getPartitionProperties('0')).isEmpty).toBe(true);
    // A batch just under the limit passes.
    await client.sendBatch([{ body: Buffer.alloc(1000000) }], { partitionId: '0' });
    expect((await client.getPartitionProperties('0')).lastEnqueuedSequenceNumber).toBe(0);
  });
});

test('events are kept across a restart when dataDir is set', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'eventhubs-'));
  try {
    const first = await startEventHubsServer({ dataDir, hubs: [{ name: 'durable', partitions: 2 }] });
    const p1 = new EventHubProducerClient(first.connectionString, 'durable');
    await p1.sendBatch([{ body: { n: 1 }, properties: { k: 'v' } }, { body: 'two' }], { partitionId: '1' });
    const c1 = new EventHubConsumerClient('$Default', first.connectionString, 'durable');
    const before = await receive(c1, '1', earliestEventPosition, 2);
    await Promise.all([p1.close(), c1.close()]);
    await first.stop();

    const second = await startEventHubsServer({ dataDir, hubs: [{ name: 'durable', partitions: 2 }] });
    try {
      const p2 = new EventHubProducerClient(second.connectionString, 'durable');
      await p2.sendBatch([{ body: 'three' }], { partitionId: '1' });
      const c2 = new EventHubConsumerClient('$Default', second.connectionString, 'durable');
      const after = await receive(c2, '1', earliestEventPosition, 3);
      await Promise.all([p2.close(), c2.close()]);
      const view = (e: ReceivedEventData) => [e.body, e.properties, e.sequenceNumber, e.offset, e.enqueuedTimeUtc.getTime()];
      expect(after.slice(0, 2).map(view)).toEqual(before.map(view));
      expect(after[2]!.body).toBe('three');
      expect(after[2]!.sequenceNumber).toBe(2);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
