import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CanonicalTransaction, transactionId, type CanonicalTransaction as Tx } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { lightspeedRAdapter, toCanonical } from '../../shared/sources/lightspeed-r';
import type { SourceContext } from '../../shared/sources/types';
import { expectTotalsIdentity } from '../support/totalsIdentity';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const dir = join(__dirname, '../fixtures/lightspeed-r');
const fixture = (name: string): { Sale: Record<string, unknown> } => {
  const parsed = lightspeedRAdapter.parse(readFileSync(join(dir, name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value as { Sale: Record<string, unknown> };
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function only(result: ReturnType<typeof toCanonical>): Tx {
  expect(result.findings).toEqual([]);
  expect(result.transactions).toHaveLength(1);
  return CanonicalTransaction.parse(result.transactions[0]);
}


describe('lightspeed-r: toCanonical', () => {
  it('maps a completed sale with a weighed line, a line discount and split cash/card payment', () => {
    const tx = only(toCanonical(fixture('sale-split-tender.json'), ctx));
    expect(tx).toEqual({
      schemaVersion: 1,
      id: transactionId('lightspeed-r', '8801'),
      source: 'lightspeed-r',
      sourceKey: '8801',
      kind: 'sale',
      channel: 'store',
      storeId: '1',
      registerId: '5',
      operatorId: '2',
      businessDate: '2026-11-30',
      occurredAt: '2026-12-01T02:10:44.000Z',
      currency: 'USD',
      total: '58.62',
      taxTotal: '4.78',
      discountTotal: '4.90',
      discounts: [{ amount: '4.90', lineNo: 2 }],
      lines: [
        {
          lineNo: 1,
          sku: '210000000290',
          description: 'Trail Mix (bulk, per lb)',
          quantity: '0.75',
          unitPrice: '12.99',
          amount: '9.7425',
          discount: '0.00',
          // 0.864646875 and 3.913875 as the register keeps them; rounded to cents they add up to the charged 4.78.
          tax: '0.87',
        },
        {
          lineNo: 2,
          sku: '210000000312',
          gtin: '012345678905',
          description: 'Insulated Bottle 750ml',
          quantity: '2',
          unitPrice: '24.50',
          amount: '44.10',
          discount: '4.90',
          tax: '3.91',
        },
      ],
      tenders: [
        { method: 'cash', amount: '20.00' },
        { method: 'card', amount: '38.62', cardBrand: 'Visa', last4: '4242' },
      ],
      customer: {
        ref: ctx.pseudonymize.customer('lightspeed-r', '1528'),
        // R-Series stores national numbers; without a configured country they cannot be normalised.
        emailRef: ctx.pseudonymize.email('jane.doe@example.com'),
      },
      originalRef: null,
      findings: [],
    });
    expectTotalsIdentity(tx, false);
    expect(JSON.stringify(tx)).not.toContain('XXXX');
    const us = only(toCanonical(fixture('sale-split-tender.json'), { ...ctx, country: 'US' }));
    expect(us.customer?.phoneRef).toBe(ctx.pseudonymize.phone('+12125550142'));
  });

  it('maps a refund: negative quantity and amounts, single SaleLine object normalised, no originalRef', () => {
    const result = toCanonical(fixture('sale-refund.json'), ctx);
    expect(result.findings).toEqual([]);
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    expect(tx.kind).toBe('return');
    expect(tx.originalRef).toBeNull();
    expect(tx.total).toBe('-24.01');
    expect(tx.taxTotal).toBe('-1.96');
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: '312',
        description: '',
        quantity: '-1',
        unitPrice: '24.50',
        amount: '-22.05',
        discount: '2.45',
        tax: '-1.96',
      },
    ]);
    expect(tx.tenders).toEqual([{ method: 'cash', amount: '-24.01' }]);
    expect(tx.customer).toBeNull();
    expect(tx.findings).toEqual([
      {
        code: 'source.lightspeed-r.return_link_by_line',
        severity: 'warning',
        path: '/Sale/SaleLines',
        message: 'return refers to original sale lines 8803; the original sale is not named',
      },
    ]);
    expectTotalsIdentity(tx, false);
  });

  it('prefers Shop.timeZone over the configured zone for the business date', () => {
    const london = only(
      toCanonical(fixture('sale-split-tender.json'), { ...ctx, timeZone: 'Europe/London' }),
    );
    expect(london.businessDate).toBe('2026-11-30');
    const noShop = fixture('sale-split-tender.json');
    delete noShop.Sale.Shop;
    expect(only(toCanonical(noShop, { ...ctx, timeZone: 'Europe/London' })).businessDate).toBe('2026-12-01');
    const noZone = toCanonical(noShop, { ...ctx, timeZone: null }).transactions[0]!;
    expect(noZone.businessDate).toBe('2026-12-01');
    expect(noZone.findings.map((f) => f.code)).toEqual(['time.business_date_utc']);
  });

  it('reads a timestamp without offset in the shop zone, and flags it when no zone is known', () => {
    const local = fixture('sale-split-tender.json');
    local.Sale.completeTime = '2026-11-30T21:10:44';
    expect(only(toCanonical(local, { ...ctx, timeZone: null })).occurredAt).toBe('2026-12-01T02:10:44.000Z');

    delete local.Sale.Shop;
    expect(only(toCanonical(local, ctx)).occurredAt).toBe('2026-12-01T02:10:44.000Z');
    const unknown = toCanonical(local, { ...ctx, timeZone: null }).transactions[0]!;
    expect(unknown.occurredAt).toBe('2026-11-30T21:10:44.000Z');
    expect(unknown.findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['time.zone_unknown', 'error', '/Sale/completeTime'],
    ]);
  });

  it('handles tax-inclusive (VAT) sales without adding tax on top', () => {
    const vat = fixture('sale-refund.json');
    Object.assign(vat.Sale, {
      isTaxInclusive: 'true',
      calcSubtotal: '24.2',
      calcTotal: '24.2',
      total: '24.2',
      taxTotal: '4.2',
      Shop: { shopID: '1', timeZone: 'Europe/Amsterdam' },
      SaleLines: {
        SaleLine: {
          saleLineID: '1',
          unitQuantity: '2',
          unitPrice: '12.1',
          calcLineDiscount: '0',
          calcTransactionDiscount: '0',
          calcSubtotal: '24.2',
          calcTax1: '4.2',
          calcTax2: '0',
          tax: 'true',
          itemID: '77',
          parentSaleLineID: '0',
        },
      },
      SalePayments: {
        SalePayment: { salePaymentID: '9', amount: '24.2', PaymentType: { name: 'PIN', type: 'debit card' } },
      },
    });
    const tx = only(toCanonical(vat, { ...ctx, currency: 'EUR', timeZone: null }));
    expect(tx).toMatchObject({
      kind: 'sale',
      currency: 'EUR',
      total: '24.20',
      taxTotal: '4.20',
      businessDate: '2026-12-03',
      tenders: [{ method: 'card', amount: '24.20' }],
    });
    expect(tx.lines[0]).toMatchObject({ quantity: '2', unitPrice: '12.10', amount: '24.20', tax: '4.20' });
    expectTotalsIdentity(tx, true);
  });

  it('keeps numeric ids beyond 2^53 exact', () => {
    const text = readFileSync(join(dir, 'sale-refund.json'), 'utf8').replace(
      '"saleID": "8840"',
      '"saleID": 9007199254740993123',
    );
    const parsed = lightspeedRAdapter.parse(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const tx = toCanonical(parsed.value, ctx).transactions[0]!;
    expect(tx.sourceKey).toBe('9007199254740993123');
    expect(tx.id).toBe(transactionId('lightspeed-r', '9007199254740993123'));
  });

  it('marks voided sales, skips uncompleted ones and reports missing relations', () => {
    const voided = fixture('sale-split-tender.json');
    voided.Sale.voided = 'true';
    expect(only(toCanonical(voided, ctx)).kind).toBe('void');

    const open = fixture('sale-split-tender.json');
    open.Sale.completed = 'false';
    expect(toCanonical(open, ctx)).toEqual({
      transactions: [],
      findings: [
        {
          code: 'source.lightspeed-r.not_completed',
          severity: 'warning',
          path: '/Sale/completed',
          message: 'sale 8801 is not completed: not a transaction yet',
        },
      ],
    });

    const bare = fixture('sale-split-tender.json');
    delete bare.Sale.SaleLines;
    delete bare.Sale.SalePayments;
    const tx = toCanonical(bare, ctx).transactions[0]!;
    expect(tx.lines).toEqual([]);
    expect(tx.findings.map((f) => [f.code, f.severity])).toEqual([
      ['source.lightspeed-r.relations_missing', 'error'],
    ]);
  });

  it('reads a list response with several sales', () => {
    const a = fixture('sale-split-tender.json').Sale;
    const b = fixture('sale-refund.json').Sale;
    const result = toCanonical({ '@attributes': { count: '2' }, Sale: [a, b] }, ctx);
    expect(result.transactions.map((t) => [t.sourceKey, t.kind])).toEqual([
      ['8801', 'sale'],
      ['8840', 'return'],
    ]);
  });

  it('turns malformed payloads into schema findings with paths, never exceptions', () => {
    const bad = fixture('sale-split-tender.json');
    const lines = (bad.Sale.SaleLines as { SaleLine: Record<string, unknown>[] }).SaleLine;
    lines[1]!.unitQuantity = 'two';
    delete bad.Sale.completed;
    const result = toCanonical(bad, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/Sale/completed'],
      ['payload.schema', '/Sale/SaleLines/SaleLine/1/unitQuantity'],
    ]);
    expect(toCanonical(null, ctx).findings[0]?.code).toBe('payload.schema');
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
      fc.property(fc.jsonValue(), (v) => check({ Sale: v })),
      { numRuns: 200 },
    );
    const sale = clone(fixture('sale-split-tender.json').Sale);
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(sale)), fc.jsonValue(), (key, value) =>
        check({ Sale: { ...sale, [key]: value } }),
      ),
      { numRuns: 300 },
    );
  });
});
