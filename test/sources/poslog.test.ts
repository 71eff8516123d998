import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Big from 'big.js';
import fc from 'fast-check';
import { CanonicalTransaction, type CanonicalTransaction as Tx } from '../../shared/model';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { poslogAdapter, toCanonical } from '../../shared/sources/poslog';
import { validateTransaction } from '../../shared/quality';
import type { AdapterResult } from '../../shared/sources/types';

const ctx = {
  timeZone: 'America/New_York',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/poslog', name), 'utf8');

function run(xml: string, context = ctx): AdapterResult {
  const parsed = poslogAdapter.parse(xml);
  if (!parsed.ok) throw new Error(`fixture did not parse: ${parsed.finding.message}`);
  return poslogAdapter.toCanonical(parsed.value, context);
}

/** docs/canonical.md: total = lines - transaction-level discounts + charges + (tax when prices exclude it). */
function expectTotalsIdentity(tx: Tx, pricesIncludeTax: boolean) {
  const lines = tx.lines.reduce((s, l) => s.plus(l.amount), new Big(0));
  const basket = tx.discounts.filter((d) => d.lineNo === undefined).reduce((s, d) => s.plus(d.amount), new Big(0));
  const charges = (tx.charges ?? []).reduce((s, c) => s.plus(c.amount), new Big(0));
  const sign = lines.lt(0) ? -1 : 1;
  let expected = lines.minus(basket.times(sign)).plus(charges);
  if (!pricesIncludeTax && tx.taxTotal) expected = expected.plus(tx.taxTotal);
  expect(expected.minus(tx.total).abs().lte('0.005')).toBe(true);
  const tenders = tx.tenders.reduce((s, t) => s.plus(t.amount), new Big(0));
  if (tx.tenders.length) expect(tenders.eq(tx.total)).toBe(true);
}

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('poslog: NCR ACS sample (ncr-acs-SMALL.xml)', () => {
  const result = run(fixture('ncr-acs-SMALL.xml'));

  it('makes no transaction of the operator sign-on, one of the sale', () => {
    expect(result.findings).toEqual([]);
    expect(result.transactions).toHaveLength(1);
    expect(result.transactions[0]!.sourceKey).toBe('9/34/2017-09-30/161');
  });

  it('maps the weighed-item sale exactly, counting the loyalty discount once', () => {
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    expect(tx).toEqual({
      schemaVersion: 1,
      id: tx.id,
      source: 'poslog',
      sourceKey: '9/34/2017-09-30/161',
      kind: 'sale',
      channel: 'store',
      storeId: '9',
      registerId: '34',
      operatorId: '94',
      // Business day 2017-09-30 although the sale rang at 02:02 on 2017-10-01 local time.
      businessDate: '2017-09-30',
      // No offset in the document: read in America/New_York (EDT, UTC-4).
      occurredAt: '2017-10-01T06:02:54.000Z',
      currency: 'USD',
      total: '1.07',
      taxTotal: '0.00',
      discountTotal: '0.19',
      discounts: [{ amount: '0.19', promotionId: '5123', description: 'loyalty reward' }],
      lines: [
        {
          lineNo: 1,
          sku: '00000000067591',
          gtin: '00000000067591',
          description: 'APPLE HONEYCRISP ORG',
          quantity: '0.42',
          unitPrice: '2.99',
          amount: '1.26',
          discount: '0.00',
          tax: null,
        },
      ],
      tenders: [{ method: 'card', amount: '1.07' }],
      customer: { loyaltyRef: ctx.pseudonymize.loyalty('0000000000000040000066677') },
      originalRef: null,
      findings: [],
    });
    expect(tx.id).toMatch(/^[0-9a-f]{32}$/);
    expectTotalsIdentity(tx, false);
  });

  it('without a store time zone reads the local time as UTC with a time.zone_unknown error', () => {
    const r = run(fixture('ncr-acs-SMALL.xml'), { ...ctx, timeZone: null } as unknown as typeof ctx);
    const tx = r.transactions[0]!;
    expect(tx.occurredAt).toBe('2017-10-01T02:02:54.000Z');
    expect(tx.businessDate).toBe('2017-09-30');
    expect(tx.findings).toEqual([
      {
        code: 'time.zone_unknown',
        severity: 'error',
        path: '/POSLog/Transaction/1/EndDateTime',
        message: 'local time without UTC offset and no store time zone configured; read as UTC',
      },
    ]);
  });
});

describe('poslog: v6.0.0 sale with split tenders and tax-exclusive prices', () => {
  const result = run(fixture('v6-split-tender-tax-exclusive.xml'));
  const tx = CanonicalTransaction.parse(result.transactions[0]);

  it('maps header, lines, discounts and tax', () => {
    expect(result.findings).toEqual([]);
    expect(result.transactions).toHaveLength(1);
    expect(tx).toMatchObject({
      sourceKey: 'S042-3-20261130-5123',
      kind: 'sale',
      storeId: 'S042',
      registerId: '3',
      operatorId: '1207',
      businessDate: '2026-11-30',
      occurredAt: '2026-11-30T19:05:09.120Z',
      currency: 'USD',
      total: '26.83',
      taxTotal: '1.92',
      discountTotal: '2.00',
      discounts: [{ amount: '2.00', lineNo: 1, promotionId: 'COFFEE-2FOR', description: '2 for 23.98' }],
      originalRef: null,
      findings: [],
    });
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: '100234',
        gtin: '00012345678905',
        description: 'Coffee beans 1 lb',
        quantity: '2',
        unitPrice: '12.99',
        amount: '23.98',
        discount: '2.00',
        tax: '1.92',
      },
      {
        lineNo: 2,
        sku: '200871',
        description: 'Bananas',
        quantity: '1.355',
        unitPrice: '0.69',
        amount: '0.93',
        discount: '0.00',
        tax: '0.00',
      },
    ]);
  });

  it('keeps card brand and last4 only, and nets the change out of the cash tender', () => {
    expect(tx.tenders).toEqual([
      { method: 'card', amount: '20.00', cardBrand: 'Visa', last4: '4242' },
      { method: 'cash', amount: '6.83' },
    ]);
    expectTotalsIdentity(tx, false);
  });

  it('pseudonymizes customer id, email and the loyalty card number (which fails Luhn)', () => {
    expect(tx.customer).toEqual({
      ref: ctx.pseudonymize.customer('poslog', 'C-88812'),
      emailRef: ctx.pseudonymize.email('dana.shopper@example.com'),
      loyaltyRef: ctx.pseudonymize.loyalty('6035550012345678'),
    });
    expect(JSON.stringify(result)).not.toMatch(/6035550012345678|Dana\.Shopper/i);
  });
});

describe('poslog: returns', () => {
  const result = run(fixture('return-linked.xml'));

  it('a Return line linked by TransactionID is a return with negative amounts', () => {
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    expect(tx).toMatchObject({
      sourceKey: 'S042-1-20261202-6001',
      kind: 'return',
      total: '-12.95',
      taxTotal: '-0.96',
      discountTotal: '1.00',
      originalRef: { sourceKey: 'S042-3-20261130-5123' },
      tenders: [{ method: 'card', amount: '-12.95', cardBrand: 'Visa', last4: '4242' }],
      findings: [],
    });
    expect(tx.lines).toEqual([
      {
        lineNo: 1,
        sku: '100234',
        gtin: '00012345678905',
        description: 'Coffee beans 1 lb',
        quantity: '-1',
        unitPrice: '12.99',
        amount: '-11.99',
        discount: '1.00',
        tax: '-0.96',
      },
    ]);
    expectTotalsIdentity(tx, false);
  });

  it('a Sale with negative quantity and no TransactionID is a return keyed and linked by the composite key', () => {
    const tx = CanonicalTransaction.parse(result.transactions[1]);
    expect(tx).toMatchObject({
      sourceKey: 'S042/1/2026-12-02/6002',
      kind: 'return',
      total: '-18.34',
      taxTotal: '-1.36',
      originalRef: { sourceKey: 'S042/2/2026-11-29/4410' },
      tenders: [{ method: 'cash', amount: '-18.34' }],
      lines: [
        {
          lineNo: 1,
          sku: '300050',
          description: 'Olive oil 500 ml',
          quantity: '-2',
          unitPrice: '8.49',
          amount: '-16.98',
          discount: '0.00',
          tax: '-1.36',
        },
      ],
      findings: [],
    });
    expectTotalsIdentity(tx, false);
  });
});

describe('poslog: voided line, cancelled transaction, tax-inclusive prices, composite keys', () => {
  const result = run(fixture('voids-tax-inclusive.xml'));

  it('leaves the voided line out with a warning; VAT is included in prices', () => {
    expect(result.findings).toEqual([]);
    expect(result.transactions).toHaveLength(2); // the till settlement (TenderControlTransaction) makes none
    const tx = CanonicalTransaction.parse(result.transactions[0]);
    expect(tx).toMatchObject({
      sourceKey: 'DE-0815/2/2026-12-01/778',
      kind: 'sale',
      currency: 'EUR',
      occurredAt: '2026-12-01T17:42:10.000Z',
      total: '12.18',
      taxTotal: '1.64',
      tenders: [{ method: 'cash', amount: '12.18' }],
    });
    expect(tx.lines.map((l) => [l.lineNo, l.sku, l.quantity, l.amount, l.tax])).toEqual([
      [1, '4001', '2', '8.98', '1.43'],
      [3, '7005', '1', '3.20', '0.21'],
    ]);
    expect(tx.findings).toEqual([
      {
        code: 'source.poslog.line_voided',
        severity: 'warning',
        path: '/POSLog/Transaction/0/RetailTransaction/LineItem/1',
        message: 'line item 2 is voided and was left out',
      },
    ]);
    expectTotalsIdentity(tx, true);
  });

  it('a transaction with CancelFlag is kind void', () => {
    const tx = CanonicalTransaction.parse(result.transactions[1]);
    expect(tx).toMatchObject({ sourceKey: 'DE-0815/2/2026-12-01/779', kind: 'void', total: '1.99', tenders: [] });
  });
});

const wrap = (body: string, ns = 'http://www.nrf-arts.org/IXRetail/v6.0.0/poslog') =>
  `<POSLog xmlns="${ns}"><Transaction><BusinessUnit><UnitID>S1</UnitID></BusinessUnit><WorkstationID>1</WorkstationID>` +
  `<SequenceNumber>9</SequenceNumber><BusinessDayDate>2026-11-30</BusinessDayDate>` +
  `<EndDateTime>2026-11-30T10:00:00Z</EndDateTime><CurrencyCode>USD</CurrencyCode>${body}</Transaction></POSLog>`;
const sale = (price: string, extra = '') =>
  `<LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>A1</ItemID><Description>Item</Description>` +
  `<RegularSalesUnitPrice>${price}</RegularSalesUnitPrice><Quantity>1</Quantity></Sale></LineItem>${extra}`;

describe('poslog: findings instead of exceptions', () => {
  it('a grand total that disagrees with the lines is an error and the document total is kept', () => {
    const r = run(wrap(`<RetailTransaction>${sale('5.00')}<Total TotalType="TransactionGrandAmount">6.00</Total></RetailTransaction>`));
    const tx = r.transactions[0]!;
    expect(tx.total).toBe('6.00');
    expect(tx.findings).toEqual([
      {
        code: 'source.poslog.total_mismatch',
        severity: 'error',
        path: '/POSLog/Transaction/0/RetailTransaction/Total',
        message: 'TransactionGrandAmount 6 disagrees with lines, discounts and tax (5)',
      },
    ]);
  });

  it('a non-decimal amount is a payload.schema finding with its path; other transactions still map', () => {
    const bad = wrap(`<RetailTransaction>${sale('5,00')}</RetailTransaction>`);
    const good = wrap(`<RetailTransaction>${sale('5.00')}</RetailTransaction>`).replace('<SequenceNumber>9<', '<SequenceNumber>10<');
    const xml = bad.replace('</POSLog>', good.slice(good.indexOf('<Transaction>')));
    const r = run(xml);
    expect(r.transactions.map((t) => t.sourceKey)).toEqual(['S1/1/2026-11-30/10']);
    expect(r.findings).toEqual([
      {
        code: 'payload.schema',
        severity: 'error',
        path: '/POSLog/Transaction/0/RetailTransaction/LineItem/0/Sale/RegularSalesUnitPrice',
        message: 'expected a decimal number with a dot as separator',
      },
    ]);
  });

  it('a transaction with no key at all is reported, not invented', () => {
    const xml = wrap(`<RetailTransaction>${sale('5.00')}</RetailTransaction>`).replace('<WorkstationID>1</WorkstationID>', '');
    const r = run(xml);
    expect(r.transactions).toEqual([]);
    expect(codes(r)).toEqual(['source.poslog.transaction_unkeyed']);
  });

  it('a document that is not POSLog gives payload.schema findings', () => {
    expect(codes(toCanonical({ Invoice: { Number: '1' } }, ctx))).toEqual(['payload.schema']);
    expect(codes(toCanonical(null, ctx))).toEqual(['payload.schema']);
  });

  it('malformed XML is a payload.malformed_xml finding from parse', () => {
    const r = poslogAdapter.parse('<POSLog><Transaction></POSLog>');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.finding.code).toBe('payload.malformed_xml');
  });

  it('an unmasked card number yields last4 only and a warning that does not repeat the number', () => {
    const tender =
      '<LineItem><Tender TenderType="CreditDebit"><Amount>5.00</Amount><CreditDebit CardType="Visa">' +
      '<PrimaryAccountNumber>4111111111111111</PrimaryAccountNumber></CreditDebit></Tender></LineItem>';
    const r = run(wrap(`<RetailTransaction>${sale('5.00', tender)}</RetailTransaction>`));
    const tx = r.transactions[0]!;
    expect(tx.tenders).toEqual([{ method: 'card', amount: '5.00', cardBrand: 'Visa', last4: '1111' }]);
    expect(codes(tx)).toEqual(['source.poslog.card_number_present']);
    expect(JSON.stringify(r)).not.toContain('4111111111111111');
  });

  it('a loyalty number that passes Luhn (a payment card at the loyalty prompt) is not kept', () => {
    const loyalty = '<LoyaltyAccount><LoyaltyCard><PrimaryAccountNumber>4111111111111111</PrimaryAccountNumber></LoyaltyCard></LoyaltyAccount>';
    const r = run(wrap(`<RetailTransaction>${sale('5.00')}${loyalty}</RetailTransaction>`));
    const tx = r.transactions[0]!;
    expect(tx.customer).toBeNull();
    expect(codes(tx)).toEqual(['source.poslog.loyalty_looks_like_card']);
    expect(JSON.stringify(r)).not.toContain('4111111111111111');
  });

  it('a loyalty number already masked by the card scrubber is not kept either', () => {
    const loyalty = '<LoyaltyAccount><LoyaltyCard><PrimaryAccountNumber>411111******1111</PrimaryAccountNumber></LoyaltyCard></LoyaltyAccount>';
    const tx = run(wrap(`<RetailTransaction>${sale('5.00')}${loyalty}</RetailTransaction>`)).transactions[0]!;
    expect(tx.customer).toBeNull();
    expect(codes(tx)).toEqual(['source.poslog.loyalty_looks_like_card']);
  });

  it('a loyalty number that passes Luhn without a card-scheme prefix is a loyalty number (one in ten do)', () => {
    const loyalty = '<LoyaltyAccount><LoyaltyCard><PrimaryAccountNumber>6035550012345674</PrimaryAccountNumber></LoyaltyCard></LoyaltyAccount>';
    const tx = run(wrap(`<RetailTransaction>${sale('5.00')}${loyalty}</RetailTransaction>`)).transactions[0]!;
    expect(tx.customer).toEqual({ loyaltyRef: ctx.pseudonymize.loyalty('6035550012345674') });
    expect(codes(tx)).toEqual([]);
  });

  it('a full account number on a card tender is reported even without a known card-scheme prefix', () => {
    const tender =
      '<LineItem><Tender TenderType="CreditDebit"><Amount>5.00</Amount><CreditDebit CardType="Store card">' +
      '<PrimaryAccountNumber>6035 5500 1234 5674</PrimaryAccountNumber></CreditDebit></Tender></LineItem>';
    const r = run(wrap(`<RetailTransaction>${sale('5.00', tender)}</RetailTransaction>`));
    const tx = r.transactions[0]!;
    expect(tx.tenders).toEqual([{ method: 'card', amount: '5.00', cardBrand: 'Store card', last4: '5674' }]);
    expect(codes(tx)).toEqual(['source.poslog.card_number_present']);
    expect(JSON.stringify(r)).not.toContain('6035 5500 1234 5674');
  });

  it('reads the older IXRetail namespace and a local time with the store zone in winter (EST)', () => {
    const xml = wrap(`<RetailTransaction>${sale('5.00')}</RetailTransaction>`, 'http://www.nrf-arts.org/IXRetail/namespace/').replace(
      '2026-11-30T10:00:00Z',
      '2026-11-30T10:00:00',
    );
    const tx = run(xml).transactions[0]!;
    expect(tx.occurredAt).toBe('2026-11-30T15:00:00.000Z');
    expect(tx.findings).toEqual([]);
  });
});

describe('poslog: hostile XML is refused by parse', () => {
  it('billion laughs (entity expansion) is refused quickly with payload.xml_dtd_forbidden', () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
      ']><POSLog>&lol9;</POSLog>';
    const started = Date.now();
    const r = poslogAdapter.parse(lol);
    expect(Date.now() - started).toBeLessThan(200);
    expect(r).toEqual({ ok: false, finding: expect.objectContaining({ code: 'payload.xml_dtd_forbidden', severity: 'error' }) });
  });

  it('an external entity (XXE) is refused with payload.xml_dtd_forbidden', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><POSLog><Transaction>&x;</Transaction></POSLog>';
    const r = poslogAdapter.parse(xxe);
    expect(r).toEqual({ ok: false, finding: expect.objectContaining({ code: 'payload.xml_dtd_forbidden' }) });
  });

  it('deep nesting is refused with payload.xml_too_deep', () => {
    const deep = '<POSLog>' + '<a>'.repeat(10_000) + '</a>'.repeat(10_000) + '</POSLog>';
    const started = Date.now();
    const r = poslogAdapter.parse(deep);
    expect(Date.now() - started).toBeLessThan(500);
    expect(r).toEqual({ ok: false, finding: expect.objectContaining({ code: 'payload.xml_too_deep' }) });
  });
});

describe('poslog: consistent fixtures pass the shared data-quality rules', () => {
  it.each(['ncr-acs-SMALL.xml', 'v6-split-tender-tax-exclusive.xml', 'return-linked.xml', 'voids-tax-inclusive.xml'])('%s', (name) => {
    const txs = run(fixture(name)).transactions;
    expect(txs.length).toBeGreaterThan(0);
    for (const tx of txs) expect(validateTransaction(tx, { now: Date.UTC(2027, 0, 1), timeZone: ctx.timeZone })).toEqual([]);
  });
});

describe('poslog: properties', () => {
  const arrays = (r: AdapterResult) => Array.isArray(r.transactions) && Array.isArray(r.findings);

  it('toCanonical never throws and returns arrays for anything', () => {
    fc.assert(fc.property(fc.anything(), (v) => arrays(toCanonical(v, ctx))), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), (v) => arrays(toCanonical(v, ctx))), { numRuns: 300 });
  });

  it('toCanonical never throws on POSLog-shaped values with arbitrary leaves', () => {
    const leaf = fc.oneof(fc.string(), fc.constant(''), fc.constantFrom('1.00', '-2', 'true', 'abc'), fc.anything());
    const lineItem = fc.record(
      { Sale: fc.record({ Quantity: leaf, RegularSalesUnitPrice: leaf, ItemID: leaf }), Tender: fc.record({ Amount: leaf }), '@_VoidFlag': leaf },
      { requiredKeys: [] },
    );
    const tx = fc.record({
      TransactionID: leaf,
      BusinessDayDate: leaf,
      EndDateTime: leaf,
      RetailTransaction: fc.record({ LineItem: fc.oneof(lineItem, fc.array(lineItem)), Total: leaf }, { requiredKeys: [] }),
    });
    fc.assert(
      fc.property(fc.oneof(tx, fc.array(tx)), (t) => arrays(toCanonical({ POSLog: { Transaction: t } }, ctx))),
      { numRuns: 300 },
    );
  });

  it('parse never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = poslogAdapter.parse(s);
        return r.ok === true || typeof r.finding.code === 'string';
      }),
      { numRuns: 500 },
    );
  });
});
