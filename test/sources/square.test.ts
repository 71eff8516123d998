import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { squareAdapter, toCanonical, verifySquareSignature } from '../../shared/sources/square';
import type { SourceContext } from '../../shared/sources/types';
import { identityTotal } from '../support/totalsIdentity';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const fixtures = join(__dirname, '..', 'fixtures', 'square');
const raw = (name: string) => readFileSync(join(fixtures, name));
function load(name: string): Record<string, unknown> {
  const parsed = squareAdapter.parse(raw(name).toString('utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value as Record<string, unknown>;
}
function only(payload: unknown): CanonicalTransaction {
  const result = toCanonical(payload, ctx);
  expect(result.findings).toEqual([]);
  expect(result.workItems).toBeUndefined();
  expect(result.transactions).toHaveLength(1);
  return CanonicalTransaction.parse(result.transactions[0]);
}
/** The order inside the order.created fixture, for variations. */
function fullOrder(): Record<string, unknown> {
  const event = load('order-created-full.json') as { data: { object: { order: Record<string, unknown> } } };
  return event.data.object.order;
}

describe('square webhook signature (vector from square/square-nodejs-sdk)', () => {
  const vector = JSON.parse(raw('webhook-test-notification.signature.json').toString('utf8')) as {
    notificationUrl: string;
    signatureKey: string;
    expectedSignature: string;
    mustFail: { case: string; notificationUrl?: string; signatureKey?: string; signature?: string }[];
    extraVectors: { notificationUrl: string; signatureKey: string; body: string; expectedSignature: string }[];
  };
  const body = raw('webhook-test-notification.body.json');

  it('verifies on the raw file bytes (no trailing newline)', () => {
    expect(body[body.length - 1]).toBe('}'.charCodeAt(0));
    expect(verifySquareSignature(body, vector.notificationUrl, vector.expectedSignature, [vector.signatureKey])).toBe(true);
  });

  it('accepts either of two rotated keys', () => {
    const keys = ['MCmhFRxGX82xMwg5FsaoQA', vector.signatureKey];
    expect(verifySquareSignature(body, vector.notificationUrl, vector.expectedSignature, keys)).toBe(true);
    expect(verifySquareSignature(body, vector.notificationUrl, vector.expectedSignature, keys.reverse())).toBe(true);
  });

  it('rejects every listed negative case', () => {
    expect(vector.mustFail.map((c) => c.case)).toEqual([
      'notificationUrl mismatch',
      'wrong signature key',
      'wrong signature header',
      'body re-serialized/pretty-printed or created_at changed',
    ]);
    for (const c of vector.mustFail.slice(0, 3)) {
      const ok = verifySquareSignature(
        body,
        c.notificationUrl ?? vector.notificationUrl,
        c.signature ?? vector.expectedSignature,
        [c.signatureKey ?? vector.signatureKey],
      );
      expect([c.case, ok]).toEqual([c.case, false]);
    }
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2));
    const changedTime = Buffer.from(body.toString('utf8').replace('20:30:59', '20:31:59'));
    for (const tampered of [pretty, changedTime]) {
      expect(verifySquareSignature(tampered, vector.notificationUrl, vector.expectedSignature, [vector.signatureKey])).toBe(
        false,
      );
    }
  });

  it('rejects one changed byte, a missing header, a wrong-length header and no keys', () => {
    const oneByte = Buffer.from(body);
    oneByte[oneByte.length - 2] = 'X'.charCodeAt(0);
    const { notificationUrl: url, expectedSignature: sig, signatureKey: key } = vector;
    expect(verifySquareSignature(oneByte, url, sig, [key])).toBe(false);
    expect(verifySquareSignature(body, url, undefined, [key])).toBe(false);
    expect(verifySquareSignature(body, url, '', [key])).toBe(false);
    expect(verifySquareSignature(body, url, sig.slice(1), [key])).toBe(false);
    expect(verifySquareSignature(body, url, sig, [])).toBe(false);
    expect(verifySquareSignature(body, url, sig, [''])).toBe(false);
  });

  it('verifies the SDK extra vectors', () => {
    for (const v of vector.extraVectors) {
      expect(verifySquareSignature(Buffer.from(v.body), v.notificationUrl, v.expectedSignature, [v.signatureKey])).toBe(
        true,
      );
    }
  });
});

describe('square toCanonical: events without a basket', () => {
  it('acknowledges the test notification: no transaction, a test_notification work item', () => {
    expect(toCanonical(load('webhook-test-notification.body.json'), ctx)).toEqual({
      transactions: [],
      findings: [],
      workItems: [
        {
          kind: 'test_notification',
          vendor: 'square',
          objectType: 'webhooks',
          objectId: 'bc368e64-01aa-407e-b46e-3231809b1129',
          eventId: 'ac3ac95b-f97d-458c-a6e6-18981597e05f',
        },
      ],
    });
  });

  it('order.updated asks for the order to be fetched', () => {
    expect(toCanonical(load('order-updated.json'), ctx)).toEqual({
      transactions: [],
      findings: [],
      workItems: [
        {
          kind: 'fetch_needed',
          vendor: 'square',
          objectType: 'order',
          objectId: 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY',
          eventId: 'b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c',
          accountId: 'MLX4T9W1QZ3B8',
        },
      ],
    });
  });

  it('order.fulfillment.updated and an order.created notification (no full order) ask for a fetch too', () => {
    const fulfillment = { ...load('order-updated.json'), type: 'order.fulfillment.updated' };
    expect(toCanonical(fulfillment, ctx).workItems).toEqual([
      {
        kind: 'fetch_needed',
        vendor: 'square',
        objectType: 'order',
        objectId: 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY',
        eventId: 'b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c',
        accountId: 'MLX4T9W1QZ3B8',
      },
    ]);
    expect(toCanonical(load('order-created-notification.json'), ctx)).toEqual({
      transactions: [],
      findings: [],
      workItems: [
        {
          kind: 'fetch_needed',
          vendor: 'square',
          objectType: 'order',
          objectId: 'Nw4kQ8sT2vY6bX1mR9pL3zC5dF7gZY',
          eventId: 'e7a9c1d3-5f2b-4d8e-a6c0-9b1d3f5e7a2c',
          accountId: 'MLX4T9W1QZ3B8',
        },
      ],
    });
  });

  it('a notification without merchant_id gives a work item without a seller', () => {
    const event = load('order-updated.json');
    delete event.merchant_id;
    expect(toCanonical(event, ctx).workItems).toEqual([
      {
        kind: 'fetch_needed',
        vendor: 'square',
        objectType: 'order',
        objectId: 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY',
        eventId: 'b3f1c7a2-6d4e-4f8a-9b0c-1e2d3f4a5b6c',
      },
    ]);
  });

  it('an event type without a transaction is acknowledged with a warning', () => {
    const event = { ...load('order-updated.json'), type: 'customer.created' };
    expect(toCanonical(event, ctx)).toEqual({
      transactions: [],
      findings: [
        {
          code: 'source.square.unsupported_event',
          severity: 'warning',
          path: '/type',
          message: 'event type customer.created carries no transaction',
        },
      ],
    });
  });
});

describe('square toCanonical: payment.created', () => {
  it('is a payment with one card tender in major units, the tip as a charge', () => {
    const tx = only(load('payment-created.json'));
    expect(tx).toEqual({
      schemaVersion: 1,
      id: tx.id,
      source: 'square',
      sourceKey: 'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY',
      kind: 'payment',
      channel: 'store',
      storeId: 'LH2XR7AMDZZPF',
      registerId: 'device-9XB4C3D2',
      operatorId: 'TMoK_vW0jV0c7kTr',
      businessDate: '2024-05-04',
      occurredAt: '2024-05-04T19:07:51.118Z',
      currency: 'USD',
      total: '21.50',
      taxTotal: null,
      discountTotal: '0.00',
      discounts: [],
      lines: [],
      tenders: [{ method: 'card', amount: '21.50', cardBrand: 'VISA', last4: '1111', status: 'approved' }],
      charges: [{ type: 'tip', amount: '3.00' }],
      customer: { ref: ctx.pseudonymize.customer('square', 'JDKYHBWT1D4F8MFH63DBMEN8Y4') },
      originalRef: null,
      findings: [],
    });
  });

  it('never copies expiry, BIN, fingerprint or cryptogram', () => {
    const text = JSON.stringify(toCanonical(load('payment-created.json'), ctx));
    for (const secret of ['411111', '2029', 'sq-1-', '2b7f51c9d5e3a4f8', 'exp_']) expect(text).not.toContain(secret);
  });

  it('converts minor units by the currency exponent (JPY has none)', () => {
    const event = load('payment-created.json') as { data: { object: { payment: Record<string, unknown> } } };
    const payment = event.data.object.payment;
    payment.amount_money = { amount: 1850, currency: 'JPY' };
    payment.tip_money = { amount: 150, currency: 'JPY' };
    payment.total_money = { amount: 2000, currency: 'JPY' };
    const tx = only(event);
    expect([tx.currency, tx.total, tx.charges]).toEqual(['JPY', '2000', [{ type: 'tip', amount: '150' }]]);
  });

  it('vendor values named like Object.prototype members are unknown values, not functions', () => {
    const event = load('payment-created.json') as { data: { object: { payment: Record<string, unknown> } } };
    const payment = event.data.object.payment;
    payment.source_type = 'EXTERNAL';
    payment.external_details = { type: 'toString', source: 'x' };
    payment.status = 'constructor';
    const tx = toCanonical(event, ctx).transactions[0]!;
    expect(tx.tenders).toHaveLength(1);
    expect(tx.tenders[0]!.method).toBe('other');
    expect(CanonicalTransaction.safeParse(tx).success).toBe(true);
    expect(JSON.parse(JSON.stringify(tx.tenders[0]))).toHaveProperty('method', 'other');
  });

  it('a canceled payment is a void with a voided tender; a foreign-currency tip is an error', () => {
    const event = load('payment-created.json') as { data: { object: { payment: Record<string, unknown> } } };
    event.data.object.payment.status = 'CANCELED';
    event.data.object.payment.tip_money = { amount: 300, currency: 'CAD' };
    const tx = toCanonical(event, ctx).transactions[0]!;
    expect(tx.kind).toBe('void');
    expect(tx.tenders[0]!.status).toBe('voided');
    expect(tx.findings).toEqual([
      {
        code: 'source.square.currency_mismatch',
        severity: 'error',
        path: '/data/object/payment/tip_money',
        message: 'amount in CAD, transaction in USD',
      },
    ]);
  });
});

describe('square toCanonical: refund.created', () => {
  it('is a negative return pointing at the refunded payment', () => {
    const tx = only(load('refund-created.json'));
    expect(tx).toMatchObject({
      sourceKey: 'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY_Rgzk0Lm3kTfNPQYqN8rVdP1w7cmY9X',
      kind: 'return',
      storeId: 'LH2XR7AMDZZPF',
      operatorId: 'TMoK_vW0jV0c7kTr',
      occurredAt: '2024-05-06T14:22:10.315Z',
      businessDate: '2024-05-06',
      total: '-10.00',
      taxTotal: null,
      lines: [],
      tenders: [{ method: 'card', amount: '-10.00', cardBrand: 'VISA', last4: '1111', status: 'pending' }],
      originalRef: { sourceKey: 'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY' },
    });
    expect(JSON.stringify(tx)).not.toContain('411111');
  });
});

describe('square toCanonical: order.created with the full order', () => {
  const tx = () => only(load('order-created-full.json'));

  it('keeps the weighed quantity 1.5 and converts cents to major units', () => {
    expect(tx().lines).toEqual([
      {
        lineNo: 1,
        sku: 'HONEYCRISP-LB-VAR',
        description: 'Honeycrisp Apples - Per lb',
        quantity: '1.5',
        unitPrice: '3.98',
        amount: '5.97',
        discount: '0.00',
        tax: '0.45',
      },
      {
        lineNo: 2,
        sku: 'COLDBREW-12OZ-VAR',
        description: 'Cold Brew Coffee - 12 oz',
        quantity: '2',
        unitPrice: '4.50',
        amount: '8.10',
        discount: '0.90',
        tax: '0.62',
      },
    ]);
  });

  it('lists the LINE_ITEM discount on its line and the ORDER discount once, not per line', () => {
    expect(tx().discounts).toEqual([
      { amount: '0.90', lineNo: 2, promotionId: 'HAPPYHOUR-DISC', description: 'Happy Hour 10%' },
      { amount: '2.00', promotionId: 'LOYALTY-2OFF', description: 'Loyalty $2 Off' },
    ]);
    expect(tx().discountTotal).toBe('2.90');
  });

  it('has split tenders net of change, the tip as a charge, and the totals identity holds (tax on top)', () => {
    const t = tx();
    expect(t).toMatchObject({
      sourceKey: 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY',
      kind: 'sale',
      channel: 'store',
      storeId: 'LH2XR7AMDZZPF',
      currency: 'USD',
      occurredAt: '2024-05-05T00:01:12.932Z',
      businessDate: '2024-05-04',
      total: '14.14',
      taxTotal: '1.07',
      charges: [{ type: 'tip', amount: '1.00' }],
      customer: { ref: ctx.pseudonymize.customer('square', 'A7DQ1S2BN8WZ5GTXXD3RE4CYAR') },
      originalRef: null,
    });
    expect(t.tenders).toEqual([
      { method: 'card', amount: '10.00', cardBrand: 'AMERICAN_EXPRESS', last4: '0005', status: 'approved' },
      { method: 'cash', amount: '4.14', status: 'approved' },
    ]);
    expect(identityTotal(t, false)).toBe('14.14');
  });

  it('accepts the same order bare and as { order }', () => {
    expect(only(fullOrder()).id).toBe(tx().id);
    expect(only({ order: fullOrder() }).total).toBe('14.14');
  });

  it('an open order gets a warning; a canceled one is a void', () => {
    const open = toCanonical({ ...fullOrder(), state: 'OPEN' }, ctx).transactions[0]!;
    expect(open.findings).toEqual([
      { code: 'source.square.order_not_completed', severity: 'warning', path: '/state', message: 'order state is OPEN' },
    ]);
    expect(toCanonical({ ...fullOrder(), state: 'CANCELED' }, ctx).transactions[0]!.kind).toBe('void');
  });

  it('falls back to quantity times price, rounded to cents, when Square gives no gross', () => {
    const order = fullOrder() as { line_items: Record<string, unknown>[] };
    const apples = order.line_items[0]!;
    delete apples.gross_sales_money;
    apples.base_price_money = { amount: 299, currency: 'USD' };
    expect(toCanonical(order, ctx).transactions[0]!.lines[0]).toMatchObject({
      quantity: '1.5',
      unitPrice: '2.99',
      amount: '4.49',
    });
  });
});

describe('square toCanonical: bare orders', () => {
  it('tax-inclusive prices (UK VAT): gift card and card tenders, identity without adding tax', () => {
    const tx = only(load('order-inclusive-tax.json'));
    expect(tx).toMatchObject({
      kind: 'sale',
      channel: 'store',
      storeId: 'L9UKLONDON01',
      currency: 'GBP',
      occurredAt: '2024-06-01T08:14:09.000Z',
      businessDate: '2024-06-01',
      total: '9.75',
      taxTotal: '1.62',
      discounts: [],
      customer: null,
      lines: [
        {
          lineNo: 1,
          sku: 'FLATWHITE-REG',
          description: 'Flat White - Regular',
          quantity: '2',
          unitPrice: '3.40',
          amount: '6.80',
          discount: '0.00',
          tax: '1.13',
        },
        {
          lineNo: 2,
          sku: 'ALMCROISS',
          description: 'Almond Croissant',
          quantity: '1',
          unitPrice: '2.95',
          amount: '2.95',
          discount: '0.00',
          tax: '0.49',
        },
      ],
      tenders: [
        { method: 'gift_card', amount: '5.00', cardBrand: 'SQUARE_GIFT_CARD', last4: '7314', status: 'approved' },
        { method: 'card', amount: '4.75', cardBrand: 'MASTERCARD', last4: '4444', status: 'approved' },
      ],
    });
    expect(tx.charges).toBeUndefined();
    expect(identityTotal(tx, true)).toBe('9.75');
  });

  it('a return order: negative weighed line, refund tender, originalRef to the source order', () => {
    const tx = only(load('order-return.json'));
    expect(tx).toMatchObject({
      sourceKey: 'Rt3nKp8WqZ2xY5vB7mC1dF4gHZY',
      kind: 'return',
      total: '-5.57',
      taxTotal: '-0.45',
      discounts: [{ amount: '0.85', lineNo: 1 }],
      lines: [
        {
          lineNo: 1,
          sku: 'HONEYCRISP-LB-VAR',
          description: 'Honeycrisp Apples - Per lb',
          quantity: '-1.5',
          unitPrice: '3.98',
          amount: '-5.12',
          discount: '0.85',
          tax: '-0.45',
        },
      ],
      tenders: [{ method: 'other', amount: '-5.57', status: 'approved' }],
      originalRef: { sourceKey: 'Tx9mYkPjJ3QQXn2BnW7rE5cZVTKZY' },
    });
    expect(identityTotal(tx, false)).toBe('-5.57');
  });

  it('mixed ADDITIVE and INCLUSIVE taxes are flagged', () => {
    const order = load('order-inclusive-tax.json') as { taxes: Record<string, unknown>[] };
    order.taxes.push({ uid: 'tax-extra', type: 'ADDITIVE', scope: 'LINE_ITEM' });
    expect(toCanonical(order, ctx).transactions[0]!.findings.map((f) => f.code)).toEqual([
      'source.square.mixed_tax_types',
    ]);
  });
});

describe('square toCanonical: bad input', () => {
  it('a malformed order gives schema findings with paths, not an exception', () => {
    const order = fullOrder() as { line_items: Record<string, unknown>[]; total_money: unknown };
    order.line_items[0]!.quantity = 1.5;
    order.total_money = { amount: 14.14, currency: 'USD' };
    const result = toCanonical(order, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/line_items/0/quantity'],
      ['payload.schema', '/total_money/amount'],
    ]);
  });

  it('a payment event without amount_money is a schema finding under the event path', () => {
    const event = load('payment-created.json') as { data: { object: { payment: Record<string, unknown> } } };
    delete event.data.object.payment.amount_money;
    expect(toCanonical(event, ctx)).toEqual({
      transactions: [],
      findings: [
        {
          code: 'payload.schema',
          severity: 'error',
          path: '/data/object/payment/amount_money',
          message: expect.any(String),
        },
      ],
    });
  });

  it('an order without total_money is computed from its parts, with an error', () => {
    const order = fullOrder();
    delete order.total_money;
    const tx = toCanonical(order, ctx).transactions[0]!;
    expect(tx.total).toBe('14.14');
    expect(tx.findings.map((f) => [f.code, f.severity])).toEqual([['source.square.total_missing', 'error']]);
  });

  it('rejects what is not an object', () => {
    for (const payload of [null, 7, 'x', [], undefined]) {
      expect(toCanonical(payload, ctx).findings).toEqual([
        {
          code: 'payload.schema',
          severity: 'error',
          path: '',
          message: 'expected a Square webhook event, order, payment or refund',
        },
      ]);
    }
  });

  it('toCanonical never throws and always returns arrays (property)', () => {
    const check = (value: unknown) => {
      const result = toCanonical(value, ctx);
      for (const t of result.transactions) CanonicalTransaction.parse(t);
      return Array.isArray(result.transactions) && Array.isArray(result.findings);
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
    const base = fullOrder();
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(base)), fc.jsonValue(), (key, value) => check({ ...base, [key]: value })),
      { numRuns: 300 },
    );
    const event = load('payment-created.json');
    fc.assert(
      fc.property(fc.constantFrom('type', 'event_id', 'data'), fc.jsonValue(), (key, value) =>
        check({ ...event, [key]: value }),
      ),
      { numRuns: 200 },
    );
  });
});
