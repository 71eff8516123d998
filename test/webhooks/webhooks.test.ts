// POST /api/v1/webhooks/{vendor} through the real app in the local runtime: signed deliveries of each
// vendor reach the lake once, redeliveries are answered from the ledger, rotated secrets both work, bad
// and stale deliveries are refused with problems and store nothing, test notifications and
// notification-only webhooks create no transaction (the latter a pending work item).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Runtime } from '../../local/runtime';
import { blobNames, curatedTransactions, lakeOf, quarantinedTransactions, settledBatch, startHub, tableRows } from './hubRuntime';
import { formBody, lightspeedSignature, shopifyHmac, squareSignature } from './signDelivery';

const SQUARE_URL = 'https://hub.example.com/api/v1/webhooks/square';
const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));
let runtime: Runtime;
let dataDir: string;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-webhooks-'));
  runtime = await startHub(
    dataDir,
    {
      SHOPIFY_WEBHOOK_SECRETS: 'shopify-old,shopify-new',
      SQUARE_WEBHOOK_SIGNATURE_KEYS: 'square-old,square-new',
      SQUARE_WEBHOOK_URL: SQUARE_URL,
      CLOVER_AUTH_CODES: 'clover-old,clover-new',
      LIGHTSPEED_WEBHOOK_SECRETS: 'lightspeed-old,lightspeed-new',
    },
    logs,
  );
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(vendor: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(`${runtime.baseUrl}/api/v1/webhooks/${vendor}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const shopifyHeaders = (body: Buffer, secret: string, webhookId: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  'x-shopify-topic': 'orders/create',
  'x-shopify-webhook-id': webhookId,
  'x-shopify-triggered-at': new Date().toISOString(),
  'x-shopify-hmac-sha256': shopifyHmac(secret, body),
  ...extra,
});

/** A Square event fixture stamped with `createdAt`, re-serialized (then signed as Square signs it). */
function squareBody(file: string, createdAt: Date, eventId?: string): Buffer {
  const event = JSON.parse(fixture(file).toString()) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...event, created_at: createdAt.toISOString(), ...(eventId ? { event_id: eventId } : {}) }));
}
const squareHeaders = (body: Buffer, key: string) => ({ 'content-type': 'application/json', 'x-square-hmacsha256-signature': squareSignature(key, SQUARE_URL, body) });

const lake = () => lakeOf(runtime);

test('Shopify: signed with either secret of a rotation -> 202, the order reaches curated once; the redelivery answers 200 with the same batch', async () => {
  const body = fixture('shopify/order-web-discounts.json');
  const webhookId = randomUUID();
  const first = await post('shopify', body, shopifyHeaders(body, 'shopify-new', webhookId));
  expect(first.status).toBe(202);
  const batchId = first.body!.batchId as string;
  expect(first.body).toEqual({ batchId, statusUrl: `${runtime.baseUrl}/api/v1/batches/${batchId}` });
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', accepted: 1, quarantined: 0 });

  const rawBefore = await blobNames(lake(), 'raw/');
  const again = await post('shopify', body, shopifyHeaders(body, 'shopify-new', webhookId));
  expect(again).toEqual({
    status: 200,
    contentType: 'application/json',
    body: { status: 'duplicate', eventId: webhookId, batchId, statusUrl: `${runtime.baseUrl}/api/v1/batches/${batchId}` },
  });
  expect(await blobNames(lake(), 'raw/')).toEqual(rawBefore);

  const bigId = fixture('shopify/order-pos-big-id.json');
  const old = await post('shopify', bigId, shopifyHeaders(bigId, 'shopify-old', randomUUID()));
  expect(old.status).toBe(202);
  expect(await settledBatch(runtime, old.body!.batchId as string, logs)).toMatchObject({ status: 'completed', accepted: 1 });

  const curated = await curatedTransactions(lake());
  expect(curated.get('a1a726984c3a94c1086ac0b0fb506442')).toEqual([batchId]);
  expect(curated.get('8e4ce4d9bd60c6642fb24c277f0f69ad')).toEqual([old.body!.batchId]);
}, 40_000);

test('Square: a signed payment -> 202 and curated; the redelivery of the event id -> 200, nothing new', async () => {
  const body = squareBody('square/payment-created.json', new Date());
  const first = await post('square', body, squareHeaders(body, 'square-old'));
  expect(first.status).toBe(202);
  const batchId = first.body!.batchId as string;
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', accepted: 1 });
  const again = await post('square', body, squareHeaders(body, 'square-new'));
  expect(again.body).toEqual({ status: 'duplicate', eventId: '8f6f5d3e-2b1a-4c7d-9e8f-0a1b2c3d4e5f', batchId, statusUrl: `${runtime.baseUrl}/api/v1/batches/${batchId}` });
  expect((await curatedTransactions(lake())).get('537fb018c653e6826ee215788913abff')).toEqual([batchId]);
}, 30_000);

test("Lightspeed: a signed form delivery -> 202, its payload's sale in the lake once; redelivered -> 200", async () => {
  const form = formBody(JSON.parse(fixture('lightspeed-x/webhook-sale-update.payload.json').toString()));
  const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': lightspeedSignature('lightspeed-new', form) };
  const first = await post('lightspeed', form, headers);
  expect(first.status).toBe(202);
  const batchId = first.body!.batchId as string;
  // The weighed line's tax is 1.25 x 1.41911 = 1.7738875, which the adapter rounds to the register's 5
  // decimals (1.77389, as the register's own total_tax): the curated tables' DECIMAL(18,6) holds it.
  expect(await settledBatch(runtime, batchId, logs)).toMatchObject({ status: 'completed', transactions: 1, accepted: 1, quarantined: 0 });
  expect((await post('lightspeed', form, { ...headers, 'x-signature': lightspeedSignature('lightspeed-old', form) })).body).toMatchObject({ status: 'duplicate', batchId });
  expect((await curatedTransactions(lake())).get('f02665ffccd4eb0ef652796d9d36f656')).toEqual([batchId]);
  expect((await quarantinedTransactions(lake())).has('f02665ffccd4eb0ef652796d9d36f656')).toBe(false);
}, 30_000);

test('Clover: a signed order -> 202 and curated; a notification -> 200 and pending work items, once', async () => {
  const order = fixture('clover/order-split-tender.json');
  const first = await post('clover', order, { 'content-type': 'application/json', 'x-clover-auth': 'clover-old' });
  expect(first.status).toBe(202);
  expect(await settledBatch(runtime, first.body!.batchId as string, logs)).toMatchObject({ status: 'completed', accepted: 1 });
  expect((await curatedTransactions(lake())).get('dac680bfec467154a387faa4a7e65642')).toEqual([first.body!.batchId]);

  const ts = Date.now() - 60_000;
  const notification = JSON.stringify({ appId: 'APP1', merchants: { MERCHANT1: [{ objectId: 'O:ORDER1', type: 'UPDATE', ts }] } });
  const headers = { 'content-type': 'application/json', 'x-clover-auth': 'clover-new' };
  const fetchNeeded = await post('clover', notification, headers);
  expect(fetchNeeded.status).toBe(200);
  expect(fetchNeeded.body).toMatchObject({ status: 'fetch_needed', workItems: 1 });
  expect((await post('clover', notification, headers)).body).toMatchObject({ status: 'duplicate', batchId: null, workItems: 1 });
  const rows = (await tableRows<Record<string, unknown>>(runtime, 'workItems')).filter((r) => r.vendor === 'clover');
  expect(rows.map((r) => ({ vendor: r.vendor, accountId: r.accountId, objectType: r.objectType, objectId: r.objectId, eventId: r.eventId, status: r.status }))).toEqual([
    { vendor: 'clover', accountId: 'MERCHANT1', objectType: 'order', objectId: 'ORDER1', eventId: `O:ORDER1:UPDATE:${ts}`, status: 'pending' },
  ]);
  expect(Math.abs(Date.parse(String(rows[0]!.receivedAt)) - Date.now())).toBeLessThan(30_000);

  expect(await post('clover', fixture('clover/webhook-verification.json'), { 'content-type': 'application/json' })).toEqual({
    status: 200,
    contentType: 'application/json',
    body: { status: 'test_acknowledged' },
  });
}, 30_000);

test('Square order.updated -> 200 and a pending work item for the order, no batch', async () => {
  const rawBefore = await blobNames(lake(), 'raw/');
  const body = squareBody('square/order-updated.json', new Date(), `ev-${randomUUID()}`);
  const out = await post('square', body, squareHeaders(body, 'square-new'));
  expect(out.status).toBe(200);
  const eventId = JSON.parse(body.toString()).event_id as string;
  expect(out.body).toEqual({ status: 'fetch_needed', eventId, workItems: 1 });
  const rows = (await tableRows<Record<string, unknown>>(runtime, 'workItems')).filter((r) => r.vendor === 'square');
  // The seller (merchant_id) is kept for the fetcher's token; the row key stays without it, as for rows
  // recorded before, so a redelivery of an older event still finds its row.
  expect(rows.map((r) => [r.accountId, r.objectType, r.objectId, r.eventId, r.status, r.rowKey])).toEqual([['MLX4T9W1QZ3B8', 'order', 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY', eventId, 'pending', `:${eventId}:order:Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY`]]);
  expect(await blobNames(lake(), 'raw/')).toEqual(rawBefore);
});

test('test notifications -> 200 and no transaction, no raw blob, no ledger entry', async () => {
  const rawBefore = await blobNames(lake(), 'raw/');
  const deliveriesBefore = (await tableRows(runtime, 'PosHubWebhookDeliveries')).length;
  const order = fixture('shopify/order.json');
  const shop = await post('shopify', order, shopifyHeaders(order, 'shopify-new', randomUUID(), { 'x-shopify-test': 'true' }));
  const squareTest = squareBody('square/webhook-test-notification.body.json', new Date());
  const square = await post('square', squareTest, squareHeaders(squareTest, 'square-old'));
  expect([shop, square].map((r) => [r.status, r.body])).toEqual([
    [200, { status: 'test_acknowledged' }],
    [200, { status: 'test_acknowledged' }],
  ]);
  expect(await blobNames(lake(), 'raw/')).toEqual(rawBefore);
  expect((await tableRows(runtime, 'PosHubWebhookDeliveries')).length).toBe(deliveriesBefore);
  expect((await quarantinedTransactions(lake())).has('b71ede150e9fe23028a66cc12efa4625')).toBe(false);
});

test('missing, wrong or stale signatures and stale or future deliveries -> 4xx problems; nothing is stored', async () => {
  const rawBefore = await blobNames(lake(), 'raw/');
  const deliveriesBefore = (await tableRows(runtime, 'PosHubWebhookDeliveries')).length;
  // Work items only: the fetcher timer's retention sweep may add its marker row meanwhile.
  const workItemCount = async () => (await tableRows<{ partitionKey: string }>(runtime, 'workItems')).filter((r) => r.partitionKey !== 'retention').length;
  const workBefore = await workItemCount();
  const order = fixture('shopify/order-web-discounts.json');
  const tampered = Buffer.from(order.toString().replace('74.69', '7.69'));
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const staleSquare = squareBody('square/payment-created.json', hoursAgo(73), `ev-${randomUUID()}`);
  const futureSquare = squareBody('square/payment-created.json', new Date(Date.now() + 10 * 60_000), `ev-${randomUUID()}`);
  const form = formBody({ id: 'sale-x' });
  const cloverOld = JSON.stringify({ appId: 'A', merchants: { M: [{ objectId: 'O:X', type: 'CREATE', ts: hoursAgo(100).getTime() }] } });
  const cases: [string, string, Buffer | string, Record<string, string>, number, string][] = [
    ['shopify no signature', 'shopify', order, { 'content-type': 'application/json', 'x-shopify-webhook-id': randomUUID() }, 401, 'missing-signature'],
    ['shopify wrong secret', 'shopify', order, shopifyHeaders(order, 'shopify-other', randomUUID()), 401, 'invalid-signature'],
    ['shopify tampered body', 'shopify', tampered, { ...shopifyHeaders(order, 'shopify-new', randomUUID()) }, 401, 'invalid-signature'],
    ['shopify stale', 'shopify', order, shopifyHeaders(order, 'shopify-new', randomUUID(), { 'x-shopify-triggered-at': hoursAgo(73).toISOString() }), 400, 'stale-delivery'],
    ['square no signature', 'square', staleSquare, { 'content-type': 'application/json' }, 401, 'missing-signature'],
    ['square signed for another URL', 'square', staleSquare, { 'x-square-hmacsha256-signature': squareSignature('square-new', `${runtime.baseUrl}/api/v1/webhooks/square`, staleSquare) }, 401, 'invalid-signature'],
    ['square stale', 'square', staleSquare, squareHeaders(staleSquare, 'square-new'), 400, 'stale-delivery'],
    ['square from the future', 'square', futureSquare, squareHeaders(futureSquare, 'square-new'), 400, 'stale-delivery'],
    ['clover no auth', 'clover', cloverOld, { 'content-type': 'application/json' }, 401, 'missing-signature'],
    ['clover wrong code', 'clover', cloverOld, { 'x-clover-auth': 'clover-older' }, 401, 'invalid-signature'],
    ['clover stale', 'clover', cloverOld, { 'x-clover-auth': 'clover-new' }, 400, 'stale-delivery'],
    ['lightspeed no signature', 'lightspeed', form, { 'content-type': 'application/x-www-form-urlencoded' }, 401, 'missing-signature'],
    ['lightspeed wrong secret', 'lightspeed', form, { 'x-signature': lightspeedSignature('lightspeed-x', form) }, 401, 'invalid-signature'],
    ['lightspeed no payload', 'lightspeed', 'environment=prod', { 'x-signature': lightspeedSignature('lightspeed-new', 'environment=prod') }, 400, 'malformed-delivery'],
    ['unknown vendor', 'toast', order, {}, 404, 'unknown-vendor'],
  ];
  const answers = [];
  for (const [name, vendor, body, headers] of cases) {
    const r = await post(vendor, body, headers);
    answers.push([name, r.status, r.contentType, r.body?.type, r.body?.status]);
  }
  expect(answers).toEqual(cases.map(([name, , , , status, kind]) => [name, status, 'application/problem+json', `urn:pos-hub:problem:${kind}`, status]));
  expect(await blobNames(lake(), 'raw/')).toEqual(rawBefore);
  expect((await tableRows(runtime, 'PosHubWebhookDeliveries')).length).toBe(deliveriesBefore);
  expect(await workItemCount()).toBe(workBefore);
});
