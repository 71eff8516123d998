import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction, transactionId } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { cloverAdapter, toCanonical, verifyCloverAuth } from '../../shared/sources/clover';
import type { SourceContext } from '../../shared/sources/types';
import { expectTotalsIdentity } from '../support/totalsIdentity';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const dir = join(__dirname, '../fixtures/clover');
const fixture = (name: string): Record<string, unknown> => {
  const parsed = cloverAdapter.parse(readFileSync(join(dir, name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value as Record<string, unknown>;
};


describe('clover: orders', () => {
  it('maps a paid order: cents to dollars, modifier, weighed line, % discount, split tender with tip', () => {
    const result = toCanonical(fixture('order-split-tender.json'), ctx);
    expect(result.findings).toEqual([]);
    expect(result.transactions).toHaveLength(1);
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    expect(tx).toEqual({
      schemaVersion: 1,
      id: transactionId('clover', '3ZSQ4F0B1H8Q2'),
      source: 'clover',
      sourceKey: '3ZSQ4F0B1H8Q2',
      kind: 'sale',
      channel: 'store',
      storeId: 'SJ925KWR8K6S2',
      registerId: '5c3f8a1b-7e2d-4f60-9a4b-2d1e0c9b8a77',
      operatorId: 'Q1CNR2KXX5X0W',
      businessDate: '2026-11-30',
      occurredAt: '2026-12-01T01:14:05.000Z',
      currency: 'USD',
      total: '10.49',
      taxTotal: '0.70',
      discountTotal: '0.30',
      discounts: [{ amount: '0.30', lineNo: 3, description: 'Member 10%' }],
      lines: [
        {
          lineNo: 1,
          sku: 'CB16',
          description: 'Cold Brew 16oz',
          quantity: '1',
          unitPrice: '5.25',
          amount: '5.25',
          discount: '0.00',
          tax: '0.47',
        },
        {
          lineNo: 2,
          sku: 'B4N7Q2W9E1R3T',
          description: 'Bananas',
          quantity: '1.25',
          unitPrice: '0.68',
          amount: '0.85',
          discount: '0.00',
          tax: '0.00',
        },
        {
          lineNo: 3,
          sku: '012345678905',
          description: 'Granola Bar',
          quantity: '1',
          unitPrice: '2.99',
          amount: '2.69',
          discount: '0.30',
          tax: '0.24',
        },
      ],
      tenders: [
        { method: 'cash', amount: '4.00', status: 'approved' },
        { method: 'card', amount: '6.49', cardBrand: 'VISA', last4: '1111', status: 'approved' },
      ],
      charges: [{ type: 'tip', amount: '1.00' }],
      customer: {
        ref: ctx.pseudonymize.customer('clover', 'K9Y3B7M2QX4RT'),
        emailRef: ctx.pseudonymize.email('jane.doe@example.com'),
        phoneRef: ctx.pseudonymize.phone('+12125550142'),
      },
      originalRef: null,
      findings: [],
    });
    expectTotalsIdentity(tx, false);
    const text = JSON.stringify(tx);
    expect(text).not.toContain('411111');
    expect(text).not.toContain('JANE DOE');
  });

  it('maps a tax-inclusive (isVat) order and its refund as a linked return with negative amounts', () => {
    const result = toCanonical(fixture('order-vat-refund.json'), { ...ctx, timeZone: 'Europe/Amsterdam' });
    expect(result.findings).toEqual([]);
    const [sale, refund] = result.transactions.map((t) => CanonicalTransaction.parse(t));
    expect(sale).toMatchObject({
      sourceKey: 'N6B4V2C9X7Z1L',
      kind: 'sale',
      storeId: '7XKQ1M3N5B8V0',
      currency: 'EUR',
      businessDate: '2026-11-28',
      occurredAt: '2026-11-28T10:02:11.000Z',
      total: '64.94',
      taxTotal: '9.00',
      tenders: [{ method: 'card', amount: '64.94', cardBrand: 'MC', last4: '5454', status: 'approved' }],
    });
    expect(sale!.lines.map((l) => [l.unitPrice, l.amount, l.tax])).toEqual([
      ['24.95', '24.95', '2.06'],
      ['39.99', '39.99', '6.94'],
    ]);
    expectTotalsIdentity(sale!, true);

    expect(refund).toEqual({
      schemaVersion: 1,
      id: transactionId('clover', 'N6B4V2C9X7Z1L/refunds/R7T5Y3U1I9O8P'),
      source: 'clover',
      sourceKey: 'N6B4V2C9X7Z1L/refunds/R7T5Y3U1I9O8P',
      kind: 'return',
      channel: 'store',
      storeId: '7XKQ1M3N5B8V0',
      registerId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
      operatorId: 'W8E6R4T2Y0U9I',
      businessDate: '2026-12-02',
      occurredAt: '2026-12-02T16:40:03.000Z',
      currency: 'EUR',
      total: '-39.99',
      taxTotal: '-6.94',
      discountTotal: '0.00',
      discounts: [],
      lines: [
        {
          lineNo: 1,
          sku: 'Z1X2C3V4B5N6M',
          description: 'Moka pot 6 cups',
          quantity: '-1',
          unitPrice: '39.99',
          amount: '-39.99',
          discount: '0.00',
          tax: '-6.94',
        },
      ],
      tenders: [{ method: 'card', amount: '-39.99', cardBrand: 'MC', last4: '5454' }],
      customer: null,
      originalRef: { sourceKey: 'N6B4V2C9X7Z1L' },
      findings: [],
    });
    expectTotalsIdentity(refund!, true);
  });

  it('books an amount-only refund as a non-merchandise charge so the totals still add up', () => {
    const order = fixture('order-vat-refund.json');
    order.isVat = false;
    order.refunds = {
      elements: [
        {
          id: 'R1',
          amount: 1089,
          taxAmount: 89,
          createdTime: '1796229603000',
          payment: { id: 'Q2W3E4R5T6Y7U' },
        },
      ],
    };
    const refund = CanonicalTransaction.parse(toCanonical(order, ctx).transactions[1]);
    expect(refund).toMatchObject({
      kind: 'return',
      total: '-10.89',
      taxTotal: '-0.89',
      lines: [],
      charges: [{ type: 'other', amount: '-10.00', description: 'refund without line items' }],
    });
    expect(refund.findings.map((f) => [f.code, f.path])).toEqual([
      ['source.clover.refund_without_lines', '/refunds/elements/0'],
    ]);
    expectTotalsIdentity(refund, false);
  });

  it('takes the business day from the configured zone, in UTC with a warning when none is configured', () => {
    const order = fixture('order-split-tender.json');
    expect(toCanonical(order, { ...ctx, timeZone: 'Asia/Tokyo' }).transactions[0]!.businessDate).toBe(
      '2026-12-01',
    );
    const tx = toCanonical(order, { ...ctx, timeZone: null }).transactions[0]!;
    expect(tx.occurredAt).toBe('2026-12-01T01:14:05.000Z');
    expect(tx.businessDate).toBe('2026-12-01');
    expect(tx.findings.map((f) => [f.code, f.severity])).toEqual([['time.business_date_utc', 'warning']]);
  });

  it('uses the currency exponent for minor units (JPY has none)', () => {
    const order = fixture('order-split-tender.json');
    order.currency = 'JPY';
    const tx = toCanonical(order, ctx).transactions[0]!;
    expect(tx.currency).toBe('JPY');
    expect(tx.total).toBe('1049');
    expect(tx.lines[0]!.unitPrice).toBe('525');
    expect(tx.lines[1]!.amount).toBe('85');
  });

  it('lists declined payments with their status but leaves them out of tax and tips', () => {
    const order = fixture('order-split-tender.json');
    const payments = (order.payments as { elements: Record<string, unknown>[] }).elements;
    payments.push({ ...payments[1], id: 'DECLINED1', result: 'FAIL', tipAmount: 500, taxAmount: 40 });
    const tx = CanonicalTransaction.parse(toCanonical(order, ctx).transactions[0]);
    expect(tx.tenders[2]).toEqual({
      method: 'card',
      amount: '10.49',
      cardBrand: 'VISA',
      last4: '1111',
      status: 'declined',
    });
    expect(tx.taxTotal).toBe('0.70');
    expect(tx.total).toBe('10.49');
  });

  it('produces nothing for an open order and reads order lists', () => {
    const open = fixture('order-split-tender.json');
    open.paymentState = 'OPEN';
    expect(toCanonical(open, ctx)).toEqual({
      transactions: [],
      findings: [
        {
          code: 'source.clover.order_open',
          severity: 'warning',
          path: '/paymentState',
          message: 'order 3ZSQ4F0B1H8Q2 is not paid yet',
        },
      ],
    });
    const list = {
      elements: [fixture('order-split-tender.json'), fixture('order-vat-refund.json')],
      href: 'x',
    };
    expect(toCanonical(list, ctx).transactions.map((t) => t.sourceKey)).toEqual([
      '3ZSQ4F0B1H8Q2',
      'N6B4V2C9X7Z1L',
      'N6B4V2C9X7Z1L/refunds/R7T5Y3U1I9O8P',
    ]);
  });

  it('turns malformed payloads into schema findings with paths, never exceptions', () => {
    const bad = fixture('order-split-tender.json');
    bad.total = '9.49';
    bad.createdTime = 'yesterday';
    (bad.lineItems as { elements: Record<string, unknown>[] }).elements[1]!.unitQty = 1.25;
    const result = toCanonical(bad, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/total'],
      ['payload.schema', '/createdTime'],
      ['payload.schema', '/lineItems/elements/1/unitQty'],
    ]);
  });

  it('never throws and always returns arrays, whatever the input', () => {
    const check = (v: unknown) => {
      const r = toCanonical(v, ctx);
      expect(Array.isArray(r.transactions)).toBe(true);
      expect(Array.isArray(r.findings)).toBe(true);
    };
    fc.assert(fc.property(fc.anything(), check), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 300 });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => check({ merchants: v, appId: 'A' })),
      { numRuns: 200 },
    );
    const order = fixture('order-vat-refund.json');
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(order)), fc.jsonValue(), (key, value) =>
        check({ ...order, [key]: value }),
      ),
      { numRuns: 300 },
    );
  });
});

describe('clover: webhooks', () => {
  it('turns a notification into one fetch per referenced object, without transactions', () => {
    const result = toCanonical(fixture('webhook-notification.json'), ctx);
    expect(result).toEqual({
      transactions: [],
      findings: [],
      workItems: [
        {
          kind: 'fetch_needed',
          vendor: 'clover',
          objectType: 'order',
          objectId: '3ZSQ4F0B1H8Q2',
          accountId: 'SJ925KWR8K6S2',
          eventId: 'O:3ZSQ4F0B1H8Q2:CREATE:1796087645000',
        },
        {
          kind: 'fetch_needed',
          vendor: 'clover',
          objectType: 'payment',
          objectId: 'JZ4SN1G6M2QKE',
          accountId: 'SJ925KWR8K6S2',
          eventId: 'P:JZ4SN1G6M2QKE:CREATE:1796087720000',
        },
        {
          kind: 'fetch_needed',
          vendor: 'clover',
          objectType: 'customer',
          objectId: 'K9Y3B7M2QX4RT',
          accountId: '7XKQ1M3N5B8V0',
          eventId: 'C:K9Y3B7M2QX4RT:UPDATE:1796229603000',
        },
      ],
    });
  });

  it('answers the verification request with a test_notification work item', () => {
    expect(toCanonical(fixture('webhook-verification.json'), ctx)).toEqual({
      transactions: [],
      findings: [],
      workItems: [
        {
          kind: 'test_notification',
          vendor: 'clover',
          objectType: 'webhook_verification',
          objectId: 'webhook',
        },
      ],
    });
  });

  it('reports unknown object prefixes and malformed notifications', () => {
    const r = toCanonical(
      { appId: 'A', merchants: { M1: [{ objectId: 'ZZ:1', type: 'CREATE', ts: 1 }] } },
      ctx,
    );
    expect(r.findings.map((f) => f.code)).toEqual(['source.clover.unknown_object_type']);
    expect(r.workItems?.[0]?.objectType).toBe('unknown');
    const bad = toCanonical({ appId: 'A', merchants: { M1: [{ type: 'CREATE' }] } }, ctx);
    expect(bad.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/merchants/M1/0/objectId'],
      ['payload.schema', '/merchants/M1/0/ts'],
    ]);
  });

  it('accepts the X-Clover-Auth code with either of two codes and rejects wrong, altered or missing ones', () => {
    const codes = ['4f9a2c1e-old-auth-code', '9b7d3e5f-new-auth-code'];
    expect(verifyCloverAuth('4f9a2c1e-old-auth-code', codes)).toBe(true);
    expect(verifyCloverAuth('9b7d3e5f-new-auth-code', codes)).toBe(true);
    expect(verifyCloverAuth('9b7d3e5f-new-auth-codf', codes)).toBe(false);
    expect(verifyCloverAuth('9b7d3e5f-new-auth-code-extra', codes)).toBe(false);
    expect(verifyCloverAuth('someone-else', codes)).toBe(false);
    expect(verifyCloverAuth(undefined, codes)).toBe(false);
    expect(verifyCloverAuth('', codes)).toBe(false);
    expect(verifyCloverAuth('4f9a2c1e-old-auth-code', [])).toBe(false);
    expect(verifyCloverAuth('', [''])).toBe(false);
  });
});
