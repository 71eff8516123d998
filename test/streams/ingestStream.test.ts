// The Event Hubs trigger through the real app: events of several sources sent with the real producer
// client to the local Event Hubs server reach curated/quarantine once each, grouped into few batches
// (far fewer raw blobs than events); bad events land in dead-letter blobs with their error while the
// others are processed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import type { Runtime } from '../../local/runtime';
import { blobNames, curatedTransactions, lakeOf, quarantinedTransactions, startHub } from '../webhooks/hubRuntime';
import { transactionId } from '../../shared/model';

jest.setTimeout(85_000);

let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];
const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p), 'utf8');

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-streams-'));
  runtime = await startHub(dataDir, { POS_HUB_DEFAULT_TIMEZONE: 'America/New_York' }, logs);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const SQUARE = 30;
const SHOPIFY = 20;

function squarePayment(i: number): unknown {
  const event = JSON.parse(fixture('square/payment-created.json')) as { event_id: string; data: { id: string; object: { payment: { id: string } } } };
  const id = `PAYMENT${String(i).padStart(4, '0')}`;
  event.event_id = `ev-${id}`;
  event.data.id = id;
  event.data.object.payment.id = id;
  return event;
}

function shopifyOrder(i: number): string {
  const order = JSON.parse(fixture('shopify/order-web-discounts.json')) as { id: number };
  order.id = 7_000_000 + i;
  return JSON.stringify(order, null, 2); // pretty-printed on purpose: it must still become one NDJSON line
}

/** The POSLog fixture as register transaction `seq` (its TransactionID is the source key). */
function poslog(seq: number): Buffer {
  return Buffer.from(
    fixture('poslog/v6-split-tender-tax-exclusive.xml')
      .replace('<SequenceNumber>5123</SequenceNumber>', `<SequenceNumber>${seq}</SequenceNumber>`)
      .replace('S042-3-20261130-5123', `S042-3-20261130-${seq}`),
  );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    // The local trigger logs a batch it skipped (as Azure would after a failed invocation): fail now.
    const skipped = logs.find((l) => l.includes('failed and is skipped'));
    if (skipped) throw new Error(`the trigger failed a batch: ${skipped}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${logs.slice(-30).join('\n')}`);
    await sleep(500);
  }
}

test('events of several sources reach the lake once each, in few batches; bad events are dead-lettered, the rest still processed', async () => {
  const events: EventData[] = [];
  for (let i = 0; i < SQUARE; i++) events.push({ body: squarePayment(i), properties: { source: 'square' } });
  for (let i = 0; i < SHOPIFY; i++) events.push({ body: Buffer.from(shopifyOrder(i)), properties: { source: 'shopify', contentType: 'application/json' } });
  events.push({ body: poslog(9001), properties: { source: 'poslog', contentType: 'application/xml' } });
  events.push({ body: poslog(9002), properties: { source: 'poslog' } });
  events.push({ body: Buffer.from('{"id": 1, "card": "4111 1111 1111 1111"'), properties: { source: 'shopify' } }); // malformed, with a card number
  events.push({ body: { id: 2 }, properties: { source: 'myPos' } }); // unknown source
  events.push({ body: { id: 3 }, properties: {} }); // no source

  const producer = new EventHubProducerClient(runtime.eventHubsConnectionString!, 'pos-transactions');
  try {
    const batch = await producer.createBatch({ partitionId: '1' });
    for (const e of events) expect(batch.tryAdd(e)).toBe(true);
    await producer.sendBatch(batch);
  } finally {
    await producer.close();
  }

  const expectedIds = [
    ...Array.from({ length: SQUARE }, (_, i) => transactionId('square', `PAYMENT${String(i).padStart(4, '0')}`)),
    ...Array.from({ length: SHOPIFY }, (_, i) => transactionId('shopify', String(7_000_000 + i))),
    transactionId('poslog', 'S042-3-20261130-9001'),
    transactionId('poslog', 'S042-3-20261130-9002'),
  ];
  const lake = lakeOf(runtime);
  const placed = await waitFor('every sent transaction in the lake', async () => {
    const curated = await curatedTransactions(lake);
    const quarantined = await quarantinedTransactions(lake);
    const found = expectedIds.filter((id) => curated.has(id) || quarantined.has(id));
    return found.length === expectedIds.length ? { curated, quarantined } : undefined;
  });
  // Each once: in curated from exactly one batch, or in quarantine, never both.
  for (const id of expectedIds) {
    const where = [...(placed.curated.get(id) ?? []).map(() => 'curated'), ...(placed.quarantined.has(id) ? ['quarantine'] : [])];
    expect([id, where]).toEqual([id, ['curated']]);
  }
  expect(placed.curated.size).toBe(expectedIds.length);

  // 52 good events, a handful of batches: one NDJSON batch per source (per trigger invocation), one per XML.
  const raw = await blobNames(lake, 'raw/');
  const bySource = (s: string) => raw.filter((n) => n.startsWith(`raw/source=${s}/`)).length;
  expect(bySource('poslog')).toBe(2);
  expect(bySource('square')).toBeGreaterThanOrEqual(1);
  expect(bySource('square')).toBeLessThanOrEqual(3);
  expect(bySource('shopify')).toBeGreaterThanOrEqual(1);
  expect(bySource('shopify')).toBeLessThanOrEqual(3);
  expect(raw.length).toBeLessThanOrEqual(8);

  const deadLetters = await waitFor('three dead letters', async () => {
    const names = await blobNames(lake, 'deadletter/eventhubs/');
    return names.length === 3 ? names : undefined;
  });
  const docs = await Promise.all(deadLetters.map(async (n) => JSON.parse((await lake.getBlobClient(n).downloadToBuffer()).toString()) as Record<string, unknown>));
  const day = new Date().toISOString().slice(0, 10);
  expect(docs.map((d) => [(d.error as { code: string }).code, d.partitionId, d.eventHub, d.properties])).toEqual([
    ['malformed-body', '1', 'pos-transactions', { source: 'shopify' }],
    ['unknown-source', '1', 'pos-transactions', { source: 'myPos' }],
    ['missing-source', '1', 'pos-transactions', {}],
  ]);
  expect(deadLetters).toEqual(docs.map((d) => `deadletter/eventhubs/${day}/1-${d.sequenceNumber as number}.json`));
  expect(docs[0]!.body).not.toMatch(/4111 ?1111 ?1111 ?1111/);
  expect(docs[1]!.body).toBe('{"id":2}');
  // Each dead letter is a warning event for the alert rules (docs/operations.md), naming the blob.
  const deadLetterEvents = logs.filter((l) => l.includes('pos-hub.dead-letter ')).sort();
  expect(deadLetterEvents).toEqual(
    docs
      .map((d, i) => `[ingestStream] warning: pos-hub.dead-letter source=${(d.properties as { source?: string }).source ?? 'unknown'} code=${(d.error as { code: string }).code} blob=${deadLetters[i]}`)
      .sort(),
  );
  // None of the bad events left anything in raw, curated or quarantine: only their dead letters.
  expect([...placed.quarantined.keys()]).toEqual([]);
});
