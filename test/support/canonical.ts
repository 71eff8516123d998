// Builders and generators of canonical transactions for tests.
import fc from 'fast-check';
import Big from 'big.js';
import { transactionId, type CanonicalTransaction, type Line } from '../../shared/model';

export function line(overrides: Partial<Line> = {}): Line {
  return {
    lineNo: 1,
    sku: 'SKU-1',
    description: 'Coffee beans 1kg',
    quantity: '2',
    unitPrice: '10.00',
    amount: '20.00',
    discount: '0',
    tax: '1.60',
    ...overrides,
  };
}

/** A consistent tax-exclusive sale of 2 x 10.00 + 8% tax, paid by card. */
export function sale(overrides: Partial<CanonicalTransaction> = {}): CanonicalTransaction {
  const sourceKey = overrides.sourceKey ?? 'S042/R1/2026-11-30/1001';
  return {
    schemaVersion: 1,
    id: transactionId(overrides.source ?? 'canonical', sourceKey),
    source: 'canonical',
    sourceKey,
    kind: 'sale',
    channel: 'store',
    storeId: 'S042',
    registerId: 'R1',
    operatorId: 'OP7',
    businessDate: '2026-11-30',
    occurredAt: '2026-11-30T15:04:05.000Z',
    currency: 'USD',
    total: '21.60',
    taxTotal: '1.60',
    discountTotal: '0',
    discounts: [],
    lines: [line()],
    tenders: [{ method: 'card', amount: '21.60', cardBrand: 'visa', last4: '1111' }],
    customer: null,
    originalRef: null,
    findings: [],
    ...overrides,
  };
}

/** `count` sales over 20 stores with four lines each. */
export function salesOverStores(count: number, prefix = 'L'): CanonicalTransaction[] {
  return Array.from({ length: count }, (_, i) =>
    sale({
      sourceKey: `${prefix}/${i}`,
      storeId: `S${String(i % 20).padStart(3, '0')}`,
      total: '86.40',
      taxTotal: '6.40',
      lines: [1, 2, 3, 4].map((n) => line({ lineNo: n, sku: `SKU-${(i + n) % 97}` })),
    }),
  );
}

const money = (minCents: number, maxCents: number) =>
  fc.integer({ min: minCents, max: maxCents }).map((c) => new Big(c).div(100).toFixed(2));

/** Arbitrary, internally consistent canonical transactions (for round-trip and pipeline properties). */
export const arbCanonical: fc.Arbitrary<CanonicalTransaction> = fc
  .record({
    sourceKey: fc.string({ minLength: 1, maxLength: 40 }),
    kind: fc.constantFrom('sale' as const, 'return' as const),
    channel: fc.constantFrom('store' as const, 'online' as const, 'mobile' as const, 'unknown' as const),
    storeId: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null }),
    occurredAt: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
    currency: fc.constantFrom('USD', 'EUR', 'GBP', 'CAD'),
    lines: fc.array(
      fc.record({
        sku: fc.string({ minLength: 1, maxLength: 12 }),
        description: fc.string({ maxLength: 30 }),
        quantity: fc.integer({ min: 1, max: 5000 }).map((q) => new Big(q).div(1000).toFixed()),
        unitPrice: money(1, 100000),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    emailRef: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), { nil: undefined }),
  })
  .map((r) => {
    const sign = r.kind === 'return' ? -1 : 1;
    const lines = r.lines.map((l, i) => {
      const amount = new Big(l.quantity).times(l.unitPrice).round(2).times(sign);
      return {
        lineNo: i + 1,
        sku: l.sku,
        description: l.description,
        quantity: new Big(l.quantity).times(sign).toFixed(),
        unitPrice: l.unitPrice,
        amount: amount.toFixed(2),
        discount: '0',
        tax: null,
      };
    });
    const total = lines.reduce((s, l) => s.plus(l.amount), new Big(0)).toFixed(2);
    const at = r.occurredAt.toISOString();
    return {
      schemaVersion: 1 as const,
      id: transactionId('canonical', r.sourceKey),
      source: 'canonical' as const,
      sourceKey: r.sourceKey,
      kind: r.kind,
      channel: r.channel,
      storeId: r.storeId,
      registerId: null,
      operatorId: null,
      businessDate: at.slice(0, 10),
      occurredAt: at,
      currency: r.currency,
      total,
      taxTotal: null,
      // buildTransaction writes the sum of discounts with the currency's minor digits.
      discountTotal: '0.00',
      discounts: [],
      lines,
      tenders: [{ method: 'card' as const, amount: total }],
      customer: r.emailRef ? { emailRef: `em_${r.emailRef}` } : null,
      originalRef: null,
      findings: [],
    };
  });
