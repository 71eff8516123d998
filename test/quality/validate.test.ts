import { routeOf, validateTransaction, validateTransactions } from '../../shared/quality';
import { line, sale } from '../support/canonical';

const ctx = { now: Date.parse('2026-12-01T00:00:00Z'), timeZone: 'America/New_York' };
const codes = (tx: ReturnType<typeof sale>) => validateTransaction(tx, ctx).map((f) => `${f.severity}:${f.code}:${f.path}`);

describe('data-quality rules', () => {
  it('accepts a consistent tax-exclusive sale', () => {
    expect(codes(sale())).toEqual([]);
  });

  it('accepts a consistent tax-inclusive sale', () => {
    expect(codes(sale({ total: '20.00', taxTotal: '1.60', tenders: [{ method: 'cash', amount: '20.00' }] }))).toEqual([]);
  });

  it('reports a total that matches neither reading of the lines', () => {
    expect(codes(sale({ total: '25.00', tenders: [{ method: 'cash', amount: '25.00' }] }))).toEqual(['error:total.lines_mismatch:/total']);
  });

  it('allows the rounding tolerance of the currency, and no more', () => {
    expect(codes(sale({ total: '21.61', tenders: [{ method: 'cash', amount: '21.61' }] }))).toEqual([]);
    expect(codes(sale({ total: '21.63', tenders: [{ method: 'cash', amount: '21.63' }] }))).toEqual(['error:total.lines_mismatch:/total']);
    const yen = sale({ currency: 'JPY', total: '2162', taxTotal: '160', lines: [line({ unitPrice: '1000', amount: '2000', tax: '160' })], tenders: [{ method: 'cash', amount: '2162' }] });
    expect(codes(yen)).toEqual(['error:total.lines_mismatch:/total']);
  });

  it('counts transaction-level discounts and charges', () => {
    const tx = sale({
      total: '26.60',
      discounts: [{ amount: '2.00', code: 'WELCOME' }],
      charges: [{ type: 'shipping', amount: '7.00' }],
      tenders: [{ method: 'card', amount: '26.60' }],
    });
    expect(codes(tx)).toEqual([]);
  });

  it('reports tenders that do not add up, ignoring declined ones', () => {
    expect(codes(sale({ tenders: [{ method: 'card', amount: '20.00' }] }))).toEqual(['error:total.tenders_mismatch:/tenders']);
    const split = sale({
      tenders: [
        { method: 'card', amount: '21.60', status: 'declined' },
        { method: 'gift_card', amount: '10.00' },
        { method: 'cash', amount: '11.60' },
      ],
    });
    expect(codes(split)).toEqual([]);
    expect(codes(sale({ tenders: [] }))).toEqual(['warning:tender.missing:/tenders']);
  });

  it('reports tax counted twice', () => {
    expect(codes(sale({ total: '23.20', taxTotal: '3.20', tenders: [{ method: 'cash', amount: '23.20' }] }))).toEqual(['error:tax.counted_twice:/taxTotal']);
    expect(codes(sale({ total: '22.00', taxTotal: '2.00', tenders: [{ method: 'cash', amount: '22.00' }] }))).toEqual(['error:tax.lines_mismatch:/taxTotal']);
  });

  it('rejects codes that are not ISO 4217', () => {
    expect(codes(sale({ currency: 'ABC' }))).toEqual(['error:currency.invalid:/currency']);
  });

  it('reports impossible dates and business dates far from the instant', () => {
    expect(codes(sale({ occurredAt: '1999-12-31T23:00:00.000Z', businessDate: '1999-12-31' }))).toEqual(['error:time.impossible:/occurredAt']);
    expect(codes(sale({ occurredAt: '2027-06-01T00:00:00.000Z', businessDate: '2027-05-31' }))).toEqual(['error:time.future:/occurredAt']);
    expect(codes(sale({ businessDate: '2026-11-27' }))).toEqual(['error:time.business_date_mismatch:/businessDate']);
    expect(codes(sale({ businessDate: '2026-02-30' }))).toEqual(['error:time.impossible:/businessDate']);
    // Late trading: 00:30 local on Dec 1 still belongs to the Nov 30 business day.
    expect(codes(sale({ occurredAt: '2026-12-01T05:30:00.000Z' }))).toEqual([]);
  });

  it('checks each line arithmetic, sign and quantity', () => {
    expect(codes(sale({ lines: [line({ quantity: '0' })] }))).toContain('error:line.quantity_zero:/lines/0/quantity');
    expect(codes(sale({ lines: [line({ amount: '19.00' })], total: '20.60', tenders: [{ method: 'cash', amount: '20.60' }] }))).toEqual(['error:line.amount_mismatch:/lines/0/amount']);
    expect(codes(sale({ lines: [line({ quantity: '-2' })] }))).toContain('error:line.sign_mismatch:/lines/0/amount');
    const weighed = sale({ lines: [line({ quantity: '0.42', unitPrice: '4.99', amount: '2.10', tax: null })], total: '2.10', taxTotal: null, tenders: [{ method: 'cash', amount: '2.10' }] });
    expect(codes(weighed)).toEqual([]);
    const discounted = sale({ lines: [line({ discount: '5.00', amount: '15.00', tax: '1.20' })], taxTotal: '1.20', total: '16.20', discounts: [{ amount: '5.00', lineNo: 1 }], tenders: [{ method: 'cash', amount: '16.20' }] });
    expect(codes(discounted)).toEqual([]);
  });

  it('accepts a consistent return with negative amounts', () => {
    const ret = sale({
      kind: 'return',
      total: '-21.60',
      taxTotal: '-1.60',
      lines: [line({ quantity: '-2', amount: '-20.00', tax: '-1.60' })],
      tenders: [{ method: 'card', amount: '-21.60' }],
      originalRef: { sourceKey: 'S042/R1/2026-11-29/0999' },
    });
    expect(codes(ret)).toEqual([]);
  });

  it('flags placeholder values and a store sale without a store', () => {
    expect(codes(sale({ lines: [line({ sku: 'N/A' })] }))).toEqual(['warning:value.placeholder:/lines/0/sku']);
    expect(codes(sale({ storeId: null }))).toEqual(['error:store.missing:/storeId']);
    expect(codes(sale({ storeId: null, channel: 'online' }))).toEqual([]);
  });

  it('rejects what the model rejects', () => {
    expect(codes(sale({ total: '1e3' }))).toEqual(['error:schema.invalid:/total']);
  });

  it('marks a second occurrence of a transaction within a payload, and routes errors to quarantine', () => {
    const [a, b, c] = validateTransactions([sale(), sale({ sourceKey: 'other' }), sale()], ctx);
    expect(a!.findings).toEqual([]);
    expect(b!.findings).toEqual([]);
    expect(c!.findings.map((f) => f.code)).toEqual(['duplicate.in_payload']);
    expect([a, b, c].map((t) => routeOf(t!))).toEqual(['curated', 'curated', 'quarantine']);
  });
});
