import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Big from 'big.js';
import fc from 'fast-check';
import { CanonicalTransaction, type CanonicalTransaction as Tx } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { csvAdapter, toCanonical } from '../../shared/sources/csv';
import { validateTransaction } from '../../shared/quality';
import type { AdapterResult } from '../../shared/sources/types';

const ctx = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/csv', name), 'utf8');

function run(text: string, context = ctx): AdapterResult {
  const parsed = csvAdapter.parse(text);
  if (!parsed.ok) throw new Error(`did not parse: ${parsed.finding.message}`);
  return csvAdapter.toCanonical(parsed.value, context);
}

/** docs/canonical.md: total = lines - transaction-level discounts + charges + (tax when prices exclude it). */
function expectTotalsIdentity(tx: Tx, pricesIncludeTax: boolean) {
  const lines = tx.lines.reduce((s, l) => s.plus(l.amount), new Big(0));
  const basket = tx.discounts.filter((d) => d.lineNo === undefined).reduce((s, d) => s.plus(d.amount), new Big(0));
  const sign = lines.lt(0) ? -1 : 1;
  let expected = lines.minus(basket.times(sign));
  if (!pricesIncludeTax && tx.taxTotal) expected = expected.plus(tx.taxTotal);
  expect(expected.minus(tx.total).abs().lte('0.005')).toBe(true);
  expect(tx.tenders.reduce((s, t) => s.plus(t.amount), new Big(0)).eq(tx.total)).toBe(true);
}

const header =
  'transaction_id,kind,store_id,occurred_at,currency,sku,description,quantity,unit_price,line_tax,tender_method,tender_amount,total\n';

describe('csv: sales.csv (BOM, CRLF, quoted fields)', () => {
  const result = run(fixture('sales.csv'));
  const byKey = (k: string) => CanonicalTransaction.parse(result.transactions.find((t) => t.sourceKey === k));

  it('groups rows into four transactions without findings', () => {
    expect(result.findings).toEqual([]);
    expect(result.transactions.map((t) => t.sourceKey)).toEqual(['T1001', 'T1002', 'T1003', 'T1004']);
  });

  it('maps a sale with split tenders, a weighed item and tax-exclusive prices exactly', () => {
    const tx = byKey('T1001');
    expect(tx).toEqual({
      schemaVersion: 1,
      id: tx.id,
      source: 'csv',
      sourceKey: 'T1001',
      kind: 'sale',
      channel: 'store',
      storeId: 'S042',
      registerId: '3',
      operatorId: '1207',
      businessDate: '2026-11-30',
      occurredAt: '2026-11-30T19:05:09.000Z',
      currency: 'USD',
      total: '26.83',
      taxTotal: '1.92',
      discountTotal: '2.00',
      discounts: [{ amount: '2.00', lineNo: 1 }],
      lines: [
        {
          lineNo: 1,
          sku: '100234',
          gtin: '00012345678905',
          description: 'Coffee beans, 1 lb "House"',
          quantity: '2',
          unitPrice: '12.99',
          amount: '23.98',
          discount: '2.00',
          tax: '1.92',
        },
        {
          lineNo: 2,
          sku: '200871',
          description: 'Bananas (lb)',
          quantity: '1.355',
          unitPrice: '0.69',
          amount: '0.93',
          discount: '0.00',
          tax: '0.00',
        },
      ],
      tenders: [
        { method: 'card', amount: '20.00', cardBrand: 'Visa', last4: '4242' },
        { method: 'cash', amount: '6.83' },
      ],
      customer: {
        emailRef: ctx.pseudonymize.email('dana.shopper@example.com'),
        loyaltyRef: ctx.pseudonymize.loyalty('6035550012345678'),
      },
      originalRef: null,
      findings: [],
    });
    expectTotalsIdentity(tx, false);
    expect(JSON.stringify(result)).not.toMatch(/6035550012345678|Dana\.Shopper/i);
  });

  it('maps a return written with positive amounts to negative amounts with originalRef', () => {
    const tx = byKey('T1002');
    expect(tx).toMatchObject({
      kind: 'return',
      total: '-12.95',
      taxTotal: '-0.96',
      discountTotal: '1.00',
      originalRef: { sourceKey: 'T1001' },
      lines: [
        {
          lineNo: 1,
          sku: '100234',
          gtin: '00012345678905',
          description: 'Coffee beans, 1 lb "House"',
          quantity: '-1',
          unitPrice: '12.99',
          amount: '-11.99',
          discount: '1.00',
          tax: '-0.96',
        },
      ],
      tenders: [{ method: 'card', amount: '-12.95', cardBrand: 'Visa', last4: '4242' }],
      customer: null,
      findings: [],
    });
    expectTotalsIdentity(tx, false);
  });

  it('maps tax-inclusive prices (prices_include_tax=true) without adding the tax again', () => {
    const tx = byKey('T1003');
    expect(tx).toMatchObject({ currency: 'EUR', total: '12.18', taxTotal: '1.64', occurredAt: '2026-12-01T17:42:10.000Z', findings: [] });
    expect(tx.lines.map((l) => [l.sku, l.amount, l.tax])).toEqual([
      ['4001', '8.98', '1.43'],
      ['7005', '3.20', '0.21'],
    ]);
    expectTotalsIdentity(tx, true);
  });

  it('reads a time without offset in the store zone', () => {
    expect(byKey('T1004')).toMatchObject({ occurredAt: '2026-11-30T21:45:00.000Z', businessDate: '2026-11-30', findings: [] });
  });

  it('without a store zone a time without offset is read as UTC with time.zone_unknown', () => {
    const r = run(fixture('sales.csv'), { ...ctx, timeZone: null } as unknown as typeof ctx);
    const tx = r.transactions.find((t) => t.sourceKey === 'T1004')!;
    expect(tx.occurredAt).toBe('2026-11-30T16:45:00.000Z');
    expect(tx.findings).toEqual([
      {
        code: 'time.zone_unknown',
        severity: 'error',
        path: '/line/9/occurred_at',
        message: 'local time without UTC offset and no store time zone configured; read as UTC',
      },
    ]);
    // The others carry their own offset and need no zone.
    expect(r.transactions.filter((t) => t.findings.length).map((t) => t.sourceKey)).toEqual(['T1004']);
  });
});

describe('csv: malformed.csv gives findings naming lines, and keeps the good rows', () => {
  const result = run(fixture('malformed.csv'));

  it('produces only the transaction whose rows are all readable', () => {
    expect(result.transactions.map((t) => t.sourceKey)).toEqual(['B7']);
    expect(CanonicalTransaction.parse(result.transactions[0])).toMatchObject({ total: '3.00', taxTotal: null, findings: [] });
  });

  it('reports every problem with its line', () => {
    expect(result.findings.map((f) => [f.code, f.path])).toEqual([
      ['payload.malformed_csv', '/line/3'],
      ['payload.malformed_csv', '/line/4'],
      ['source.csv.unknown_column', '/line/1'],
      ['source.csv.decimal_comma', '/line/2/unit_price'],
      ['source.csv.conflicting_value', '/line/6/store_id'],
      ['source.csv.invalid_value', '/line/7/kind'],
      ['source.csv.row_without_content', '/line/8'],
    ]);
    expect(result.findings[3]!.message).toBe('line 2: unit_price "4,99" uses a decimal comma, which this layout does not support');
    expect(result.findings[4]!.message).toBe('line 6: store_id "S043" differs from "S042" on line 5 of transaction B4');
  });
});

describe('csv: rules', () => {
  it('a header row is required', () => {
    const r = csvAdapter.parse('T1,2026-11-30T10:00:00Z,A1\n');
    expect(r).toEqual({ ok: false, finding: expect.objectContaining({ code: 'payload.csv_header_missing', path: '/line/1' }) });
    expect(toCanonical('T1,2026-11-30T10:00:00Z\n', ctx).findings.map((f) => f.code)).toEqual(['payload.csv_header_missing']);
  });

  it('a stated total that disagrees with the lines is an error; the stated total is kept', () => {
    const r = run(header + 'X1,sale,S1,2026-11-30T10:00:00Z,USD,A1,Thing,3,1.10,,cash,3.40,3.40\n');
    expect(r.transactions[0]).toMatchObject({
      total: '3.40',
      findings: [
        {
          code: 'source.csv.total_mismatch',
          severity: 'error',
          path: '/line/2/total',
          message: 'total 3.4 disagrees with lines, discount and tax (3.3)',
        },
      ],
    });
  });

  it('cash_rounding: a Swedish cash sale of 99.50 charged as 100.00 adds up and passes the quality rules; without the column it cannot', () => {
    const head = 'transaction_id,kind,store_id,occurred_at,currency,prices_include_tax,sku,quantity,unit_price,tender_method,tender_amount,total,cash_rounding\n';
    const rows = (id: string, kind: string, rounding: string) =>
      `${id},${kind},S7,2026-11-30T10:00:00+01:00,SEK,true,KAFFE,1,59.75,,,,${rounding}\n` +
      `${id},${kind},S7,2026-11-30T10:00:00+01:00,SEK,true,BULLE,1,39.75,cash,100.00,100.00,${rounding}\n`;
    const sale = CanonicalTransaction.parse(run(head + rows('SE1', 'sale', '0.50'), { ...ctx, timeZone: 'Europe/Stockholm', currency: 'SEK' }).transactions[0]);
    expect(sale).toMatchObject({ total: '100.00', charges: [{ type: 'rounding', amount: '0.50' }], tenders: [{ method: 'cash', amount: '100.00' }] });
    expect(sale.findings).toEqual([]);
    expect(validateTransaction(sale, { now: Date.parse('2026-12-01T00:00:00Z'), timeZone: 'Europe/Stockholm' }).filter((f) => f.severity === 'error')).toEqual([]);
    // A refund of the same goods paid back as 100.00 in cash: the rounding is signed as the total moved.
    const refund = CanonicalTransaction.parse(run(head + rows('SE2', 'return', '-0.50'), { ...ctx, timeZone: 'Europe/Stockholm', currency: 'SEK' }).transactions[0]);
    expect(refund).toMatchObject({ total: '-100.00', charges: [{ type: 'rounding', amount: '-0.50' }], findings: [] });
    // The same export without the column: the 0.50 is unexplained.
    const bare = run(head + rows('SE3', 'sale', ''), { ...ctx, timeZone: 'Europe/Stockholm', currency: 'SEK' }).transactions[0]!;
    expect(bare.findings.map((f) => [f.code, f.message])).toEqual([['source.csv.total_mismatch', 'total 100 disagrees with lines, discount and tax (99.5)']]);
    expect(bare.charges).toBeUndefined();
  });

  it('a negative quantity on a sale is a returned item in an exchange; a transaction discount is basket-level', () => {
    const text =
      'transaction_id,occurred_at,sku,quantity,unit_price,transaction_discount,tender_method,tender_amount\n' +
      'E1,2026-11-30T10:00:00Z,NEW,1,20.00,1.00,,\n' +
      'E1,2026-11-30T10:00:00Z,OLD,-1,15.00,,card,4.00\n';
    const tx = CanonicalTransaction.parse(run(text).transactions[0]);
    expect(tx).toMatchObject({
      kind: 'sale',
      total: '4.00',
      taxTotal: null,
      discounts: [{ amount: '1.00' }],
      discountTotal: '1.00',
      currency: 'USD',
    });
    expect(tx.lines.map((l) => [l.sku, l.quantity, l.amount])).toEqual([
      ['NEW', '1', '20.00'],
      ['OLD', '-1', '-15.00'],
    ]);
    expectTotalsIdentity(tx, false);
  });

  it('the example in docs/csv-format.md reads as documented', () => {
    const doc = readFileSync(join(__dirname, '../../docs/csv-format.md'), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(doc)![1]!;
    const r = run(example);
    expect(r.findings).toEqual([]);
    expect(r.transactions).toHaveLength(1);
    expect(r.transactions[0]).toMatchObject({ sourceKey: 'T1001', total: '26.83', taxTotal: '1.92', occurredAt: '2026-11-30T19:05:09.000Z' });
    expectTotalsIdentity(r.transactions[0]!, false);
  });

  it('a payload that is not parsed CSV gives payload.schema findings', () => {
    expect(toCanonical({ rows: 'nope' }, ctx).findings.map((f) => f.code)).toContain('payload.schema');
  });
});

describe('csv: consistent fixtures pass the shared data-quality rules', () => {
  it.each(['sales.csv'])('%s', (name) => {
    const txs = run(fixture(name)).transactions;
    expect(txs.length).toBeGreaterThan(0);
    for (const tx of txs) expect(validateTransaction(tx, { now: Date.UTC(2027, 0, 1), timeZone: ctx.timeZone })).toEqual([]);
  });
});

describe('csv: properties', () => {
  const arrays = (r: AdapterResult) => Array.isArray(r.transactions) && Array.isArray(r.findings);

  it('toCanonical never throws and returns arrays', () => {
    fc.assert(fc.property(fc.anything(), (v) => arrays(toCanonical(v, ctx))), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), (v) => arrays(toCanonical(v, ctx))), { numRuns: 300 });
    fc.assert(fc.property(fc.string(), (s) => arrays(toCanonical(s, ctx))), { numRuns: 300 });
  });

  it('never throws on arbitrary cells under the real header', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '1.00', '-2', '4,99', 'card', 'return', '2026-11-30T10:00:00'));
    const row = fc.array(cell, { minLength: 13, maxLength: 13 }).map((cells) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(','));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => arrays(toCanonical(header + rows.join('\n'), ctx))),
      { numRuns: 300 },
    );
  });

  it('parse never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = csvAdapter.parse(s);
        return r.ok === true || typeof r.finding.code === 'string';
      }),
      { numRuns: 500 },
    );
  });
});
