import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction, transactionId } from '../../shared/model';
import { dec, sum } from '../../shared/model/money';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { validateTransaction } from '../../shared/quality';
import { toastAdapter, toCanonical } from '../../shared/sources/toast';
import type { SourceContext } from '../../shared/sources/types';

const RESTAURANT = 'a7c3e5f1-2b4d-4e6f-8a0c-1e3b5d7f9a2c';
const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const withHeader: SourceContext = { ...ctx, headers: { 'toast-restaurant-external-id': RESTAURANT } };

// Tests mutate fixtures field by field to build variants; a loose type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function fixtureText(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'toast', name), 'utf8');
}
function fixture(name: string): Loose {
  const parsed = toastAdapter.parse(fixtureText(name));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value;
}
function valid(result: ReturnType<typeof toCanonical>): CanonicalTransaction[] {
  return result.transactions.map((tx) => CanonicalTransaction.parse(tx));
}

/** docs/canonical.md: total = lines - transaction-level discounts + charges (+ tax when prices exclude it). */
function expectTotalsIdentity(tx: CanonicalTransaction, pricesIncludeTax: boolean): void {
  const lines = sum(tx.lines.map((l) => dec(l.amount)));
  const orderDiscounts = sum(tx.discounts.filter((d) => d.lineNo === undefined).map((d) => dec(d.amount)));
  const charges = sum((tx.charges ?? []).map((c) => dec(c.amount)));
  const tax = pricesIncludeTax || tx.taxTotal === null ? dec(0) : dec(tx.taxTotal);
  expect(lines.minus(orderDiscounts).plus(charges).plus(tax).toFixed(2)).toBe(dec(tx.total).toFixed(2));
  // And what was paid adds up to the total.
  const paid = sum(tx.tenders.filter((t) => t.status !== 'declined' && t.status !== 'voided').map((t) => dec(t.amount)));
  expect(paid.toFixed(2)).toBe(dec(tx.total).toFixed(2));
}

/** The hub's own quality rules find no error in a consistent payload. */
function expectNoQualityErrors(tx: CanonicalTransaction): void {
  const errors = validateTransaction(tx, { now: Date.parse('2027-01-01T00:00:00Z'), timeZone: ctx.timeZone }).filter(
    (f) => f.severity === 'error',
  );
  expect(errors).toEqual([]);
}

const ORDER = '8f2c1a52-5e0b-4c3e-9a57-0c1d2e3f4a5b';
const CHECK_A = '3b9d7e1a-2c4f-4b8e-9f0a-6d5c4b3a2f1e';
const CHECK_B = '4c0e8f2b-3d5a-4c9f-8a1b-7e6d5c4b3a2f';

describe('toast adapter: a split order, one transaction per check', () => {
  test('the first check: discounts, a voided selection left out, split card and cash tenders, a tip', () => {
    const result = toCanonical(fixture('order-split-checks.json'), withHeader);
    expect(result.findings).toEqual([]);
    const [a] = valid(result);
    expect(a).toEqual({
      schemaVersion: 1,
      id: transactionId('toast', `${ORDER}/${CHECK_A}`),
      source: 'toast',
      sourceKey: `${ORDER}/${CHECK_A}`,
      kind: 'sale',
      channel: 'store',
      storeId: RESTAURANT,
      registerId: 'd2-7f3a9c11',
      operatorId: 'e0c4b8a2-7f61-4a3b-9c2d-1e0f9a8b7c6d',
      businessDate: '2026-11-30',
      occurredAt: '2026-12-01T03:15:00.000Z',
      currency: 'USD',
      total: '38.92',
      taxTotal: '2.92',
      discountTotal: '7.00',
      discounts: [
        { amount: '2.00', lineNo: 2, promotionId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b', description: 'Happy Hour Salad' },
        { amount: '5.00', promotionId: '7c6b5a49-3827-4165-9f8e-7d6c5b4a3928', code: 'THANKS5', description: 'Loyalty $5 off' },
      ],
      lines: [
        {
          lineNo: 1,
          sku: 'b9f1c2d3-4e5f-4061-8273-94a5b6c7d8e9',
          description: 'Smash Burger',
          quantity: '2',
          unitPrice: '14.50',
          amount: '29.00',
          discount: '0.00',
          tax: '2.23',
        },
        {
          lineNo: 2,
          sku: 'd2e3f4a5-b6c7-48d9-8e0f-1a2b3c4d5e6f',
          description: 'Caesar Salad',
          quantity: '1',
          unitPrice: '11.00',
          amount: '9.00',
          discount: '2.00',
          tax: '0.69',
        },
      ],
      tenders: [
        { method: 'card', amount: '23.00', cardBrand: 'VISA', last4: '1111', status: 'approved' },
        { method: 'cash', amount: '15.92', status: 'approved' },
      ],
      charges: [{ type: 'tip', amount: '3.00', description: 'tip' }],
      customer: null,
      originalRef: null,
      findings: [
        {
          code: 'source.toast.voided_selection',
          severity: 'warning',
          path: '/checks/0/selections/2',
          message: 'voided selection Truffle Fries left out',
        },
      ],
    });
    expectTotalsIdentity(a!, false);
    expectNoQualityErrors(a!);
  });

  test('the second check: a taxed service charge, a tip, and pseudonymized guest references', () => {
    const [, b] = valid(toCanonical(fixture('order-split-checks.json'), withHeader));
    const p = ctx.pseudonymize;
    const customer = {
      ref: p.customer('toast', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'),
      emailRef: p.email('Jane.Doe@example.com'),
      phoneRef: p.phone('+1 212-555-0143'),
      loyaltyRef: p.loyalty('TL-0000-4417'),
    };
    expect(Object.values(customer).every((v) => typeof v === 'string')).toBe(true);
    expect(b).toMatchObject({
      sourceKey: `${ORDER}/${CHECK_B}`,
      kind: 'sale',
      occurredAt: '2026-12-01T03:20:05.000Z',
      businessDate: '2026-11-30',
      total: '23.60',
      taxTotal: '1.60',
      discountTotal: '0.00',
      discounts: [],
      lines: [
        {
          lineNo: 1,
          sku: 'f4a5b6c7-d8e9-4af0-9a1b-3c4d5e6f7081',
          description: 'House IPA 16oz',
          quantity: '2',
          unitPrice: '8.00',
          amount: '16.00',
          discount: '0.00',
          tax: '1.42',
        },
      ],
      charges: [
        { type: 'service', amount: '2.00', tax: '0.18', description: 'Event fee' },
        { type: 'tip', amount: '4.00', description: 'tip' },
      ],
      tenders: [{ method: 'card', amount: '23.60', cardBrand: 'MASTERCARD', last4: '4444', status: 'approved' }],
      customer,
      findings: [],
    });
    expectTotalsIdentity(b!, false);
    expectNoQualityErrors(b!);
  });

  test('no name, raw contact, card BIN or first six digits reaches the output', () => {
    const out = JSON.stringify(toCanonical(fixture('order-split-checks.json'), withHeader));
    for (const secret of ['Jane', 'Doe', 'example.com', '555-0143', '411111', '555555', 'TL-0000']) {
      expect(out).not.toContain(secret);
    }
  });

  test('the store falls back to configuration, and is flagged when neither header nor configuration has it', () => {
    const [a] = valid(toCanonical(fixture('order-split-checks.json'), { ...ctx, storeId: 'S042' }));
    expect(a?.storeId).toBe('S042');
    const [none] = valid(toCanonical(fixture('order-split-checks.json'), ctx));
    expect(none?.storeId).toBeNull();
    expect(none?.findings.map((f) => f.code)).toContain('source.toast.restaurant_missing');
  });

  test('a voided order gives void transactions with total 0 and no lines', () => {
    const order = fixture('order-split-checks.json');
    order.voided = true;
    order.voidDate = '2026-12-01T03:40:00.000+0000';
    order.voidBusinessDate = 20261130;
    for (const p of order.checks[0].payments) p.paymentStatus = 'VOIDED';
    const [a, b] = valid(toCanonical(order, withHeader));
    expect(a).toMatchObject({
      kind: 'void',
      total: '0',
      taxTotal: '0',
      lines: [],
      discounts: [],
      occurredAt: '2026-12-01T03:40:00.000Z',
      businessDate: '2026-11-30',
      findings: [],
    });
    expect(a?.tenders.map((t) => t.status)).toEqual(['voided', 'voided']);
    expect(b?.kind).toBe('void');
  });

  test('a deleted check produces no transaction and a warning', () => {
    const order = fixture('order-split-checks.json');
    order.checks[1].deleted = true;
    const result = toCanonical(order, withHeader);
    expect(result.transactions.map((t) => t.sourceKey)).toEqual([`${ORDER}/${CHECK_A}`]);
    expect(result.findings).toEqual([
      {
        code: 'source.toast.deleted_check',
        severity: 'warning',
        path: '/checks/1',
        message: `deleted check ${ORDER}/${CHECK_B}: no transaction`,
      },
    ]);
  });

  test('a declined card payment is kept as a tender but its tip is not charged', () => {
    const order = fixture('order-split-checks.json');
    order.checks[1].payments.unshift({
      guid: 'f2000000-0000-4000-8000-000000000000',
      type: 'CREDIT',
      amount: 19.6,
      tipAmount: 4.0,
      cardType: 'VISA',
      last4Digits: '0002',
      paymentStatus: 'DENIED',
    });
    const [, b] = valid(toCanonical(order, withHeader));
    expect(b?.tenders[0]).toEqual({ method: 'card', amount: '23.60', cardBrand: 'VISA', last4: '0002', status: 'declined' });
    expect(b?.total).toBe('23.60');
    expect(b?.charges).toEqual([
      { type: 'service', amount: '2.00', tax: '0.18', description: 'Event fee' },
      { type: 'tip', amount: '4.00', description: 'tip' },
    ]);
    expectTotalsIdentity(b!, false);
  });
});

describe('toast adapter: refunds', () => {
  const REFUND_ORDER = '2d4f6a8c-0e1f-4a3b-8c5d-7e9f0a1b2c3d';
  const REFUND_CHECK = '6e8a0c2e-4f6a-4b8c-9d0e-1f2a3b4c5d6e';
  const key = `${REFUND_ORDER}/${REFUND_CHECK}`;

  test('a refunded payment gives the sale and a negative return linked to it', () => {
    const result = toCanonical(fixture('order-refund.json'), withHeader);
    expect(result.findings).toEqual([]);
    const [sale, ret] = valid(result);
    expect(sale).toMatchObject({
      sourceKey: key,
      kind: 'sale',
      channel: 'online',
      registerId: null,
      operatorId: null,
      occurredAt: '2026-11-30T17:31:40.000Z',
      businessDate: '2026-11-30',
      total: '22.69',
      taxTotal: '1.69',
      tenders: [{ method: 'card', amount: '22.69', cardBrand: 'AMEX', last4: '0005', status: 'approved' }],
      charges: [{ type: 'tip', amount: '2.00', description: 'tip' }],
      customer: {
        ref: ctx.pseudonymize.customer('toast', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'),
        emailRef: ctx.pseudonymize.email('sam.rivera@example.org'),
      },
      findings: [],
    });
    expect(sale?.lines.map((l) => [l.description, l.amount, l.tax])).toEqual([
      ['Margherita Pizza', '16.00', '1.42'],
      ['Lemon Soda', '3.00', '0.27'],
    ]);
    expectTotalsIdentity(sale!, false);
    expectNoQualityErrors(sale!);

    expect(ret).toEqual({
      schemaVersion: 1,
      id: transactionId('toast', `${key}/refund`),
      source: 'toast',
      sourceKey: `${key}/refund`,
      kind: 'return',
      channel: 'online',
      storeId: RESTAURANT,
      registerId: null,
      operatorId: null,
      businessDate: '2026-12-01',
      occurredAt: '2026-12-01T17:02:44.000Z',
      currency: 'USD',
      total: '-17.42',
      taxTotal: '-1.42',
      discountTotal: '0.00',
      discounts: [],
      lines: [
        {
          lineNo: 1,
          sku: 'a5b6c7d8-e9f0-4a1b-8c2d-3e4f5a6b7c8d',
          description: 'Margherita Pizza',
          quantity: '-1',
          unitPrice: '16.00',
          amount: '-16.00',
          discount: '0.00',
          tax: '-1.42',
        },
      ],
      tenders: [{ method: 'card', amount: '-17.42', cardBrand: 'AMEX', last4: '0005', status: 'refunded' }],
      customer: sale?.customer,
      originalRef: { sourceKey: key },
      findings: [],
    });
    expectTotalsIdentity(ret!, false);
    expectNoQualityErrors(ret!);
  });

  test('an item refunded for less than it cost is flagged; the difference shows as the line discount', () => {
    const order = fixture('order-refund.json');
    const check = order.checks[0];
    check.selections[0].refundDetails = { refundAmount: 8.0, taxRefundAmount: 0.71 };
    check.payments[0].refund.refundAmount = 8.71;
    const [, ret] = valid(toCanonical(order, withHeader));
    expect(ret?.lines[0]).toMatchObject({ quantity: '-1', unitPrice: '16.00', amount: '-8.00', discount: '8.00', tax: '-0.71' });
    expect(ret?.total).toBe('-8.71');
    expect(ret?.findings.map((f) => f.code)).toEqual(['source.toast.partial_item_refund']);
    expectTotalsIdentity(ret!, false);
  });

  test('a tip refund is a negative tip charge', () => {
    const order = fixture('order-refund.json');
    order.checks[0].payments[0].refund.tipRefundAmount = 2.0;
    const [, ret] = valid(toCanonical(order, withHeader));
    expect(ret?.total).toBe('-19.42');
    expect(ret?.charges).toEqual([{ type: 'tip', amount: '-2.00', description: 'tip refund' }]);
    expectTotalsIdentity(ret!, false);
  });
});

describe('toast adapter: tax-inclusive prices and weighed items', () => {
  const key = '7b9d1f3a-5c7e-4a9b-8d1f-3a5c7e9b1d3f/9c1e3a5c-7e9b-4d1f-8a3c-5e7a9c1e3b5d';

  test('a tax-inclusive check keeps tax-inclusive prices; a weighed quantity keeps its decimals', () => {
    const result = toCanonical(fixture('order-tax-included-weighed.json'), withHeader);
    expect(result.findings).toEqual([]);
    const [tx] = valid(result);
    expect(tx).toMatchObject({
      sourceKey: key,
      kind: 'sale',
      channel: 'store',
      registerId: 'kiosk-02',
      occurredAt: '2026-11-30T14:05:09.120Z',
      businessDate: '2026-11-30',
      total: '17.00',
      taxTotal: '1.39',
      discountTotal: '1.00',
      discounts: [
        { amount: '1.00', lineNo: 2, promotionId: '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b', description: 'Bagel deal' },
      ],
      lines: [
        {
          lineNo: 1,
          sku: 'c7d8e9f0-a1b2-4c3d-8e4f-5a6b7c8d9e0f',
          description: 'Smoked Salmon (lb)',
          quantity: '0.42',
          unitPrice: '24.99',
          amount: '10.50',
          discount: '0.00',
          tax: '0.86',
        },
        {
          lineNo: 2,
          sku: 'd8e9f0a1-b2c3-4d4e-9f5a-6b7c8d9e0f1a',
          description: 'Everything Bagel',
          quantity: '3',
          unitPrice: '2.50',
          amount: '6.50',
          discount: '1.00',
          tax: '0.53',
        },
      ],
      tenders: [{ method: 'cash', amount: '17.00', status: 'approved' }],
      findings: [],
    });
    expect(tx?.charges).toBeUndefined();
    expectTotalsIdentity(tx!, true);
    expectNoQualityErrors(tx!);
  });

  test('a weighed item priced without tax keeps Toast rounded amount and its decimal quantity', () => {
    const order = fixture('order-split-checks.json');
    order.checks[1].selections.push({
      guid: 'a2000000-0000-4000-8000-000000000002',
      item: { guid: 'e9f0a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b' },
      displayName: 'Brisket (lb)',
      quantity: 0.635,
      unitOfMeasure: 'LB',
      receiptLinePrice: 18.99,
      preDiscountPrice: 12.06,
      price: 12.06,
      tax: 1.07,
      taxInclusion: 'NOT_INCLUDED',
    });
    const [, b] = valid(toCanonical(order, withHeader));
    expect(b?.lines[1]).toEqual({
      lineNo: 2,
      sku: 'e9f0a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b',
      description: 'Brisket (lb)',
      quantity: '0.635',
      unitPrice: '18.99',
      amount: '12.06',
      discount: '0.00',
      tax: '1.07',
    });
  });

  test('a check mixing tax-inclusive and exclusive items is expressed net of tax, with a warning', () => {
    const order = fixture('order-tax-included-weighed.json');
    order.checks[0].selections[1].taxInclusion = 'NOT_INCLUDED';
    const [tx] = valid(toCanonical(order, withHeader));
    expect(tx?.findings.map((f) => [f.code, f.path])).toEqual([['source.toast.mixed_tax_inclusion', '/checks/0/selections']]);
    // 9.64 net of tax for 0.42 lb: 22.952380... per lb, shown to 4 decimals.
    expect(tx?.lines[0]).toMatchObject({ quantity: '0.42', unitPrice: '22.9524', amount: '9.64', discount: '0.00', tax: '0.86' });
    expect(tx?.lines[1]).toMatchObject({ unitPrice: '2.50', amount: '5.89', discount: '1.00' });
  });

  test('in a mixed check a discount on a tax-inclusive item counts only its non-tax part', () => {
    const order = fixture('order-tax-included-weighed.json');
    order.checks[0].selections[0].taxInclusion = 'NOT_INCLUDED';
    const [tx] = valid(toCanonical(order, withHeader));
    expect(tx?.lines[1]).toMatchObject({ quantity: '3', amount: '5.97', discount: '0.92' });
    expect(tx?.discounts).toEqual([
      { amount: '0.92', lineNo: 2, promotionId: '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b', description: 'Bagel deal' },
    ]);
  });
});

describe('toast adapter: time, ids and bad input', () => {
  test('Toast offsets without a colon (+0000) are read as offsets', () => {
    const [tx] = valid(toCanonical(fixture('order-tax-included-weighed.json'), withHeader));
    expect(tx?.occurredAt).toBe('2026-11-30T14:05:09.120Z');
  });

  test('a date without offset is read in the configured zone', () => {
    const order = fixture('order-tax-included-weighed.json');
    order.checks[0].closedDate = '2026-11-30T09:05:09.120';
    const [tx] = valid(toCanonical(order, withHeader));
    expect(tx?.occurredAt).toBe('2026-11-30T14:05:09.120Z');
    expect(tx?.findings).toEqual([]);
  });

  test('a date without offset and no configured zone is an error and read as UTC; businessDate still from Toast', () => {
    const order = fixture('order-tax-included-weighed.json');
    order.checks[0].closedDate = '2026-11-30T23:05:09.120';
    const [tx] = valid(toCanonical(order, { ...withHeader, timeZone: null }));
    expect(tx?.occurredAt).toBe('2026-11-30T23:05:09.120Z');
    expect(tx?.businessDate).toBe('2026-11-30');
    expect(tx?.findings.map((f) => [f.code, f.severity])).toEqual([['time.zone_unknown', 'error']]);
  });

  test('without businessDate the business day is the date in the store zone', () => {
    const order = fixture('order-split-checks.json');
    delete order.businessDate;
    const [a] = valid(toCanonical(order, withHeader));
    // 03:15 UTC on Dec 1 is 22:15 on Nov 30 in New York.
    expect(a?.businessDate).toBe('2026-11-30');
  });

  test('an impossible businessDate integer is an error finding', () => {
    const order = fixture('order-split-checks.json');
    order.businessDate = 20261131;
    const [a] = valid(toCanonical(order, withHeader));
    expect(a?.findings.map((f) => f.code)).toContain('time.invalid_business_date');
    expect(a?.businessDate).toBe('2026-11-30');
  });

  test('no currency anywhere is an error finding, not a guess', () => {
    const [a] = valid(toCanonical(fixture('order-split-checks.json'), { ...withHeader, currency: null }));
    expect(a?.currency).toBeNull();
    expect(a?.findings.map((f) => f.code)).toContain('currency.missing');
  });

  test('numeric guids beyond 2^53 stay exact in the source key', () => {
    const text = fixtureText('order-tax-included-weighed.json')
      .replace('"guid": "7b9d1f3a-5c7e-4a9b-8d1f-3a5c7e9b1d3f"', '"guid": 123456789012345678901')
      .replace('"guid": "9c1e3a5c-7e9b-4d1f-8a3c-5e7a9c1e3b5d"', '"guid": 9007199254740993');
    const parsed = toastAdapter.parse(text);
    const [tx] = valid(toCanonical(parsed.ok ? parsed.value : null, withHeader));
    expect(tx?.sourceKey).toBe('123456789012345678901/9007199254740993');
  });

  test('an array of orders: a bad order gives schema findings with paths, the good one still converts', () => {
    const good = fixture('order-tax-included-weighed.json');
    const bad = fixture('order-refund.json');
    bad.checks[0].selections[0].quantity = 'two';
    delete bad.checks[0].payments[0].amount;
    const result = toCanonical([bad, good], withHeader);
    expect(result.transactions.map((t) => t.sourceKey)).toEqual([
      '7b9d1f3a-5c7e-4a9b-8d1f-3a5c7e9b1d3f/9c1e3a5c-7e9b-4d1f-8a3c-5e7a9c1e3b5d',
    ]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/0/checks/0/selections/0/quantity'],
      ['payload.schema', '/0/checks/0/payments/0/amount'],
    ]);
  });

  test('something that is not an order gives findings, not exceptions', () => {
    expect(toCanonical('hello', ctx)).toEqual({
      transactions: [],
      findings: [expect.objectContaining({ code: 'payload.schema', severity: 'error', path: '' })],
    });
    expect(toCanonical({ guid: 'x', checks: [] }, ctx).findings.map((f) => f.path)).toEqual(['/checks']);
    const parsed = toastAdapter.parse('{"guid": "x", "checks": [');
    expect(parsed.ok).toBe(false);
  });

  test('toCanonical never throws and always returns arrays (fc.anything)', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const r = toCanonical(value, ctx);
        return Array.isArray(r.transactions) && Array.isArray(r.findings);
      }),
      { numRuns: 300 },
    );
  });

  test('toCanonical never throws on JSON values, nor on a real order with a field replaced', () => {
    const base = fixture('order-split-checks.json');
    const fields = ['amount', 'taxAmount', 'totalAmount', 'selections', 'payments', 'appliedDiscounts', 'closedDate', 'guid'];
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...fields), (value, field) => {
        const r1 = toCanonical(value, ctx);
        const order = { ...base, checks: [{ ...base.checks[0], [field]: value }] };
        const r2 = toCanonical(order, withHeader);
        for (const tx of r2.transactions) CanonicalTransaction.parse(tx);
        return [r1, r2].every((r) => Array.isArray(r.transactions) && Array.isArray(r.findings));
      }),
      { numRuns: 300 },
    );
  });
});

describe('toast adapter: order source', () => {
  test.each([
    ['Online', 'online'],
    ['In Store', 'store'],
    ['Some New Channel', 'unknown'],
    // Names of Object.prototype members are no channel of Toast's (an inherited property was once read).
    ['toString', 'unknown'],
    ['constructor', 'unknown'],
  ])('source %j is channel %j, and the order passes validation', (source, channel) => {
    const order = JSON.parse(JSON.stringify(fixture('order-refund.json')));
    order.source = source;
    const [sale] = valid(toCanonical(order, withHeader));
    expect(sale!.channel).toBe(channel);
    expectNoQualityErrors(sale!);
  });
});
