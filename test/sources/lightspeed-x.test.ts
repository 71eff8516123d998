import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Big from 'big.js';
import fc from 'fast-check';
import { CanonicalTransaction, transactionId, type CanonicalTransaction as Tx } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import {
  lightspeedXAdapter,
  lightspeedXPayloadFromForm,
  toCanonical,
  verifyLightspeedXSignature,
} from '../../shared/sources/lightspeed-x';
import type { SourceContext } from '../../shared/sources/types';
import { CURATED_TABLE_NAMES, CURATED_TABLES } from '../../shared/lake/curatedTables';
import { unstorableCells } from '../../shared/lake/toParquetBuffer';
import { expectTotalsIdentity } from '../support/totalsIdentity';

const ctx: SourceContext = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};
const dir = join(__dirname, '../fixtures/lightspeed-x');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
const fixture = (name: string): unknown => {
  const parsed = lightspeedXAdapter.parse(text(name));
  if (!parsed.ok) throw new Error(parsed.finding.message);
  return parsed.value;
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** What the lake load would refuse to store for this transaction (it would quarantine it). */
const unstorable = (tx: Tx) =>
  CURATED_TABLE_NAMES.flatMap((t) =>
    unstorableCells(CURATED_TABLES[t], CURATED_TABLES[t].rowsOf(tx, 'batch-1')),
  );

function only(result: ReturnType<typeof toCanonical>): Tx {
  expect(result.findings).toEqual([]);
  expect(result.transactions).toHaveLength(1);
  return CanonicalTransaction.parse(result.transactions[0]);
}

describe('lightspeed-x: toCanonical', () => {
  it('maps a closed register sale with a discount and split cash/card payment', () => {
    const tx = only(toCanonical(fixture('sale-closed.json'), ctx));
    expect(tx).toEqual({
      schemaVersion: 1,
      id: transactionId('lightspeed-x', '0a6f6e36-8b3c-11ee-f109-5ff7c2a1b0d4'),
      source: 'lightspeed-x',
      sourceKey: '0a6f6e36-8b3c-11ee-f109-5ff7c2a1b0d4',
      kind: 'sale',
      channel: 'store',
      storeId: '0adfd74a-1534-11e6-fb82-a6d9a7c5d6fa',
      registerId: '0adfd74a-1534-11e6-fb82-a6d9a7c8e3a2',
      operatorId: '0adfd74a-1534-11e6-fb82-a6d9a7cb5f1e',
      businessDate: '2026-11-30',
      occurredAt: '2026-11-30T19:42:10.000Z',
      currency: 'USD',
      total: '71.31',
      taxTotal: '5.81314',
      discountTotal: '4.50',
      discounts: [{ amount: '4.50', lineNo: 2 }],
      lines: [
        {
          lineNo: 1,
          sku: 'b1d87b58-f019-11e3-a0f5-b8ca3a64f8f4',
          description: '',
          quantity: '2',
          unitPrice: '12.50',
          amount: '25.00',
          discount: '0.00',
          tax: '2.21876',
        },
        {
          lineNo: 2,
          sku: '188a87aa-06fe-11e4-a0f5-b8ca3a64f8f4',
          description: '',
          quantity: '1',
          unitPrice: '45.00',
          amount: '40.50',
          discount: '4.50',
          tax: '3.59438',
        },
      ],
      tenders: [
        { method: 'cash', amount: '20.00' },
        { method: 'card', amount: '51.31' },
      ],
      customer: {
        ref: ctx.pseudonymize.customer('lightspeed-x', '06e35f89-3783-11e6-ec7e-13193f7bd2ed'),
        emailRef: ctx.pseudonymize.email('jane.doe@example.com'),
        phoneRef: ctx.pseudonymize.phone('+12125550142'),
      },
      originalRef: null,
      findings: [],
    });
    expectTotalsIdentity(tx, false);
    // Tenders add up to what was charged.
    expect(tx.tenders.reduce((a, t) => a.plus(t.amount), new Big(0)).toFixed(2)).toBe(tx.total);
  });

  it('maps a return with negative quantities and links the original sale via return_for', () => {
    const tx = only(toCanonical(fixture('sale-return.json'), ctx));
    expect(tx.kind).toBe('return');
    expect(tx.originalRef).toEqual({ sourceKey: '0a6f6e36-8b3c-11ee-f109-5ff7c2a1b0d4' });
    expect(tx.total).toBe('-44.09');
    expect(tx.taxTotal).toBe('-3.59438');
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: '188a87aa-06fe-11e4-a0f5-b8ca3a64f8f4',
        description: '',
        quantity: '-1',
        unitPrice: '45.00',
        amount: '-40.50',
        discount: '4.50',
        tax: '-3.59438',
      },
    ]);
    expect(tx.tenders).toEqual([{ method: 'card', amount: '-44.09' }]);
    expect(tx.businessDate).toBe('2026-12-02');
    expectTotalsIdentity(tx, false);
  });

  it('reads a webhook sale: decimal quantity, voided line left out, walk-in customer dropped', () => {
    const parsed = lightspeedXPayloadFromForm(readFileSync(join(dir, 'webhook-sale-update.form.txt')));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual(fixture('webhook-sale-update.payload.json'));
    const result = toCanonical(parsed.value, ctx);
    expect(result.findings).toEqual([]);
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: 'COF-BULK-LB',
        description: 'Bulk Coffee Beans (per lb)',
        quantity: '1.25',
        unitPrice: '15.99',
        amount: '19.9875',
        discount: '0.00',
        // 1.25 x 1.41911 = 1.7738875, rounded to the register's 5 decimals (its total_tax is 1.77389).
        tax: '1.77389',
      },
    ]);
    expect(tx.findings).toEqual([
      {
        code: 'source.lightspeed-x.line_voided',
        severity: 'warning',
        path: '/register_sale_products/1',
        message: 'voided line left out',
      },
    ]);
    expect(tx.total).toBe('21.76');
    expect(tx.taxTotal).toBe('1.77389');
    expect(tx.tenders).toEqual([{ method: 'cash', amount: '21.76' }]);
    expect(tx.customer).toBeNull();
    expectTotalsIdentity(tx, false);
  });

  it('reads a sale_date without offset as UTC (the documented API rule) and takes the business day in the store zone', () => {
    const payload = fixture('webhook-sale-update.payload.json');
    const local = toCanonical(payload, ctx).transactions[0]!;
    expect(local.occurredAt).toBe('2026-12-01T02:15:09.000Z');
    expect(local.businessDate).toBe('2026-11-30');
    expect(local.findings.map((f) => f.code)).toEqual(['source.lightspeed-x.line_voided']);

    const noZone = toCanonical(payload, { ...ctx, timeZone: null }).transactions[0]!;
    expect(noZone.occurredAt).toBe('2026-12-01T02:15:09.000Z');
    expect(noZone.businessDate).toBe('2026-12-01');
    expect(noZone.findings.map((f) => [f.code, f.severity])).toEqual([
      ['time.business_date_utc', 'warning'],
      ['source.lightspeed-x.line_voided', 'warning'],
    ]);
  });

  it('keeps tax-exclusive 5-decimal prices exact for a tax-inclusive (GST) retailer', () => {
    // A NZ register shows 10.00 incl. 15% GST; the API stores 8.69565 + 1.30435 per unit.
    const sale = clone(fixture('webhook-sale-update.payload.json')) as Record<string, unknown>;
    sale.register_sale_products = [
      {
        sku: 'TEE-M',
        name: 'T-shirt',
        quantity: 3,
        price: 8.69565,
        tax: 1.30435,
        discount: 0,
        status: 'CONFIRMED',
      },
    ];
    sale.total_price = 26.08695;
    sale.total_tax = 3.91305;
    sale.register_sale_payments = [{ name: 'EFTPOS', amount: 30 }];
    const tx = only(toCanonical(sale, { ...ctx, timeZone: 'Pacific/Auckland', currency: 'NZD' }));
    expect(tx.currency).toBe('NZD');
    expect(tx.businessDate).toBe('2026-12-01');
    expect(tx.lines[0]).toMatchObject({ unitPrice: '8.69565', amount: '26.08695', tax: '3.91305' });
    expect(tx.total).toBe('30.00');
    expect(tx.taxTotal).toBe('3.91305');
    expect(tx.tenders).toEqual([{ method: 'card', amount: '30.00' }]);
    expectTotalsIdentity(tx, false);
  });

  it("uses the register's own line totals when the line states them (API 2.0)", () => {
    const sale = clone(fixture('sale-closed.json')) as { data: Record<string, unknown> };
    // A weighed line whose register figures were rounded by the register: they win over quantity x unit.
    sale.data.line_items = [
      {
        id: 'w1',
        product_id: 'p-cheese',
        quantity: 0.437,
        price: 21.99,
        price_total: 9.60963,
        discount: 0.5,
        discount_total: 0.2185,
        tax: 1.95163,
        tax_total: 0.85286,
        status: 'CONFIRMED',
      },
    ];
    sale.data.total_price = 9.60963;
    sale.data.total_tax = 0.85286;
    sale.data.payments = [{ name: 'Cash', amount: 10.46 }];
    const tx = only(toCanonical(sale, ctx));
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: 'p-cheese',
        description: '',
        quantity: '0.437',
        unitPrice: '22.49',
        amount: '9.60963',
        discount: '0.2185',
        tax: '0.85286',
      },
    ]);
    expect(tx.total).toBe('10.46');
    expect(unstorable(tx)).toEqual([]);
  });

  it('rounds weighed lines without line totals to the register precision, so the lake can store them', () => {
    const sale = clone(fixture('webhook-sale-update.payload.json')) as Record<string, unknown>;
    sale.register_sale_products = [
      // 0.437 x 21.99123 = 9.61016751 and 0.437 x 1.95163 = 0.85286231: 8 decimals each.
      {
        sku: 'CHEESE-KG',
        name: 'Comte',
        quantity: 0.437,
        price: 21.99123,
        tax: 1.95163,
        discount: 0.00127,
        status: 'CONFIRMED',
      },
    ];
    sale.total_price = 9.61017;
    sale.total_tax = 0.85286;
    sale.register_sale_payments = [{ name: 'Cash', amount: 10.46 }];
    const tx = only(toCanonical(sale, ctx));
    expect(tx.lines[0]).toMatchObject({ amount: '9.61017', tax: '0.85286', discount: '0.00055' });
    expect(unstorable(tx)).toEqual([]);
    const returned = clone(sale);
    returned.register_sale_products = [{ ...(sale.register_sale_products as object[])[0], quantity: -0.437 }];
    returned.total_price = -9.61017;
    returned.total_tax = -0.85286;
    returned.register_sale_payments = [{ name: 'Cash', amount: -10.46 }];
    // Half-up is symmetric: a return is the sale's figures negated.
    expect(only(toCanonical(returned, ctx)).lines[0]).toMatchObject({
      amount: '-9.61017',
      tax: '-0.85286',
      discount: '0.00055',
    });
  });

  it('marks a VOIDED sale as a void and produces nothing for a parked sale', () => {
    const voided = clone(fixture('sale-closed.json')) as { data: Record<string, unknown> };
    voided.data.status = 'VOIDED';
    voided.data.state = 'voided';
    expect(only(toCanonical(voided, ctx)).kind).toBe('void');

    const parked = clone(fixture('sale-closed.json')) as { data: Record<string, unknown> };
    parked.data.status = 'SAVED';
    parked.data.state = 'parked';
    expect(toCanonical(parked, ctx)).toEqual({
      transactions: [],
      findings: [
        {
          code: 'source.lightspeed-x.not_closed',
          severity: 'warning',
          path: '/data/status',
          message:
            'sale 0a6f6e36-8b3c-11ee-f109-5ff7c2a1b0d4 is SAVED/parked: not a completed transaction yet',
        },
      ],
    });
  });

  it('reports ONACCOUNT and LAYBY sales and reads a list response', () => {
    const one = (fixture('sale-closed.json') as { data: Record<string, unknown> }).data;
    const layby = { ...clone(one), id: 'layby-1', status: 'LAYBY' };
    const result = toCanonical({ data: [one, layby] }, ctx);
    expect(result.transactions.map((t) => [t.sourceKey, t.findings.map((f) => f.code)])).toEqual([
      ['0a6f6e36-8b3c-11ee-f109-5ff7c2a1b0d4', []],
      ['layby-1', ['source.lightspeed-x.open_balance']],
    ]);
  });

  it('turns malformed payloads into schema findings with paths, never exceptions', () => {
    const bad = clone(fixture('sale-closed.json')) as { data: Record<string, unknown> };
    (bad.data.line_items as Record<string, unknown>[])[0]!.quantity = 'two';
    delete bad.data.sale_date;
    const result = toCanonical(bad, ctx);
    expect(result.transactions).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.schema', '/data/sale_date'],
      ['payload.schema', '/data/line_items/0/quantity'],
    ]);
    expect(toCanonical('not a sale', ctx).findings[0]?.code).toBe('payload.schema');

    const noTotals = clone(fixture('sale-closed.json')) as { data: Record<string, unknown> };
    delete noTotals.data.total_price;
    expect(toCanonical(noTotals, ctx).findings.map((f) => f.code)).toEqual([
      'source.lightspeed-x.totals_missing',
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
      fc.property(fc.jsonValue(), (v) => check({ data: v })),
      { numRuns: 200 },
    );
  });

  it('keeps the totals identity for any consistent generated sale', () => {
    const fiveDp = fc.integer({ min: 0, max: 100_000_000 }).map((n) => new Big(n).div(100_000));
    const line = fc.record({
      quantity: fc
        .integer({ min: -5000, max: 5000 })
        .filter((q) => q !== 0)
        .map((q) => new Big(q).div(1000)),
      price: fiveDp,
      tax: fiveDp.map((t) => t.div(10).round(5)),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (ls) => {
        // The register keeps 5 decimals per line and sums those.
        const line5 = (q: Big, unit: Big) => q.times(unit).round(5, Big.roundHalfUp);
        const totalPrice = ls.reduce((a, l) => a.plus(line5(l.quantity, l.price)), new Big(0));
        const totalTax = ls.reduce((a, l) => a.plus(line5(l.quantity, l.tax)), new Big(0));
        const sale = {
          id: 'gen-1',
          outlet_id: 'o1',
          status: 'CLOSED',
          sale_date: '2026-11-30 12:00:00',
          total_price: totalPrice.toFixed(),
          total_tax: totalTax.toFixed(),
          line_items: ls.map((l) => ({
            quantity: l.quantity.toFixed(),
            price: l.price.toFixed(),
            tax: l.tax.toFixed(),
          })),
        };
        const tx = only(toCanonical(sale, ctx));
        expectTotalsIdentity(tx, false);
        expect(unstorable(tx)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('lightspeed-x: webhook authentication', () => {
  const body = readFileSync(join(dir, 'webhook-sale-update.form.txt'));
  const sign = (secret: string, raw: Buffer) =>
    `signature=${createHmac('sha256', secret).update(raw).digest('hex')},algorithm=HMAC-SHA256`;
  const secrets = ['old-client-secret-A1', 'new-client-secret-B2'];

  it('accepts a signature made with either secret of a rotation', () => {
    expect(verifyLightspeedXSignature(body, sign('old-client-secret-A1', body), secrets)).toBe(true);
    expect(verifyLightspeedXSignature(body, sign('new-client-secret-B2', body), secrets)).toBe(true);
    expect(
      verifyLightspeedXSignature(body.toString('utf8'), sign('new-client-secret-B2', body), secrets),
    ).toBe(true);
  });

  it('rejects tampered bodies, wrong secrets, other algorithms and missing or malformed headers', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('21.76', '1.76'));
    expect(verifyLightspeedXSignature(tampered, sign('old-client-secret-A1', body), secrets)).toBe(false);
    expect(verifyLightspeedXSignature(body, sign('someone-else', body), secrets)).toBe(false);
    expect(
      verifyLightspeedXSignature(
        body,
        sign('old-client-secret-A1', body).replace('HMAC-SHA256', 'MD5'),
        secrets,
      ),
    ).toBe(false);
    expect(verifyLightspeedXSignature(body, undefined, secrets)).toBe(false);
    expect(verifyLightspeedXSignature(body, '', secrets)).toBe(false);
    expect(verifyLightspeedXSignature(body, 'signature=abc,algorithm=HMAC-SHA256', secrets)).toBe(false);
    expect(verifyLightspeedXSignature(body, sign('old-client-secret-A1', body), [])).toBe(false);
  });

  it('reports a form body without a payload field', () => {
    expect(lightspeedXPayloadFromForm('environment=prod&domain_prefix=x')).toEqual({
      ok: false,
      finding: {
        code: 'source.lightspeed-x.webhook_payload',
        severity: 'error',
        path: '/payload',
        message: 'form body has no `payload` field',
      },
    });
  });
});
