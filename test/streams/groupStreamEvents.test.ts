// Grouping a trigger batch: JSON events of one source and store become one NDJSON body, XML/CSV and JSON
// arrays one body each, bad events are set aside with the reason, and the ids are deterministic.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { groupStreamEvents, type StreamEvent, type StreamTriggerBatch } from '../../shared/streams/groupStreamEvents';
import { deadLetterBlobName, toDeadLetter } from '../../shared/streams/writeDeadLetter';

const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));
let seq = 100;
const event = (body: unknown, properties: Record<string, unknown>): StreamEvent => ({
  body,
  properties,
  sequenceNumber: seq++,
  offset: String(seq * 10),
  enqueuedTimeUtc: '2026-11-30T10:00:00.000Z',
});
const batchOf = (events: StreamEvent[]): StreamTriggerBatch => ({ eventHub: 'pos-transactions', consumerGroup: '$Default', partitionId: '2', events });
const limits = { maxEventBytes: 64 * 1024, maxBatchBytes: 1024 * 1024 };

beforeEach(() => {
  seq = 100;
});

test('JSON events group per source into one NDJSON body; pretty-printed JSON becomes one line, big ids stay exact', () => {
  const shopify = fixture('shopify/order-pos-big-id.json');
  const events = [
    event(shopify, { source: 'shopify' }),
    event(fixture('square/payment-created.json'), { source: 'square' }),
    event(Buffer.from('{"id": 12345678901234567890,\n "x": "a\\nb"}'), { source: 'shopify' }),
    event('{"order":{"id":"1"}}', { source: 'square' }),
  ];
  const { groups, rejected } = groupStreamEvents(batchOf(events), limits);
  expect(rejected).toEqual([]);
  expect(groups.map((g) => [g.source, g.storeId, g.contentType, g.events.map((e) => e.sequenceNumber)])).toEqual([
    ['shopify', null, 'application/x-ndjson', [100, 102]],
    ['square', null, 'application/x-ndjson', [101, 103]],
  ]);
  const lines = groups[0]!.body.split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toBe('{"id": 12345678901234567890,  "x": "a\\nb"}');
  expect(lines[2]).toBe('');
  expect(lines[0]).toBe(shopify.toString().trim().replace(/[\r\n]+/g, ' '));
});

test('a resend in the same trigger batch (same bytes, same source and store) is one line, still counted among the events', () => {
  const order = fixture('shopify/order-pos-big-id.json');
  const other = '{"id":42}';
  const { groups } = groupStreamEvents(
    batchOf([event(order, { source: 'shopify' }), event(other, { source: 'shopify' }), event(order, { source: 'shopify' })]),
    limits,
  );
  expect(groups.map((g) => [g.contentType, g.events.map((e) => e.sequenceNumber)])).toEqual([['application/x-ndjson', [100, 101, 102]]]);
  expect(groups[0]!.body.split('\n')).toEqual([order.toString().trim().replace(/[\r\n]+/g, ' '), other, '']);
  // Only a resend: the same order in another store's group is that store's payload.
  const apart = groupStreamEvents(batchOf([event(order, { source: 'shopify', storeId: 'S1' }), event(order, { source: 'shopify', storeId: 'S2' })]), limits);
  expect(apart.groups.map((g) => [g.storeId, g.contentType, g.body.split('\n').length])).toEqual([
    ['S1', 'application/json', 2],
    ['S2', 'application/json', 2],
  ]);
});

test('ids come from partition and sequence numbers: the same trigger batch gives the same ids, another range others', () => {
  const make = () => [event('{"id":1}', { source: 'shopify' }), event('{"id":2}', { source: 'shopify' })];
  const a = groupStreamEvents(batchOf(make()), limits).groups[0]!.idempotencyKey;
  seq = 100;
  const b = groupStreamEvents(batchOf(make()), limits).groups[0]!.idempotencyKey;
  const c = groupStreamEvents(batchOf(make()), limits).groups[0]!.idempotencyKey;
  expect(a).toBe(b);
  expect(a).toMatch(/^eventhubs:2:100-101:[0-9a-f]{24}$/);
  expect(c).toMatch(/^eventhubs:2:102-103:[0-9a-f]{24}$/);
});

test('stores group apart; XML, CSV and JSON arrays are one batch each', () => {
  const events = [
    event('{"id":1}', { source: 'shopify', storeId: 'S1' }),
    event(fixture('poslog/ncr-acs-SMALL.xml'), { source: 'poslog', contentType: 'application/xml' }),
    event('{"id":2}', { source: 'shopify', storeId: 'S2' }),
    event('[{"id":3},{"id":4}]', { source: 'shopify', storeId: 'S1' }),
    event('{"id":5}', { source: 'shopify', storeId: 'S1' }),
  ];
  const { groups } = groupStreamEvents(batchOf(events), limits);
  expect(groups.map((g) => [g.source, g.storeId, g.contentType, g.events.map((e) => e.sequenceNumber)])).toEqual([
    ['poslog', null, 'application/xml', [101]],
    ['shopify', 'S1', 'application/json', [103]],
    ['shopify', 'S1', 'application/x-ndjson', [100, 104]],
    ['shopify', 'S2', 'application/json', [102]],
  ]);
});

test('bad events are set aside with the reason, the others still grouped', () => {
  const events = [
    event('{"id":1}', {}),
    event('{"id":2}', { source: 'myPos' }),
    event('{"id": 3', { source: 'shopify' }),
    event(Buffer.from([0xc3, 0x28]), { source: 'shopify' }),
    event(`{"note":"${'x'.repeat(200)}"}`, { source: 'shopify' }),
    event('<POSLog><!DOCTYPE x [<!ENTITY a "b">]></POSLog>', { source: 'poslog' }),
    event('{"id":7}', { source: 'shopify', contentType: 'text/csv' }),
    event('{"id":8}', { source: 'shopify' }),
  ];
  const { groups, rejected } = groupStreamEvents(batchOf(events), { maxEventBytes: 150, maxBatchBytes: 1024 });
  expect(rejected.map((r) => [r.event.sequenceNumber, r.error.code])).toEqual([
    [100, 'missing-source'],
    [101, 'unknown-source'],
    [102, 'malformed-body'],
    [103, 'malformed-body'],
    [104, 'body-too-large'],
    [105, 'hostile-xml'],
    [106, 'unsupported-media-type'],
  ]);
  expect(groups.map((g) => g.events.map((e) => e.sequenceNumber))).toEqual([[107]]);
});

test('a group never exceeds the batch byte limit: it is split in sequence order', () => {
  const events = Array.from({ length: 5 }, (_, i) => event(`{"id":${i},"pad":"${'p'.repeat(40)}"}`, { source: 'shopify' }));
  const { groups } = groupStreamEvents(batchOf(events), { maxEventBytes: 1000, maxBatchBytes: 120 });
  expect(groups.map((g) => g.events.map((e) => e.sequenceNumber))).toEqual([[100, 101], [102, 103], [104]]);
  expect(groups.every((g) => Buffer.byteLength(g.body) <= 120)).toBe(true);
});

test('a dead letter keeps the error, position, properties and body, with card numbers masked', () => {
  const e = event('{"card":"4111 1111 1111 1111"', { source: 'shopify', note: '4111111111111111' });
  const doc = toDeadLetter(batchOf([e]), { event: e, error: { code: 'malformed-body', message: 'm' } });
  expect(JSON.stringify(doc)).not.toMatch(/4111 ?1111 ?1111 ?1111/);
  expect(doc).toMatchObject({
    error: { code: 'malformed-body', message: 'm' },
    eventHub: 'pos-transactions',
    consumerGroup: '$Default',
    partitionId: '2',
    sequenceNumber: 100,
    offset: '1010',
    enqueuedTimeUtc: '2026-11-30T10:00:00.000Z',
  });
  expect((doc.properties as { source: string }).source).toBe('shopify');
  expect(deadLetterBlobName(e.enqueuedTimeUtc, '2', 100)).toBe('deadletter/eventhubs/2026-11-30/2-100.json');
});
