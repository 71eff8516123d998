// handleWebhook's decisions, with the stores and acceptBatch replaced by recording fakes: which
// deliveries reach acceptBatch, which become work items, which are only acknowledged, and that a
// refused delivery touches nothing. (test/webhooks/webhooks.test.ts runs the same through the runtime.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AcceptBatchRequest, AcceptBatchResult } from '../../shared/ingest/acceptBatch';
import type { WorkItem } from '../../shared/sources/types';
import type { DeliveryLedger, DeliveryRecord } from '../../shared/webhooks/deliveryLedger';
import { handleWebhook, type WebhookDeps } from '../../shared/webhooks/handleWebhook';
import { toWebhookAnswer } from '../../shared/webhooks/toWebhookAnswer';
import { formBody, lightspeedSignature, shopifyHmac, squareSignature } from './signDelivery';

const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));
const now = new Date('2026-11-30T12:00:00.000Z');
const url = 'http://127.0.0.1:7071/api/v1/webhooks/square';

function fakes() {
  const deliveries = new Map<string, DeliveryRecord>();
  const accepted: AcceptBatchRequest[] = [];
  const workItems: WorkItem[] = [];
  const ledger: DeliveryLedger = {
    find: async (vendor, eventId) => deliveries.get(`${vendor}/${eventId}`) ?? null,
    record: async (entry) => {
      const key = `${entry.vendor}/${entry.eventId}`;
      if (!deliveries.has(key)) deliveries.set(key, entry);
      return deliveries.get(key)!;
    },
  };
  const deps: WebhookDeps = {
    webhooks: { shopifySecrets: ['s1', 's2'], squareSignatureKeys: ['k1'], squareWebhookUrl: null, cloverAuthCodes: ['c1'], lightspeedSecrets: ['l1'] },
    maxBodyBytes: 64 * 1024,
    deliveries: ledger,
    workItems: { recordPending: async (items) => (workItems.push(...items), items.length) },
    accept: async (req): Promise<AcceptBatchResult> => {
      accepted.push(req);
      return { ok: true, batchId: `batch-${accepted.length}`, duplicate: false, rawBlobName: 'raw/x' };
    },
    now: () => now,
  };
  return { deps, deliveries, accepted, workItems };
}

const shopifyHeaders = (body: Buffer, extra: Record<string, string> = {}) => ({
  'x-shopify-hmac-sha256': shopifyHmac('s2', body),
  'x-shopify-webhook-id': 'wh-1',
  'x-shopify-topic': 'orders/create',
  'x-shopify-triggered-at': '2026-11-30T11:59:58.000Z',
  ...extra,
});

const squareEvent = (type: string, eventId: string, createdAt: string, data: Record<string, unknown>) =>
  Buffer.from(JSON.stringify({ merchant_id: 'M1', type, event_id: eventId, created_at: createdAt, data }));

test('a signed Shopify order is accepted once; its redelivery answers the same batch and does nothing', async () => {
  const { deps, accepted } = fakes();
  const body = fixture('shopify/order.json');
  const first = await handleWebhook(deps, { vendor: 'shopify', rawBody: body, headers: shopifyHeaders(body), url });
  expect(first).toEqual({ kind: 'accepted', batchId: 'batch-1', eventId: 'wh-1' });
  expect(accepted).toHaveLength(1);
  expect(accepted[0]).toMatchObject({ source: 'shopify', contentType: 'application/json', idempotencyKey: 'shopify:wh-1', receivedAt: now });
  expect(accepted[0]!.body.equals(body)).toBe(true);

  const again = await handleWebhook(deps, { vendor: 'shopify', rawBody: body, headers: shopifyHeaders(body), url });
  expect(again).toEqual({ kind: 'duplicate', batchId: 'batch-1', workItems: 0, eventId: 'wh-1' });
  expect(accepted).toHaveLength(1);
  expect(toWebhookAnswer(again, (id) => `https://hub/api/v1/batches/${id}`)).toEqual({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { status: 'duplicate', eventId: 'wh-1', batchId: 'batch-1', statusUrl: 'https://hub/api/v1/batches/batch-1' },
  });
});

test('refused deliveries are problems and touch neither acceptBatch, the ledger nor work items', async () => {
  const { deps, accepted, deliveries, workItems } = fakes();
  const body = fixture('shopify/order.json');
  const cases: [string, Parameters<typeof handleWebhook>[1], number, string][] = [
    ['unknown vendor', { vendor: 'toast', rawBody: body, headers: {}, url }, 404, 'unknown-vendor'],
    ['no signature', { vendor: 'shopify', rawBody: body, headers: { 'x-shopify-webhook-id': 'wh-2' }, url }, 401, 'missing-signature'],
    ['wrong secret', { vendor: 'shopify', rawBody: body, headers: { ...shopifyHeaders(body), 'x-shopify-hmac-sha256': shopifyHmac('s3', body) }, url }, 401, 'invalid-signature'],
    ['stale', { vendor: 'shopify', rawBody: body, headers: shopifyHeaders(body, { 'x-shopify-webhook-id': 'wh-3', 'x-shopify-triggered-at': '2026-11-27T11:59:00.000Z' }), url }, 400, 'stale-delivery'],
    ['future', { vendor: 'shopify', rawBody: body, headers: shopifyHeaders(body, { 'x-shopify-webhook-id': 'wh-4', 'x-shopify-triggered-at': '2026-11-30T12:06:00.000Z' }), url }, 400, 'stale-delivery'],
    ['too large', { vendor: 'shopify', rawBody: Buffer.alloc(64 * 1024 + 1, 32), headers: {}, url }, 413, 'body-too-large'],
    ['Clover without auth', { vendor: 'clover', rawBody: fixture('clover/webhook-notification.json'), headers: {}, url }, 401, 'missing-signature'],
  ];
  for (const [name, req, status, kind] of cases) {
    const out = await handleWebhook(deps, req);
    expect([name, out.kind === 'problem' && out.problem.status, out.kind === 'problem' && out.problem.type]).toEqual([name, status, `urn:pos-hub:problem:${kind}`]);
  }
  expect([accepted.length, deliveries.size, workItems.length]).toEqual([0, 0, 0]);
});

test("test notifications are acknowledged without a batch: Shopify's test button, Square's test event, Clover's verification", async () => {
  const { deps, accepted, deliveries } = fakes();
  const order = fixture('shopify/order.json');
  expect(await handleWebhook(deps, { vendor: 'shopify', rawBody: order, headers: shopifyHeaders(order, { 'x-shopify-test': 'true' }), url })).toEqual({ kind: 'test' });
  const test = squareEvent('webhooks.test_notification', 'ev-t', '2026-11-30T11:59:00Z', { type: 'webhooks', id: 'x' });
  expect(await handleWebhook(deps, { vendor: 'square', rawBody: test, headers: { 'x-square-hmacsha256-signature': squareSignature('k1', url, test) }, url })).toEqual({ kind: 'test' });
  expect(await handleWebhook(deps, { vendor: 'clover', rawBody: fixture('clover/webhook-verification.json'), headers: {}, url })).toEqual({ kind: 'test' });
  expect([accepted.length, deliveries.size]).toEqual([0, 0]);
});

test('notification-only webhooks become pending work items; their redelivery adds none', async () => {
  const { deps, accepted, workItems } = fakes();
  const updated = squareEvent('order.updated', 'ev-u', '2026-11-30T11:59:00Z', { type: 'order_updated', id: 'ORD1', object: { order_updated: { order_id: 'ORD1' } } });
  const headers = { 'x-square-hmacsha256-signature': squareSignature('k1', url, updated) };
  expect(await handleWebhook(deps, { vendor: 'square', rawBody: updated, headers, url })).toEqual({ kind: 'fetch_needed', workItems: 1, eventId: 'ev-u' });
  expect(await handleWebhook(deps, { vendor: 'square', rawBody: updated, headers, url })).toEqual({ kind: 'duplicate', batchId: null, workItems: 1, eventId: 'ev-u' });
  expect(workItems).toEqual([{ kind: 'fetch_needed', vendor: 'square', objectType: 'order', objectId: 'ORD1', eventId: 'ev-u', accountId: 'M1' }]);
  expect(accepted).toHaveLength(0);
});

test('Square events without a transaction are acknowledged and ignored; Shopify topics other than orders and refunds too', async () => {
  const { deps, accepted } = fakes();
  const customer = squareEvent('customer.created', 'ev-c', '2026-11-30T11:59:00Z', { type: 'customer', id: 'C1', object: { customer: {} } });
  expect(await handleWebhook(deps, { vendor: 'square', rawBody: customer, headers: { 'x-square-hmacsha256-signature': squareSignature('k1', url, customer) }, url })).toEqual({
    kind: 'ignored',
    reason: 'event type customer.created carries no transaction',
  });
  const product = Buffer.from('{"id":1}');
  expect(await handleWebhook(deps, { vendor: 'shopify', rawBody: product, headers: shopifyHeaders(product, { 'x-shopify-topic': 'products/update' }), url })).toEqual({
    kind: 'ignored',
    reason: 'topic products/update carries no transaction',
  });
  expect(accepted).toHaveLength(0);
});

test("Lightspeed: the form's JSON payload is what is accepted, under an id from the body's hash", async () => {
  const { deps, accepted } = fakes();
  const payload = JSON.parse(fixture('lightspeed-x/webhook-sale-update.payload.json').toString()) as unknown;
  const form = Buffer.from(formBody(payload));
  const out = await handleWebhook(deps, { vendor: 'lightspeed', rawBody: form, headers: { 'x-signature': lightspeedSignature('l1', form) }, url });
  expect(out).toMatchObject({ kind: 'accepted', batchId: 'batch-1' });
  expect(accepted[0]!.source).toBe('lightspeed-x');
  expect(JSON.parse(accepted[0]!.body.toString())).toEqual(payload);
  expect(accepted[0]!.idempotencyKey).toMatch(/^lightspeed:sha256-[0-9a-f]{64}$/);
});

test("acceptBatch's problem is the answer, and no delivery is recorded", async () => {
  const { deps, deliveries } = fakes();
  deps.accept = async () => ({ ok: false, problem: { type: 'urn:pos-hub:problem:malformed-body', title: 'Malformed body', status: 400, detail: 'x' } });
  const body = fixture('shopify/order.json');
  const out = await handleWebhook(deps, { vendor: 'shopify', rawBody: body, headers: shopifyHeaders(body), url });
  expect(toWebhookAnswer(out, () => '')).toEqual({
    status: 400,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: 'urn:pos-hub:problem:malformed-body', title: 'Malformed body', status: 400, detail: 'x' },
  });
  expect(deliveries.size).toBe(0);
});
