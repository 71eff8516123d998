import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction } from '../../shared/model';
import { dec, sum } from '../../shared/model/money';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { shopifyAdapter, toCanonical, verifyShopifySignature } from '../../shared/sources/shopify';
import type { SourceContext } from '../../shared/sources/types';
import { identityTotal } from '../support/totalsIdentity';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const fixtures = join(__dirname, '..', 'fixtures', 'shopify');
const raw = (name: string) => readFileSync(join(fixtures, name));
/** Parses a fixture the way ingest does: through the adapter's own lossless JSON parser. */
function load(name: string): unknown {
  const parsed = shopifyAdapter.parse(raw(name).toString('utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value;
}
function only(payload: unknown): CanonicalTransaction {
  const result = toCanonical(payload, ctx);
  expect(result.findings).toEqual([]);
  expect(result.transactions).toHaveLength(1);
  return CanonicalTransaction.parse(result.transactions[0]);
}
const clone = <T>(v: T): T => structuredClone(v);

describe('shopify toCanonical: the shared sample order (shopify_python_api)', () => {
  const tx = () => toCanonical(load('order.json'), ctx).transactions[0]!;

  it('keeps the lines and total as sent, so the inconsistency stays visible', () => {
    const t = CanonicalTransaction.parse(tx());
    expect(t).toMatchObject({
      source: 'shopify',
      sourceKey: '450789469',
      kind: 'sale',
      channel: 'online',
      storeId: null,
      registerId: null,
      operatorId: null,
      occurredAt: '2008-01-10T16:00:00.000Z',
      businessDate: '2008-01-10',
      currency: 'USD',
      total: '409.94',
      taxTotal: '11.94',
      discountTotal: '10.00',
      discounts: [{ amount: '10.00', code: 'TENOFF' }],
      charges: [{ type: 'shipping', amount: '0.00', description: 'Free Shipping' }],
      originalRef: null,
    });
    expect(t.lines).toEqual(
      ['green', 'red', 'black'].map((colour, i) => ({
        lineNo: i + 1,
        sku: `IPOD2008${colour.toUpperCase()}`,
        description: `IPod Nano - 8gb - ${colour}`,
        quantity: '1',
        unitPrice: '199.00',
        amount: '199.00',
        discount: '0.00',
        tax: null,
      })),
    );
    expect(sum(t.lines.map((l) => dec(l.amount))).toFixed(2)).toBe('597.00');
  });

  it('reports that the line prices (597.00) disagree with subtotal_price (398.00) as an error', () => {
    expect(tx().findings).toEqual([
      {
        code: 'source.shopify.subtotal_mismatch',
        severity: 'error',
        path: '/order/subtotal_price',
        message:
          'line items come to 597.00 before and 587.00 after discounts, but the order states subtotal_price 398.00',
      },
    ]);
  });

  it('takes one card tender from the gateway with brand and last four only', () => {
    expect(tx().tenders).toEqual([
      { method: 'card', amount: '409.94', cardBrand: 'Visa', last4: '4242', status: 'authorized' },
    ]);
    expect(JSON.stringify(tx())).not.toContain('XXXX-XXXX');
  });

  it('references the customer only through keyed pseudonyms', () => {
    expect(tx().customer).toEqual({
      ref: ctx.pseudonymize.customer('shopify', '207119551'),
      emailRef: ctx.pseudonymize.email('bob.norman@hostmail.com'),
    });
    expect(JSON.stringify(tx())).not.toContain('bob.norman');
  });

  it('reads the bare order (the orders/create webhook body) the same as the wrapped one', () => {
    const bare = (load('order.json') as { order: unknown }).order;
    const result = toCanonical(bare, ctx);
    expect(result.transactions[0]!.id).toBe(tx().id);
    expect(result.transactions[0]!.findings[0]!.path).toBe('/subtotal_price');
  });
});

describe('shopify toCanonical: web order with a discount code, shipping and tax on top', () => {
  const t = () => only(load('order-web-discounts.json'));

  it('maps lines net of their discount allocations, in shop money (not presentment CAD)', () => {
    expect(t().lines).toEqual([
      {
        lineNo: 1,
        sku: 'TS-NVY-M',
        description: 'Organic Cotton T-Shirt - M / Navy',
        quantity: '2',
        unitPrice: '25.00',
        amount: '45.00',
        discount: '5.00',
        tax: '3.60',
      },
      {
        lineNo: 2,
        sku: 'TOTE-NAT',
        description: 'Canvas Tote - Natural',
        quantity: '1',
        unitPrice: '18.00',
        amount: '16.20',
        discount: '1.80',
        tax: '1.30',
      },
    ]);
  });

  it('lists each allocation once, with the code, and not the discount_codes entry again', () => {
    expect(t().discounts).toEqual([
      { amount: '5.00', lineNo: 1, code: 'SPRING10' },
      { amount: '1.80', lineNo: 2, code: 'SPRING10' },
    ]);
    expect(t().discountTotal).toBe('6.80');
  });

  it('has shipping as a charge, tax exclusive, and the totals identity holds', () => {
    const tx = t();
    expect(tx).toMatchObject({
      sourceKey: '5627394810123',
      channel: 'online',
      currency: 'USD',
      occurredAt: '2024-03-15T22:42:05.000Z',
      businessDate: '2024-03-15',
      total: '74.69',
      taxTotal: '5.54',
      charges: [{ type: 'shipping', amount: '7.95', tax: '0.64', description: 'Standard Shipping' }],
      tenders: [{ method: 'card', amount: '74.69', status: 'approved' }],
    });
    expect(identityTotal(tx, false)).toBe('74.69');
  });

  it('pseudonymizes customer id, email and phone', () => {
    expect(t().customer).toEqual({
      ref: ctx.pseudonymize.customer('shopify', '7034611736715'),
      emailRef: ctx.pseudonymize.email('jane.rivera@example.com'),
      phoneRef: ctx.pseudonymize.phone('+12125550143'),
    });
    expect(t().customer!.phoneRef).toMatch(/^ph_/);
  });
});

describe('shopify toCanonical: POS order, id beyond 2^53, tax included, split tenders', () => {
  const text = () => raw('order-pos-big-id.json').toString('utf8');

  it('keeps the order id exact (JSON.parse would round it)', () => {
    expect(String((JSON.parse(text()) as { order: { id: number } }).order.id)).toBe('9007199254740992');
    expect(only(load('order-pos-big-id.json')).sourceKey).toBe('9007199254740993');
  });

  it('maps a POS sale to the store, its register and its staff member', () => {
    const tx = only(load('order-pos-big-id.json'));
    expect(tx).toMatchObject({
      kind: 'sale',
      channel: 'store',
      storeId: '68734927001',
      registerId: '4',
      operatorId: '102233445566',
      currency: 'EUR',
      occurredAt: '2024-11-29T09:15:31.000Z',
      businessDate: '2024-11-29',
      total: '62.30',
      taxTotal: '9.95',
      discountTotal: '0.00',
      discounts: [],
      customer: null,
    });
    expect(tx.charges).toBeUndefined();
  });

  it('keeps tax-inclusive prices; a blank sku falls back to the exact variant id', () => {
    const tx = only(load('order-pos-big-id.json'));
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: 'ESP-1KG-DARK',
        description: 'Espresso Beans 1kg - Dark Roast',
        quantity: '2',
        unitPrice: '24.90',
        amount: '49.80',
        discount: '0.00',
        tax: '7.95',
      },
      {
        lineNo: 2,
        sku: '9007199254741306',
        description: 'Ceramic Mug',
        quantity: '1',
        unitPrice: '12.50',
        amount: '12.50',
        discount: '0.00',
        tax: '2.00',
      },
    ]);
    expect(identityTotal(tx, true)).toBe('62.30');
  });

  it('takes tenders from successful sale transactions only (the declined card is left out)', () => {
    expect(only(load('order-pos-big-id.json')).tenders).toEqual([
      { method: 'cash', amount: '20.00', status: 'approved' },
      { method: 'card', amount: '42.30', cardBrand: 'Mastercard', last4: '4444', status: 'approved' },
    ]);
  });

  it('warns when several gateways were used but no transactions say how', () => {
    const payload = load('order-pos-big-id.json') as { order: Record<string, unknown> };
    delete payload.order.transactions;
    const tx = toCanonical(payload, ctx).transactions[0]!;
    expect(tx.tenders).toEqual([{ method: 'other', amount: '62.30', status: 'approved' }]);
    expect(tx.findings).toEqual([
      {
        code: 'source.shopify.gateway_split_unknown',
        severity: 'warning',
        path: '/order/payment_gateway_names',
        message: 'paid through cash, shopify_payments without transactions: the split between them is unknown',
      },
    ]);
  });
});

describe('shopify toCanonical: refunds/create', () => {
  it('is a negative return linked to its order, with shipping refunded and the identity holding', () => {
    const tx = only(load('refund.json'));
    expect(tx).toEqual({
      schemaVersion: 1,
      id: tx.id,
      source: 'shopify',
      sourceKey: 'refund:918273645',
      kind: 'return',
      channel: 'unknown',
      storeId: null,
      registerId: null,
      operatorId: '73190284',
      businessDate: '2024-03-22',
      occurredAt: '2024-03-22T15:05:44.000Z',
      currency: 'USD',
      total: '-32.89',
      taxTotal: '-2.44',
      discountTotal: '2.50',
      discounts: [{ amount: '2.50', lineNo: 1 }],
      lines: [
        {
          lineNo: 1,
          sku: 'TS-NVY-M',
          description: 'Organic Cotton T-Shirt - M / Navy',
          quantity: '-1',
          unitPrice: '25.00',
          amount: '-22.50',
          discount: '2.50',
          tax: '-1.80',
        },
      ],
      tenders: [{ method: 'card', amount: '-32.89', cardBrand: 'Visa', last4: '4242', status: 'approved' }],
      charges: [{ type: 'shipping', amount: '-7.95', tax: '-0.64', description: 'Shipping refund' }],
      customer: null,
      originalRef: { sourceKey: '5627394810123' },
      findings: [],
    });
    expect(identityTotal(tx, false)).toBe('-32.89');
  });

  it('never copies expiry, BIN or cardholder name', () => {
    const text = JSON.stringify(toCanonical(load('refund.json'), ctx));
    for (const secret of ['424242', '2027', 'Jane Rivera', 'expiration']) expect(text).not.toContain(secret);
  });

  it('accepts the REST shape { refund } and flags transactions that disagree with the refunded parts', () => {
    const refund = load('refund.json') as { transactions: { amount: string }[] };
    refund.transactions[0]!.amount = '30.00';
    const tx = toCanonical({ refund }, ctx).transactions[0]!;
    expect(tx.total).toBe('-30.00');
    expect(tx.findings).toEqual([
      {
        code: 'source.shopify.refund_total_mismatch',
        severity: 'warning',
        path: '/refund/transactions',
        message: 'refund transactions total -30.00 but lines, adjustments and tax come to -32.89',
      },
    ]);
  });
});

describe('shopify toCanonical: vendor facts and bad input', () => {
  const web = () => load('order-web-discounts.json') as Record<string, unknown>;

  it('a cancelled order is a void; a test order gets a warning', () => {
    const order = { ...web(), cancelled_at: '2024-03-16T09:00:00-04:00', test: true };
    const tx = toCanonical(order, ctx).transactions[0]!;
    expect(tx.kind).toBe('void');
    expect(tx.findings).toEqual([
      { code: 'source.shopify.test_order', severity: 'warning', path: '/test', message: 'test order: no real money moved' },
    ]);
  });

  it('maps source_name to channels', () => {
    const channel = (source_name: unknown) => toCanonical({ ...web(), source_name }, ctx).transactions[0]!.channel;
    expect([channel('web'), channel('pos'), channel('iphone'), channel('android'), channel('1830279')]).toEqual([
      'online',
      'store',
      'mobile',
      'mobile',
      'unknown',
    ]);
  });

  it('a malformed order gives schema findings with paths, not an exception', () => {
    const order = clone(web()) as { line_items: Record<string, unknown>[]; total_price: unknown };
    order.line_items[1]!.price = 'eighteen';
    delete order.total_price;
    const result = toCanonical({ order }, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['payload.schema', 'error', '/order/total_price'],
      ['payload.schema', 'error', '/order/line_items/1/price'],
    ]);
  });

  it('an order without currency falls back to the configuration; without either it is an error', () => {
    const order = { ...web(), currency: null, total_price_set: null };
    expect(toCanonical(order, ctx).transactions[0]!.currency).toBe('USD');
    const tx = toCanonical(order, { ...ctx, currency: null }).transactions[0]!;
    expect(tx.currency).toBeNull();
    expect(tx.findings.map((f) => f.code)).toEqual(['currency.missing']);
  });

  it('rejects what is not an object', () => {
    for (const payload of [null, 42, 'order', [], undefined]) {
      expect(toCanonical(payload, ctx)).toEqual({
        transactions: [],
        findings: [{ code: 'payload.schema', severity: 'error', path: '', message: 'expected a Shopify order or refund object' }],
      });
    }
  });

  it('parse reports malformed JSON as a finding', () => {
    const parsed = shopifyAdapter.parse('{"id": 1,');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.finding.code).toBe('payload.malformed_json');
  });

  it('toCanonical never throws and always returns arrays (property)', () => {
    const check = (value: unknown) => {
      const result = toCanonical(value, ctx);
      return Array.isArray(result.transactions) && Array.isArray(result.findings);
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
    // Mutations of a real order: every top-level field replaced by an arbitrary JSON value.
    const base = web();
    const keys = Object.keys(base);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const result = toCanonical({ ...base, [key]: value }, ctx);
        for (const t of result.transactions) CanonicalTransaction.parse(t);
        return Array.isArray(result.transactions) && Array.isArray(result.findings);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyShopifySignature', () => {
  const body = raw('order-web-discounts.json');
  // Computed independently: openssl dgst -sha256 -hmac SECRET -binary < order-web-discounts.json | base64
  const current = 'shpss_test_secret_current_0001';
  const previous = 'shpss_test_secret_previous_0000';
  const signedWithCurrent = '3AMV+6I8ArH6Jsxv8QLoLCxYpE+JmFHgnBdsqDVDSzY=';
  const signedWithPrevious = 'EnlFF3OONE1C4q5l5l7W6BHC5ypuSa6SkIieLZ0F9HQ=';

  it('accepts a signature made with either of two rotated secrets', () => {
    expect(verifyShopifySignature(body, signedWithCurrent, [current, previous])).toBe(true);
    expect(verifyShopifySignature(body, signedWithPrevious, [current, previous])).toBe(true);
    expect(verifyShopifySignature(body, signedWithPrevious, [previous])).toBe(true);
  });

  it('rejects a body with one byte changed', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('74.69')] = '8'.charCodeAt(0);
    expect(verifyShopifySignature(tampered, signedWithCurrent, [current, previous])).toBe(false);
  });

  it('rejects the wrong secret, a missing or empty header, a wrong-length header and empty secrets', () => {
    expect(verifyShopifySignature(body, signedWithCurrent, ['shpss_some_other_secret'])).toBe(false);
    expect(verifyShopifySignature(body, signedWithPrevious, [current])).toBe(false);
    expect(verifyShopifySignature(body, undefined, [current])).toBe(false);
    expect(verifyShopifySignature(body, '', [current])).toBe(false);
    expect(verifyShopifySignature(body, signedWithCurrent.slice(0, -2), [current])).toBe(false);
    expect(verifyShopifySignature(body, signedWithCurrent + 'AA==', [current])).toBe(false);
    expect(verifyShopifySignature(body, signedWithCurrent, [])).toBe(false);
    expect(verifyShopifySignature(Buffer.alloc(0), 'thE1Ia+8K0sMySBVCOeSAGXgnf7h7wJYxyjVDU3PIbA=', [''])).toBe(false);
  });
});
