// The pure checks of a webhook delivery: signatures with rotated secrets, what a delivery is (event id,
// time, payload), how old it may be, and table keys for vendor ids.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDeliveryAge } from '../../shared/webhooks/deliveryAge';
import { readDelivery } from '../../shared/webhooks/readDelivery';
import { tableKey } from '../../shared/webhooks/tableKey';
import { verifyDelivery, type WebhookVendor } from '../../shared/webhooks/verifyDelivery';
import { formBody, lightspeedSignature, shopifyHmac, squareSignature } from './signDelivery';

const fixture = (p: string) => readFileSync(path.join(__dirname, '../fixtures', p));
const webhooks = {
  shopifySecrets: ['shop-old', 'shop-new'],
  squareSignatureKeys: ['sq-old', 'sq-new'],
  squareWebhookUrl: 'https://hub.example.com/api/v1/webhooks/square',
  cloverAuthCodes: ['clover-old', 'clover-new'],
  lightspeedSecrets: ['ls-old', 'ls-new'],
};
const verify = (vendor: WebhookVendor, rawBody: Buffer, headers: Record<string, string>, url = 'http://127.0.0.1:7071/api/v1/webhooks/x') =>
  verifyDelivery({ vendor, rawBody, headers, url }, webhooks);

describe('verifyDelivery', () => {
  const body = fixture('shopify/order.json');

  test('Shopify: either secret of a rotation signs; a wrong secret, a changed byte or no header does not', () => {
    expect(verify('shopify', body, { 'x-shopify-hmac-sha256': shopifyHmac('shop-old', body) })).toBe(true);
    expect(verify('shopify', body, { 'x-shopify-hmac-sha256': shopifyHmac('shop-new', body) })).toBe(true);
    expect(verify('shopify', body, { 'x-shopify-hmac-sha256': shopifyHmac('shop-other', body) })).toBe(false);
    expect(verify('shopify', Buffer.concat([body, Buffer.from(' ')]), { 'x-shopify-hmac-sha256': shopifyHmac('shop-new', body) })).toBe(false);
    expect(verify('shopify', body, {})).toBe(false);
  });

  test("Square: the configured notification URL is signed, not the request's own URL", () => {
    const url = webhooks.squareWebhookUrl;
    expect(verify('square', body, { 'x-square-hmacsha256-signature': squareSignature('sq-new', url, body) })).toBe(true);
    expect(verify('square', body, { 'x-square-hmacsha256-signature': squareSignature('sq-old', url, body) })).toBe(true);
    const local = 'http://127.0.0.1:7071/api/v1/webhooks/square';
    expect(verify('square', body, { 'x-square-hmacsha256-signature': squareSignature('sq-new', local, body) }, local)).toBe(false);
    expect(verify('square', body, { 'x-square-hmacsha256-signature': squareSignature('sq-wrong', url, body) })).toBe(false);
  });

  test('Square without a configured URL checks the request URL (local runs)', () => {
    const local = 'http://127.0.0.1:7071/api/v1/webhooks/square';
    const sig = squareSignature('sq-new', local, body);
    expect(verifyDelivery({ vendor: 'square', rawBody: body, headers: { 'x-square-hmacsha256-signature': sig }, url: local }, { ...webhooks, squareWebhookUrl: null })).toBe(true);
  });

  test('Clover: the auth code itself, either code of a rotation', () => {
    expect(verify('clover', body, { 'x-clover-auth': 'clover-old' })).toBe(true);
    expect(verify('clover', body, { 'x-clover-auth': 'clover-new' })).toBe(true);
    expect(verify('clover', body, { 'x-clover-auth': 'clover-neww' })).toBe(false);
  });

  test('Lightspeed: hex HMAC of the raw form body', () => {
    const form = Buffer.from(formBody({ id: 'x' }));
    expect(verify('lightspeed', form, { 'x-signature': lightspeedSignature('ls-new', form) })).toBe(true);
    expect(verify('lightspeed', form, { 'x-signature': lightspeedSignature('ls-old', form) })).toBe(true);
    expect(verify('lightspeed', form, { 'x-signature': lightspeedSignature('ls-else', form) })).toBe(false);
  });

  test('no configured secret means no delivery verifies', () => {
    const none = { shopifySecrets: [], squareSignatureKeys: [], squareWebhookUrl: null, cloverAuthCodes: [], lightspeedSecrets: [] };
    expect(verifyDelivery({ vendor: 'clover', rawBody: body, headers: { 'x-clover-auth': '' }, url: 'x' }, none)).toBe(false);
    expect(verifyDelivery({ vendor: 'shopify', rawBody: body, headers: { 'x-shopify-hmac-sha256': shopifyHmac('', body) }, url: 'x' }, none)).toBe(false);
  });
});

describe('readDelivery', () => {
  test('Shopify: the webhook id, trigger time, topic and test marker come from the headers', () => {
    const body = fixture('shopify/order.json');
    const read = readDelivery('shopify', body, {
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-triggered-at': '2026-11-30T06:00:00.123456Z',
      'x-shopify-topic': 'orders/create',
    });
    expect(read.ok && { ...read.delivery, payload: undefined, payloadText: read.delivery.payloadText.length }).toEqual({
      eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      sentAt: new Date('2026-11-30T06:00:00.123Z'),
      payloadText: body.length,
      payload: undefined,
      test: false,
      topic: 'orders/create',
    });
    const test = readDelivery('shopify', body, { 'x-shopify-test': 'true' });
    expect(test.ok && test.delivery.test).toBe(true);
  });

  test("Square: the envelope's event_id and created_at", () => {
    const read = readDelivery('square', fixture('square/order-updated.json'), {});
    expect(read.ok && [read.delivery.eventId, read.delivery.sentAt]).toEqual(['b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c', new Date('2024-05-05T00:01:13.318Z')]);
  });

  test("Clover: the body's hash is the id, the newest event time (epoch ms, number or string) the time", () => {
    const body = fixture('clover/webhook-notification.json');
    const read = readDelivery('clover', body, {});
    expect(read.ok && read.delivery.eventId).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(read.ok && read.delivery.sentAt).toEqual(new Date(1796229603000));
  });

  test("Lightspeed: the form's payload field is the payload", () => {
    const body = fixture('lightspeed-x/webhook-sale-update.form.txt');
    const read = readDelivery('lightspeed', body, {});
    const expected = JSON.parse(fixture('lightspeed-x/webhook-sale-update.payload.json').toString()) as { id: string };
    expect(read.ok && (read.delivery.payload as { id: string }).id).toBe(expected.id);
    expect(read.ok && read.delivery.sentAt).toBeNull();
  });

  test('unreadable deliveries are 400 problems naming what is wrong', () => {
    const problemOf = (r: ReturnType<typeof readDelivery>) => (r.ok ? null : [r.problem.status, r.problem.type]);
    expect(problemOf(readDelivery('shopify', Buffer.from('{"id": '), {}))).toEqual([400, 'urn:pos-hub:problem:malformed-delivery']);
    expect(problemOf(readDelivery('square', Buffer.from('{"type":"payment.created"}'), {}))).toEqual([400, 'urn:pos-hub:problem:malformed-delivery']);
    expect(problemOf(readDelivery('lightspeed', Buffer.from('environment=prod'), {}))).toEqual([400, 'urn:pos-hub:problem:malformed-delivery']);
    expect(problemOf(readDelivery('clover', Buffer.from([0xff, 0xfe, 0x7b]), {}))).toEqual([400, 'urn:pos-hub:problem:malformed-delivery']);
    expect(problemOf(readDelivery('clover', Buffer.from('[1,2]'), {}))).toEqual([400, 'urn:pos-hub:problem:malformed-delivery']);
  });
});

describe('checkDeliveryAge', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');
  test('72 hours back and 5 minutes ahead are inside; beyond either is refused', () => {
    expect(checkDeliveryAge(new Date('2026-11-27T12:00:00.000Z'), now)).toEqual({ ok: true });
    expect(checkDeliveryAge(new Date('2026-11-30T12:05:00.000Z'), now)).toEqual({ ok: true });
    expect(checkDeliveryAge(null, now)).toEqual({ ok: true });
    expect(checkDeliveryAge(new Date('2026-11-27T11:59:59.999Z'), now)).toEqual({
      ok: false,
      detail: 'sent at 2026-11-27T11:59:59.999Z, more than 72 hours ago; deliveries are accepted for 72 hours',
    });
    expect(checkDeliveryAge(new Date('2026-11-30T12:05:00.001Z'), now)).toEqual({
      ok: false,
      detail: 'sent at 2026-11-30T12:05:00.001Z, more than 5 minutes in the future',
    });
  });
});

test('tableKey keeps plain ids and hashes anything a table key may not hold', () => {
  expect(tableKey('b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c')).toBe('b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c');
  expect(tableKey('SJ925KWR8K6S2:O:3ZSQ4F0B1H8Q2:CREATE:1796087645000:order:3ZSQ4F0B1H8Q2')).toBe('SJ925KWR8K6S2:O:3ZSQ4F0B1H8Q2:CREATE:1796087645000:order:3ZSQ4F0B1H8Q2');
  expect(tableKey('a/b#c')).toBe(`sha256-${createHash('sha256').update('a/b#c').digest('hex')}`);
  expect(tableKey('x'.repeat(201))).toMatch(/^sha256-[0-9a-f]{64}$/);
});
